"""The graph in a canonical form, so that the same graph always gives the same bytes.

A store returns quads in an order that depends on how they were inserted, and the ontology's
OWL lists are blank nodes whose labels change with every parse. Blank nodes are relabelled by
RDFC-1.0 (the W3C canonicalization, in pyoxigraph), and every serialization is written from
sorted statements.
"""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from legalkg.namespaces import PREFIXES
from legalkg.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Snapshot:
    """The quads of some graphs, canonical and sorted by graph, subject, predicate, object."""

    quads: tuple[ox.Quad, ...]

    def triples(self) -> list[ox.Triple]:
        """Each distinct triple once (a triple may stand in several graphs), sorted."""
        seen = {q.triple for q in self.quads}
        return sorted(seen, key=_triple_key)

    def nquads(self) -> bytes:
        return b"".join(f"{q} .\n".encode() for q in sorted(self.quads, key=lambda q: str(q)))

    def ntriples_lines(self) -> list[str]:
        return [f"{t} .\n" for t in self.triples()]


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def snapshot(store: Store, graphs: Sequence[URIRef]) -> Snapshot:
    """The canonical quads of ``graphs``, read through the store's own dump (any store)."""
    if not graphs:
        return Snapshot(())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graphs.nq"
        store.dump(path, "application/n-quads", graphs)
        dataset = ox.Dataset(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    quads = sorted(dataset, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return Snapshot(tuple(quads))


def write_gzip(path: Path, data: bytes) -> None:
    """Gzip ``data`` without a time stamp or file name in the header, so equal data gives equal bytes."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as out:
        out.write(data)


def read_gzip_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return list(lines)


def turtle(triples: Iterable[ox.Triple]) -> bytes:
    """Turtle from sorted triples: pyoxigraph groups consecutive statements as it writes them."""
    out = io.BytesIO()
    ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return out.getvalue()


def context() -> dict[str, Any]:
    """The JSON-LD context published beside the dumps (and shipped in the package)."""
    text = resources.files("legalkg.publish").joinpath("context.jsonld").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


class _Compactor:
    """IRIs as compact IRIs of the context's prefixes, each IRI worked out once."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # The longest namespace first, so that sdgo: wins over sdg: for the SDG ontology.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.done: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.done.get(iri)
        if found is None:
            found = iri
            for prefix, namespace in self.prefixes:
                local = iri[len(namespace) :]
                if iri.startswith(namespace) and local and all(c.isalnum() or c in "_-." for c in local):
                    found = f"{prefix}:{local}"
                    break
            self.done[iri] = found
        return found


def _json_term(term: Any, compact: _Compactor) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """JSON-LD with the published context inline (a reader fetches nothing), one node object
    per subject, compacted to the context's prefixes, in a stable order."""
    ctx = context()
    compact = _Compactor({k: v for k, v in ctx["@context"].items() if isinstance(v, str)})
    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        subject = _json_term(t.subject, compact)["@id"]
        node = nodes.setdefault(subject, {"@id": subject})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(t.object.value))
        else:
            node.setdefault(compact(t.predicate.value), []).append(_json_term(t.object, compact))
    document = {"@context": ctx["@context"], "@graph": [nodes[k] for k in sorted(nodes)]}
    # One node object per line: without indent, json uses its C encoder (ten times faster).
    lines = [json.dumps(nodes[k], ensure_ascii=False, sort_keys=True) for k in sorted(nodes)]
    head = json.dumps({"@context": document["@context"]}, ensure_ascii=False, sort_keys=True, indent=1)[:-2]
    return (head + ',\n "@graph": [\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")
