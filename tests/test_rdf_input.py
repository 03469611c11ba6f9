"""Partner RDF files, in each format: exit codes, the line of each result, syntax errors, and
nothing fetched from the network.

``tests/data/rdf/partner-events.<ext>`` hold the same two events: a workshop that conforms and
a meeting that ends (3 January) before it starts (5 January). ``partner-events-ok.<ext>`` end
the meeting on 7 January. The workshop starts on 3 January: the offending value is written
twice in each file, so a line found by searching for the text would be the wrong one.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from legalkg.cli import main
from legalkg.loaders.rdf_lines import statement_lines
from legalkg.store import EmbeddedStore

from .conftest import DATA, REPO

RDF_DATA = DATA / "rdf"
FORMATS = ["ttl", "trig", "nt", "nq", "jsonld", "rdf"]
MEETING = URIRef("https://w3id.org/legalkg/id/event/meeting-2020-01-05")
LKG = "https://w3id.org/legalkg/ontology#"
END_DATE = URIRef(f"{LKG}endDate")
BAD_END = Literal("2020-01-03", datatype=XSD.date)

# The line each report names: the end date's own line where the format has statements by line
# or by grammar; in JSON-LD and RDF/XML the value is written twice, so the meeting's subject line.
LINES = {"ttl": 18, "trig": 20, "nt": 9, "nq": 10, "jsonld": 17, "rdf": 15}


def invoke(tmp_path: Path, *args: str) -> Result:
    # A store that does not exist: validate then reads no store; ingest creates one.
    runner = CliRunner(env={"COLUMNS": "250"})
    return runner.invoke(
        main, ["--project-dir", str(REPO), "--store", str(tmp_path / "store"), *args], catch_exceptions=False
    )


def store_state(path: Path) -> set[tuple[str, ...]]:
    store = EmbeddedStore(path, read_only=True)
    try:
        return {tuple(str(t) for t in q) for q in store.quads()}
    finally:
        store.close()


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The quarantine folder is .legalkg/quarantine under the working folder.
    monkeypatch.chdir(tmp_path)


@pytest.fixture()
def stored(built_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the store built from the sample, where ``invoke`` looks for it."""
    shutil.copytree(built_store_dir, tmp_path / "store")
    return tmp_path / "store"


@pytest.mark.parametrize("ext", FORMATS)
def test_validate_exits_0_for_a_conforming_file_and_1_for_one_that_is_not(tmp_path: Path, ext: str) -> None:
    good = invoke(tmp_path, "validate", str(RDF_DATA / f"partner-events-ok.{ext}"))
    assert good.exit_code == 0, good.output
    assert good.output.strip().endswith(": conforms")
    bad = invoke(tmp_path, "validate", str(RDF_DATA / f"partner-events.{ext}"))
    assert bad.exit_code == 1, bad.output
    assert "1 violation(s)" in bad.output and "meeting-2020-01-05" in bad.output


@pytest.mark.parametrize("ext", FORMATS)
def test_the_report_names_the_line_of_the_offending_triple(tmp_path: Path, ext: str) -> None:
    path = RDF_DATA / f"partner-events.{ext}"
    line = LINES[ext]
    text = invoke(tmp_path, "validate", str(path)).output
    assert f'violation: endDate value "2020-01-03" (line {line}): the end date must be on or after' in text
    if ext in ("ttl", "trig", "nt", "nq"):
        written = path.read_text(encoding="utf-8").splitlines()[line - 1]
        assert "endDate" in written and '"2020-01-03"' in written and '"2020-01-05"' not in written
    data = json.loads(invoke(tmp_path, "validate", "--format", "json", str(path)).output)
    [result] = data["files"][0]["results"]
    assert (result["focus"], result["path"], result["line"]) == (str(MEETING), str(END_DATE), line)
    turtle = invoke(tmp_path, "validate", "--format", "turtle", str(path))
    report = Graph().parse(data=turtle.output, format="turtle")
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    assert (None, SH.focusNode, MEETING) in report


