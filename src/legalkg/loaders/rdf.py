"""The RDF loader: a Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads file from a partner.

Parsed with pyoxigraph, which never fetches a remote JSON-LD context nor an external XML
entity, and which says where a syntax error is. Named graphs in the file are merged: the file
is one source, held in one graph of its own.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from legalkg.errors import RDFSyntaxError
from legalkg.loaders.base import LoadContext, LoadResult, Source, document_node
from legalkg.namespaces import LKG
from legalkg.store.terms import to_rdflib

FORMATS = {
    ".ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    ".nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    ".json-ld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    ".rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ".owl": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ".xml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ".trig": ("application/trig", ox.RdfFormat.TRIG),
    ".nq": ("application/n-quads", ox.RdfFormat.N_QUADS),
}
_LOCATION = re.compile(r"line (\d+) column (\d+)")
EVENT_CLASSES = (LKG.Event, LKG.Conference, LKG.Meeting, LKG.Workshop, LKG.Training, LKG.Seminar, LKG.Session)


def parse_rdf(source: Source) -> Graph:
    """The triples of an RDF file, as an rdflib graph.

    Raises:
        RDFSyntaxError: with the file, line and column, and what the parser expected.
    """
    suffix = source.path.suffix.lower()
    _, fmt = FORMATS[suffix]
    graph = Graph()
    try:
        for quad in ox.parse(source.data, format=fmt, base_iri=source.path.resolve().as_uri()):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        location = _LOCATION.search(message)
        line = int(location.group(1)) if location else None
        column = int(location.group(2)) if location else None
        problem = _LOCATION.sub("", message)
        problem = re.sub(
            r"^Parser error between\s*and line \d+ column \d+:\s*|^Parser error at\s*:\s*", "", problem
        ).strip()
        if "LoadDocumentCallback" in problem:
            problem = "refers to a remote JSON-LD @context, which legalkg never fetches; inline the context"
        raise RDFSyntaxError(source.path, f"is not valid {fmt.name}: {problem}", line, column) from exc
    return graph


class RDFLoader:
    """RDF files; the triples are taken as they are, with their provenance added."""

    name = "rdf"
    suffixes = tuple(FORMATS)
    media_type = "text/turtle"

    def load(self, source: Source, context: LoadContext) -> LoadResult:
        graph = parse_rdf(source)
        document = document_node(graph, source, context.iris)
        events = {s for cls in EVENT_CLASSES for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}
        for event in sorted(events):
            graph.add((event, PROV.wasDerivedFrom, document))
            graph.add((document, LKG.reports, event))
        return LoadResult(graph=graph, document=document)
