"""Converting RDF terms between rdflib (the currency between stages) and pyoxigraph."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxTriple = tuple[OxTerm, OxTerm, OxTerm]


def to_ox(term: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r} ({type(term).__name__})")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | ox.Triple) -> Node:
    """A pyoxigraph term as an rdflib term; xsd:string literals become plain literals."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r}")


# Query answers repeat their terms, from one query to the next (a server's pages, a saved query
# run again), and rdflib builds a term slowly (a date literal parses its value): an answer's
# terms are converted once while they stay among the most recent. Loading a file, whose terms
# mostly come once, converts without the cache.
_answer_term = functools.lru_cache(maxsize=100_000)(to_rdflib)


def solution_row(solution: ox.QuerySolution, variables: Sequence[str]) -> dict[str, Node | None]:
    """One row of a SELECT answer, by variable name, as rdflib terms (None where unbound)."""
    return {name: None if (value := solution[name]) is None else _answer_term(value) for name in variables}


def quads_of(graph: Graph, graph_name: str | None) -> Iterator[ox.Quad]:
    """The triples of an rdflib graph as pyoxigraph quads in the named graph ``graph_name``
    (in the default graph when None)."""
    name = ox.NamedNode(graph_name) if graph_name is not None else ox.DefaultGraph()
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)  # type: ignore[arg-type]


@dataclass(frozen=True)
class OxGraph:
    """An rdflib graph's triples as pyoxigraph terms, converted once for the stages that read
    them (the gate, the rules, the commit)."""

    triples: tuple[OxTriple, ...]
    # A literal whose text is not of its datatype: rdflib tells, pyoxigraph does not.
    ill_typed: bool = False

    @classmethod
    def of(cls, graph: Iterable[tuple[Node, Node, Node]]) -> OxGraph:
        """The triples of ``graph`` (an rdflib graph, or its triples)."""
        triples, ill_typed = [], False
        # A graph names each node and property many times: each term is converted once.
        converted: dict[Node, OxTerm] = {}

        def convert(term: Node) -> OxTerm:
            done = converted.get(term)
            if done is None:
                done = converted[term] = to_ox(term)
            return done

        for s, p, o in graph:
            if isinstance(o, Literal) and o.ill_typed:
                ill_typed = True
            triples.append((convert(s), convert(p), convert(o)))
        return cls(tuple(triples), ill_typed)


def graph_of(triples: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """An rdflib graph of pyoxigraph triples or quads (graph names dropped)."""
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def from_json(term: dict[str, str]) -> Node:
    """An RDF term of the SPARQL 1.1 Query Results JSON format as an rdflib term.

    Virtuoso still writes typed literals with the older type ``typed-literal``.
    """
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    language = term.get("xml:lang")
    if language:
        return Literal(value, lang=language)
    datatype = term.get("datatype")
    if datatype and datatype not in (_XSD_STRING, _RDF_LANG_STRING):
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def ox_from_json(term: dict[str, str], blank: dict[str, ox.BlankNode]) -> OxTerm:
    """The same as :func:`from_json`, as a pyoxigraph term; ``blank`` maps a server's blank
    node labels (``nodeID://b1`` on Virtuoso, not valid in N-Triples) to fresh blank nodes."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        node = blank.get(value)
        if node is None:
            node = blank[value] = ox.BlankNode()
        return node
    language = term.get("xml:lang")
    if language:
        return ox.Literal(value, language=language)
    datatype = term.get("datatype")
    if datatype and datatype != _XSD_STRING:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


class Chunk(NamedTuple):
    """A request's worth of one graph's triples, as N-Triples lines."""

    triples: int
    body: bytes
    # Holds every triple of the graph with a blank node: a blank node's label names one node
    # only within one document, so these travel together, whatever their number.
    blank: bool = False


# A line whose object is a blank node: it ends with "_:label ." (a literal ends with a quote).
_BLANK_OBJECT = re.compile(rb' _:[^\s"<>]+\s*\.\s*$')


def ntriples_chunks(body: bytes, size: int) -> Iterator[Chunk]:
    """Chunks of at most ``size`` lines of N-Triples text written one triple a line (as
    pyoxigraph and SPARQL servers write it), the lines with a blank node in a chunk of their own."""
    lines = [line for line in body.splitlines() if line.strip() and not line.startswith(b"#")]
    blank: list[bytes] = []
    if b"_:" in body:
        kinds = [line.startswith(b"_:") or _BLANK_OBJECT.search(line) is not None for line in lines]
        blank = [line for line, is_blank in zip(lines, kinds, strict=True) if is_blank]
        lines = [line for line, is_blank in zip(lines, kinds, strict=True) if not is_blank]
    yield from _grouped(lines, blank, size)


def _grouped(lines: list[bytes], blank: list[bytes], size: int) -> Iterator[Chunk]:
    starts = list(range(0, len(lines), size))
    last = starts[-1] if starts else 0
    for start in starts:
        piece = lines[start : start + size]
        if start == last and blank and len(piece) + len(blank) <= size:
            blank = piece + blank  # one request where one will do
            break
        yield Chunk(len(piece), b"\n".join(piece) + b"\n")
    if blank:
        yield Chunk(len(blank), b"\n".join(blank) + b"\n", blank=True)


def triple_chunks(triples: Iterable[ox.Triple], size: int) -> Iterator[Chunk]:
    """Chunks of pyoxigraph triples, as :func:`ntriples_chunks` makes them of text."""
    plain: list[bytes] = []
    blank: list[bytes] = []
    for triple in triples:
        line = f"{triple} .".encode()
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            blank.append(line)
        else:
            plain.append(line)
    yield from _grouped(plain, blank, size)


def resized(chunks: Iterable[Chunk], size: int) -> Iterator[Chunk]:
    """The same chunks, those of more than ``size`` triples cut (but not the blank-node chunk)."""
    for chunk in chunks:
        if chunk.triples <= size or chunk.blank:
            yield chunk
            continue
        yield from ntriples_chunks(chunk.body, size)
