"""Query results as people and programs read them: a table, CSV, SPARQL JSON, Markdown, XML, TSV."""

from __future__ import annotations

import csv
import io

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from legalkg.store.base import QueryResult

FORMATS = ("table", "csv", "json", "markdown", "xml", "tsv")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "markdown": "text/markdown",
}


def cell(term: Node | None) -> str:
    """A term as plain text: a literal's value, an IRI as it is."""
    if term is None:
        return ""
    return str(term)


def _rdflib_result(result: QueryResult) -> Result:
    if result.boolean is not None:
        answer = Result("ASK")
        answer.askAnswer = result.boolean
        return answer
    answer = Result("SELECT")
    answer.vars = [Variable(v) for v in result.variables]
    answer.bindings = [
        {Variable(k): v for k, v in row.items() if isinstance(v, (URIRef, Literal, BNode))}
        for row in result.rows
    ]
    return answer


def to_sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    data = _rdflib_result(result).serialize(format="json")
    assert data is not None
    return data.decode("utf-8")


def to_sparql_xml(result: QueryResult) -> str:
    data = _rdflib_result(result).serialize(format="xml")
    assert data is not None
    return data.decode("utf-8")


def to_csv(result: QueryResult, delimiter: str = ",") -> str:
    """Values only (a literal's lexical form, an IRI as it is), one row per solution."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([cell(row.get(v)) for v in result.variables])
    return out.getvalue()


def to_markdown(result: QueryResult) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    for row in result.rows:
        lines.append("| " + " | ".join(escape(cell(row.get(v))) for v in result.variables) + " |")
    return "\n".join(lines) + "\n"


def render(result: QueryResult, fmt: str) -> str:
    """``result`` in one of :data:`FORMATS` other than ``table`` (which the CLI draws)."""
    if fmt == "json":
        return to_sparql_json(result)
    if fmt == "xml":
        return to_sparql_xml(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_csv(result, delimiter="\t")
    if fmt == "markdown":
        return to_markdown(result)
    raise ValueError(f"unknown format {fmt}")
