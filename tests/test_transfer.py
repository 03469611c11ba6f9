"""legalkg push and pull: named graphs copied whole between any two stores, large ones in chunks,
each replaced atomically, so that a copy cut short leaves no graph half there."""

from __future__ import annotations

import shutil
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from legalkg.cli import main
from legalkg.errors import EndpointError
from legalkg.iris import Iris
from legalkg.namespaces import LKG
from legalkg.settings import RemoteOptions
from legalkg.store import EmbeddedStore, Store
from legalkg.store.remote import RemoteStore
from legalkg.store.terms import Chunk
from legalkg.transfer import _order, _read_ahead, copy_graphs

from .conftest import REPO, open_remote
from .proxy import Proxy

IRIS = Iris()


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={"LEGALKG_RETRIES": "1", **(env or {})})
    return runner.invoke(main, ["--project-dir", str(REPO), *args], catch_exceptions=False)


def same_graphs(one: Store, other: Store) -> None:
    assert one.graphs() == other.graphs()
    for name in one.graphs():
        assert isomorphic(one.graph(name), other.graph(name)), name
    assert one.sources() == other.sources()


@pytest.fixture()
def built(built_store_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "built"
    shutil.copytree(built_store_dir, copy)
    return copy


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_push_then_pull_gives_back_every_graph(
    request: pytest.FixtureRequest, kind: str, built: Path, tmp_path: Path
) -> None:
    server = open_remote(request, kind)
    # Chunks of 2,000 triples: the reference data (about 10,000) travels in several.
    pushed = invoke("--store", str(built), "push", "--to", server.location, env={"LEGALKG_CHUNK": "2000"})
    assert pushed.exit_code == 0, pushed.stderr
    assert "pushed 7 graphs" in pushed.output and "triples/s" in pushed.output
    pulled = invoke("--store", str(tmp_path / "pulled"), "pull", "--from", server.location)
    assert pulled.exit_code == 0, pulled.stderr
    original, copy = EmbeddedStore(built, read_only=True), EmbeddedStore(tmp_path / "pulled", read_only=True)
    try:
        same_graphs(original, server)
        same_graphs(original, copy)
    finally:
        original.close()
        copy.close()


def test_a_full_copy_drops_what_the_source_lacks_and_a_chosen_graph_leaves_the_rest(
    request: pytest.FixtureRequest, built: Path
) -> None:
    server = open_remote(request, "oxigraph")
    stray = IRIS.graph("f" * 16)
    server.replace_graph(stray, Graph().add((URIRef("urn:x:a"), RDFS.label, Literal("stray"))))
    source = EmbeddedStore(built, IRIS, read_only=True)
    try:
        only = copy_graphs(source, server, IRIS, graphs=[IRIS.reference_graph])
        assert [c.graph for c in only.copied] == [IRIS.reference_graph] and only.dropped == []
        assert server.graphs() == sorted([IRIS.reference_graph, stray])
        everything = copy_graphs(source, server, IRIS)
        assert everything.dropped == [stray]
        assert everything.copied[-1].graph == IRIS.sources_graph, "the catalogue comes last"
        same_graphs(source, server)
    finally:
        source.close()


def test_a_copy_cut_short_leaves_each_graph_whole(proxy: Proxy, tmp_path: Path) -> None:
    target = RemoteStore(proxy.url, IRIS, options=RemoteOptions(chunk=1000, retries=0))
    target.clear()
    old = Graph()
    for i in range(3):
        old.add((URIRef(f"urn:x:old{i}"), RDF.type, LKG.Event))
    target.replace_graph(IRIS.reference_graph, old)
    source = EmbeddedStore(tmp_path / "source", IRIS)
    big = Graph()
    for i in range(4_500):
        big.add((URIRef(f"urn:x:e{i}"), RDFS.label, Literal(f"event {i}")))
    source.replace_graph(IRIS.reference_graph, big)
    source.replace_graph(IRIS.graph("a" * 16), big)
    posts = 0

    def fails_midway(method: str, path: str) -> int | None:
        # The new graph goes in one request; the one replaced goes in chunks of 1,000 into a
        # temporary graph, and the second chunk fails.
        nonlocal posts
        if method == "POST" and "transfer-reference" in urllib.parse.unquote(path):
            posts += 1
            return 500 if posts == 2 else None
        return None

    proxy.rule = fails_midway
    with pytest.raises(EndpointError) as caught:
        copy_graphs(source, target, IRIS)
    assert caught.value.status == 500
    assert target.count(IRIS.graph("a" * 16)) in (0, 4_500), "the new graph: whole, or not there"
    assert isomorphic(target.graph(IRIS.reference_graph), old), "the replaced graph: its old version, whole"
    proxy.rule = lambda method, path: None
    reopened = RemoteStore(proxy.url, IRIS)  # drops what the cut left in staging
    assert not [g for g in reopened.graph_names() if "/staging/" in g]
    source.close()


def test_graphs_are_read_in_order_a_bounded_way_ahead_of_their_writing() -> None:
    graphs = [IRIS.graph(f"{i:016x}") for i in range(40)]
    started: list[URIRef] = []
    lock = threading.Lock()

    def read(graph: URIRef) -> list[Chunk]:
        with lock:
            started.append(graph)
        return [Chunk(1, f"<{graph}> <urn:x:p> <urn:x:o> .\n".encode())]

    with ThreadPoolExecutor(max_workers=2) as pool:
        for consumed, chunks in enumerate(_read_ahead(pool, read, graphs, ahead=4), start=1):
            assert chunks[0].body.startswith(f"<{graphs[consumed - 1]}>".encode()), "in order"
            with lock:
                assert len(started) <= consumed + 4, "no more than four graphs read ahead"
    assert sorted(started) == graphs


def test_the_large_graphs_travel_first_and_the_catalogue_last() -> None:
    sources = [IRIS.graph(f"{i:016x}") for i in range(3)]
    model = [IRIS.inferred_graph, IRIS.reference_graph, IRIS.ontology_graph]
    ordered = _order([IRIS.sources_graph, *sources, *model], IRIS)
    assert set(ordered[:3]) == set(model)
    assert ordered[3:6] == sources and ordered[-1] == IRIS.sources_graph
