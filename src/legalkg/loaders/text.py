"""The text loader: a plain-text report becomes events, mentions and evidence as RDF.

Reading is done by :mod:`legalkg.text`; this module only turns what was read into triples,
with one :class:`lkg:Evidence` per fact (the fact, the sentence it came from, the rule).
"""

from __future__ import annotations

import datetime as dt

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from legalkg.iris import Iris, slugify
from legalkg.loaders.base import LoadContext, LoadResult, Source, Triple, document_node
from legalkg.namespaces import LKG, OA
from legalkg.text.model import Event, Evidence, Extraction
from legalkg.text.reader import read

EVENT_CLASSES = {
    "Conference": LKG.Conference,
    "Meeting": LKG.Meeting,
    "Workshop": LKG.Workshop,
    "Training": LKG.Training,
    "Seminar": LKG.Seminar,
    "Session": LKG.Session,
    "Other": LKG.Event,
}
PRECISIONS = {"at least": LKG.AtLeast, "approximately": LKG.Approximately}
ROLE_PROPERTIES = {
    "organizers": LKG.organizer,
    "hosts": LKG.host,
    "participants": LKG.participant,
    "presenters": LKG.presenter,
    "funders": LKG.funder,
    "participating_countries": LKG.participatingCountry,
    "instruments": LKG.covers,
    "sdgs": LKG.addresses,
}


# rdflib resolves a namespace attribute on every use; these are read thousands of times.
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_EVIDENCE, _RULE, _SENTENCE = LKG.Evidence, LKG.rule, LKG.Sentence
_HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = OA.hasTarget, OA.hasSource, OA.hasSelector
_QUOTE, _POSITION, _EXACT, _START, _END = (
    OA.TextQuoteSelector,
    OA.TextPositionSelector,
    OA.exact,
    OA.start,
    OA.end,
)
_NON_NEGATIVE = XSD.nonNegativeInteger


class _GraphWriter:
    """Collects facts, each with its evidence, into the triples of one graph."""

    def __init__(self, triples: set[Triple], document: URIRef, text: str, iris: Iris) -> None:
        self.triples = triples
        self.document = document
        self.text = text
        self.iris = iris
        self._evidence: set[URIRef] = set()
        self._sentences: set[URIRef] = set()

    def fact(self, subject: URIRef, predicate: URIRef, obj: Node, evidence: Evidence) -> None:
        add = self.triples.add
        add((subject, predicate, obj))
        node = self.iris.evidence(self.document, subject, predicate, obj)
        if node in self._evidence:
            return  # the first sentence that stated it is the evidence
        self._evidence.add(node)
        sentence = evidence.sentence
        target = self.iris.sentence(self.document, sentence.start, sentence.end)
        add((node, _TYPE, _EVIDENCE))
        add((node, _SUBJECT, subject))
        add((node, _PREDICATE, predicate))
        add((node, _OBJECT, obj))
        add((node, _HAS_TARGET, target))
        add((node, _RULE, Literal(evidence.rule)))
        if target not in self._sentences:
            self._sentences.add(target)
            quote = URIRef(f"{target}/quote")
            position = URIRef(f"{target}/position")
            add((target, _TYPE, _SENTENCE))
            add((target, _HAS_SOURCE, self.document))
            add((target, _HAS_SELECTOR, quote))
            add((target, _HAS_SELECTOR, position))
            add((quote, _TYPE, _QUOTE))
            add((quote, _EXACT, Literal(self.text[sentence.start : sentence.end])))
            add((position, _TYPE, _POSITION))
            add((position, _START, Literal(sentence.start, datatype=_NON_NEGATIVE)))
            add((position, _END, Literal(sentence.end, datatype=_NON_NEGATIVE)))

    def plain(self, subject: URIRef, predicate: URIRef, obj: Node) -> None:
        self.triples.add((subject, predicate, obj))


def _date(value: object) -> Literal:
    assert isinstance(value, dt.date)
    return Literal(value.isoformat(), datatype=XSD.date)


def _event_iris(extraction: Extraction, iris: Iris, document_key: str) -> dict[int, URIRef]:
    """IRIs from what identifies each event: name and start date; a session's from its parent."""
    result: dict[int, URIRef] = {}
    for event in sorted(extraction.events, key=lambda e: e.parent is not None):
        if event.parent is not None and event.parent.key in result:
            key: str | int = event.session_number or slugify(event.label)
            result[event.key] = iris.session(result[event.parent.key], key)
            continue
        start = event.start.value.isoformat() if event.start is not None else None  # type: ignore[attr-defined]
        place = event.country or event.city  # an alpha-3 code reads better in an IRI than a GeoNames id
        result[event.key] = iris.event(
            event.label, start, scope=document_key, place=str(place.value) if place is not None else None
        )
    return result


