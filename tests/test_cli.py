"""The command line: what people see, exit codes, and bad input refused in one line."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph

from legalkg.cli import main
from legalkg.store import EmbeddedStore

from .conftest import REPO, SAMPLE


def invoke(*args: str) -> Result:
    # A wide terminal, so that tables do not fold the words the tests look for.
    runner = CliRunner(env={"COLUMNS": "250"})
    return runner.invoke(main, ["--project-dir", str(REPO), *args], catch_exceptions=False)


def store_state(path: Path) -> set[tuple[str, ...]]:
    store = EmbeddedStore(path, read_only=True)
    try:
        return {tuple(str(t) for t in q) for q in store.quads()}
    finally:
        store.close()


@pytest.fixture()
def built(built_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the store built from the sample."""
    store = tmp_path / "store"
    shutil.copytree(built_store_dir, store)
    return store


def test_build_prints_what_was_loaded_validation_and_the_headline_answer(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = invoke("--store", str(store), "build", "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.stderr
    out = result.output
    assert f"Store: {store}" in out
    assert "ontology" in out and "reference" in out and "unodc-gfp-letn-mexico-2017.txt" in out
    assert "Validation: passed" in out
    first_question = out.index("Which sessions covered the Arms Trade Treaty?")
    answer = out[first_question:]
    for words in ("Monitoring", "2017-08-31", "Law Enforcement"):
        assert words in answer[:2000]
    dump = tmp_path / "dist" / "latest" / "legalkg.ttl.gz"
    assert len(Graph().parse(data=gzip.decompress(dump.read_bytes()), format="turtle")) > 9000


def test_build_with_no_store_option_uses_the_default_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEGALKG_STORE", raising=False)
    result = invoke("build")
    assert result.exit_code == 0, result.stderr
    assert "Store: .legalkg/store" in result.output


def test_ingesting_the_same_file_twice_leaves_the_same_graph(built: Path) -> None:
    before = store_state(built)
    result = invoke("--store", str(built), "ingest", str(SAMPLE))
    assert result.exit_code == 0
    assert "unchanged" in result.output
    assert store_state(built) == before


def test_a_changed_file_replaces_its_graph(built: Path, tmp_path: Path) -> None:
    changed = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, changed)
    with changed.open("a", encoding="utf-8") as handle:
        handle.write("\nThe conference also addressed indicator 16.4.2.\n")
    result = invoke("--store", str(built), "ingest", str(changed))
    assert result.exit_code == 0 and "replaced" in result.output
    store = EmbeddedStore(built, read_only=True)
    sources = store.sources()
    graphs = [g for g in store.graphs() if store.iris.is_source_graph(str(g))]
    store.close()
    assert list(sources) == [SAMPLE.name] and len(graphs) == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00", "is a binary file"),
        ("café".encode("latin-1"), "is not UTF-8"),
    ],
    ids=["empty", "binary", "not-utf8"],
)
@pytest.mark.parametrize("command", ["build", "ingest"])
def test_bad_input_one_line_exit_2_store_unchanged(
    built: Path, tmp_path: Path, content: bytes, problem: str, command: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = store_state(built)
    result = invoke("--store", str(built), command, str(bad))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0]
    assert "Traceback" not in result.output + result.stderr
    assert store_state(built) == before
    assert bad.read_bytes() == content, "the input is kept as it was"


def test_queries_lists_names_summaries_and_parameters() -> None:
    result = invoke("queries")
    assert result.exit_code == 0
    for name in (
        "sessions-covering-instrument",
        "events-by-agency",
        "events-in-country",
        "evidence",
        "timeline",
    ):
        assert name in result.output
    assert "instrument (iri, e.g. ATT)" in result.output


