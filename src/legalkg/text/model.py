"""What the reader finds in a report: events, entities, and the evidence of every fact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import URIRef

from legalkg.text.segment import Sentence


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, and the rule that read it."""

    sentence: Sentence
    rule: str


@dataclass
class Fact:
    """A value with its evidence."""

    value: object
    evidence: Evidence


@dataclass
class Agency:
    """An organization found in the text that the reference data does not know."""

    iri: URIRef
    label: str
    country: URIRef | None
    parent: URIRef | None
    acronym: str | None
    evidence: Evidence


@dataclass
class Instrument:
    """A legal instrument found in the text that the reference data does not know."""

    iri: URIRef
    label: str
    evidence: Evidence


@dataclass
class Place:
    """A city, from GeoNames or, failing that, named in the text with its country."""

    iri: URIRef
    label: str
    country: URIRef | None
    geonames_id: str | None
    written: set[str] = field(default_factory=set)  # how documents write it, where not as the label


@dataclass
class Event:
    """An event the report describes or announces."""

    key: int
    kind: str  # Conference, Meeting, Workshop, Training, Seminar, Session or Other
    label: str
    label_evidence: Evidence
    ordinal: int | None = None
    session_number: int | None = None
    acronym: str | None = None
    names: set[str] = field(default_factory=set)
    parent: Event | None = None
    parent_evidence: Evidence | None = None
    start: Fact | None = None  # dt.date
    end: Fact | None = None  # dt.date
    month_only: bool = False
    online: Evidence | None = None
    city: Fact | None = None  # URIRef of a Place
    country: Fact | None = None  # URIRef of a country
    organizers: dict[URIRef, Evidence] = field(default_factory=dict)
    hosts: dict[URIRef, Evidence] = field(default_factory=dict)
    participants: dict[URIRef, Evidence] = field(default_factory=dict)
    presenters: dict[URIRef, Evidence] = field(default_factory=dict)
    funders: dict[URIRef, Evidence] = field(default_factory=dict)
    participant_count: Fact | None = None  # int
    count_precision: str | None = None  # "at least" or "approximately"
    country_count: Fact | None = None  # int
    participating_countries: dict[URIRef, Evidence] = field(default_factory=dict)
    instruments: dict[URIRef, Evidence] = field(default_factory=dict)
    sdgs: dict[URIRef, Evidence] = field(default_factory=dict)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.month_only

    def set_dates(self, start: dt.date, end: dt.date, evidence: Evidence) -> None:
        self.start = Fact(start, evidence)
        self.end = Fact(end, evidence)


@dataclass
class Mention:
    """A named entity the document mentions."""

    iri: URIRef
    kind: str  # agency, country, instrument, sdg, topic
    evidence: Evidence


@dataclass
class Extraction:
    """Everything read from one report."""

    title: str | None
    published: dt.date | None
    events: list[Event] = field(default_factory=list)
    mentions: dict[URIRef, Mention] = field(default_factory=dict)
    agencies: dict[URIRef, Agency] = field(default_factory=dict)
    instruments: dict[URIRef, Instrument] = field(default_factory=dict)
    places: dict[URIRef, Place] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
