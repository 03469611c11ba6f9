"""The records loader: a CSV or JSON file of events, one event per row, in the gold form.

Columns (CSV) or fields (JSON): ``label`` (required), ``type`` (Conference, Meeting, Workshop,
Training, Seminar, Session or Other), ``start``, ``end`` (YYYY-MM-DD), ``city``, ``country``
(ISO 3166-1 alpha-3), ``organizers`` (names; in CSV separated by ``;``), ``participants``,
``participant_countries`` (whole numbers), ``part_of`` (the label of another event of the file),
``instruments`` (short names or titles) and ``sdg_targets`` (notations such as 16.4). A JSON file
is a list of such events, or a list of documents each with an ``events`` list (the form of the
evaluation set). A bad value is refused with its row (or event) and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from legalkg.errors import InputError
from legalkg.iris import sdg_concept, slugify
from legalkg.loaders.base import LoadContext, LoadResult, Source, document_node
from legalkg.namespaces import LKG
from legalkg.text.gazetteer import Gazetteer

TYPES = {
    "conference": LKG.Conference,
    "meeting": LKG.Meeting,
    "workshop": LKG.Workshop,
    "training": LKG.Training,
    "seminar": LKG.Seminar,
    "session": LKG.Session,
    "other": LKG.Event,
}
FIELDS = (
    "label",
    "type",
    "start",
    "end",
    "city",
    "country",
    "organizers",
    "participants",
    "participant_countries",
    "part_of",
    "instruments",
    "sdg_targets",
)
LIST_FIELDS = ("organizers", "instruments", "sdg_targets")


@dataclass
class _Record:
    where: str  # "row 3" or "event 2"
    values: dict[str, Any]


def _csv_records(source: Source) -> Iterator[_Record]:
    reader = csv.DictReader(io.StringIO(source.text()))
    unknown = [c for c in reader.fieldnames or [] if c not in FIELDS]
    if not reader.fieldnames or "label" not in reader.fieldnames:
        raise InputError(source.path, "needs a header row with at least a 'label' column", 1)
    if unknown:
        raise InputError(
            source.path, f"unknown column(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})", 1
        )
    for row in reader:
        values: dict[str, Any] = {}
        for key, value in row.items():
            if key is None:
                raise InputError(
                    source.path,
                    f"row {reader.line_num} has more values than the header has columns",
                    reader.line_num,
                )
            text = (value or "").strip()
            if key in LIST_FIELDS:
                values[key] = [v.strip() for v in text.split(";") if v.strip()]
            else:
                values[key] = text or None
        yield _Record(f"row {reader.line_num}", values)


def _json_records(source: Source) -> Iterator[_Record]:
    try:
        data = json.loads(source.text())
    except json.JSONDecodeError as exc:
        raise InputError(source.path, f"is not valid JSON: {exc.msg}", exc.lineno, exc.colno) from exc
    if not isinstance(data, list):
        raise InputError(source.path, "must hold a list of events (or of documents with events)")
    events: list[Any] = []
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("events"), list):
            events.extend(item["events"])
        else:
            events.append(item)
    for number, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            raise InputError(source.path, f"event {number} is not an object")
        unknown = [k for k in event if k not in FIELDS]
        if unknown:
            raise InputError(
                source.path,
                f"event {number}: unknown field(s) {', '.join(unknown)} (known: {', '.join(FIELDS)})",
            )
        yield _Record(f"event {number}", dict(event))


class _Builder:
    """Turns checked records into triples, resolving names against the reference data."""

    def __init__(self, source: Source, context: LoadContext) -> None:
        self.source = source
        self.context = context
        self.iris = context.iris
        self.gazetteer: Gazetteer = context.gazetteer
        self.graph = Graph()
        self.places = Graph()
        self.document = document_node(self.graph, source, self.iris)

    def fail(self, record: _Record, column: str, problem: str) -> InputError:
        line = int(record.where.split()[1]) if record.where.startswith("row") else None
        return InputError(self.source.path, f"{record.where}, column '{column}': {problem}", line)

    def _date(self, record: _Record, column: str) -> dt.date | None:
        value = record.values.get(column)
        if value in (None, ""):
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise self.fail(record, column, f"'{value}' is not a date as YYYY-MM-DD") from exc

    def _count(self, record: _Record, column: str) -> int | None:
        value = record.values.get(column)
        if value in (None, ""):
            return None
        if (isinstance(value, int) and value >= 0) or (isinstance(value, str) and value.isdigit()):
            return int(value)
        raise self.fail(record, column, f"'{value}' is not a whole number of zero or more")

    def _entity(self, name: str, kind: str) -> URIRef | None:
        entries = [e for e in self.gazetteer.lookup(name) if e.kind == kind]
        return entries[0].iri if entries else None

    def _country(self, record: _Record, column: str, value: str) -> URIRef:
        code = value.strip().upper()
        iri = self.iris.country(code)
        if not re.fullmatch(r"[A-Z]{3}", code) or iri not in self.gazetteer.country_alpha3:
            raise self.fail(record, column, f"'{value}' is not an ISO 3166-1 alpha-3 country code")
        return iri

    def _agency(self, name: str) -> URIRef:
        known = self._entity(name, "agency")
        if known is not None:
            return known
        # "Federal Police (Mexico)": a national body and its country.
        match = re.fullmatch(r"(?P<name>.+?)\s*\((?P<country>[^()]+)\)", name)
        label, country = name, None
        if match:
            country = self._entity(match.group("country"), "country")
            if country is not None:
                label = match.group("name")
        slug = slugify(label)
        if country is not None:
            slug += "-" + self.gazetteer.country_alpha3[country].lower()
        iri = self.iris.agency(slug)
        if (iri, RDF.type, LKG.Agency) not in self.graph:
            self.graph.add((iri, RDF.type, LKG.Agency))
            self.graph.add((iri, RDFS.label, Literal(label)))
            self.graph.add((iri, LKG.reviewStatus, LKG.AwaitingReview))
            self.graph.add((iri, PROV.wasDerivedFrom, self.document))
            if country is not None:
                self.graph.add((iri, LKG.agencyCountry, country))
        return iri

    def _instrument(self, name: str) -> URIRef:
        known = self._entity(name, "instrument")
        if known is not None:
            return known
        iri = self.iris.instrument(slugify(name))
        if (iri, RDF.type, LKG.LegalInstrument) not in self.graph:
            self.graph.add((iri, RDF.type, LKG.LegalInstrument))
            self.graph.add((iri, RDFS.label, Literal(name)))
            self.graph.add((iri, LKG.reviewStatus, LKG.AwaitingReview))
            self.graph.add((iri, PROV.wasDerivedFrom, self.document))
        return iri

    def _city(self, name: str, country: URIRef | None) -> URIRef:
        alpha2 = next((a for a, c in self.gazetteer.alpha2_to_country.items() if c == country), None)
        cities = [
            e
            for e in self.gazetteer.lookup(name)
            if e.kind == "city" and (country is None or e.country == alpha2)
        ]
        if cities:
            # A city of the gazetteer: what it says of the city goes to the places graph.
            best = max(cities, key=lambda e: e.weight)
            iri = best.iri
            described = self.places
            described.add((iri, LKG.geonamesId, Literal(str(iri).rstrip("/").rsplit("/", 1)[-1])))
            label = self.gazetteer.labels.get(iri, name)
            if label != name:
                described.add((iri, SKOS.altLabel, Literal(name)))
            city_country = self.gazetteer.alpha2_to_country.get(best.country or "")
        else:
            # A city only this source knows: its description is the source's, and awaits review.
            suffix = self.gazetteer.country_alpha3.get(country, "x").lower() if country else "x"
            iri = self.iris.entity("place", f"{slugify(name)}-{suffix}")
            described = self.graph
            described.add((iri, LKG.reviewStatus, LKG.AwaitingReview))
            label, city_country = name, country
        described.add((iri, RDF.type, LKG.City))
        described.add((iri, RDFS.label, Literal(label)))
        if city_country is not None:
            described.add((iri, LKG.inCountry, city_country))
        return iri

    def build(self, records: list[_Record]) -> Graph:
        iris: dict[str, URIRef] = {}
        parents: dict[str, str] = {}
        # First the IRIs, so that a session may name an event that comes after it.
        for record in records:
            label = str(record.values.get("label") or "").strip()
            if not label:
                raise self.fail(record, "label", "every event needs a label")
            start = self._date(record, "start")
            parent = record.values.get("part_of")
            if parent:
                parents[label] = str(parent)
            iris[label] = self.iris.event(label, start.isoformat() if start else None, scope=self.source.key)
        for label, parent in parents.items():
            if parent not in iris:
                record = next(r for r in records if r.values.get("label") == label)
                raise self.fail(record, "part_of", f"no event labelled '{parent}' in this file")
            iris[label] = self.iris.session(iris[parent], slugify(label))
        for record in records:
            self._event(record, iris)
        return self.graph

    def _event(self, record: _Record, iris: dict[str, URIRef]) -> None:
        g = self.graph
        values = record.values
        label = str(values["label"]).strip()
        event = iris[label]
        kind = str(values.get("type") or "other").strip().lower()
        if kind not in TYPES:
            raise self.fail(
                record, "type", f"'{values.get('type')}' is none of {', '.join(t.title() for t in TYPES)}"
            )
        g.add((event, RDF.type, TYPES[kind]))
        g.add((event, RDFS.label, Literal(label)))
        g.add((event, PROV.wasDerivedFrom, self.document))
        g.add((self.document, LKG.reports, event))
        start, end = self._date(record, "start"), self._date(record, "end")
        if end is not None and start is None:
            raise self.fail(record, "start", "an end date needs a start date")
        if start is not None:
            end = end or start
            if end < start:
                raise self.fail(record, "end", f"{end} is before the start, {start}")
            g.add((event, LKG.startDate, Literal(start.isoformat(), datatype=XSD.date)))
            g.add((event, LKG.endDate, Literal(end.isoformat(), datatype=XSD.date)))
        country = self._country(record, "country", str(values["country"])) if values.get("country") else None
        if country is not None:
            g.add((event, LKG.country, country))
        if values.get("city"):
            g.add((event, LKG.city, self._city(str(values["city"]), country)))
        for column, predicate in (
            ("participants", LKG.participantCount),
            ("participant_countries", LKG.participantCountryCount),
        ):
            count = self._count(record, column)
            if count is not None:
                g.add((event, predicate, Literal(count, datatype=XSD.nonNegativeInteger)))
        if values.get("part_of"):
            g.add((event, LKG.partOf, iris[str(values["part_of"])]))
        for name in self._list(record, "organizers"):
            g.add((event, LKG.organizer, self._agency(name)))
        for name in self._list(record, "instruments"):
            g.add((event, LKG.covers, self._instrument(name)))
        for notation in self._list(record, "sdg_targets"):
            if notation not in self.context.sdg_notations:
                raise self.fail(record, "sdg_targets", f"'{notation}' is no SDG goal, target or indicator")
            g.add((event, LKG.addresses, sdg_concept(notation)))

    def _list(self, record: _Record, column: str) -> list[str]:
        value = record.values.get(column) or []
        if isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(record, column, "must be a list of names")
        return value


class RecordsLoader:
    """CSV and JSON files of events."""

    name = "records"
    suffixes: tuple[str, ...] = (".csv", ".json")
    media_type = "text/csv"

    def load(self, source: Source, context: LoadContext) -> LoadResult:
        records = list(
            _json_records(source) if source.path.suffix.lower() == ".json" else _csv_records(source)
        )
        if not records:
            raise InputError(source.path, "holds no events")
        builder = _Builder(source, context)
        graph = builder.build(records)
        return LoadResult.of_graphs(graph, builder.document, places=builder.places)