def test_ingest_quarantines_the_file_with_the_line_in_its_report(stored: Path, tmp_path: Path) -> None:
    before = store_state(stored)
    result = invoke(tmp_path, "ingest", str(RDF_DATA / "partner-events.ttl"))
    assert result.exit_code == 1, result.output
    assert '"2020-01-03" (line 18): the end date must be on or after' in result.stdout
    [report] = (tmp_path / ".legalkg" / "quarantine").glob("*/report.txt")
    assert '"2020-01-03" (line 18): the end date' in report.read_text(encoding="utf-8")
    assert store_state(stored) == before


# A typo in each format: what is changed, and where the parser says the error is.
SYNTAX_ERRORS = {
    "ttl": (
        'lkg:startDate "2020-01-05"^^xsd:date ;',
        'lkg:startDate "2020-01-05"^^xsd:date',
        "line 18, column 5: is not valid Turtle: A dot is expected at the end of statements",
    ),
    "trig": (
        'rdfs:label "Annual meeting of firearms focal points"@en ;',
        'rdfs:label "Annual meeting of firearms focal points"@en',
        "line 19, column 9: is not valid TriG: A '}' or a '.' is expected at the end of a graph block",
    ),
    "nt": (
        '"2020-01-05"^^<http://www.w3.org/2001/XMLSchema#date> .',
        '"2020-01-05"^^<http://www.w3.org/2001/XMLSchema#date>',
        "line 9, column 1: is not valid N-Triples: Quads must be followed by a dot",
    ),
    "nq": (
        "#Meeting> <https://partner.example.org/graph/events> .",
        "#Meeting> <https://partner.example.org/graph/events> <events> .",
        "line 7, column 193: is not valid N-Quads: No scheme found in an absolute IRI",
    ),
    "jsonld": (
        '"@id": "ev:meeting-2020-01-05",',
        '"@id": "ev:meeting-2020-01-05"',
        "line 18, column 7: is not valid JSON-LD: Object values must be followed by a comma",
    ),
    "rdf": (
        "2020-01-03</lkg:endDate>\n  </lkg:Meeting>",
        "2020-01-03</lkg:enddate>\n  </lkg:Meeting>",
        "line 18, column 55: is not valid RDF/XML: ill-formed document: expected `</lkg:endDate>`",
    ),
}


def broken(tmp_path: Path, ext: str) -> Path:
    good, typo, _ = SYNTAX_ERRORS[ext]
    text = (RDF_DATA / f"partner-events.{ext}").read_text(encoding="utf-8")
    assert text.count(good) == 1
    path = tmp_path / f"broken.{ext}"
    path.write_text(text.replace(good, typo), encoding="utf-8")
    return path


@pytest.mark.parametrize("ext", FORMATS)
def test_a_syntax_error_is_one_line_with_file_line_and_column(tmp_path: Path, ext: str) -> None:
    path = broken(tmp_path, ext)
    says = f"{path}, {SYNTAX_ERRORS[ext][2]}"
    checked = invoke(tmp_path, "validate", str(path))
    assert checked.exit_code == 2
    # validate lists a file it cannot read with its reports, on stdout.
    lines = checked.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {says}") and not checked.stderr


