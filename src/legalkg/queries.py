"""Saved SPARQL queries: files in ``queries/`` with a grlc-style ``#+`` YAML header.

A parameter is a query variable named as grlc names them: ``?_instrument_iri`` (required IRI),
``?__from_xsd_date`` (optional date). legalkg binds it as an RDF term (never by pasting text
into the query). An entity parameter also takes a label, short name or acronym ("ATT"),
resolved against the graph.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from legalkg.errors import QueryError
from legalkg.namespaces import sparql_prologue
from legalkg.store.base import QueryResult, Store
from legalkg.store.sparql import term

_VARIABLE = re.compile(r"\?(?P<optional>__?)(?P<body>[A-Za-z][A-Za-z0-9_]*)")
_TYPE_SUFFIXES = ("_iri", "_xsd_date", "_xsd_integer", "_xsd_string", "_literal", "_number")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query."""

    name: str
    variable: str
    kind: str  # iri, date, integer, literal
    required: bool
    description: str = ""
    example: str | None = None
    entity: str | None = None  # the class of entity an IRI parameter names, for label lookup


@dataclass(frozen=True)
class SavedQuery:
    """A saved query and what its header says about it."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    defaults: Mapping[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query '{self.name}' has no parameter '{name}' (its parameters: {known})")


def parse_header(text: str) -> dict[str, Any]:
    """The YAML of the ``#+`` lines at the top of a query."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    header = yaml.safe_load("\n".join(lines)) if lines else {}
    return header if isinstance(header, dict) else {}


def _parameter_from(variable: str, optional: bool, spec: Mapping[str, Any]) -> Parameter:
    body = variable.lstrip("_")
    kind, name = "literal", body
    for suffix in _TYPE_SUFFIXES:
        if body.endswith(suffix):
            name = body[: -len(suffix)]
            kind = {"_iri": "iri", "_xsd_date": "date", "_xsd_integer": "integer", "_number": "integer"}.get(
                suffix, "literal"
            )
            break
    details = spec.get(name, {}) if isinstance(spec.get(name), dict) else {}
    return Parameter(
        name=name,
        variable=variable,
        kind=kind,
        required=not optional,
        description=str(details.get("description", "")),
        example=str(details["example"]) if "example" in details else None,
        entity=details.get("entity"),
    )