def test_query_formats(built: Path) -> None:
    result = invoke(
        "--store",
        str(built),
        "query",
        "sessions-covering-instrument",
        "-p",
        "instrument=ATT",
        "--format",
        "json",
    )
    data = json.loads(result.output)
    assert data["results"]["bindings"][0]["title"]["value"].startswith("Monitoring")
    csv = invoke(
        "--store", str(built), "query", "events-in-country", "-p", "country=MEX", "--format", "csv"
    ).output
    assert csv.splitlines()[0] == "event,start,end,city,eventIri" and len(csv.splitlines()) == 3
    md = invoke("--store", str(built), "query", "timeline", "--format", "markdown").output
    assert md.startswith("| start |") and "Law Enforcement Training Net conference" in md
    table = invoke("--store", str(built), "query", "timeline").output
    assert "Law Enforcement" in table and "https://" not in table


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["query", "sesions"], "known: awaiting-review"),
        (["query", "events-in-country", "-p", "contry=MEX"], "its parameters: country, from, to"),
        (["query", "events-in-country"], "needs the parameter 'country'"),
        (
            ["query", "events-in-country", "-p", "country=MEX", "-p", "from=last year"],
            "takes a date as YYYY-MM-DD",
        ),
    ],
)
def test_query_mistakes_are_one_line_and_exit_2(built: Path, args: list[str], says: str) -> None:
    result = invoke("--store", str(built), *args)
    assert result.exit_code == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_extract_prints_one_json_object_per_file() -> None:
    documents = Path(__file__).parent / "data" / "eval" / "documents"
    files = sorted(documents.glob("*.txt"))[:2]
    result = invoke("extract", *map(str, files), "--format", "gold-json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.output)
    assert [d["file"] for d in data] == [f.name for f in files]
    assert data[0]["events"][0]["label"] == "Law Enforcement Training Net conference"


def test_eval_prints_and_writes_scores(tmp_path: Path) -> None:
    eval_dir = Path(__file__).parent / "data" / "eval"
    out = tmp_path / "scores.json"
    result = invoke(
        "eval",
        "--gold",
        str(eval_dir / "dev-gold.json"),
        "--documents",
        str(eval_dir / "documents"),
        "--json",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    for field in ("agencies", "countries", "instruments", "sdg_targets", "events", "event.organizers"):
        assert field in result.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert set(scores["events"]) >= {"precision", "recall", "f1"}
    assert 0.0 <= scores["event.start"]["f1"] <= 1.0


def test_eval_with_a_missing_document_is_a_user_error(tmp_path: Path) -> None:
    eval_dir = Path(__file__).parent / "data" / "eval"
    (tmp_path / "docs").mkdir()
    result = invoke("eval", "--gold", str(eval_dir / "dev-gold.json"), "--documents", str(tmp_path / "docs"))
    assert result.exit_code == 2 and "lacks 15 annotated document(s)" in result.stderr


def test_generated_reports_ingest_and_score_as_they_are_written(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    written = invoke("generate", "--documents", "3", "--seed", "5", "--out", str(out))
    assert written.exit_code == 0, written.output
    gold = json.loads((out / "gold.json").read_text(encoding="utf-8"))
    assert sorted(g["file"] for g in gold) == sorted(p.name for p in (out / "documents").iterdir())
    ingested = invoke("--store", str(tmp_path / "store"), "ingest", str(out / "documents"))
    assert ingested.exit_code == 0, ingested.output
    assert "3 committed" in ingested.output
    scored = invoke(
        "eval",
        "--gold",
        str(out / "gold.json"),
        "--documents",
        str(out / "documents"),
        "--json",
        str(tmp_path / "s.json"),
    )
    assert scored.exit_code == 0, scored.output
    scores = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert min(field["f1"] for field in scores.values()) >= 0.95


def test_asserted_only_leaves_out_what_the_reasoner_inferred(built: Path) -> None:
    args = ["--store", str(built), "query", "events-addressing-sdg", "-p", "sdg=16", "--format", "csv"]
    with_inferences = invoke(*args).output
    asserted = invoke(*args, "--asserted-only").output
    assert "Monitoring, Criminalization" in with_inferences, "addressing 16.4 is addressing goal 16"
    assert "Monitoring, Criminalization" not in asserted, "no source said goal 16"


def test_reason_then_remove_a_source(built: Path) -> None:
    reasoned = invoke("--store", str(built), "reason")
    assert reasoned.exit_code == 0 and "consistent" in reasoned.output
    unknown = invoke("--store", str(built), "remove", "nowhere.txt")
    assert unknown.exit_code == 2 and "no source named nowhere.txt" in unknown.stderr
    removed = invoke("--store", str(built), "remove", SAMPLE.name)
    assert removed.exit_code == 0, removed.output
    timeline = invoke("--store", str(built), "query", "timeline", "--format", "csv").output
    assert timeline.strip().splitlines()[1:] == [], "its events are gone, asserted and inferred"
    store = EmbeddedStore(built, read_only=True)
    try:
        assert not store.select("ASK { ?e <https://w3id.org/legalkg/ontology#covers> ?i }").boolean
    finally:
        store.close()


def test_dump_writes_a_release_with_the_ontology_pages_and_keeps_it_for_the_same_graph(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    first = invoke("--store", str(built), "dump", "--out", str(out), "--endpoint", "https://example.org/sparql")
    assert first.exit_code == 0, first.stderr
    latest = (out / "latest").resolve()
    assert f"release {latest.name}" in first.output
    # The ontology's documentation, made by pyLODE from the published ontology.
    html = (latest / "ontology.html").read_text()
    assert "<html" in html and "Session" in html
    assert "<https://example.org/sparql>" in (latest / "void.ttl").read_text()
    again = invoke("--store", str(built), "dump", "--out", str(out))
    assert again.exit_code == 0 and "(unchanged)" in again.output
