"""What the server says of one IRI: its triples for machines, a page for people.

The page shows names, not bare IRIs: every IRI on it is looked up for a label (English
first), and a fact read from text carries the sentence it was read from and its document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from legalkg.iris import Iris
from legalkg.namespaces import PREFIXES, sparql_prologue
from legalkg.store.base import Store
from legalkg.store.sparql import term

INCOMING_LIMIT = 500

_OUTGOING = "SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p ?o"
_INCOMING = f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?o }} ORDER BY ?p ?s LIMIT {INCOMING_LIMIT}"
_LABELS = (
    sparql_prologue()
    # Each node's statements, filtered by property: a table of properties joined instead would
    # have the store read every label it holds (190 ms against 8 ms at a million triples).
    + """SELECT ?x ?label ?rank WHERE {{
  VALUES ?x {{ {nodes} }}
  ?x ?property ?label .
  FILTER (?property IN (rdfs:label, skos:prefLabel, schema:name, lkg:shortName, dct:title, lkg:fileName))
  BIND (IF(?property = rdfs:label, 0, IF(?property = skos:prefLabel, 1, IF(?property = schema:name, 2,
        IF(?property = lkg:shortName, 3, IF(?property = dct:title, 4, 5))))) AS ?rank)
}}"""
)
_EVIDENCE = (
    sparql_prologue()
    + """SELECT DISTINCT ?property ?value ?quote ?document ?rule WHERE {
  ?evidence rdf:subject ?s ; rdf:predicate ?property ; rdf:object ?value ; oa:hasTarget ?sentence .
  OPTIONAL { ?evidence lkg:rule ?rule }
  ?sentence oa:hasSource ?document ; oa:hasSelector ?selector .
  ?selector oa:exact ?quote .
} ORDER BY ?property ?value ?quote"""
)


@dataclass
class Link:
    """An IRI or a literal as a page shows it."""

    text: str
    href: str | None = None
    note: str = ""  # a literal's language or datatype


@dataclass
class Fact:
    property: Link
    value: Link


@dataclass
class Evidence:
    property: Link
    value: Link
    quote: str
    document: Link
    rule: str


@dataclass
class Page:
    iri: str
    label: str
    types: list[Link] = field(default_factory=list)
    outgoing: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


def describe(store: Store, iri: URIRef) -> Graph:
    """The triples of ``iri``: every statement about it, and every statement that points to it."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for row in store.select(_OUTGOING, {"s": iri}):
        graph.add((iri, row["p"], row["o"]))  # type: ignore[arg-type]
    for row in store.select(_INCOMING, {"o": iri}):
        graph.add((row["s"], row["p"], iri))  # type: ignore[arg-type]
    return graph


def labels(store: Store, nodes: Iterable[Node]) -> dict[str, str]:
    """A label for each IRI that has one: rdfs:label, then skos:prefLabel, schema:name, short name,
    a document's title or file name;
    English before other languages."""
    iris = sorted({str(n) for n in nodes if isinstance(n, URIRef)})
    found: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(iris), 200):
        chunk = " ".join(term(URIRef(i)) for i in iris[start : start + 200])
        for row in store.select(_LABELS.format(nodes=chunk)):
            label = row["label"]
            if not isinstance(label, Literal):
                continue
            lang = label.language or ""
            key = (int(str(row["rank"])), 0 if lang in ("en", "") else 1, str(label))
            x = str(row["x"])
            if x not in found or key < found[x]:
                found[x] = key
    return {x: key[2] for x, key in found.items()}


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def local_path(iri: str, iris: Iris) -> str | None:
    """The server's own path for an IRI under the base, else None."""
    return "/" + iri[len(iris.base) :] if iri.startswith(iris.base) else None


def link(node: Node, names: dict[str, str], iris: Iris) -> Link:
    """A term as a page shows it: an IRI by its label, linked to its page here when it has one."""
    if isinstance(node, URIRef):
        iri = str(node)
        return Link(names.get(iri) or _short(iri), local_path(iri, iris) or iri)
    if isinstance(node, Literal):
        note = node.language or (_short(str(node.datatype)) if node.datatype else "")
        return Link(str(node), None, note)
    return Link(str(node))


def page(store: Store, iri: URIRef, iris: Iris) -> Page | None:
    """The page of ``iri``, or None when the graph says nothing of it."""
    graph = describe(store, iri)
    if not len(graph):
        return None
    evidence_rows = list(store.select(_EVIDENCE, {"s": iri}))
    nodes: set[Node] = {iri}
    for s, p, o in graph:
        nodes.update((s, p, o))
    for row in evidence_rows:
        nodes.update(v for v in row.values() if v is not None)
    names = labels(store, nodes)
    result = Page(str(iri), names.get(str(iri)) or _short(str(iri)))
    for s, p, o in sorted(graph, key=lambda t: (str(t[1]), str(t[0]), str(t[2]))):
        if s == iri and p == RDF.type:
            result.types.append(link(o, names, iris))
        elif s == iri:
            result.outgoing.append(Fact(link(p, names, iris), link(o, names, iris)))
        if o == iri:
            result.incoming.append(Fact(link(p, names, iris), link(s, names, iris)))
    for row in evidence_rows:
        result.evidence.append(
            Evidence(
                link(row["property"], names, iris),  # type: ignore[arg-type]
                link(row["value"], names, iris),  # type: ignore[arg-type]
                str(row["quote"]),
                link(row["document"], names, iris),  # type: ignore[arg-type]
                str(row.get("rule") or ""),
            )
        )
    return result