def load_query(path: Path) -> SavedQuery:
    """A saved query from its file."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text)
    spec = header.get("parameters", {}) or {}
    seen: dict[str, Parameter] = {}
    for match in _VARIABLE.finditer(text):
        variable = match.group("optional") + match.group("body")
        if variable not in seen:
            seen[variable] = _parameter_from(variable, match.group("optional") == "__", spec)
    return SavedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "")).strip(),
        tags=tuple(header.get("tags", []) or ()),
        parameters=tuple(seen.values()),
        defaults={str(k): str(v) for k, v in (header.get("defaults") or {}).items()},
    )


@functools.lru_cache(maxsize=4)
def _catalogue(folder: Path, stamp: tuple[tuple[str, int], ...]) -> dict[str, SavedQuery]:
    return {path.stem: load_query(path) for path in sorted(folder.glob("*.rq"))}


def catalogue(folder: Path) -> dict[str, SavedQuery]:
    """Every saved query in ``folder``, by name (parsed once until the files change)."""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.rq")))
    return _catalogue(folder, stamp)


def get(folder: Path, name: str) -> SavedQuery:
    """The saved query ``name``.

    Raises:
        QueryError: listing the saved queries that exist.
    """
    queries = catalogue(folder)
    if name not in queries:
        known = ", ".join(sorted(queries))
        raise QueryError(f"no saved query '{name}' (known: {known})")
    return queries[name]


# The properties that name an entity, for a parameter given by name.
NAME_PROPERTIES = (
    "rdfs:label", "skos:prefLabel", "skos:altLabel", "lkg:shortName", "lkg:acronym", "skos:notation", "lkg:alpha3", "lkg:alpha2"
)


def _resolve_exact(forms: Sequence[Literal]) -> str:
    # A name as it is written, plain or in any of the languages names are kept in: one index
    # lookup per form (a name is the object of few triples), all in one query.
    return (
        sparql_prologue()
        + f"SELECT DISTINCT ?entity WHERE {{\n  VALUES ?name {{ {' '.join(term(f) for f in forms)} }}\n"
        + f"  ?entity ?property ?name .\n  FILTER (?property IN ({', '.join(NAME_PROPERTIES)}))\n}}\n"
    )


# Failing that, the name in any letter case: a scan of the names, slower in a large store.
_RESOLVE_ANY_CASE = (
    sparql_prologue()
    + f"SELECT DISTINCT ?entity WHERE {{\n  VALUES ?property {{ {' '.join(NAME_PROPERTIES)} }}\n"
    + "  ?entity ?property ?name .\n  FILTER (LCASE(STR(?name)) = ?needle)\n}\n"
)
# Of several entities with the name, those of the class the parameter names (?wanted ends
# the class's IRI): asked only when a name is shared, which is rare.
_OF_CLASS = (
    "SELECT ?entity WHERE {\n  FILTER EXISTS { ?entity a ?type FILTER (STRENDS(STR(?type), ?wanted)) }\n}\n"
)
NAME_LANGUAGES = ("en", "fr", "es")


def resolve_entity(store: Store, value: str, parameter: Parameter) -> URIRef:
    """The IRI a parameter value names: an IRI as it is, else the entity with that name (of
    the parameter's class of entity, where one has that name).

    Raises:
        QueryError: when nothing in the graph has that name.
    """
    if re.match(r"^(?:https?|urn):", value):
        return URIRef(value)
    forms = [Literal(value), *(Literal(value, lang=lang) for lang in NAME_LANGUAGES)]
    rows = store.select(_resolve_exact(forms)).rows
    if not rows:
        rows = store.select(_RESOLVE_ANY_CASE, {"needle": Literal(value.lower())}).rows
    candidates = sorted({r["entity"] for r in rows if isinstance(r["entity"], URIRef)})
    if parameter.entity and len(candidates) > 1:
        wanted = Literal(parameter.entity)
        typed = [e for e in candidates if store.select(_OF_CLASS, {"entity": e, "wanted": wanted}).rows]
        candidates = typed or candidates
    if not candidates:
        raise QueryError(
            f"nothing in the graph is named '{value}' for parameter '{parameter.name}'"
            + (
                f" (give an IRI, a label or a short name such as {parameter.example})"
                if parameter.example
                else ""
            )
        )
    # Prefer the reference entity (its IRI is the shortest) when several share a name.
    return URIRef(min(candidates, key=lambda e: (len(e), e)))


def _term(store: Store, parameter: Parameter, value: str) -> Node:
    if parameter.kind == "iri":
        return resolve_entity(store, value, parameter)
    if parameter.kind == "date":
        try:
            return Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise QueryError(
                f"parameter '{parameter.name}' takes a date as YYYY-MM-DD, not '{value}'"
            ) from exc
    if parameter.kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter '{parameter.name}' takes a whole number, not '{value}'")
        return Literal(int(value))
    return Literal(value)


def bind(store: Store, query: SavedQuery, values: Mapping[str, str]) -> dict[str, Node]:
    """The RDF terms to bind for ``values`` (by parameter name), with the header's defaults.

    Raises:
        QueryError: for an unknown parameter, a missing required one, or a value of the wrong kind.
    """
    merged = {**query.defaults, **values}
    for name in values:
        query.parameter(name)
    bindings: dict[str, Node] = {}
    for parameter in query.parameters:
        if parameter.name not in merged:
            if parameter.required:
                example = (
                    f" (for example -p {parameter.name}={parameter.example})" if parameter.example else ""
                )
                raise QueryError(f"query '{query.name}' needs the parameter '{parameter.name}'{example}")
            continue
        bindings[parameter.variable] = _term(store, parameter, merged[parameter.name])
    return bindings


def run(
    store: Store,
    query: SavedQuery,
    values: Mapping[str, str] | None = None,
    *,
    graphs: Sequence[URIRef] | None = None,
) -> QueryResult:
    """Run a saved query with its parameters bound as RDF terms."""
    bindings = bind(store, query, values or {})
    return store.select(query.text, bindings, graphs=graphs)
