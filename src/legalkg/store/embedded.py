"""The embedded store: pyoxigraph on disk, in one folder. No server to start."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from legalkg.errors import StoreError
from legalkg.iris import Iris
from legalkg.namespaces import LKG, PREFIXES
from legalkg.store import updates
from legalkg.store.base import QueryResult, SourceRecord
from legalkg.store.sparql import term, with_values
from legalkg.store.terms import Chunk, OxTriple, graph_of, ntriples_chunks, quads_of, solution_row

log = logging.getLogger(__name__)

TRIPLE_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
QUAD_FORMATS = {
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


class EmbeddedStore:
    """A pyoxigraph store in a folder; see :class:`legalkg.store.base.Store`."""

    # Oxigraph's LATERAL joins a pattern to each row before it: what lets a query start from
    # a few given nodes where its planner would otherwise read every match of the pattern.
    supports_lateral = True
    # RocksDB keeps recent writes in memory tables, one per index, until they fill: a long
    # ingest grew by 1.5 MiB a document. Flushing every so many writes, or quads, bounds that
    # (an ingest writes few, large transactions); and the lookups the rules make by the
    # thousand are faster in small tables.
    flush_every = 200
    flush_after_quads = 150_000

    def __init__(self, path: Path | None, iris: Iris | None = None, *, read_only: bool = False) -> None:
        """The store in the folder ``path`` (created when missing); with None, a store in
        memory that keeps nothing once closed: for trials, and for measuring what the disk
        costs."""
        self.path = Path(path) if path is not None else None
        self.iris = iris or Iris()
        self.read_only = read_only
        self._writes = self._quads = 0  # since the last flush
        if self.path is None:
            if read_only:
                raise StoreError(self.location, "a store in memory cannot be opened read-only")
            self._store = ox.Store()
            return
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(str(self.path), f"cannot open the store ({exc})") from exc
        if not read_only:
            self._drop_leftovers()

    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else "memory"

    def _written(self, quads: int = 0) -> None:
        self._writes += 1
        self._quads += quads
        if self._writes >= self.flush_every or self._quads >= self.flush_after_quads:
            self._writes = self._quads = 0
            self._store.flush()

    def _staging_graph(self, graph: URIRef, part: str = "") -> URIRef:
        return updates.staging_graph(self.iris, graph, part)

    def _drop_leftovers(self) -> None:
        # A process killed between staging a source and committing it leaves its staging graph;
        # killed between writing new sources' triples and their catalogue entries (see
        # add_sources), it leaves source graphs the catalogue does not name.
        prefix = str(self.iris.staging_graph(""))
        catalogued = set(self.sources().values())
        for name in list(self._store.named_graphs()):
            if not isinstance(name, ox.NamedNode):
                continue
            if name.value.startswith(prefix):
                log.info("dropping leftover staging graph %s", name.value)
                self._store.remove_graph(name)
            elif self.iris.is_source_graph(name.value) and URIRef(name.value) not in catalogued:
                log.info("dropping source graph %s, written without its catalogue entry", name.value)
                self._store.remove_graph(name)

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store

    def graph_names(self) -> list[URIRef]:
        return [URIRef(n.value) for n in self._store.named_graphs() if isinstance(n, ox.NamedNode)]

    def graphs(self) -> list[URIRef]:
        # A graph's first quad says it is not empty; counting them all would read every one.
        names = (n for n in self._store.named_graphs() if isinstance(n, ox.NamedNode))
        return sorted(
            URIRef(n.value)
            for n in names
            if next(iter(self._store.quads_for_pattern(None, None, None, n)), None)
        )

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._store)
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term(graph)} {{ ?s ?p ?o }} }}"
        rows = self._store.query(query)
        assert isinstance(rows, ox.QuerySolutions)
        count = next(iter(rows))["n"]
        return int(count.value) if isinstance(count, ox.Literal) else 0

    def replace_graph(self, graph: URIRef, triples: Graph) -> None:
        staging = self._staging_graph(graph)
        self._store.remove_graph(ox.NamedNode(str(staging)))
        self._store.extend(quads_of(triples, str(staging)))
        self._store.update(f"MOVE SILENT GRAPH <{staging}> TO <{graph}>")
        self._written(len(triples))

    def stage(self, graph: URIRef, triples: Graph, places: Graph | None = None) -> list[URIRef]:
        staged = [self._staging_graph(graph)]
        if places is not None and len(places):
            staged.append(self._staging_graph(graph, "places"))
        self.discard_staged(graph)
        self._store.extend(quads_of(triples, str(staged[0])))
        if len(staged) > 1 and places is not None:
            self._store.extend(quads_of(places, str(staged[1])))
        return staged

    def matcher(self, excluded: Iterable[URIRef] = ()) -> Callable[[Any, Any, Any], Iterator[OxTriple]]:
        """A function finding the triples of a pattern (None: any term there) in the named
        graphs but ``excluded``: what the rules read, looked up without a query."""
        left_out = {ox.NamedNode(str(g)) for g in excluded}

        def match(subject: Any, predicate: Any, obj: Any) -> Iterator[OxTriple]:
            for quad in self._store.quads_for_pattern(subject, predicate, obj, None):
                name = quad.graph_name
                if isinstance(name, ox.NamedNode) and name not in left_out:
                    yield quad.subject, quad.predicate, quad.object  # type: ignore[misc]

        return match

    def triples_in(self, graph: URIRef) -> Iterator[OxTriple]:
        """The triples of a graph, as pyoxigraph terms."""
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))):
            yield quad.subject, quad.predicate, quad.object  # type: ignore[misc]

    def add_triples(self, graph: URIRef, triples: Collection[OxTriple]) -> None:
        """Add pyoxigraph triples to a graph, in one transaction."""
        name = ox.NamedNode(str(graph))
        self._store.extend(ox.Quad(s, p, o, name) for s, p, o in triples)  # type: ignore[arg-type]
        self._written(len(triples))

    def holder(self, graph: URIRef) -> Callable[[OxTriple], bool]:
        """A function telling whether ``graph`` holds a triple of pyoxigraph terms."""
        name = ox.NamedNode(str(graph))

        def holds(triple: OxTriple) -> bool:
            s, p, o = triple
            return next(iter(self._store.quads_for_pattern(s, p, o, name)), None) is not None  # type: ignore[arg-type]

        return holds

    def source_quads(self, sources: Sequence[tuple[SourceRecord, Sequence[OxTriple]]]) -> list[ox.Quad]:
        """The quads of new sources' graphs (each its record and its triples), for
        :meth:`add_sources`: a source is not in the store until its catalogue entry is."""
        quads: list[ox.Quad] = []
        for record, triples in sources:
            name = ox.NamedNode(str(record.graph))
            quads.extend(ox.Quad(s, p, o, name) for s, p, o in triples)  # type: ignore[arg-type]
        return quads

    def catalogue_quads(
        self,
        sources: Sequence[tuple[SourceRecord, Sequence[OxTriple]]],
        also: Mapping[URIRef, Iterable[OxTriple]],
    ) -> list[ox.Quad]:
        """The quads :meth:`add_sources` writes with new sources' graphs, or after them: their
        catalogue entries (each its record and its places), and ``also`` (triples by graph)."""
        catalogue, places = str(self.iris.sources_graph), ox.NamedNode(str(self.iris.places_graph))
        quads: list[ox.Quad] = []
        for record, where in sources:
            quads.extend(ox.Quad(s, p, o, places) for s, p, o in where)  # type: ignore[arg-type]
            quads.extend(quads_of(updates.catalogue_entry(record), catalogue))
        for graph, more in also.items():
            name = ox.NamedNode(str(graph))
            quads.extend(ox.Quad(s, p, o, name) for s, p, o in more)  # type: ignore[arg-type]
        return quads

    def add_sources(self, quads: Sequence[ox.Quad], removed: Mapping[URIRef, Iterable[OxTriple]]) -> None:
        """New sources' quads (see :meth:`source_quads` and :meth:`catalogue_quads`), in one
        transaction; then ``removed`` leave their graphs. Writes every triple once: no staging
        graph to copy from. A source's graph may go in a transaction before its catalogue
        entry: until the entry is written, the source is not committed (and a store opened
        after a crash between the two drops its graph)."""
        self._store.extend(quads)
        for graph, triples in removed.items():
            name = ox.NamedNode(str(graph))
            for s, p, o in triples:
                self._store.remove(ox.Quad(s, p, o, name))  # type: ignore[arg-type]
        self._written(len(quads))

    def discard_staged(self, graph: URIRef) -> None:
        for staged in (self._staging_graph(graph), self._staging_graph(graph, "places")):
            self._store.remove_graph(ox.NamedNode(str(staged)))

    def commit_staged(
        self, record: SourceRecord, replaces: Sequence[URIRef], also: Sequence[str] = ()
    ) -> None:
        self._store.update(updates.commit_staged(self.iris, record, replaces, also))
        self._written()

    def commit_batch(self, records: Sequence[SourceRecord], also: Sequence[str] = ()) -> None:
        self._store.update(updates.commit_batch(self.iris, records, also))
        self._written()

    def commit_source(
        self, record: SourceRecord, triples: Graph, replaces: Sequence[URIRef], places: Graph | None = None
    ) -> None:
        self.stage(record.graph, triples, places)
        self.commit_staged(record, replaces)

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise StoreError(self.location, f"the update does not parse: {exc}") from exc
        self._written()

    def drop_graphs(self, graphs: Sequence[URIRef]) -> None:
        if not graphs:
            return
        self._store.update(updates.drop_graphs(self.iris, graphs))
        self._written()

    def clear(self) -> None:
        self._store.clear()

    def optimize(self) -> None:
        # RocksDB compacts its files: after a build or a whole-store reasoning, queries read
        # far fewer of them (a store of 100,000 triples went from 308 MiB to 50 MiB on disk).
        self._store.optimize()

    def graph(self, graph: URIRef) -> Graph:
        return graph_of(self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))

    def _run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None,
        graphs: Sequence[URIRef] | None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        query = with_values(query, bindings or {})
        try:
            if graphs is None:
                return self._store.query(query, use_default_graph_as_union=True)
            return self._store.query(query, default_graph=[ox.NamedNode(str(g)) for g in graphs])
        except SyntaxError as exc:
            raise StoreError(self.location, f"the query does not parse: {exc}") from exc

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        answer = self._run(query, bindings, graphs)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(variables=[], boolean=bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            raise StoreError(self.location, "expected a SELECT or ASK query")
        variables = [v.value for v in answer.variables]
        return QueryResult(variables=variables, rows=[solution_row(s, variables) for s in answer])

    def construct(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        graphs: Sequence[URIRef] | None = None,
    ) -> Graph:
        answer = self._run(query, bindings, graphs)
        if not isinstance(answer, ox.QueryTriples):
            raise StoreError(self.location, "expected a CONSTRUCT or DESCRIBE query")
        return graph_of(answer)

    def quads(self, graphs: Sequence[URIRef] | None = None) -> Iterator[ox.Quad]:
        """The quads of ``graphs`` (every named graph when None), without converting them."""
        names = graphs if graphs is not None else self.graphs()
        for name in names:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))

    def dump(self, path: Path, media_type: str, graphs: Sequence[URIRef] | None = None) -> None:
        write_dump(
            self._store, path, media_type, graphs if graphs is not None else self.graphs(), self.location
        )

    # Two readers: pyoxigraph reads without the interpreter's lock, and a push to a fast server
    # waits on reading. One writer: transactions on one store would only collide.
    parallel_reads, parallel_writes = 2, 1

    def export_chunks(self, graph: URIRef, size: int) -> Iterator[Chunk]:
        body = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph)))
        assert body is not None
        return ntriples_chunks(body, size)

    def add_graphs(self, graphs: Sequence[tuple[URIRef, Sequence[Chunk]]]) -> None:
        for name, chunks in graphs:
            self.replace_chunks(name, chunks, exists=False)

    def replace_chunks(
        self, graph: URIRef, chunks: Iterable[Chunk], *, atomic: bool = True, exists: bool | None = None
    ) -> None:
        name = ox.NamedNode(str(graph))
        pieces = list(chunks)
        if not pieces:
            self._store.remove_graph(name)
            return
        if not atomic or (exists is False and len(pieces) == 1):
            # A load is a transaction: one chunk for a new graph goes straight in.
            self._store.remove_graph(name)
            for piece in pieces:
                self._store.load(piece.body, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
            return
        # Several loads where no reader looks, then the one transaction readers see.
        staging = self._staging_graph(graph)
        self._store.remove_graph(ox.NamedNode(str(staging)))
        for piece in pieces:
            self._store.load(piece.body, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(staging)))
        self._store.update(f"MOVE SILENT GRAPH <{staging}> TO <{graph}>")

    def load_file(self, path: Path, media_type: str, graph: URIRef) -> None:
        """Bulk-load an RDF file into ``graph`` (for large files; not transactional)."""
        fmt = TRIPLE_FORMATS.get(media_type)
        if fmt is None:
            raise StoreError(self.location, f"cannot read {media_type}")
        self._store.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(str(graph)))

    def facts(self, nodes: Sequence[URIRef], predicates: Sequence[URIRef]) -> Graph:
        """The triples of ``nodes`` with one of ``predicates``, from every graph."""
        wanted = [ox.NamedNode(str(p)) for p in predicates]
        return graph_of(
            q
            for node in nodes
            for predicate in wanted
            for q in self._store.quads_for_pattern(ox.NamedNode(str(node)), predicate, None, None)
        )

    def sources(self) -> dict[str, URIRef]:
        """The catalogue: each source name with the graph that holds it."""
        quads = self._store.quads_for_pattern(
            None, ox.NamedNode(str(LKG.sourceName)), None, ox.NamedNode(str(self.iris.sources_graph))
        )
        return {
            q.object.value: URIRef(q.subject.value)
            for q in quads
            if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode)
        }


def write_dump(store: ox.Store, path: Path, media_type: str, graphs: Sequence[URIRef], location: str) -> None:
    """Write ``graphs`` of a pyoxigraph store to ``path``; quad formats keep the graph names."""
    names = [ox.NamedNode(str(g)) for g in graphs]
    if media_type in QUAD_FORMATS:
        quads = (q for name in names for q in store.quads_for_pattern(None, None, None, name))
        ox.serialize(quads, str(path), QUAD_FORMATS[media_type])
        return
    if media_type not in TRIPLE_FORMATS:
        raise StoreError(location, f"cannot write {media_type}")
    # The same triple may stand in several source graphs; a triple dump has it once, and
    # CONSTRUCT gives each once, in the store's own (stable) order, without leaving Rust.
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(names)
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=default)
    assert isinstance(triples, ox.QueryTriples)
    ox.serialize(
        triples,
        str(path),
        TRIPLE_FORMATS[media_type],
        prefixes=PREFIXES if media_type == "text/turtle" else None,
    )
