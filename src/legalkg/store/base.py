"""The Store protocol: what every store (embedded or remote) does, and the values it trades in.

A store holds named graphs: the ontology, the reference data, one graph per source, the
inferred triples and a catalogue of sources. Everything that writes a source's graph does so
atomically: after a crash, a source is either wholly there or not there at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from rdflib import Graph, URIRef
from rdflib.term import Node

from legalkg.store.terms import Chunk


@dataclass(frozen=True)
class SourceRecord:
    """The catalogue entry of one source: where its triples came from."""

    graph: URIRef
    document: URIRef
    name: str
    sha256: str
    media_type: str
    loaded_at: datetime
    triples: int


@dataclass
class QueryResult:
    """The answer to a SPARQL SELECT or ASK query.

    ``rows`` map each variable to an rdflib term, or to None where it is unbound.
    """

    variables: list[str]
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, variable: str) -> list[Node | None]:
        return [row.get(variable) for row in self.rows]


@runtime_checkable
class Store(Protocol):
    """A quad store with named graphs and SPARQL 1.1."""

    @property
    def location(self) -> str:
        """Where the store is: a folder or an endpoint URL."""
        ...

    def close(self) -> None:
        """Release the store (file locks, connections)."""
        ...

    def graph_names(self) -> list[URIRef]:
        """The names of the named graphs, at once (a graph just emptied may still be named)."""
        ...

    def graphs(self) -> list[URIRef]:
        """The named graphs that hold at least one triple, sorted."""
        ...

    def count(self, graph: URIRef | None = None) -> int:
        """The number of triples in ``graph``, or of quads in the whole store."""
        ...

    def replace_graph(self, graph: URIRef, triples: Graph) -> None:
        """Make ``graph`` hold exactly ``triples``, in one transaction."""
        ...

    def stage(self, graph: URIRef, triples: Graph, places: Graph | None = None) -> list[URIRef]:
        """Put a source's triples (and its places) in staging graphs, before it is committed:
        the reasoner and the gate see them there, the catalogue does not. Returns them."""
        ...

    def discard_staged(self, graph: URIRef) -> None:
        """Drop what :meth:`stage` put aside for ``graph``."""
        ...

    def commit_staged(
        self, record: SourceRecord, replaces: Sequence[URIRef], also: Sequence[str] = ()
    ) -> None:
        """Commit the staged source: the SPARQL Update operations ``also`` run (first, while
        the staged graphs still hold the source), the graphs it replaces go, its graph, its
        places and its catalogue entry come, all in one transaction: readers see the old state
        or the new one, never a mix."""
        ...

    def commit_batch(self, records: Sequence[SourceRecord], also: Sequence[str] = ()) -> None:
        """Commit staged new sources (none replaces another) and ``also``, as
        :meth:`commit_staged` commits one: in one transaction, each source whole or absent."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update request (one transaction)."""
        ...

    def commit_source(
        self, record: SourceRecord, triples: Graph, replaces: Sequence[URIRef], places: Graph | None = None
    ) -> None:
        """Write a source's graph and its catalogue entry, dropping the graphs it replaces, and
        add ``places`` (the gazetteer's facts on the places it names) to the places graph.

        All in one transaction: readers see the old state or the new one, never a mix.
        """
        ...

    def drop_graphs(self, graphs: Sequence[URIRef]) -> None:
        """Remove whole graphs (and their catalogue entries), in one transaction."""
        ...

    def clear(self) -> None:
        """Remove everything."""
        ...

    def optimize(self) -> None:
        """Reorganize the storage after many writes, for faster reads (a server sees to its own)."""
        ...

    def graph(self, graph: URIRef) -> Graph:
        """The triples of one named graph, as an rdflib graph."""
        ...

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        graphs: Sequence[URIRef] | None = None,
    ) -> QueryResult:
        """Run a SELECT or ASK query with ``bindings`` bound as RDF terms.

        The default graph is the union of ``graphs``, or of every named graph when None.
        """
        ...

    def construct(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        graphs: Sequence[URIRef] | None = None,
    ) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query, as :meth:`select` does."""
        ...

    def facts(self, nodes: Sequence[URIRef], predicates: Sequence[URIRef]) -> Graph:
        """The triples of ``nodes`` with one of ``predicates``, from every graph."""
        ...

    def sources(self) -> dict[str, URIRef]:
        """The catalogue: each source name with the graph that holds it."""
        ...

    def dump(self, path: Path, media_type: str, graphs: Sequence[URIRef] | None = None) -> None:
        """Write ``graphs`` (all when None) to ``path``; quad formats keep the graph names."""
        ...

    # Copying whole graphs between stores (push, pull) as N-Triples text: building an rdflib term
    # costs more than sending it.

    @property
    def parallel_reads(self) -> int:
        """How many graphs push and pull may read from the store at once."""
        ...

    @property
    def parallel_writes(self) -> int:
        """How many graphs push and pull may write to the store at once."""
        ...

    def export_chunks(self, graph: URIRef, size: int) -> Iterator[Chunk]:
        """The triples of ``graph`` in chunks of at most ``size`` (but the blank-node chunk)."""
        ...

    def replace_chunks(
        self, graph: URIRef, chunks: Iterable[Chunk], *, atomic: bool = True, exists: bool | None = None
    ) -> None:
        """Make ``graph`` hold exactly the triples of ``chunks``: in one transaction, unless
        ``atomic`` is False (a staging graph nobody reads yet); ``exists`` says whether ``graph``
        is already there, when the caller knows (None: the store finds out)."""
        ...

    def add_graphs(self, graphs: Sequence[tuple[URIRef, Sequence[Chunk]]]) -> None:
        """Put graphs the store does not hold yet, each whole (as few requests as it takes)."""
        ...
