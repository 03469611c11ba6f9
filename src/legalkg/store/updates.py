"""The SPARQL Update requests that commit and drop sources, the same for every store.

Each is one request: on a store that runs a request as one transaction (pyoxigraph, Oxigraph,
Fuseki, GraphDB, Neptune), readers see the old state or the new one, never a mix.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from legalkg.iris import Iris
from legalkg.namespaces import DCT_FORMAT, LKG, PROV, VOID
from legalkg.store.base import SourceRecord


def catalogue_entry(record: SourceRecord) -> Graph:
    """The triples that describe one source in the catalogue graph."""
    entry = Graph()
    g = record.graph
    entry.add((g, RDF.type, LKG.SourceGraph))
    entry.add((g, PROV.wasDerivedFrom, record.document))
    entry.add((g, LKG.sourceName, Literal(record.name)))
    entry.add((g, DCT_FORMAT, Literal(record.media_type)))
    entry.add((g, PROV.generatedAtTime, Literal(record.loaded_at.isoformat(), datatype=XSD.dateTime)))
    entry.add((g, VOID.triples, Literal(record.triples, datatype=XSD.integer)))
    return entry


def ntriples_block(graph: Graph) -> str:
    """The triples of ``graph`` as N-Triples lines, for an INSERT DATA block."""
    return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)


def staging_graph(iris: Iris, graph: URIRef, part: str = "") -> URIRef:
    """Where a source's triples (or its ``part``, e.g. its places) wait before the commit."""
    return iris.staging_graph(f"{graph.rsplit('/', 1)[-1]}{'-' + part if part else ''}")


def commit_staged(iris: Iris, record: SourceRecord, replaces: Sequence[URIRef], also: Sequence[str]) -> str:
    """The request that commits a staged source (see ``Store.commit_staged``)."""
    # ``also`` first, while the staged graphs still hold the source.
    return " ;\n".join([*also, *_committing(iris, record, replaces)])


def commit_batch(iris: Iris, records: Sequence[SourceRecord], also: Sequence[str]) -> str:
    """The request that commits staged new sources together (see ``Store.commit_batch``)."""
    return " ;\n".join([*also, *(step for record in records for step in _committing(iris, record, ()))])


def _committing(iris: Iris, record: SourceRecord, replaces: Sequence[URIRef]) -> list[str]:
    staging, places = staging_graph(iris, record.graph), staging_graph(iris, record.graph, "places")
    sources = iris.sources_graph
    steps = [
        f"DROP SILENT GRAPH <{old}> ;\nDELETE WHERE {{ GRAPH <{sources}> {{ <{old}> ?p ?o }} }}"
        for old in replaces
    ]
    steps.append(f"ADD SILENT GRAPH <{places}> TO <{iris.places_graph}>")
    steps.append(f"DROP SILENT GRAPH <{places}>")
    steps.append(f"MOVE SILENT GRAPH <{staging}> TO <{record.graph}>")
    steps.append(f"DELETE WHERE {{ GRAPH <{sources}> {{ <{record.graph}> ?p ?o }} }}")
    steps.append(f"INSERT DATA {{ GRAPH <{sources}> {{\n{ntriples_block(catalogue_entry(record))}\n}} }}")
    return steps


def drop_graphs(iris: Iris, graphs: Sequence[URIRef]) -> str:
    """The request that drops whole graphs and their catalogue entries."""
    sources = iris.sources_graph
    return " ;\n".join(
        f"DROP SILENT GRAPH <{g}> ;\nDELETE WHERE {{ GRAPH <{sources}> {{ <{g}> ?p ?o }} }}" for g in graphs
    )
