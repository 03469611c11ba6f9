"""The line of an RDF file that holds the triple a validation result is about.

A steward fixes a partner's file, not the graph made of it, so a result names a line where
the format allows:

- N-Triples and N-Quads hold one statement a line: the lines that start with the focus node
  are parsed and their terms compared, so the line is exact.
- Turtle and TriG statements span lines and name a node in several ways (a full or relative
  IRI, a prefixed name, the subject of a ``;`` list). The file is cut into tokens that keep
  their line, and walked by the grammar: the statement is found by its terms, never by its
  text. Any token the walker does not know (RDF 1.2 triple terms) leaves the lines unknown.
- JSON-LD and RDF/XML are not walked: a line is given only when the text names the value,
  or the subject, on exactly one line; otherwise there is none.

A result without a path, or whose triple is not in the file, points at the subject's first
line; one whose value is not found, at its predicate's line.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urljoin
from xml.sax.saxutils import escape

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from legalkg.store.terms import to_rdflib

# What a validation result says: its focus node, its path and its value.
Wanted = tuple[Node, Node | None, Node | None]


class _Statement(NamedTuple):
    predicate: Node
    object: Node | None  # None for a blank node or a collection: not comparable with a result's
    subject_line: int
    predicate_line: int
    object_line: int


Statements = dict[Node, list[_Statement]]


def statement_lines(
    data: bytes, fmt: ox.RdfFormat, base_iri: str, wanted: Sequence[Wanted]
) -> list[int | None]:
    """The line (from 1) of each wanted (focus, path, value) in an RDF file, or None."""
    text = data.decode("utf-8-sig", errors="replace")
    foci = {focus for focus, _, _ in wanted if isinstance(focus, URIRef)}
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        statements = _line_statements(text, fmt, foci)
    elif fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        statements = _TurtleWalker(text, base_iri, foci).walk()
    else:
        return _text_lines(text, wanted, xml=fmt == ox.RdfFormat.RDF_XML)
    return [_pick(statements, *w) for w in wanted]


def _pick(statements: Statements, focus: Node, path: Node | None, value: Node | None) -> int | None:
    about = statements.get(focus)
    if not about:
        return None
    if path is not None:
        said = [s for s in about if s.predicate == path]
        exact = [s for s in said if value is not None and s.object == value]
        if exact:
            return exact[0].object_line
        if said:
            return said[0].predicate_line
    return min(s.subject_line for s in about)


_UCHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match[1] or match[2]
        return chr(int(code, 16)) if code else _ECHAR.get(match[3], match[3])

    return _UCHAR.sub(one, text) if "\\" in text else text


def _line_statements(text: str, fmt: ox.RdfFormat, foci: set[URIRef]) -> Statements:
    found: Statements = defaultdict(list)
    subjects = {str(f) for f in foci}
    for number, line in enumerate(text.split("\n"), start=1):
        head = line.lstrip()
        # Only the lines about a wanted subject are parsed: a file may hold millions of them.
        if not head.startswith("<") or _unescape(head[1 : head.find(">")]) not in subjects:
            continue
        try:
            quads = list(ox.parse(line.encode(), format=fmt))
        except SyntaxError:
            continue
        for quad in quads:
            statement = _Statement(to_rdflib(quad.predicate), to_rdflib(quad.object), number, number, number)
            found[to_rdflib(quad.subject)].append(statement)
    return found


_TOKEN = re.compile(
    r"""
    (?P<skip>[ \t\r\n]+|\#[^\n]*)
  | (?P<string>\"{3}(?:[^"\\]|\\.|"(?!""))*\"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
      |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<datatype>\^\^)
  | (?P<bnode>_:[\w.\-]*[\w\-])
  | (?P<number>[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+))
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:(?:[\w:%\-]|\\.)(?:(?:[\w.:%\-]|\\.)*(?:[\w:%\-]|\\.))?)?)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[.;,\[\](){}])
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_NUMBER_TYPES = ((re.compile(r"[eE]"), XSD.double), (re.compile(r"\."), XSD.decimal))
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class _Token(NamedTuple):
    kind: str
    text: str
    line: int


