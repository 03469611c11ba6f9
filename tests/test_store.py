"""The Store contract: every implementation passes the same tests (one parametrized fixture):
the embedded store, on disk and in memory, and the remote store on real servers: Oxigraph with
its own default graph, Oxigraph with the union of its graphs as default graph, and Virtuoso when
it is installed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from legalkg.assets import Assets
from legalkg.errors import StoreError
from legalkg.iris import Iris
from legalkg.namespaces import LKG
from legalkg.pipeline import Pipeline
from legalkg.store import EmbeddedStore, SourceRecord, Store
from legalkg.store.remote import RemoteStore
from legalkg.store.terms import Chunk, ntriples_chunks, resized, to_ox

from .conftest import make_settings, open_remote

IRIS = Iris()
EX = "https://w3id.org/legalkg/id/"
KINDS = ["embedded", "memory", "oxigraph", "oxigraph-union", "virtuoso"]
Opener = Callable[[], Store]


@pytest.fixture(params=KINDS)
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens the same store, as often as asked; a server starts empty of legalkg's graphs."""
    if request.param == "embedded":
        return lambda: EmbeddedStore(tmp_path / "store", IRIS)
    if request.param == "memory":  # keeps nothing once closed: each opening is a new store
        return lambda: EmbeddedStore(None, IRIS)
    first = open_remote(request, request.param, chunk=1000)
    url, options = first.connection.url, first.options
    return lambda: RemoteStore(url, IRIS, options=options)


@pytest.fixture()
def store(opener: Opener) -> Iterator[Store]:
    opened = opener()
    yield opened
    opened.close()


def source_graph(n: int, label: str = "event") -> Graph:
    graph = Graph()
    for i in range(n):
        node = URIRef(f"{EX}event/e{i}")
        graph.add((node, RDF.type, LKG.Event))
        graph.add((node, RDFS.label, Literal(f'{label} {i} with "quotes" and ünïcode', lang="en")))
    return graph


def record(key: str, name: str, triples: int) -> SourceRecord:
    return SourceRecord(
        graph=IRIS.graph(key),
        document=IRIS.document(key),
        name=name,
        sha256=key * 4,
        media_type="text/plain",
        loaded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        triples=triples,
    )


def test_replace_graph_holds_exactly_the_new_triples(store: Store) -> None:
    g = IRIS.reference_graph
    store.replace_graph(g, source_graph(5, "old"))
    store.replace_graph(g, source_graph(3, "new"))
    assert isomorphic(store.graph(g), source_graph(3, "new"))
    assert store.count(g) == 6


def test_commit_source_writes_the_graph_and_its_catalogue_entry(store: Store) -> None:
    graph = source_graph(4)
    store.commit_source(record("a" * 16, "report.txt", len(graph)), graph, [])
    assert isomorphic(store.graph(IRIS.graph("a" * 16)), graph)
    assert store.sources() == {"report.txt": IRIS.graph("a" * 16)}
    assert IRIS.sources_graph in store.graphs()


def test_a_changed_source_replaces_its_old_graph(store: Store) -> None:
    store.commit_source(record("a" * 16, "report.txt", 8), source_graph(4), [])
    store.commit_source(record("b" * 16, "report.txt", 4), source_graph(2), [IRIS.graph("a" * 16)])
    assert IRIS.graph("a" * 16) not in store.graphs()
    assert store.sources() == {"report.txt": IRIS.graph("b" * 16)}
    assert store.count(IRIS.graph("b" * 16)) == 4


def test_places_are_kept_once_for_all_sources_and_outlive_them(store: Store) -> None:
    vienna = URIRef("https://sws.geonames.org/2761369/")
    places = Graph()
    places.add((vienna, RDF.type, LKG.City))
    places.add((vienna, RDFS.label, Literal("Vienna")))
    store.commit_source(record("a" * 16, "one.txt", 2), source_graph(1), [], places)
    store.commit_source(record("b" * 16, "two.txt", 2), source_graph(1, "x"), [], places)
    assert isomorphic(store.graph(IRIS.places_graph), places)
    assert store.count(IRIS.graph("a" * 16)) == 2, "the source's graph holds only its own triples"
    store.drop_graphs([IRIS.graph("a" * 16), IRIS.graph("b" * 16)])
    assert store.count(IRIS.places_graph) == 2


def test_optimize_after_many_writes_keeps_every_graph_as_it_was(store: Store) -> None:
    for n in range(30):
        store.commit_source(record(f"{n:016x}", f"{n}.txt", 2), source_graph(2, f"s{n}"), [])
    store.drop_graphs([IRIS.graph(f"{n:016x}") for n in range(0, 30, 2)])
    before = {g: store.graph(g) for g in store.graphs()}
    store.optimize()
    assert {g: store.graph(g) for g in store.graphs()}.keys() == before.keys()
    assert all(isomorphic(store.graph(g), graph) for g, graph in before.items())
    assert len(store.sources()) == 15