def extraction_triples(extraction: Extraction, source: Source, text: str, iris: Iris) -> tuple[set[Triple], URIRef]:
    """The RDF of what was read from one report."""
    triples: set[Triple] = set()
    document = document_node(triples, source, iris, title=extraction.title)
    writer = _GraphWriter(triples, document, text, iris)
    event_iris = _event_iris(extraction, iris, source.key)
    for agency in extraction.agencies.values():
        writer.plain(agency.iri, RDF.type, LKG.Unit if agency.parent else LKG.Agency)
        writer.fact(agency.iri, RDFS.label, Literal(agency.label), agency.evidence)
        writer.plain(agency.iri, LKG.reviewStatus, LKG.AwaitingReview)
        writer.plain(agency.iri, PROV.wasDerivedFrom, document)
        if agency.country is not None:
            writer.fact(agency.iri, LKG.agencyCountry, agency.country, agency.evidence)
        if agency.parent is not None:
            writer.fact(agency.iri, LKG.unitOf, agency.parent, agency.evidence)
        if agency.acronym:
            writer.fact(agency.iri, LKG.acronym, Literal(agency.acronym), agency.evidence)
    for instrument in extraction.instruments.values():
        writer.plain(instrument.iri, RDF.type, LKG.LegalInstrument)
        writer.fact(instrument.iri, RDFS.label, Literal(instrument.label), instrument.evidence)
        writer.plain(instrument.iri, LKG.reviewStatus, LKG.AwaitingReview)
        writer.plain(instrument.iri, PROV.wasDerivedFrom, document)
    for event in extraction.events:
        _write_event(writer, event, event_iris)
    for mention in extraction.mentions.values():
        writer.fact(document, LKG.mentions, mention.iri, mention.evidence)
    return triples, document


def place_triples(extraction: Extraction) -> set[Triple]:
    """What the gazetteer says of the places a report names: their names and countries."""
    triples: set[Triple] = set()
    for place in extraction.places.values():
        triples.add((place.iri, RDF.type, LKG.City))
        triples.add((place.iri, RDFS.label, Literal(place.label)))
        for written in sorted(place.written):
            triples.add((place.iri, SKOS.altLabel, Literal(written)))
        if place.country is not None:
            triples.add((place.iri, LKG.inCountry, place.country))
        if place.geonames_id:
            triples.add((place.iri, LKG.geonamesId, Literal(place.geonames_id)))
    return triples


def _write_event(writer: _GraphWriter, event: Event, event_iris: dict[int, URIRef]) -> None:
    iri = event_iris[event.key]
    document = writer.document
    writer.plain(iri, RDF.type, EVENT_CLASSES[event.kind])
    writer.fact(iri, RDFS.label, Literal(event.label), event.label_evidence)
    writer.plain(iri, PROV.wasDerivedFrom, document)
    writer.plain(iri, LKG.reviewStatus, LKG.AwaitingReview)  # read by a machine, not yet by a person
    writer.fact(document, LKG.reports, iri, event.label_evidence)
    if event.parent is not None and event.parent_evidence is not None:
        writer.fact(iri, LKG.partOf, event_iris[event.parent.key], event.parent_evidence)
    if event.session_number is not None and event.kind == "Session":
        writer.fact(
            iri,
            LKG.sessionNumber,
            Literal(event.session_number, datatype=XSD.positiveInteger),
            event.label_evidence,
        )
    if event.start is not None and event.end is not None:
        writer.fact(iri, LKG.startDate, _date(event.start.value), event.start.evidence)
        writer.fact(iri, LKG.endDate, _date(event.end.value), event.end.evidence)
    if event.online is not None:
        writer.fact(iri, LKG.attendanceMode, LKG.OnlineAttendance, event.online)
    else:
        if event.city is not None:
            writer.fact(iri, LKG.city, event.city.value, event.city.evidence)  # type: ignore[arg-type]
        if event.country is not None:
            writer.fact(iri, LKG.country, event.country.value, event.country.evidence)  # type: ignore[arg-type]
    if event.participant_count is not None:
        writer.fact(
            iri,
            LKG.participantCount,
            Literal(event.participant_count.value, datatype=XSD.nonNegativeInteger),
            event.participant_count.evidence,
        )
        if event.count_precision in PRECISIONS:
            writer.fact(
                iri,
                LKG.participantCountPrecision,
                PRECISIONS[event.count_precision],
                event.participant_count.evidence,
            )
    if event.country_count is not None:
        writer.fact(
            iri,
            LKG.participantCountryCount,
            Literal(event.country_count.value, datatype=XSD.nonNegativeInteger),
            event.country_count.evidence,
        )
    for attribute, predicate in ROLE_PROPERTIES.items():
        for obj, evidence in getattr(event, attribute).items():
            writer.fact(iri, predicate, obj, evidence)


class TextLoader:
    """Plain-text reports: press releases, news items, programme notes."""

    name = "text"
    suffixes: tuple[str, ...] = (".txt", ".text")
    media_type = "text/plain"

    def load(self, source: Source, context: LoadContext) -> LoadResult:
        text = source.text()
        return self.load_text(source, text, context)

    def load_text(self, source: Source, text: str, context: LoadContext) -> LoadResult:
        """Read ``text`` (the readable text of ``source``) into a graph."""
        extraction = read(
            text,
            context.gazetteer,
            iris=context.iris,
            document_key=source.key,
            sdg_notations=set(context.sdg_notations),
            published=source.published,
        )
        triples, document = extraction_triples(extraction, source, text, context.iris)
        notes = [f"{source.name}: {note}" for note in extraction.notes]
        return LoadResult(tuple(triples), document, notes, tuple(place_triples(extraction)))