class _Unreadable(Exception):
    """The walker met what it does not know; the file's lines stay unknown."""


class _TurtleWalker:
    """Walks Turtle and TriG tokens, keeping the statements whose subject is wanted."""

    def __init__(self, text: str, base_iri: str, foci: set[URIRef]) -> None:
        self.tokens = list(_tokens(text))
        self.at = 0
        self.base = base_iri
        self.prefixes: dict[str, str] = {}
        self.foci: set[Node] = set(foci)
        self.found: Statements = defaultdict(list)

    def walk(self) -> Statements:
        try:
            while (token := self.peek()) is not None:
                keyword = token.text.lower() if token.kind in ("word", "lang") else ""
                if keyword in ("@prefix", "prefix"):
                    self.at += 1
                    name, iri = self.next(), self.next()
                    self.prefixes[name.text[:-1]] = str(self.iri(iri))
                elif keyword in ("@base", "base"):
                    self.at += 1
                    self.base = str(self.iri(self.next()))
                elif keyword == "graph" or token.text in (".", "{", "}"):
                    self.at += 1
                elif (after := self.peek(1)) is not None and after.text == "{":
                    self.at += 2  # a TriG graph's name: its statements follow inside the braces
                else:
                    self.triples()
        except _Unreadable:
            return {}
        return self.found

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def next(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _Unreadable
        self.at += 1
        return token

    def skip(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.text == text:
            self.at += 1
            return True
        return False

    def triples(self) -> None:
        token = self.peek()
        assert token is not None
        if token.text in ("[", "("):
            self.object()  # an anonymous subject: not a result's focus, but its objects need walking
            if (after := self.peek()) is not None and after.text not in (".", "{", "}"):
                self.predicate_objects(None, token.line)
            return
        self.at += 1
        self.predicate_objects(self.node(token), token.line)

    def predicate_objects(self, subject: Node | None, subject_line: int) -> None:
        while True:
            verb = self.next()
            predicate = RDF.type if verb.text == "a" else self.iri(verb)
            self.objects(subject, subject_line, predicate, verb.line)
            if not self.skip(";"):
                return
            while self.skip(";"):
                pass
            after = self.peek()
            if after is None or after.text in (".", "]", "}"):
                return

    def objects(self, subject: Node | None, subject_line: int, predicate: Node, predicate_line: int) -> None:
        while True:
            token = self.peek()
            line = token.line if token is not None else predicate_line
            value = self.object()
            if subject is not None and subject in self.foci:
                self.found[subject].append(_Statement(predicate, value, subject_line, predicate_line, line))
            if not self.skip(","):
                return

    def object(self) -> Node | None:
        token = self.next()
        if token.kind == "string":
            return self.literal(token)
        if token.kind == "number":
            datatype = next((t for pattern, t in _NUMBER_TYPES if pattern.search(token.text)), XSD.integer)
            return Literal(token.text, datatype=datatype)
        if token.text in ("true", "false"):
            return Literal(token.text, datatype=XSD.boolean)
        if token.text == "[":
            if not self.skip("]"):
                self.predicate_objects(None, token.line)
                if not self.skip("]"):
                    raise _Unreadable
            return None
        if token.text == "(":
            while not self.skip(")"):
                self.object()
            return None
        return self.node(token)

    def literal(self, token: _Token) -> Literal:
        quotes = 3 if token.text[:3] in ('"""', "'''") else 1
        lexical = _unescape(token.text[quotes:-quotes])
        after = self.peek()
        if after is not None and after.kind == "lang":
            self.at += 1
            return Literal(lexical, lang=after.text[1:].lower())  # as pyoxigraph gives it
        if self.skip("^^"):
            datatype = self.iri(self.next())
            if datatype != XSD.string:  # read as plain literals (legalkg.store.terms)
                return Literal(lexical, datatype=datatype)
        return Literal(lexical)

    def node(self, token: _Token) -> Node | None:
        """An IRI or prefixed name as an IRI; None for a blank node."""
        if token.kind == "iri":
            iri = _unescape(token.text[1:-1])
            return URIRef(iri if _ABSOLUTE.match(iri) else urljoin(self.base, iri))
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.prefixes:
                raise _Unreadable
            return URIRef(self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local))
        if token.kind == "bnode":
            return None
        raise _Unreadable

    def iri(self, token: _Token) -> URIRef:
        node = self.node(token)
        if not isinstance(node, URIRef):
            raise _Unreadable
        return node


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    line, last = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None or kind == "skip":
            continue
        line += text.count("\n", last, match.start())
        last = match.start()
        tokens.append(_Token(kind, match.group(), line))
    return tokens


# Where JSON-LD and RDF/XML write a node's IRI, and where they write values (strings, JSON
# numbers and booleans; element text and attribute values): the first group that matched holds it.
_JSON_ID = re.compile(r'"@id"\s*:\s*"((?:[^"\\\n]|\\.)*)"')
_JSON_VALUE = re.compile(r'"((?:[^"\\\n]|\\.)*)"|(?<=[:\[,])\s*(-?\d[\d.eE+\-]*|true|false)(?=\s*[,\]}])')
_XML_ABOUT = re.compile(r"\babout\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_XML_VALUE = re.compile(r">([^<]*)<|=\s*(?:\"([^\"]*)\"|'([^']*)')")
# Names a file gives to namespaces: JSON-LD context terms, or XML entities (&ev;).
_JSON_NAME = re.compile(r'"([\w.\-]+)"\s*:\s*"([^"\s]+[/#:])"')
_XML_NAME = re.compile(r"<!ENTITY\s+([\w.\-]+)\s+[\"']([^\"'<>\s]+[/#:])[\"']")


def _text_lines(text: str, wanted: Sequence[Wanted], *, xml: bool) -> list[int | None]:
    """JSON-LD and RDF/XML: the one line that writes a result's value, or else its subject's."""
    names = (_XML_NAME if xml else _JSON_NAME).findall(text)
    asked = [
        (
            _spellings(focus, names, xml=xml) if isinstance(focus, URIRef) else set(),
            _spellings(value, names, xml=xml) if path is not None and value is not None else set(),
        )
        for focus, path, value in wanted
    ]
    # One pass each over the text, keeping only what the results ask about.
    subjects = _occurrences(text, _XML_ABOUT if xml else _JSON_ID, set().union(*(s for s, _ in asked)))
    values = _occurrences(text, _XML_VALUE if xml else _JSON_VALUE, set().union(*(v for _, v in asked)))
    lines: list[int | None] = []
    for subject_spellings, value_spellings in asked:
        subject = {n for spelling in subject_spellings for n in subjects.get(spelling, ())}
        holding = {n for spelling in value_spellings for n in values.get(spelling, ())}
        if not subject:
            lines.append(None)  # not in the file: a node the loader added
        elif len(holding) == 1:
            lines.append(holding.pop())
        else:
            lines.append(subject.pop() if len(subject) == 1 else None)
    return lines


def _spellings(term: Node, names: list[tuple[str, str]], *, xml: bool) -> set[str]:
    """How a JSON-LD or RDF/XML file may write a term, as the text between its delimiters."""
    if isinstance(term, URIRef):
        iri = str(term)
        short = [(f"&{n};" if xml else f"{n}:") + iri[len(ns) :] for n, ns in names if iri.startswith(ns)]
        forms = [escape(iri, {'"': "&quot;"}) if xml else iri, *short]
    elif isinstance(term, Literal) and "\n" not in term:
        forms = [escape(str(term)), escape(str(term), {'"': "&quot;"})] if xml else [str(term)]
    else:
        return set()
    if xml:
        return set(forms)
    return {json.dumps(f)[1:-1] for f in forms} | {json.dumps(f, ensure_ascii=False)[1:-1] for f in forms}


def _occurrences(text: str, pattern: re.Pattern[str], wanted: set[str]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    if not wanted:
        return found
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    for match in pattern.finditer(text):
        group = match.lastindex or 0
        if match[group] in wanted:
            found[match[group]].add(bisect_right(starts, match.start(group)))
    return found
