"""The remote store: the graph on a SPARQL 1.1 server (Oxigraph, Virtuoso, GraphDB, Fuseki,
Neptune), through its Query, Update and Graph Store Protocol endpoints.

It keeps the embedded store's contract (the same tests run on both):

- legalkg's graphs are those named under ``{base}graph/``; a server may hold others (Virtuoso
  keeps its own), which legalkg neither counts, lists, queries by default, nor clears;
- the default graph of a query is the union of legalkg's graphs: the server's own default
  graph when it is that union (``--union-default-graph`` on Oxigraph; found out once, or set
  with ``default-graph = "union"``), else the graphs named one by one in the request;
- a source's graph is replaced in one update request, or filled as a temporary graph in chunks
  (Graph Store Protocol POSTs of N-Triples) and then moved in place by one request.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from legalkg.errors import EndpointError, StoreError
from legalkg.iris import Iris
from legalkg.namespaces import LKG
from legalkg.settings import RemoteOptions
from legalkg.store import updates
from legalkg.store.base import QueryResult, SourceRecord
from legalkg.store.embedded import write_dump
from legalkg.store.endpoint import Connection
from legalkg.store.sparql import masked, term, with_values
from legalkg.store.terms import (
    Chunk,
    from_json,
    graph_of,
    ntriples_chunks,
    ox_from_json,
    quads_of,
    resized,
    triple_chunks,
)

log = logging.getLogger(__name__)

JSON_RESULTS = "application/sparql-results+json"
RDF_ANSWERS = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples as Virtuoso labels it
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# Named as the default graph when there is nothing to read: sending no graph at all would give
# the server's own default graph, which on Virtuoso holds its system graphs.
NO_GRAPH = "urn:x-legalkg:no-graph"
# Triples in one INSERT DATA, at most: Virtuoso turns each into lines of SQL, and refuses a
# request of more than 10,000 lines.
INSERT_DATA_LIMIT = 1_000
PAGE_ORDER_LIMIT = 10_000  # rows a page may have, at most, when a server caps its answers
_GRAPH_KEYWORD = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"\A(?:\s+|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE)


class RemoteStore:
    """A SPARQL 1.1 server; see :class:`legalkg.store.base.Store`.

    Raises:
        EndpointError: when the server cannot be reached or refuses the request.
    """

    def __init__(
        self,
        url: str,
        iris: Iris | None = None,
        *,
        read_only: bool = False,
        options: RemoteOptions | None = None,
    ) -> None:
        self.options = options or RemoteOptions()
        self.connection = Connection(url, self.options)
        self.iris = iris or Iris()
        self.read_only = read_only
        self.flavour = self.connection.identify()  # unreachable: one clear line, now
        self._union = {"union": True, "list": False}.get(self.options.default_graph)
        if not read_only:
            self._drop_leftover_staging()

    @property
    def location(self) -> str:
        return self.connection.url

    @property
    def prefix(self) -> str:
        """Where legalkg's graph names start."""
        return f"{self.iris.base}graph/"

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""

    # -- queries with no dataset: every pattern names its graph ------------------------------------

    def _ours(self, variable: str = "g") -> str:
        return f"FILTER (STRSTARTS(STR(?{variable}), {Literal(self.prefix).n3()}))"

    def _bindings(
        self, query: str, default: Sequence[str] | None = None, named: Sequence[str] | None = None
    ) -> tuple[list[str], list[dict[str, Any]], bool | None]:
        """The variables and JSON rows (or the boolean) of a SELECT or ASK query."""
        response = self.connection.query(
            query, accept=JSON_RESULTS, default_graphs=default, named_graphs=named
        )
        data = _json(response.body, self.location)
        if "boolean" in data:
            return [], [], bool(data["boolean"])
        variables = list(data.get("head", {}).get("vars", []))
        rows = list(data.get("results", {}).get("bindings", []))
        cap = response.headers.get("X-SPARQL-MaxRows")
        if cap and cap.isdigit() and len(rows) >= int(cap):
            rows = self._pages(query, variables, min(int(cap), PAGE_ORDER_LIMIT), default, named)
        return variables, rows, None

    def _pages(
        self,
        query: str,
        variables: list[str],
        size: int,
        default: Sequence[str] | None,
        named: Sequence[str] | None,
    ) -> list[dict[str, Any]]:
        """All the rows of a query whose answer the server capped (Virtuoso's ResultSetMaxRows),
        page by page, in one fixed order: the order is set inside a subquery so that the pages
        never ask the server to sort more than it allows (Virtuoso's MaxSortedTopRows)."""
        prologue = _PROLOGUE.match(masked(query))
        start = prologue.end() if prologue else 0
        order = " ".join(f"?{v}" for v in variables)
        rows: list[dict[str, Any]] = []
        while True:
            page = (
                f"{query[:start]}\nSELECT * WHERE {{ {{ SELECT * WHERE {{ {{\n{query[start:]}\n}} }} "
                f"ORDER BY {order} }} }} LIMIT {size} OFFSET {len(rows)}"
            )
            response = self.connection.query(
                page, accept=JSON_RESULTS, default_graphs=default, named_graphs=named
            )
            found = _json(response.body, self.location).get("results", {}).get("bindings", [])
            rows.extend(found)
            log.debug("%s: page of %d rows at %d", self.location, len(found), len(rows) - len(found))
            if len(found) < size:
                return rows

    def _select(
        self, query: str, default: Sequence[str] | None = None, named: Sequence[str] | None = None
    ) -> QueryResult:
        variables, rows, boolean = self._bindings(query, default, named)
        if boolean is not None:
            return QueryResult(variables=[], boolean=boolean)
        # Answers repeat their terms: each distinct one is converted once.
        converted: dict[tuple[tuple[str, str], ...], Node] = {}

        def convert(value: dict[str, str] | None) -> Node | None:
            if value is None:
                return None
            key = tuple(sorted(value.items()))
            found = converted.get(key)
            if found is None:
                found = converted[key] = from_json(value)
            return found

        return QueryResult(
            variables=variables, rows=[{v: convert(row.get(v)) for v in variables} for row in rows]
        )

    def graph_names(self) -> list[URIRef]:
        if self.flavour.lists_empty_graphs:
            query = f"SELECT ?g WHERE {{ GRAPH ?g {{ }} {self._ours()} }}"
        else:
            query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        return [g for g in self._select(query).column("g") if isinstance(g, URIRef)]

    def graphs(self) -> list[URIRef]:
        if self.flavour.lists_empty_graphs:
            query = (
                f"SELECT ?g WHERE {{ GRAPH ?g {{ }} {self._ours()} "
                "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }"
            )
        else:
            query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        return sorted(g for g in self._select(query).column("g") if isinstance(g, URIRef))

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
        else:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term(graph)} {{ ?s ?p ?o }} }}"
        found = self._select(query).rows
        value = found[0].get("n") if found else None
        return int(value) if isinstance(value, Literal) else 0

    def _exists(self, graph: URIRef) -> bool:
        return bool(self._select(f"ASK {{ GRAPH {term(graph)} {{ ?s ?p ?o }} }}").boolean)

    def sources(self) -> dict[str, URIRef]:
        rows = self._select(
            f"SELECT ?g ?name WHERE {{ GRAPH {term(self.iris.sources_graph)} "
            f"{{ ?g {term(LKG.sourceName)} ?name }} }}"
        )
        return {str(r["name"]): r["g"] for r in rows if isinstance(r["g"], URIRef) and r["name"] is not None}

    def facts(self, nodes: Sequence[URIRef], predicates: Sequence[URIRef]) -> Graph:
        found = Graph()
        wanted = " ".join(term(p) for p in predicates)
        for start in range(0, len(nodes), 500):  # a request of a bounded size
            batch = " ".join(term(n) for n in nodes[start : start + 500])
            rows = self._select(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {batch} }} VALUES ?p {{ {wanted} }} "
                f"GRAPH ?g {{ ?s ?p ?o }} {self._ours()} }}"
            )
            for row in rows:
                found.add((row["s"], row["p"], row["o"]))  # type: ignore[arg-type]
        return found

    # -- queries on the union of legalkg's graphs, or on chosen graphs ------------------------------

    def _union_default(self) -> bool:
        """Whether the server's default graph is the union of legalkg's graphs, and nothing more.

        Found out once there is something to see: the server must hold no other graphs, and a
        triple of a named graph must be visible in its default graph.
        """
        if self._union is not None:
            return self._union
        inner = "{ }" if self.flavour.lists_empty_graphs else "{ ?s ?p ?o }"
        outside = f"ASK {{ GRAPH ?g {inner} FILTER (!STRSTARTS(STR(?g), {Literal(self.prefix).n3()})) }}"
        if self._select(outside).boolean:
            self._union = False
            return False
        probe = self._select(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) } LIMIT 1"
        ).rows
        if not probe:
            return False  # nothing to see yet: naming the graphs costs nothing
        s, p, o = (probe[0][v] for v in ("s", "p", "o"))
        assert s is not None and p is not None and o is not None
        self._union = bool(self._select(f"ASK {{ {term(s)} {term(p)} {term(o)} }}").boolean)
        log.info(
            "%s: the default graph %s the union of the named graphs",
            self.location,
            "is" if self._union else "is not",
        )
        return self._union

    def _dataset(
        self, query: str, graphs: Sequence[URIRef] | None
    ) -> tuple[list[str] | None, list[str] | None]:
        """The default-graph-uri and named-graph-uri parameters of a query."""
        if graphs is None and self._union_default():
            return None, None
        ours: list[str] | None = None
        if graphs is None:
            ours = [str(g) for g in self.graph_names()]
            default = ours
        else:
            default = [str(g) for g in graphs]
        named = None
        # Naming a default graph empties the named graphs, unless they are named too.
        if _GRAPH_KEYWORD.search(masked(query)):
            named = ours if ours is not None else [str(g) for g in self.graph_names()]
        return default or [NO_GRAPH], (named or [NO_GRAPH]) if named is not None else None

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        query = with_values(query, bindings or {})
        return self._select(query, *self._dataset(query, graphs))

    def construct(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        graphs: Sequence[URIRef] | None = None,
    ) -> Graph:
        query = with_values(query, bindings or {})
        default, named = self._dataset(query, graphs)
        response = self.connection.query(
            query, accept=RDF_ANSWERS, default_graphs=default, named_graphs=named
        )
        fmt = RDF_FORMATS.get(response.content_type)
        if fmt is None:
            raise EndpointError(self.location, f"answered a CONSTRUCT query with {response.content_type}")
        return graph_of(ox.parse(response.body, format=fmt))

    # -- whole graphs ------------------------------------------------------------------------------

    # Requests at once for push and pull: the server works on one while the next one comes.
    parallel_reads, parallel_writes = 4, 4

    def _body(self, graph: URIRef) -> bytes | None:
        """The triples of ``graph`` as N-Triples text, where the server gives all of them."""
        # Virtuoso caps what its Graph Store answers, without saying so.
        if self.connection.endpoints.graph_store is None or self.flavour.name == "virtuoso":
            return None
        response = self.connection.graph_store("GET", str(graph))
        if response is None:
            return b""
        if RDF_FORMATS.get(response.content_type) == ox.RdfFormat.N_TRIPLES:
            return response.body
        fmt = RDF_FORMATS.get(response.content_type, ox.RdfFormat.TURTLE)
        return ox.serialize(
            (q.triple for q in ox.parse(response.body, format=fmt)), format=ox.RdfFormat.N_TRIPLES
        )

    def _triples(self, graph: URIRef) -> Iterator[ox.Triple]:
        """The triples of ``graph`` from pages of a SELECT, which a server cannot cut short."""
        _, rows, _ = self._bindings(f"SELECT ?s ?p ?o WHERE {{ GRAPH {term(graph)} {{ ?s ?p ?o }} }}")
        blank: dict[str, ox.BlankNode] = {}
        for r in rows:
            # A server's answer puts IRIs and blank nodes where RDF wants them.
            subject, predicate = ox_from_json(r["s"], blank), ox_from_json(r["p"], blank)
            yield ox.Triple(subject, predicate, ox_from_json(r["o"], blank))  # type: ignore[arg-type]

    def export_chunks(self, graph: URIRef, size: int) -> Iterator[Chunk]:
        body = self._body(graph)
        return ntriples_chunks(body, size) if body is not None else triple_chunks(self._triples(graph), size)

    def graph(self, graph: URIRef) -> Graph:
        body = self._body(graph)
        if body is None:
            return graph_of(self._triples(graph))
        return graph_of(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def dump(self, path: Path, media_type: str, graphs: Sequence[URIRef] | None = None) -> None:
        names = list(graphs) if graphs is not None else self.graphs()
        copy = ox.Store()  # in memory: the server's answers are not capped or ordered as a dump needs
        for name in names:
            node = ox.NamedNode(str(name))
            body = self._body(name)
            if body is None:
                copy.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in self._triples(name))
            else:
                copy.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        write_dump(copy, path, media_type, names, self.location)

    # -- writing -------------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(self.location, "opened read-only")

    def update(self, sparql: str) -> None:
        self._writable()
        self.connection.update(sparql)

    def _append(self, graph: URIRef, chunk: Chunk) -> None:
        if self.connection.endpoints.graph_store:
            self.connection.graph_store("POST", str(graph), body=chunk.body)
        else:
            self.update(_insert(graph, chunk.body))

    def replace_chunks(
        self, graph: URIRef, chunks: Iterable[Chunk], *, atomic: bool = True, exists: bool | None = None
    ) -> None:
        self._writable()
        gsp = self.connection.endpoints.graph_store is not None
        pieces = list(
            resized(chunks, self.options.chunk if gsp else min(self.options.chunk, INSERT_DATA_LIMIT))
        )
        if not pieces:
            self.update(f"DROP SILENT GRAPH {term(graph)}")
            return
        present = exists if exists is not None else (self._exists(graph) if gsp else True)
        if gsp and not present and (len(pieces) == 1 or self.flavour.streams):
            # One POST, in HTTP chunks if need be: one request is one transaction, and nothing
            # gets a graph in faster.
            body = pieces[0].body if len(pieces) == 1 else [p.body for p in pieces]
            self.connection.graph_store("POST", str(graph), body=body)
            return
        if len(pieces) == 1:
            if gsp and not atomic:
                self.update(f"DROP SILENT GRAPH {term(graph)}")
                self._append(graph, pieces[0])
                return
            if pieces[0].triples <= INSERT_DATA_LIMIT:
                self.update(f"DROP SILENT GRAPH {term(graph)} ;\n{_insert(graph, pieces[0].body)}")
                return
        target = self.iris.staging_graph(f"transfer-{graph.rsplit('/', 1)[-1]}") if atomic else graph
        self.update(f"DROP SILENT GRAPH {term(target)}")
        for piece in pieces:
            self._append(target, piece)
        if atomic:
            self.update(f"MOVE SILENT GRAPH {term(target)} TO {term(graph)}")

    def add_graphs(self, graphs: Sequence[tuple[URIRef, Sequence[Chunk]]]) -> None:
        """Put graphs the server does not hold yet, each whole: all in one request where the
        server takes N-Quads, else one request each."""
        self._writable()
        mixed = any(c.blank for _, chunks in graphs for c in chunks)  # labels would meet
        if mixed or not (self.connection.endpoints.graph_store and self.flavour.takes_quads):
            for name, chunks in graphs:
                self.replace_chunks(name, chunks, exists=False)
            return
        # An N-Triples line ends with " .": the graph's name goes before it, and it is N-Quads.
        body = [
            c.body.replace(b" .\n", f" {term(name)} .\n".encode()) for name, chunks in graphs for c in chunks
        ]
        self.connection.graph_store("POST", None, body=body, content_type="application/n-quads")

    def _rdflib_chunks(self, graph: Graph, name: URIRef) -> Iterator[Chunk]:
        return triple_chunks((q.triple for q in quads_of(graph, str(name))), self.options.chunk)

    def replace_graph(self, graph: URIRef, triples: Graph) -> None:
        self.replace_chunks(graph, self._rdflib_chunks(triples, graph))

    def _staging_graph(self, graph: URIRef, part: str = "") -> URIRef:
        return updates.staging_graph(self.iris, graph, part)

    def stage(self, graph: URIRef, triples: Graph, places: Graph | None = None) -> list[URIRef]:
        staged = [self._staging_graph(graph)]
        if places is not None and len(places):
            staged.append(self._staging_graph(graph, "places"))
        self.discard_staged(graph)
        for name, content in zip(staged, (triples, places), strict=False):
            assert content is not None
            self.replace_chunks(name, self._rdflib_chunks(content, name), atomic=False, exists=False)
        return staged

    def discard_staged(self, graph: URIRef) -> None:
        self.update(
            f"DROP SILENT GRAPH {term(self._staging_graph(graph))} ;\n"
            f"DROP SILENT GRAPH {term(self._staging_graph(graph, 'places'))}"
        )

    def commit_staged(
        self, record: SourceRecord, replaces: Sequence[URIRef], also: Sequence[str] = ()
    ) -> None:
        self.update(updates.commit_staged(self.iris, record, replaces, also))

    def commit_batch(self, records: Sequence[SourceRecord], also: Sequence[str] = ()) -> None:
        self.update(updates.commit_batch(self.iris, records, also))

    def commit_source(
        self, record: SourceRecord, triples: Graph, replaces: Sequence[URIRef], places: Graph | None = None
    ) -> None:
        self.stage(record.graph, triples, places)
        self.commit_staged(record, replaces)

    def drop_graphs(self, graphs: Sequence[URIRef]) -> None:
        if graphs:
            self.update(updates.drop_graphs(self.iris, graphs))

    def _drop(self, graphs: Sequence[URIRef]) -> None:
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {term(g)}" for g in graphs))

    def clear(self) -> None:
        """Remove legalkg's graphs; the server's other graphs stay."""
        self._drop(self.graph_names())

    def optimize(self) -> None:
        """Nothing to do: a server manages its own storage."""

    def _drop_leftover_staging(self) -> None:
        # A process killed between staging a source and committing it leaves its staging graph.
        prefix = str(self.iris.staging_graph(""))
        leftovers = [g for g in self.graph_names() if str(g).startswith(prefix)]
        if leftovers:
            log.info("dropping %d leftover staging graph(s)", len(leftovers))
            self._drop(leftovers)


def _json(body: bytes, location: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise EndpointError(location, f"the answer is not SPARQL JSON results ({exc})") from exc
    if not isinstance(data, dict):
        raise EndpointError(location, "the answer is not SPARQL JSON results")
    return data


def _insert(graph: URIRef, chunk: bytes) -> str:
    text = chunk.decode("utf-8")
    if "_:" in text:
        # Blank nodes as a template filled once: Virtuoso refuses them in INSERT DATA.
        return f"INSERT {{ GRAPH {term(graph)} {{\n{text}\n}} }} WHERE {{ }}"
    return f"INSERT DATA {{ GRAPH {term(graph)} {{\n{text}\n}} }}"