def test_drop_graphs_removes_graphs_and_their_entries(store: Store) -> None:
    store.commit_source(record("a" * 16, "one.txt", 2), source_graph(1), [])
    store.commit_source(record("b" * 16, "two.txt", 2), source_graph(1, "x"), [])
    store.drop_graphs([IRIS.graph("a" * 16)])
    assert store.sources() == {"two.txt": IRIS.graph("b" * 16)}


def test_select_binds_terms_and_reads_the_union_by_default(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(3))
    answer = store.select(
        "SELECT ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        {"e": URIRef(f"{EX}event/e1")},
    )
    assert [str(row["label"]) for row in answer] == ['event 1 with "quotes" and ünïcode']
    assert answer.rows[0]["label"].language == "en"  # type: ignore[union-attr]


def test_select_on_chosen_graphs_only(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(2))
    store.replace_graph(IRIS.ontology_graph, source_graph(5, "onto"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(store.select(count, graphs=[IRIS.reference_graph]).rows[0]["n"]) == 4  # type: ignore[arg-type]
    assert int(store.select(count).rows[0]["n"]) == 14  # type: ignore[arg-type]


def test_construct_returns_a_graph(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(2))
    graph = store.construct("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }")
    assert len(graph) == 2


def test_facts_of_nodes_from_every_graph(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(2))
    e0 = URIRef(f"{EX}event/e0")
    facts = store.facts([e0, URIRef(f"{EX}event/none")], [RDF.type])
    assert set(facts) == {(e0, RDF.type, LKG.Event)}
    labelled = store.facts([e0], [RDF.type, RDFS.label])
    assert len(labelled) == 2 and (e0, RDFS.label, None) in labelled


def test_dump_writes_every_triple_once(store: Store, tmp_path: Path) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(3))
    store.replace_graph(IRIS.ontology_graph, source_graph(3))  # the same triples in two graphs
    path = tmp_path / "dump.ttl"
    store.dump(path, "text/turtle")
    dumped = Graph().parse(path, format="turtle")
    assert isomorphic(dumped, source_graph(3))


def test_a_leftover_staging_graph_is_dropped_when_the_store_opens(
    opener: Opener, request: pytest.FixtureRequest
) -> None:
    if request.node.callspec.params["opener"] == "memory":
        pytest.skip("a store in memory is empty when opened again: it has nothing left over to drop")
    first = opener()
    staging = URIRef(f"{IRIS.base}graph/staging/{'c' * 16}")
    first.replace_graph(staging, source_graph(2))
    first.close()
    reopened = opener()
    assert staging not in reopened.graphs()
    reopened.close()


def test_a_source_graph_written_without_its_catalogue_entry_is_dropped_when_the_store_opens(
    tmp_path: Path,
) -> None:
    # An ingest writes new sources' graphs, then their catalogue entries: killed in between,
    # it leaves graphs of sources that were never committed.
    store = EmbeddedStore(tmp_path / "store", IRIS)
    store.commit_source(record("a" * 16, "kept.txt", 4), source_graph(2), [])
    half = record("b" * 16, "half.txt", 6)
    triples = [tuple(map(to_ox, t)) for t in source_graph(3, "half")]
    store.add_sources(store.source_quads([(half, triples)]), removed={})  # type: ignore[list-item]
    assert store.count(half.graph) == 6
    store.close()
    reopened = EmbeddedStore(tmp_path / "store", IRIS)
    assert half.graph not in reopened.graphs()
    assert reopened.count(IRIS.graph("a" * 16)) == 4
    assert reopened.sources() == {"kept.txt": IRIS.graph("a" * 16)}
    reopened.close()


def test_select_on_no_graph_reads_nothing(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(2))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(store.select(count, graphs=[]).rows[0]["n"]) == 0  # type: ignore[arg-type]


def test_a_query_on_chosen_graphs_still_sees_every_named_graph(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(1))
    store.replace_graph(IRIS.ontology_graph, source_graph(1, "onto"))
    query = "SELECT DISTINCT ?g WHERE { ?s a ?t . GRAPH ?g { ?s a ?t } }"
    answer = store.select(query, graphs=[IRIS.reference_graph])
    assert sorted(answer.column("g")) == [IRIS.ontology_graph, IRIS.reference_graph]  # type: ignore[type-var]


def test_ask_and_construct_with_bindings(store: Store) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(3))
    e2 = URIRef(f"{EX}event/e2")
    assert store.select("ASK { ?e a ?t }", {"e": e2}).boolean is True
    assert store.select("ASK { ?e a ?t }", {"e": URIRef(f"{EX}event/none")}).boolean is False
    described = store.construct("CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }", {"e": e2})
    assert len(described) == 2 and (e2, RDF.type, LKG.Event) in described


def test_a_graph_larger_than_a_request_or_an_answer_travels_whole(store: Store) -> None:
    # More triples than a chunk (1000 on the servers here) and than Virtuoso's row cap (10,000),
    # with blank nodes, whose labels hold only within one request.
    graph = source_graph(6_000)
    for i in range(50):
        node = BNode()
        graph.add((URIRef(f"{EX}event/e{i}"), LKG.hasPart, node))
        graph.add((node, RDFS.label, Literal(f"part {i}")))
    store.replace_graph(IRIS.reference_graph, graph)
    assert store.count(IRIS.reference_graph) == len(graph) == 12_100
    assert isomorphic(store.graph(IRIS.reference_graph), graph)
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(rows) == 12_100, "an answer capped by the server is read page by page"


