"""Minting IRIs: the one place that knows how every kind of node is named.

Same input, same IRIs: an event's IRI derives from what identifies it (its name and start
date), a document's from the SHA-256 of its bytes, a fact's evidence from the fact itself.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from legalkg.namespaces import DEFAULT_BASE, GEONAMES, SDG


def slugify(text: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug of ``text``: letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "x"


def content_key(data: bytes) -> str:
    """The key of a source: the first 16 hex digits of the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def _fact_key(subject: Node, predicate: Node, obj: Node) -> str:
    text = f"{subject.n3()} {predicate.n3()} {obj.n3()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sdg_concept(notation: str) -> URIRef:
    """The UN's IRI of an SDG goal ("16"), target ("16.4") or indicator ("16.4.2")."""
    parts = notation.split(".")
    if len(parts) == 3:
        goal, target, indicator = parts
        return SDG[f"C{int(goal):02d}{target.zfill(2)}{int(indicator):02d}"]
    return SDG[notation]


def geonames_city(geonames_id: int | str) -> URIRef:
    """The GeoNames IRI of a city."""
    return URIRef(f"{GEONAMES}{geonames_id}/")


@dataclass(frozen=True)
class Iris:
    """IRIs under one base (``https://w3id.org/legalkg/`` unless configured otherwise)."""

    base: str = DEFAULT_BASE

    def entity(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{key}")

    def instrument(self, slug: str) -> URIRef:
        return self.entity("instrument", slug)

    def agency(self, slug: str) -> URIRef:
        return self.entity("agency", slug)

    def country(self, alpha3: str) -> URIRef:
        return self.entity("country", alpha3.upper())

    def topic(self, slug: str) -> URIRef:
        return self.entity("topic", slug)

    def event(
        self, name: str, start: str | None, *, scope: str | None = None, place: str | None = None
    ) -> URIRef:
        """An event's IRI from its name and start date.

        ``scope`` (a document key) keeps apart events that have neither a distinctive name nor
        a date, so that two reports' "the workshop" never meet by accident. ``place`` (where it
        took place, as a name or IRI) keeps apart events whose name is a common noun ("closing
        event", all lower case): two projects' closing events on one day are two events.
        """
        parts = [slugify(name)]
        if place and name == name.lower():
            parts.append(slugify(place.rstrip("/").rsplit("/", 1)[-1]))
        if start:
            parts.append(start)
        elif scope:
            parts.append(scope)
        return self.entity("event", "-".join(parts))

    def session(self, event: URIRef, key: str | int) -> URIRef:
        return URIRef(f"{event}/session/{slugify(str(key))}")

    def document(self, key: str) -> URIRef:
        return self.entity("document", key)

    def evidence(self, document: URIRef, subject: Node, predicate: Node, obj: Node) -> URIRef:
        return URIRef(f"{document}/evidence/{_fact_key(subject, predicate, obj)}")

    def sentence(self, document: URIRef, start: int, end: int) -> URIRef:
        return URIRef(f"{document}/sentence/{start}-{end}")

    def graph(self, key: str) -> URIRef:
        return URIRef(f"{self.base}graph/{key}")

    @property
    def ontology_graph(self) -> URIRef:
        return self.graph("ontology")

    @property
    def reference_graph(self) -> URIRef:
        return self.graph("reference")

    @property
    def places_graph(self) -> URIRef:
        return self.graph("places")

    @property
    def inferred_graph(self) -> URIRef:
        return self.graph("inferred")

    @property
    def defaults_graph(self) -> URIRef:
        """What the default rules conclude (a session takes place where its event does)."""
        return self.graph("inferred/defaults")

    def staging_graph(self, name: str) -> URIRef:
        """A graph that holds work in progress: a source not yet committed, a reasoning step.
        Whatever a crash leaves under this prefix is dropped when the store is next opened."""
        return self.graph(f"staging/{name}")

    @property
    def sources_graph(self) -> URIRef:
        return self.graph("sources")

    def is_source_graph(self, graph: str) -> bool:
        """Whether ``graph`` holds one source (not the ontology, reference, inferred or catalogue)."""
        if not graph.startswith(f"{self.base}graph/"):
            return False
        key = graph[len(self.base) + len("graph/") :]
        return re.fullmatch(r"[0-9a-f]{16}", key) is not None