@pytest.mark.parametrize("ext", FORMATS)
def test_ingesting_a_syntax_error_says_where_exits_2_and_leaves_the_store(
    stored: Path, tmp_path: Path, ext: str
) -> None:
    path = broken(tmp_path, ext)
    before = store_state(stored)
    result = invoke(tmp_path, "ingest", str(path))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"legalkg: {path}, {SYNTAX_ERRORS[ext][2]}")
    assert "Traceback" not in result.output + result.stderr
    assert store_state(stored) == before


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Serves what a careless parser would fetch, and remembers that it was asked."""

    requests: list[str]
    bodies: ClassVar[dict[str, bytes]] = {
        "/context.jsonld": json.dumps(
            {"@context": {"ev": "https://w3id.org/legalkg/id/event/", "lkg": LKG}}
        ).encode(),
        "/label.txt": b"Annual meeting of firearms focal points",
        "/partner.dtd": b'<!ENTITY ev "https://w3id.org/legalkg/id/event/">',
    }

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = self.bodies.get(self.path, b"")
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1: its base URL and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield base, requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_the_server_answers_when_asked(server: tuple[str, list[str]]) -> None:
    """The recorder works: a silent server in the tests below means nothing asked it."""
    import urllib.request

    base, requests = server
    with urllib.request.urlopen(f"{base}/label.txt") as response:
        assert response.read() == b"Annual meeting of firearms focal points"
    assert requests == ["/label.txt"]


REMOTE = {
    "remote-context.jsonld": (
        '{{\n  "@context": "{base}/context.jsonld",\n'
        '  "@id": "ev:meeting-2020-01-05",\n  "@type": "lkg:Meeting"\n}}\n',
        "line 2, column 3: is not valid JSON-LD: refers to a remote JSON-LD @context, "
        "which legalkg never fetches; inline the context",
    ),
    "external-entity.rdf": (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE rdf:RDF [ <!ENTITY label SYSTEM "{base}/label.txt"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '  <rdf:Description rdf:about="https://w3id.org/legalkg/id/event/meeting-2020-01-05">\n'
        '    <rdfs:label xml:lang="en">&label;</rdfs:label>\n'
        "  </rdf:Description>\n"
        "</rdf:RDF>\n",
        "line 2, column 21: is not valid RDF/XML: declares the external entity 'label' (SYSTEM), "
        "which legalkg never fetches; write its text into the file",
    ),
}


@pytest.mark.parametrize("name", sorted(REMOTE))
@pytest.mark.parametrize("command", ["validate", "ingest"])
def test_remote_contexts_and_external_entities_are_never_fetched(
    stored: Path, tmp_path: Path, server: tuple[str, list[str]], name: str, command: str
) -> None:
    base, requests = server
    template, says = REMOTE[name]
    path = tmp_path / name
    path.write_text(template.format(base=base), encoding="utf-8")
    before = store_state(stored)
    result = invoke(tmp_path, command, str(path))
    assert requests == []
    assert result.exit_code == 2
    shown = result.stdout if command == "validate" else result.stderr
    lines = [line for line in shown.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{path}, {says}" in lines[0]
    assert store_state(stored) == before


def test_an_external_dtd_is_not_fetched_and_the_file_is_read_without_it(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    text = (RDF_DATA / "partner-events.rdf").read_text(encoding="utf-8")
    path = tmp_path / "partner-events.rdf"
    dtd = f'<!DOCTYPE rdf:RDF SYSTEM "{base}/partner.dtd" ['
    path.write_text(text.replace("<!DOCTYPE rdf:RDF [", dtd), encoding="utf-8")
    result = invoke(tmp_path, "validate", str(path))
    assert requests == []
    assert result.exit_code == 1 and '"2020-01-03" (line 15)' in result.stdout


# The locator on its own: Turtle statements are found by their terms, whatever their spelling,
# and not in comments, in strings, nor in the blank nodes a subject points to.
TURTLE = """\
@base <https://w3id.org/legalkg/id/event/> .
@prefix lkg: <https://w3id.org/legalkg/ontology#> .
@prefix ev: <https://w3id.org/legalkg/id/event/> .
# ev:meeting-2020-01-05 lkg:endDate "2020-01-03" .
<other> lkg:endDate "2020-01-03" ; lkg:note "ev:meeting-2020-01-05 lkg:endDate",
    \"\"\"<meeting-2020-01-05>
    lkg:endDate "2020-01-03" .\"\"\" .
<meeting-2020-01-05>
    a lkg:Meeting .
ev:meeting-2020-01-05 lkg:startDate "2020-01-05" ;
    lkg:place [ lkg:endDate "2020-01-03" ] ;
    lkg:endDate
        "2020-01-03" .