def with_blank_nodes(n: int) -> Graph:
    graph = source_graph(n)
    for i in range(5):
        node = BNode()
        graph.add((URIRef(f"{EX}event/e{i}"), LKG.hasPart, node))
        graph.add((node, RDFS.label, Literal(f"part _:b{i} .")))  # a literal that looks like one
    return graph


def test_graphs_travel_between_stores_as_chunks(store: Store) -> None:
    graph = with_blank_nodes(1_500)
    store.replace_graph(IRIS.graph("d" * 16), graph)
    chunks = list(store.export_chunks(IRIS.graph("d" * 16), 700))
    assert [c.triples for c in chunks[:-1]] == [700] * 4 and chunks[-1].blank, "blank nodes travel together"
    assert sum(c.triples for c in chunks) == len(graph)
    store.replace_chunks(IRIS.graph("e" * 16), chunks, exists=False)
    assert isomorphic(store.graph(IRIS.graph("e" * 16)), graph)
    store.replace_chunks(IRIS.graph("e" * 16), chunks[:1], exists=True)
    assert store.count(IRIS.graph("e" * 16)) == 700
    store.replace_chunks(IRIS.graph("e" * 16), [])
    assert IRIS.graph("e" * 16) not in store.graphs()


def test_ntriples_text_is_cut_by_lines_with_the_blank_nodes_apart() -> None:
    text = (
        b"<urn:a> <urn:p> \"x _:b .\" .\n"
        b"_:b1 <urn:p> <urn:a> .\n"
        b"<urn:a> <urn:p> _:b2 .\n"
        b"<urn:a> <urn:q> \"y\"@en .\n"
        b"<urn:b> <urn:q> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
    )
    chunks = list(ntriples_chunks(text, 2))
    assert [(c.triples, c.blank) for c in chunks] == [(2, False), (1, False), (2, True)]
    assert chunks[2].body.count(b"_:b") == 2 and b"x _:b ." in chunks[0].body
    assert [(c.triples, c.blank) for c in ntriples_chunks(text, 5)] == [(5, True)], "one request where one will do"
    assert [c.triples for c in resized([Chunk(5, text)], 2)] == [2, 1, 2]


def test_dump_as_quads_keeps_the_graph_names(store: Store, tmp_path: Path) -> None:
    store.replace_graph(IRIS.reference_graph, source_graph(2))
    store.replace_graph(IRIS.ontology_graph, source_graph(1))
    path = tmp_path / "dump.nq"
    store.dump(path, "application/n-quads")
    graphs = {str(q.graph_name.value) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}  # type: ignore[union-attr]
    assert graphs == {str(IRIS.reference_graph), str(IRIS.ontology_graph)}


def test_the_embedded_store_flushes_its_memory_tables_after_so_many_quads(tmp_path: Path) -> None:
    # RocksDB writes a table file for each index when it flushes what it kept in memory.
    store = EmbeddedStore(tmp_path / "store", IRIS)
    store.flush_after_quads = 100
    is_a = ox.NamedNode(str(RDF.type))

    def tables() -> set[Path]:
        return set((tmp_path / "store").glob("*.sst"))

    def quads(first: int, n: int) -> list[ox.Quad]:
        graph = ox.NamedNode(str(IRIS.graph("a" * 16)))
        event = ox.NamedNode(str(LKG.Event))
        return [ox.Quad(ox.NamedNode(f"{EX}event/e{i}"), is_a, event, graph) for i in range(first, first + n)]

    before = tables()
    store.add_sources(quads(0, 60), removed={})
    assert tables() == before, "60 quads stay in memory"
    store.add_sources(quads(60, 60), removed={})
    assert tables() > before, "120 quads: on disk"
    assert store.count(IRIS.graph("a" * 16)) == 120
    store.close()


def test_an_ingest_in_memory_leaves_the_graphs_an_ingest_on_disk_does(
    built_store_dir: Path, repo_assets: Assets, tmp_path: Path
) -> None:
    in_memory = EmbeddedStore(None, IRIS)
    pipeline = Pipeline(make_settings(tmp_path), in_memory, repo_assets)
    pipeline.install_model()
    assert pipeline.ingest([repo_assets.documents_dir]).exit_code == 0
    on_disk = EmbeddedStore(built_store_dir, IRIS, read_only=True)
    assert in_memory.graphs() == on_disk.graphs()
    for graph in on_disk.graphs():
        if graph == IRIS.sources_graph:  # the catalogue says when each source was loaded
            assert in_memory.count(graph) == on_disk.count(graph)
        else:
            assert isomorphic(in_memory.graph(graph), on_disk.graph(graph)), graph
    on_disk.close()
    in_memory.close()


def test_a_store_in_memory_is_not_opened_read_only() -> None:
    # It would be empty, and stay so.
    with pytest.raises(StoreError, match="in memory cannot be opened read-only"):
        EmbeddedStore(None, IRIS, read_only=True)
