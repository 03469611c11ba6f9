"""The remote store over a network: endpoints, retries, timeouts, credentials and the servers'
other graphs. The servers are real (Oxigraph, Virtuoso when installed); what the network does
to requests is played by a real HTTP proxy in front of them (tests/proxy.py)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from legalkg.cli import main
from legalkg.errors import EndpointError, UsageError
from legalkg.iris import Iris
from legalkg.namespaces import LKG
from legalkg.settings import RemoteOptions, Settings
from legalkg.store import open_store
from legalkg.store.endpoint import FLAVOURS, GENERIC, derive_endpoints, without_credentials
from legalkg.store.remote import RemoteStore

from .conftest import REPO, free_port, open_remote
from .proxy import Proxy

IRIS = Iris()
QUICK = {"LEGALKG_RETRIES": "1", "COLUMNS": "250"}
SECRET = "s3cret-Passw0rd"
TOKEN = "t0ken-abcdef-123456"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={**QUICK, **(env or {})})
    return runner.invoke(main, ["--project-dir", str(REPO), *args], catch_exceptions=False)


def labelled(n: int) -> Graph:
    graph = Graph()
    for i in range(n):
        node = URIRef(f"https://w3id.org/legalkg/id/event/e{i}")
        graph.add((node, RDF.type, LKG.Event))
        graph.add((node, RDFS.label, Literal(f"event {i}")))
    return graph


# -- endpoints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "flavour", "expected"),
    [
        ("http://h:7878", "oxigraph", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        (
            "http://h:7878/query",
            "oxigraph",
            ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ),
        (
            "http://h:3030/ds/query",
            "fuseki",
            ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
        ),
        (
            "http://h:3030/ds/sparql",
            "fuseki",
            ("http://h:3030/ds/sparql", "http://h:3030/ds/sparql", "http://h:3030/ds/data"),
        ),
        (
            "http://h:8890/sparql",
            "virtuoso",
            ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
        ),
        (
            "http://h:8890/sparql-auth",
            "virtuoso",
            (
                "http://h:8890/sparql-auth",
                "http://h:8890/sparql-auth",
                "http://h:8890/sparql-graph-crud-auth",
            ),
        ),
        (
            "http://h:7200/repositories/kg",
            "graphdb",
            (
                "http://h:7200/repositories/kg",
                "http://h:7200/repositories/kg/statements",
                "http://h:7200/repositories/kg/rdf-graphs/service",
            ),
        ),
        (
            "https://n.example:8182/sparql",
            "generic",
            ("https://n.example:8182/sparql", "https://n.example:8182/sparql", None),
        ),
    ],
)
def test_endpoints_follow_each_servers_layout(url: str, flavour: str, expected: tuple[str, ...]) -> None:
    found = derive_endpoints(url, RemoteOptions(), FLAVOURS.get(flavour, GENERIC))
    assert (found.query, found.update, found.graph_store) == expected


def test_endpoints_set_by_hand_win() -> None:
    options = RemoteOptions(update="http://u/up", graph_store="http://g/gsp")
    found = derive_endpoints("http://h:8890/sparql", options, FLAVOURS["virtuoso"])
    assert (found.query, found.update, found.graph_store) == (
        "http://h:8890/sparql",
        "http://u/up",
        "http://g/gsp",
    )


def test_credentials_in_a_url_leave_the_location() -> None:
    assert without_credentials("https://ann:pa%40ss@h.example:8890/sparql") == (
        "https://h.example:8890/sparql",
        "ann",
        "pa@ss",
    )


# -- the server's other graphs, and its default graph -----------------------------------------------


@pytest.mark.parametrize("kind", ["oxigraph", "oxigraph-union", "virtuoso"])
def test_the_servers_other_graphs_are_left_alone(request: pytest.FixtureRequest, kind: str) -> None:
    store = open_remote(request, kind)
    other = "http://example.org/not-legalkg"
    store.update(f"INSERT DATA {{ GRAPH <{other}> {{ <http://example.org/a> <http://example.org/b> 1 }} }}")
    try:
        reopened = RemoteStore(store.location, IRIS)  # finds out afresh what the default graph is
        reopened.replace_graph(IRIS.reference_graph, labelled(2))
        assert reopened.graphs() == [IRIS.reference_graph]
        assert reopened.count() == 4
        assert len(reopened.select("SELECT * WHERE { ?s ?p ?o }")) == 4
        reopened.clear()
        assert reopened._select(f"ASK {{ GRAPH <{other}> {{ ?s ?p ?o }} }}").boolean, "still on the server"
    finally:
        store.update(f"DROP SILENT GRAPH <{other}>")


@pytest.mark.parametrize(
    ("kind", "union"), [("oxigraph", False), ("oxigraph-union", True), ("virtuoso", False)]
)
def test_the_servers_default_graph_is_used_when_it_is_the_union(
    request: pytest.FixtureRequest, kind: str, union: bool
) -> None:
    store = open_remote(request, kind)
    store.replace_graph(IRIS.reference_graph, labelled(1))
    assert store._union_default() is union


# -- a network that fails -----------------------------------------------------------------------


def test_an_unreachable_server_is_one_line_and_exit_2() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke("--store", url, "query", "sessions-covering-instrument", "-p", "instrument=ATT")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{url}/query" in lines[0] and "connection refused" in lines[0] and "2 attempts" in lines[0]


def test_502_503_and_504_are_retried(proxy: Proxy) -> None:
    failures = [502, 503, 504]
    proxy.rule = lambda method, path: failures.pop(0) if failures else None
    started = time.monotonic()
    store = RemoteStore(proxy.url, IRIS, options=RemoteOptions(retries=3))
    assert [s.method for s in proxy.seen[:4]] == ["GET"] * 4, "one question, asked four times"
    assert time.monotonic() - started >= 0.5 + 1 + 2, "with a doubling pause"
    store.replace_graph(IRIS.reference_graph, labelled(3))
    assert store.count(IRIS.reference_graph) == 6


def test_a_gateway_that_keeps_failing_is_one_line_naming_the_endpoint_and_status(proxy: Proxy) -> None:
    proxy.rule = lambda method, path: 503
    result = invoke("--store", proxy.url, "query", "sessions-covering-instrument", "-p", "instrument=ATT")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"legalkg: endpoint {proxy.url}/query (HTTP 503): the proxy answers 503 (gave up after 2 attempts)"
    )


def test_a_server_error_is_not_retried(proxy: Proxy) -> None:
    proxy.rule = lambda method, path: 500
    with pytest.raises(EndpointError) as caught:
        RemoteStore(proxy.url, IRIS)
    assert caught.value.status == 500 and len(proxy.seen) == 1


def test_a_slow_answer_times_out(proxy: Proxy) -> None:
    proxy.delay = 2.0
    with pytest.raises(EndpointError, match=r"no answer within 0.5 s"):
        RemoteStore(proxy.url, IRIS, options=RemoteOptions(timeout=0.5))


def test_long_queries_go_by_post_short_ones_by_get(proxy: Proxy) -> None:
    store = RemoteStore(proxy.url, IRIS)
    store.replace_graph(IRIS.reference_graph, labelled(2))
    proxy.seen.clear()
    store.select("ASK { ?s ?p ?o }", graphs=[IRIS.reference_graph])
    assert proxy.seen[-1].method == "GET"
    many = [URIRef(f"https://w3id.org/legalkg/id/event/e{i}") for i in range(200)]
    assert len(store.facts(many, [RDF.type])) == 2
    assert proxy.seen[-1].method == "POST"
    assert proxy.seen[-1].content_type == "application/x-www-form-urlencoded"
    store.update("DROP SILENT GRAPH <https://w3id.org/legalkg/graph/nothing>")
    assert (proxy.seen[-1].method, proxy.seen[-1].content_type) == (
        "POST",
        "application/x-www-form-urlencoded",
    )


# -- credentials --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "env"),
    [
        (("basic", f"ann:{SECRET}"), {"LEGALKG_USER": "ann", "LEGALKG_PASSWORD": SECRET}),
        (
            ("digest", f"ann:{SECRET}"),
            {"LEGALKG_USER": "ann", "LEGALKG_PASSWORD": SECRET, "LEGALKG_AUTH": "digest"},
        ),
        (("bearer", TOKEN), {"LEGALKG_TOKEN": TOKEN}),
    ],
    ids=["basic", "digest", "bearer"],
)
def test_credentials_from_the_environment_open_the_server(
    proxy: Proxy, auth: tuple[str, str], env: dict[str, str]
) -> None:
    proxy.auth = auth
    result = invoke("--store", proxy.url, "build", env=env)
    assert result.exit_code == 0, result.stderr
    assert "Validation: passed" in result.output
    refused = invoke("--store", proxy.url, "-vv", "query", "timeline", env={})
    assert refused.exit_code == 2
    assert "refused the credentials" in refused.stderr and "(HTTP 401)" in refused.stderr


def test_credentials_from_the_config_file(proxy: Proxy, tmp_path: Path) -> None:
    proxy.auth = ("basic", f"ann:{SECRET}")
    config = tmp_path / "legalkg.toml"
    config.write_text(
        f'store = "{proxy.url}"\n\n[remote]\nuser = "ann"\npassword = "{SECRET}"\nretries = 0\n'
    )
    result = invoke("--config", str(config), "build")
    assert result.exit_code == 0, result.stderr


def test_secrets_are_never_printed(proxy: Proxy) -> None:
    proxy.auth = ("basic", "ann:another-password")
    env = {"LEGALKG_USER": "ann", "LEGALKG_PASSWORD": SECRET, "LEGALKG_TOKEN": TOKEN}
    for args in (["-vv", "--store", proxy.url, "query", "timeline"], ["--help"], ["push", "--help"]):
        result = invoke(*args, env=env)
        assert SECRET not in result.output + result.stderr and TOKEN not in result.output + result.stderr
    settings = Settings.from_environment(env)
    assert SECRET not in repr(settings) and TOKEN not in repr(settings)


def test_settings_come_from_options_then_the_environment_then_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "legalkg.toml"
    config.write_text(
        'store = "http://file:7878"\n[remote]\nquery = "http://file/q"\nupdate = "http://file/u"\n'
        'timeout = 30\ndefault-graph = "union"\n'
    )
    env = {"LEGALKG_CONFIG": str(config), "LEGALKG_UPDATE_ENDPOINT": "http://env/u", "LEGALKG_RETRIES": "5"}
    settings = Settings.from_environment(env, remote_query="http://option/q")
    assert settings.store == "http://file:7878"
    assert (settings.remote.query, settings.remote.update) == ("http://option/q", "http://env/u")
    assert (settings.remote.timeout, settings.remote.retries, settings.remote.default_graph) == (
        30.0,
        5,
        "union",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[remote]\nusr = 'x'\n", "unknown setting(s) remote.usr"),
        ("[remote]\ntimeout = 'soon'\n", "timeout must be a float"),
        ("[remote]\nauth = 'kerberos'\n", "auth is basic or digest"),
        ("store = \n", "not a readable TOML config file"),
    ],
)
def test_a_bad_config_file_is_one_line_and_exit_2(tmp_path: Path, text: str, says: str) -> None:
    config = tmp_path / "legalkg.toml"
    config.write_text(text)
    with pytest.raises(UsageError, match=re.escape(says)):
        Settings.from_environment({}, config=config)
    result = invoke("--config", str(config), "queries")
    assert result.exit_code == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_open_store_takes_a_url(oxigraph_url: str) -> None:
    store = open_store(oxigraph_url, IRIS, read_only=True)
    assert isinstance(store, RemoteStore) and store.location == oxigraph_url
    with pytest.raises(Exception, match="read-only"):
        store.update("DROP SILENT GRAPH <urn:x:y>")
