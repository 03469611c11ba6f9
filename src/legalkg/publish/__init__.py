"""Publishing the graph: dumps for Linked Data consumers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from legalkg.iris import Iris
from legalkg.store.base import Store


@dataclass(frozen=True)
class Dump:
    path: Path
    media_type: str
    graphs: tuple[URIRef, ...]


def asserted_graphs(store: Store, iris: Iris) -> list[URIRef]:
    """The graphs of what was asserted: ontology, reference data, places and every source."""
    return [
        g
        for g in store.graphs()
        if g in (iris.ontology_graph, iris.reference_graph, iris.places_graph) or iris.is_source_graph(str(g))
    ]


def dump(store: Store, out_dir: Path, iris: Iris) -> list[Dump]:
    """Write the asserted graphs as one Turtle file, ``legalkg.ttl``, in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    graphs = tuple(asserted_graphs(store, iris))
    path = out_dir / "legalkg.ttl"
    store.dump(path, "text/turtle", graphs)
    return [Dump(path, "text/turtle", graphs)]
