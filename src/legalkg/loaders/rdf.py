"""The RDF loader: a Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads file from a partner.

Parsed with pyoxigraph, which never fetches a remote JSON-LD context nor an external XML
entity, and which says where a syntax error is (expat says it for ill-formed RDF/XML). Named
graphs in the file are merged: the file is one source, held in one graph of its own.
:func:`with_lines` gives each validation result the line of its triple in the file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from legalkg.errors import RDFSyntaxError
from legalkg.loaders.base import LoadContext, LoadResult, Source, document_node
from legalkg.loaders.rdf_lines import statement_lines
from legalkg.namespaces import LKG
from legalkg.store.terms import to_rdflib
from legalkg.validation import ValidationReport

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
# pyoxigraph starts its messages with where the error is; the line and column are kept apart.
_WHERE = re.compile(r"^Parser error[^:]*:\s*")
_REMOTE_CONTEXT = re.compile(r'"@(?:context|import)"\s*:\s*\[?\s*"')
_EXTERNAL_ENTITY = re.compile(r"<!ENTITY\s+(?:%\s+)?(?P<name>[\w.:\-]+)\s+(?P<kind>SYSTEM|PUBLIC)\b")
EVENT_CLASSES = (LKG.Event, LKG.Conference, LKG.Meeting, LKG.Workshop, LKG.Training, LKG.Seminar, LKG.Session)


def base_iri(source: Source) -> str:
    """The IRI relative IRIs in a file are resolved against: the file's own."""
    return source.path.resolve().as_uri()


def parse_rdf(source: Source) -> Graph:
    """The triples of an RDF file, as an rdflib graph.

    Raises:
        RDFSyntaxError: with the file, line and column, and what the parser expected.
    """
    _, fmt = FORMATS[source.path.suffix.lower()]
    graph = Graph()
    try:
        for quad in ox.parse(source.data, format=fmt, base_iri=base_iri(source)):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    except SyntaxError as exc:
        raise _syntax_error(source, fmt, exc) from exc
    return graph


def _syntax_error(source: Source, fmt: ox.RdfFormat, exc: SyntaxError) -> RDFSyntaxError:
    problem = _WHERE.sub("", str(exc.msg or exc)).strip()
    line, column = exc.lineno, exc.offset
    text = source.data.decode("utf-8", errors="replace")
    if "LoadDocumentCallback" in problem:
        problem = "refers to a remote JSON-LD @context, which legalkg never fetches; inline the context"
        line, column = _position(text, _REMOTE_CONTEXT.search(text))
    elif fmt == ox.RdfFormat.RDF_XML and (entity := _EXTERNAL_ENTITY.search(text)):
        problem = (
            f"declares the external entity '{entity['name']}' ({entity['kind']}), which legalkg never "
            "fetches; write its text into the file"
        )
        line, column = _position(text, entity)
    elif fmt == ox.RdfFormat.RDF_XML and line is None:
        line, column = _xml_position(source.data)
    return RDFSyntaxError(source.path, f"is not valid {fmt.name}: {problem}", line, column)


def _position(text: str, match: re.Match[str] | None) -> tuple[int | None, int | None]:
    if match is None:
        return None, None
    offset = match.start()
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Where expat finds RDF/XML ill-formed: pyoxigraph says what, but not where.

    Expat fetches no external entity (no handler is set) and bounds entity expansion.
    """
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def with_lines(report: ValidationReport, source: Source) -> ValidationReport:
    """``report`` with each result's line in the RDF file ``source``, where its format allows."""
    if not report.results:
        return report
    _, fmt = FORMATS[source.path.suffix.lower()]
    wanted = [(r.focus, r.path, r.value) for r in report.results]
    lines = statement_lines(source.data, fmt, base_iri(source), wanted)
    return replace(report, results=[replace(r, line=n) for r, n in zip(report.results, lines, strict=True)])


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
        return LoadResult.of_graphs(graph, document)
