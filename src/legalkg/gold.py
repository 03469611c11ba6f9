"""The gold annotation form: what a source graph says, as the evaluation set writes it.

``gold_view`` reads the triples a loader produced (the same graph ``ingest`` commits) and the
reference data, and writes one object per document: its events (type, label, dates, place,
organizers, counts, parent, instruments, SDG targets) and the agencies, countries,
instruments and SDG targets it names. It is a view of the graph, not a second extractor.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from legalkg.namespaces import LKG, SDGO

EVENT_TYPES = {
    LKG.Conference: "Conference",
    LKG.Meeting: "Meeting",
    LKG.Workshop: "Workshop",
    LKG.Training: "Training",
    LKG.Seminar: "Seminar",
    LKG.Session: "Session",
    LKG.Event: "Other",
}


class _Names:
    """Names of the things a source graph points to, from it or from the reference data."""

    def __init__(self, graph: Graph, reference: Graph, text: str) -> None:
        self.graph = graph
        self.reference = reference
        self.text = text

    def value(self, node: Node, prop: URIRef) -> Node | None:
        found = self.graph.value(node, prop)
        return found if found is not None else self.reference.value(node, prop)

    def label(self, node: Node) -> str:
        for prop in (RDFS.label, SKOS.prefLabel):
            found = self.value(node, prop)
            if found is not None:
                return str(found)
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def agency(self, node: Node) -> str:
        label = self.label(node)
        acronym = self.graph.value(node, LKG.acronym)
        if acronym is not None and str(acronym) not in label:
            label = f"{label} ({acronym})"
        country = self.value(node, LKG.agencyCountry)
        if country is not None:
            country_label = self.label(country)
            if country_label.lower() not in label.lower():
                return f"{label} ({country_label})"
        return label

    def instrument(self, node: Node) -> str:
        short = self.value(node, LKG.shortName)
        return str(short) if short is not None else self.label(node)

    def country(self, node: Node) -> str:
        alpha3 = self.value(node, LKG.alpha3)
        return str(alpha3) if alpha3 is not None else str(node).rsplit("/", 1)[-1]

    def city(self, node: Node) -> str:
        # The name as the document writes it ("New York"), else the place's label.
        for name in self.graph.objects(node, SKOS.altLabel):
            if str(name) in self.text:
                return str(name)
        return self.label(node)

    def sdg(self, node: Node) -> str | None:
        notation = self.value(node, SKOS.notation)
        if notation is None or self._is_goal(node):
            return None
        return str(notation)

    def _is_goal(self, node: Node) -> bool:
        return (node, RDF.type, SDGO.Goal) in self.reference or (node, RDF.type, SDGO.Goal) in self.graph

    def kind(self, node: Node) -> str | None:
        for cls, name in EVENT_TYPES.items():
            if (node, RDF.type, cls) in self.graph and cls != LKG.Event:
                return name
        if (node, RDF.type, LKG.Event) in self.graph:
            return "Other"
        return None


def _sorted(values: set[str]) -> list[str]:
    return sorted(values, key=str.lower)


def _count(node: Node | None) -> int | None:
    return int(node) if node is not None else None  # type: ignore[call-overload]


def _event(names: _Names, event: URIRef) -> dict[str, Any]:
    g = names.graph
    start = g.value(event, LKG.startDate)
    end = g.value(event, LKG.endDate)
    city = g.value(event, LKG.city)
    country = g.value(event, LKG.country)
    parent = g.value(event, LKG.partOf)
    online = (event, LKG.attendanceMode, LKG.OnlineAttendance) in g
    # A session takes place where its event does, unless it says otherwise.
    inherits = parent is not None and city is None and country is None and not online
    if inherits and (parent, LKG.attendanceMode, LKG.OnlineAttendance) not in g:
        city = g.value(parent, LKG.city)
        country = g.value(parent, LKG.country)
    return {
        "label": names.label(event),
        "type": names.kind(event),
        "start": str(start) if start is not None else None,
        "end": str(end) if end is not None else None,
        "city": names.city(city) if city is not None else None,
        "country": names.country(country) if country is not None else None,
        "organizers": _sorted({names.agency(o) for o in g.objects(event, LKG.organizer)}),
        "participants": _count(g.value(event, LKG.participantCount)),
        "participant_countries": _count(g.value(event, LKG.participantCountryCount)),
        "part_of": names.label(parent) if parent is not None else None,
        "instruments": _sorted({names.instrument(i) for i in g.objects(event, LKG.covers)}),
        "sdg_targets": _sorted({s for s in (names.sdg(c) for c in g.objects(event, LKG.addresses)) if s}),
    }


def gold_view(graph: Graph, reference: Graph, *, file: str, text: str = "") -> dict[str, Any]:
    """One document's source graph in the gold annotation form."""
    names = _Names(graph, reference, text)
    document = next(graph.subjects(RDF.type, LKG.SourceDocument), None)
    events = sorted(
        (e for e in graph.objects(document, LKG.reports) if isinstance(e, URIRef)),
        key=lambda e: (str(graph.value(e, LKG.startDate) or "9999"), str(e)),
    )
    mentioned = [m for m in graph.objects(document, LKG.mentions) if isinstance(m, URIRef)]

    def typed(node: URIRef, *classes: URIRef) -> bool:
        return any((node, RDF.type, c) in graph or (node, RDF.type, c) in reference for c in classes)

    return {
        "file": file,
        "title": str(graph.value(document, URIRef("http://purl.org/dc/terms/title")) or "") or None,
        "events": [_event(names, e) for e in events],
        "agencies": _sorted(
            {names.agency(m) for m in mentioned if typed(m, LKG.Agency, LKG.Unit, LKG.Programme)}
        ),
        "countries": _sorted({names.country(m) for m in mentioned if typed(m, LKG.Country)}),
        "instruments": _sorted({names.instrument(m) for m in mentioned if typed(m, LKG.LegalInstrument)}),
        "sdg_targets": _sorted(
            {s for s in (names.sdg(m) for m in mentioned if typed(m, SDGO.Target, SDGO.Indicator)) if s}
        ),
    }
