"""The HTTP server, over real HTTP: SPARQL protocol and limits, dereferencing, saved queries,
dumps and VoID, validation, and ingest only with the token."""

from __future__ import annotations

import csv
import io
import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from legalkg.namespaces import VOID
from legalkg.server import ServerOptions
from legalkg.store import EmbeddedStore
from tests.conftest import DATA, LiveServer, make_settings, start_server

pytestmark = pytest.mark.slow

ATT = "https://w3id.org/legalkg/id/instrument/att"
SESSION = "/id/event/law-enforcement-training-net-conference-2017-08-30/session/5"
BAD_FILE = DATA / "quarantine" / "partner-events.ttl"


def request(
    url: str, *, accept: str | None = None, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    all_headers = {**({"Accept": accept} if accept else {}), **(headers or {})}
    req = urllib.request.Request(url, data=data, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def sparql_get(server: LiveServer, query: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    return request(f"{server.url}/sparql?{urllib.parse.urlencode({'query': query})}", accept=accept)


def multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+json", lambda b: int(json.loads(b)["results"]["bindings"][0]["n"]["value"]) > 9000),
        ("application/sparql-results+xml", lambda b: b.startswith(b"<?xml") and b"<sparql" in b),
        ("text/csv", lambda b: int(b.decode().splitlines()[1]) > 9000),
        ("text/tab-separated-values", lambda b: b.decode().splitlines()[0].strip() in ("n", "?n")),
    ],
)
def test_select_answers_in_the_format_asked(live_server: LiveServer, accept: str, check: object) -> None:
    status, headers, body = sparql_get(live_server, COUNT, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    assert check(body)  # type: ignore[operator]


def test_post_by_form_and_by_body(live_server: LiveServer) -> None:
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = request(
        f"{live_server.url}/sparql", data=form, accept="text/csv",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and int(body.decode().splitlines()[1]) > 9000
    status, _, body = request(
        f"{live_server.url}/sparql", data=COUNT.encode(), accept="application/sparql-results+json",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 200 and json.loads(body)["head"]["vars"] == ["n"]


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")])
def test_construct_answers_as_rdf(live_server: LiveServer, accept: str, fmt: str) -> None:
    query = f"CONSTRUCT {{ <{ATT}> ?p ?o }} WHERE {{ <{ATT}> ?p ?o }}"
    status, _, body = sparql_get(live_server, query, accept)
    assert status == 200
    assert len(Graph().parse(data=body, format=fmt)) > 5


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE SILENT <http://example.org/> { ?s ?p ?o } } } } }",
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "DROP ALL",
    ],
)
def test_updates_and_service_are_refused(live_server: LiveServer, query: str) -> None:
    status, _, body = sparql_get(live_server, query, "application/sparql-results+json")
    assert status == 403 and json.loads(body)["error"] == "query_refused"


def test_the_word_service_in_a_string_is_no_service(live_server: LiveServer) -> None:
    status, _, _ = sparql_get(live_server, 'SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE <x>', "text/csv")
    assert status == 200


def test_rows_past_the_limit_are_cut_and_said_so(live_server: LiveServer) -> None:
    status, headers, body = sparql_get(live_server, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert status == 200 and headers.get("x-result-truncated") == "true"
    assert len(body.decode().splitlines()) == 1 + 500


def test_a_query_past_its_time_limit_is_stopped(built_store_dir: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(built_store_dir, read_only=True)
    server = start_server(make_settings(tmp_path), store, ServerOptions(timeout=0.5, row_limit=10**9))
    try:
        status, _, body = sparql_get(server, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "text/csv")
        assert status == 503 and json.loads(body)["error"] == "query_timeout"
    finally:
        server.stop()
        store.close()


def test_an_iri_dereferences_by_content_negotiation(live_server: LiveServer) -> None:
    status, headers, body = request(f"{live_server.url}/id/instrument/att", accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert (URIRef(ATT), None, None) in graph and (None, None, URIRef(ATT)) in graph
    for accept, fmt in (("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        status, _, body = request(f"{live_server.url}/id/instrument/att", accept=accept)
        assert status == 200 and len(Graph().parse(data=body, format=fmt)) == len(graph)
    status, _, body = request(f"{live_server.url}/id/instrument/att", accept="text/html,*/*;q=0.8")
    page = body.decode()
    assert status == 200 and "<h1 id=\"label\">ATT</h1>" in page
    assert ">Legal instrument<" in page or "LegalInstrument" in page


def test_a_page_shows_labels_and_the_sentence_a_fact_was_read_from(live_server: LiveServer) -> None:
    status, _, body = request(f"{live_server.url}{SESSION}", accept="text/html")
    page = body.decode()
    assert status == 200
    assert "Monitoring, Criminalization and Investigation of Firearms Trafficking" in page
    assert 'id="evidence"' in page and "<blockquote>" in page
    assert 'href="/id/document/' in page  # the source of the sentence
    assert 'href="/id/instrument/att">ATT</a>' in page  # a label, not a bare IRI


def test_an_unknown_iri_is_404(live_server: LiveServer) -> None:
    status, _, body = request(f"{live_server.url}/id/instrument/no-such-thing", accept="text/turtle")
    assert status == 404 and json.loads(body)["error"] == "not_found"


def test_saved_queries_run_from_the_web_with_downloads_and_a_permanent_link(live_server: LiveServer) -> None:
    status, _, body = request(f"{live_server.url}/queries")
    assert status == 200 and "sessions-covering-instrument" in body.decode()
    status, _, body = request(f"{live_server.url}/queries/sessions-covering-instrument?instrument=ATT&run=1")
    page = body.decode()
    assert status == 200 and "Monitoring, Criminalization" in page
    assert 'id="permalink" href="/queries/sessions-covering-instrument?instrument=ATT&amp;run=1"' in page
    status, headers, body = request(f"{live_server.url}/queries/sessions-covering-instrument.csv?instrument=ATT")
    assert status == 200 and "attachment" in headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and rows[0]["title"].startswith("Monitoring")
    status, _, body = request(f"{live_server.url}/queries/sessions-covering-instrument.json?instrument=ATT")
    assert status == 200 and json.loads(body)["results"]["bindings"]
    status, _, body = request(f"{live_server.url}/queries/sesions", accept="application/json")
    assert status == 404 and "sessions-covering-instrument" in json.loads(body)["message"]


def test_dumps_and_void_are_served(live_server: LiveServer, published_dir: Path) -> None:
    latest = (published_dir / "latest").resolve()
    status, _, body = request(f"{live_server.url}/dumps", accept="application/json")
    assert status == 200 and json.loads(body)["releases"][0]["version"] == latest.name
    status, _, body = request(f"{live_server.url}/dumps/{latest.name}/legalkg.nt.gz")
    assert status == 200 and body == (latest / "legalkg.nt.gz").read_bytes()
    status, _, _ = request(f"{live_server.url}/dumps/{latest.name}/..%2F..%2Fetc%2Fpasswd")
    assert status == 404
    status, _, body = request(f"{live_server.url}/.well-known/void", accept="text/turtle")
    void = Graph().parse(data=body, format="turtle")
    assert status == 200 and URIRef(f"{live_server.url}/sparql") in set(void.objects(None, VOID.sparqlEndpoint))


def test_validate_reports_on_an_upload_and_writes_nothing(live_server: LiveServer, sample_store: EmbeddedStore) -> None:
    before = sample_store.count()
    body, kind = multipart(BAD_FILE)
    status, _, answer = request(f"{live_server.url}/validate", data=body, accept="text/html", headers={"Content-Type": kind})
    page = answer.decode()
    assert status == 200 and "violation" in page and "endDate" in page
    status, _, answer = request(
        f"{live_server.url}/validate", data=body, accept="application/json", headers={"Content-Type": kind}
    )
    assert status == 200 and json.loads(answer)["files"][0]["conforms"] is False
    assert sample_store.count() == before


@pytest.fixture()
def writable_server(built_store_dir: Path, tmp_path: Path) -> Iterator[LiveServer]:
    copy = tmp_path / "store"
    shutil.copytree(built_store_dir, copy)
    store = EmbeddedStore(copy)
    server = start_server(make_settings(tmp_path, store=str(copy)), store, ServerOptions(token="s3cret"))
    yield server
    server.stop()
    store.close()


def test_ingest_needs_the_token(live_server: LiveServer, writable_server: LiveServer, tmp_path: Path) -> None:
    good = tmp_path / "partner-events.ttl"
    good.write_text(BAD_FILE.read_text().replace('"2020-01-03"', '"2020-01-07"'))
    body, kind = multipart(good)
    status, _, _ = request(f"{live_server.url}/ingest", data=body, headers={"Content-Type": kind})
    assert status == 403  # a server without a token writes nothing
    status, _, _ = request(f"{writable_server.url}/ingest", data=body, headers={"Content-Type": kind})
    assert status == 401
    wrong = {"Content-Type": kind, "Authorization": "Bearer guess"}
    assert request(f"{writable_server.url}/ingest", data=body, headers=wrong)[0] == 401
    right = {"Content-Type": kind, "Authorization": "Bearer s3cret"}
    status, _, answer = request(f"{writable_server.url}/ingest", data=body, headers=right)
    assert status == 200, answer
    assert json.loads(answer)["outcomes"][0]["status"] == "committed"
    status, _, _ = request(f"{writable_server.url}/id/event/meeting-2020-01-05", accept="text/turtle")
    assert status == 200


def test_the_ontology_has_its_documentation_and_the_context_its_address(
    built_store_dir: Path, tmp_path: Path
) -> None:
    from legalkg.iris import Iris
    from legalkg.publish import dump

    store = EmbeddedStore(built_store_dir, read_only=True)
    dump(store, tmp_path / "dist", Iris())  # with the ontology's pages
    server = start_server(make_settings(tmp_path), store, ServerOptions(dist_dir=tmp_path / "dist"))
    try:
        status, _, body = request(f"{server.url}/ontology", accept="text/html")
        assert status == 200 and b"pyLODE" in body
        status, _, body = request(f"{server.url}/ontology", accept="text/turtle")
        assert status == 200 and len(Graph().parse(data=body, format="turtle")) > 0
        status, _, body = request(f"{server.url}/context.jsonld")
        assert status == 200 and json.loads(body)["@context"]["lkg"] == "https://w3id.org/legalkg/ontology#"
    finally:
        server.stop()
        store.close()


def test_legalkg_serve_listens_on_the_loopback_and_opens_the_store_read_only(
    built_store_dir: Path, tmp_path: Path
) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "LEGALKG_TOKEN"}
    command = [sys.executable, "-m", "legalkg", "--store", str(built_store_dir), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, body = request(f"http://127.0.0.1:{port}/id/instrument/att", accept="text/turtle")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert status == 200 and b"Arms Trade Treaty" in body
        # A read-only store: another process may still open it to read while the server runs.
        other = EmbeddedStore(built_store_dir, read_only=True)
        other.close()
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert f"http://127.0.0.1:{port}" in output


def test_the_server_answers_the_same_on_a_remote_store(
    oxigraph_url: str, live_server: LiveServer, built_store_dir: Path, published_dir: Path
) -> None:
    """The same pages, saved queries and SPARQL answers from a graph held by an Oxigraph server."""
    from legalkg.iris import Iris
    from legalkg.store.remote import RemoteStore
    from legalkg.transfer import copy_graphs

    remote = RemoteStore(oxigraph_url, Iris())
    remote.clear()
    local = EmbeddedStore(built_store_dir, read_only=True)
    copy_graphs(local, remote, local.iris)
    local.close()
    settings = make_settings(built_store_dir.parent, dist_dir=published_dir)
    served = start_server(settings, remote, ServerOptions(row_limit=500, timeout=5.0, dist_dir=published_dir))
    try:
        for path, accept in (
            ("/id/instrument/att", "text/turtle"),
            ("/queries/sessions-covering-instrument.csv?instrument=ATT", "text/csv"),
        ):
            here, there = request(live_server.url + path, accept=accept), request(served.url + path, accept=accept)
            assert there[0] == here[0] == 200
            if accept == "text/turtle":
                theirs, ours = (Graph().parse(data=body, format="turtle") for body in (there[2], here[2]))
                assert isomorphic(theirs, ours)
            else:
                assert sorted(there[2].decode().splitlines()) == sorted(here[2].decode().splitlines())
        status, _, page = request(served.url + SESSION, accept="text/html")
        assert status == 200 and "<blockquote>" in page.decode(), "the sentence a fact was read from"
        counts = [sparql_get(s, COUNT, "text/csv")[2].decode().splitlines()[1] for s in (live_server, served)]
        assert counts[0] == counts[1]
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, _ = request(f"{served.url}/sparql", data=b"update=DROP+ALL", headers=form)
        assert status in (400, 403) and remote.count() > 9000, "read-only on a remote store too"
    finally:
        served.stop()
        remote.close()


def test_a_request_past_a_size_limit_is_refused_with_the_reason(
    built_store_dir: Path, published_dir: Path
) -> None:
    store = EmbeddedStore(built_store_dir, read_only=True)
    settings = make_settings(built_store_dir.parent, dist_dir=published_dir)
    options = ServerOptions(max_query_string=200, max_body=1000, dist_dir=published_dir)
    served = start_server(settings, store, options)
    try:
        status, _, body = sparql_get(served, COUNT + " " * 300, "application/sparql-results+json")
        assert status == 414 and "by POST" in json.loads(body)["message"]
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, body = request(f"{served.url}/sparql", data=b"query=" + b"x" * 2000, headers=form)
        assert status == 413 and "1,000 bytes" in json.loads(body)["message"]
        # A body that does not say its length is counted as it arrives.
        pieces = iter([b"query=", b"x" * 600, b"y" * 600])
        req = urllib.request.Request(f"{served.url}/sparql", data=pieces, headers={**form, "Accept": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, timeout=30)
        assert refused.value.code == 413 and "1,000 bytes" in json.loads(refused.value.read())["message"]
        status, _, _ = sparql_get(served, COUNT, "text/csv")
        assert status == 200, "a request within the limits is served"
    finally:
        served.stop()
        store.close()
