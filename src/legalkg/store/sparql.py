"""Binding parameters into SPARQL as RDF terms, the same way for every store.

A binding becomes a ``VALUES`` block at the start of each ``WHERE`` group of the query (the
main one and each subquery's), each value written as an RDF term by rdflib (IRIs checked,
literals escaped): a parameter's text is never pasted into the query.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from legalkg.errors import QueryError

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT_BRACE = re.compile(r"\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^{]*\{", re.IGNORECASE)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term(node: Node) -> str:
    """An RDF term as SPARQL syntax, refusing IRIs that could break out of their brackets."""
    if isinstance(node, URIRef):
        if _IRI_FORBIDDEN.search(str(node)):
            raise QueryError(f"not a valid IRI: {str(node)!r}")
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise QueryError(f"cannot bind {node!r}: only IRIs and literals can be parameters")


# A comment, or what may hold a '#' that starts none: an IRI, a string literal.
_COMMENT_OR_TOKEN = re.compile(
    r"<[^<>\"{}|^`\\\x00-\x20]*>"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|#[^\n]*"
)


@functools.lru_cache(maxsize=256)  # the saved queries and the reasoner's, masked once each
def masked(query: str) -> str:
    """``query`` with its comments and the text of its string literals blanked out, offsets
    kept: a keyword found in the result stands at the same place in the query, and none is
    taken from a comment or from a value (a bound literal may hold "WHERE {")."""

    def blank(match: re.Match[str]) -> str:
        token = match.group()
        if token[0] == "#":
            return " " * len(token)
        if token[0] in "\"'":
            quote = 3 if token[:3] in ('"""', "'''") else 1
            return token[:quote] + " " * (len(token) - 2 * quote) + token[-quote:]
        return token

    return _COMMENT_OR_TOKEN.sub(blank, query)


def where_openings(query: str) -> list[int]:
    """Where each ``WHERE {`` of ``query`` opens its group (the offset after the brace), in
    order, none taken from a comment or a string literal."""
    return [m.end() for m in _WHERE.finditer(masked(query))]


def with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``bindings`` (variable name without '?' -> term) as a VALUES block."""
    if not bindings:
        return query
    names = sorted(bindings)
    block = (
        "VALUES ("
        + " ".join(f"?{n}" for n in names)
        + ") { ("
        + " ".join(term(bindings[n]) for n in names)
        + ") }\n"
    )
    # Every WHERE group gets the block, a subquery's too: a subquery sees only its own
    # variables, and a filter on a parameter often belongs inside it, before its LIMIT.
    ends = where_openings(query)
    if not ends:
        match = _SELECT_BRACE.search(masked(query))
        if match is None:
            raise QueryError("the query has no WHERE clause to bind parameters in")
        ends = [match.end()]
    pieces, start = [], 0
    for end in ends:
        pieces.append(query[start:end] + "\n  " + block)
        start = end
    return "".join(pieces) + query[start:]
