"""The Loader protocol, the source a loader reads, and what every loader must refuse.

A loader turns ONE source into triples, with provenance; it never writes anywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from rdflib.term import Node

from legalkg.errors import InputError
from legalkg.iris import Iris, content_key
from legalkg.namespaces import DCT, DCT_FORMAT, LKG
from legalkg.store.terms import OxGraph

if TYPE_CHECKING:
    from legalkg.text.gazetteer import Gazetteer


@dataclass(frozen=True)
class Source:
    """One input: its bytes, where they came from, and what they are."""

    path: Path
    data: bytes
    media_type: str
    published: dt.date | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def key(self) -> str:
        return content_key(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def text(self) -> str:
        """The source decoded as UTF-8 (a byte-order mark is dropped)."""
        try:
            return self.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                self.path, f"is not UTF-8 text (byte {exc.start} cannot be decoded); convert it to UTF-8"
            ) from exc


@dataclass
class LoadContext:
    """What a loader may consult: IRIs and the reference data (with the names it holds).

    The gazetteer is built on first use: loaders of RDF files never need it.
    """

    iris: Iris
    reference: Graph

    @functools.cached_property
    def gazetteer(self) -> Gazetteer:
        from legalkg.text.gazetteer import build_gazetteer

        return build_gazetteer(self.reference)

    @functools.cached_property
    def sdg_notations(self) -> frozenset[str]:
        return frozenset(str(n) for n in self.reference.objects(None, SKOS.notation))


Triple = tuple[Node, Node, Node]


@dataclass
class LoadResult:
    """What a loader made of a source: its triples, its document node and notes for the user.

    ``place_triples`` hold what a gazetteer says of the places the source names (a city's name
    and country): true whatever the source says, so they are kept once for all sources in the
    places graph rather than copied into each source's graph.

    The triples (each once) are what the gate, the rules and the commit read; the rdflib graphs
    are made from them on first use (for pyshacl and the reports), and changing them changes
    nothing: make another result.
    """

    triples: tuple[Triple, ...]
    document: URIRef
    notes: list[str] = field(default_factory=list)
    place_triples: tuple[Triple, ...] = ()

    @classmethod
    def of_graphs(
        cls, graph: Graph, document: URIRef, notes: list[str] | None = None, places: Graph | None = None
    ) -> LoadResult:
        """The result of a loader that built rdflib graphs."""
        return cls(tuple(graph), document, notes or [], tuple(places) if places is not None else ())

    @functools.cached_property
    def graph(self) -> Graph:
        return _graph(self.triples)

    @functools.cached_property
    def places(self) -> Graph:
        return _graph(self.place_triples)

    def candidate(self) -> Graph:
        """Everything the source would add to the store, as one graph: what the gate validates."""
        return _graph((*self.triples, *self.place_triples)) if self.place_triples else self.graph

    @functools.cached_property
    def ox_graph(self) -> OxGraph:
        return OxGraph.of(self.triples)

    @functools.cached_property
    def ox_places(self) -> OxGraph:
        return OxGraph.of(self.place_triples)

    def __getstate__(self) -> dict[str, object]:
        # Pickled without the graphs made from the triples (to another process): pyoxigraph's
        # terms take several times longer to pickle than to make again.
        return {k: v for k, v in self.__dict__.items() if k not in _MADE_ON_DEMAND}


_MADE_ON_DEMAND = frozenset({"graph", "places", "ox_graph", "ox_places"})


def _graph(triples: Iterable[Triple]) -> Graph:
    # rdflib's plain in-memory store: these graphs have no named graphs of their own, and are
    # built several times faster than in its default store.
    graph = Graph(store="SimpleMemory")
    add = graph.store.add  # the terms are rdflib's own: Graph.add's checks add nothing
    for triple in triples:
        add(triple, graph)
    return graph


class Loader(Protocol):
    """Turns one source into triples."""

    name: str
    suffixes: tuple[str, ...]
    media_type: str

    def load(self, source: Source, context: LoadContext) -> LoadResult:
        """The triples of ``source``; raises :class:`~legalkg.errors.InputError` for bad input."""
        ...


class TripleSink(Protocol):
    """Where triples go: an rdflib graph, or a set of them."""

    def add(self, triple: Triple, /) -> object: ...


def document_node(graph: TripleSink, source: Source, iris: Iris, *, title: str | None = None) -> URIRef:
    """Describe the source document in ``graph``: only what its bytes determine."""
    document = iris.document(source.key)
    graph.add((document, RDF.type, LKG.SourceDocument))
    graph.add((document, LKG.fileName, Literal(source.name)))
    graph.add((document, LKG.sha256, Literal(source.sha256)))
    graph.add((document, LKG.byteSize, Literal(len(source.data), datatype=XSD.nonNegativeInteger)))
    graph.add((document, DCT_FORMAT, Literal(source.media_type)))
    if title:
        graph.add((document, DCT.title, Literal(title)))
    if source.published:
        graph.add((document, DCT.issued, Literal(source.published.isoformat(), datatype=XSD.date)))
    return document


def read_source(
    path: Path, media_type: str, *, published: dt.date | None = None, text: bool = True
) -> Source:
    """Read a file, refusing what no loader can use: missing, empty, binary.

    Raises:
        InputError: naming the file and the problem.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(path, "no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from exc
    if not data.strip():
        raise InputError(path, "is empty")
    if b"\x00" in data[:8192]:
        raise InputError(path, "is a binary file, not text")
    source = Source(path=path, data=data, media_type=media_type, published=published)
    if text:
        source.text()
    return source