"""


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        (END_DATE, Literal("2020-01-03"), 13),  # the value's own line
        (RDF.type, URIRef(f"{LKG}Meeting"), 9),  # one subject, as a relative IRI and a prefixed name
        (END_DATE, Literal("1999-12-31"), 12),  # a value not written: the predicate's line
        (URIRef(f"{LKG}note"), None, 8),  # said of another node only: the subject's first line
        (None, None, 8),  # the node itself
    ],
)
def test_turtle_statements_are_found_by_their_terms(
    path: URIRef | None, value: URIRef | Literal | None, line: int
) -> None:
    wanted = [(MEETING, path, value)]
    assert statement_lines(TURTLE.encode(), ox.RdfFormat.TURTLE, "file:///partner.ttl", wanted) == [line]


@pytest.mark.parametrize(
    ("ext", "fmt", "line"),
    [
        ("ttl", ox.RdfFormat.TURTLE, 14),
        ("nt", ox.RdfFormat.N_TRIPLES, 6),
        ("jsonld", ox.RdfFormat.JSON_LD, 17),
    ],
)
def test_a_node_the_file_does_not_hold_has_no_line(ext: str, fmt: ox.RdfFormat, line: int) -> None:
    document = URIRef("https://w3id.org/legalkg/id/document/0123456789abcdef")
    data = (RDF_DATA / f"partner-events.{ext}").read_bytes()
    wanted = [(document, None, None), (MEETING, None, None)]
    assert statement_lines(data, fmt, "file:///x", wanted) == [None, line]


def test_n_triples_lines_are_matched_by_terms_not_text() -> None:
    data = (RDF_DATA / "partner-events.nt").read_bytes()
    start = Literal("2020-01-05", datatype=XSD.date)
    wanted = [
        (MEETING, END_DATE, BAD_END),
        (MEETING, URIRef(f"{LKG}startDate"), start),
        (MEETING, None, None),
    ]
    # The workshop's start date, on line 4, is written as the meeting's end date is.
    assert statement_lines(data, ox.RdfFormat.N_TRIPLES, "file:///x", wanted) == [9, 8, 6]


@pytest.mark.parametrize(
    ("ext", "fmt", "start_line", "subject_line"),
    [("jsonld", ox.RdfFormat.JSON_LD, 20, 17), ("rdf", ox.RdfFormat.RDF_XML, 17, 15)],
)
def test_json_ld_and_rdf_xml_name_a_line_only_when_the_text_is_unambiguous(
    ext: str, fmt: ox.RdfFormat, start_line: int, subject_line: int
) -> None:
    data = (RDF_DATA / f"partner-events.{ext}").read_bytes()
    start = Literal("2020-01-05", datatype=XSD.date)
    wanted = [(MEETING, URIRef(f"{LKG}startDate"), start), (MEETING, END_DATE, BAD_END)]
    # 5 January is written once: its line. 3 January is written twice: the meeting's own line.
    assert statement_lines(data, fmt, "file:///x", wanted) == [start_line, subject_line]
    again = _describe_meeting_again(data, ext)
    list(ox.parse(again, format=fmt, base_iri="file:///x"))  # still a valid file
    assert statement_lines(again, fmt, "file:///x", [(MEETING, None, None)]) == [None]


def _describe_meeting_again(data: bytes, ext: str) -> bytes:
    """The file with a second description of the meeting: its subject line is then ambiguous."""
    if ext == "jsonld":
        extra = (
            b'{"@id": "ev:meeting-2020-01-05", "rdfs:comment": "again"},\n    {\n      "@id": "ev:workshop'
        )
        return data.replace(b'{\n      "@id": "ev:workshop', extra, 1)
    extra = b'<rdf:Description rdf:about="&ev;meeting-2020-01-05"/>\n</rdf:RDF>'
    return data.replace(b"</rdf:RDF>", extra)
