"""Everything named in a sentence: agencies, countries, cities, instruments, SDGs, dates, events.

The :class:`Annotator` keeps what one document has taught it (acronyms it defined, agencies
and instruments it introduced) so that later sentences recognise them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import URIRef

from legalkg.iris import Iris, sdg_concept, slugify
from legalkg.text.dates import DateMention, find_dates
from legalkg.text.events import EventPhrase, find_event_phrases
from legalkg.text.gazetteer import Gazetteer, Match, fold
from legalkg.text.model import Agency, Evidence, Instrument, Place
from legalkg.text.organizations import find_acronym_names, find_organizations
from legalkg.text.segment import Sentence


class Ref(NamedTuple):
    """An entity named at a place in the text."""

    start: int
    end: int
    iri: URIRef
    kind: str  # agency, country, demonym, city, instrument, sdg, topic
    text: str
    cued: bool = True  # for cities: introduced by "in", "at", or followed by its country


@dataclass
class SentenceMentions:
    sentence: Sentence
    refs: list[Ref] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    dateline_dates: set[int] = field(default_factory=set)  # where the dates of a dateline start
    events: list[EventPhrase] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[Ref]:
        return [r for r in self.refs if r.kind in kinds]

    def between(self, start: int, end: int, *kinds: str) -> list[Ref]:
        return [r for r in self.refs if r.kind in kinds and start <= r.start and r.end <= end]


_SDG = re.compile(
    r"\b(?P<cue>SDGs?|Sustainable Development Goals?|[Gg]oals?|SDG targets?|SDG indicators?|[Tt]argets?|[Ii]ndicators?|[Oo]bjectives?)"
    r"\s+(?P<list>\d{1,2}(?:\.(?:\d{1,2}|[a-c])){0,2}(?:\s*(?:,|and|&|or)\s*\d{1,2}(?:\.(?:\d{1,2}|[a-c])){0,2})*)"
)
_SDG_CONTEXT = re.compile(r"\bSDGs?\b|Sustainable Development|2030 Agenda")
_SDG_NUMBER = re.compile(r"\d{1,2}(?:\.(?:\d{1,2}|[a-c])){0,2}")
_INSTRUMENT_HEADS = (
    "Convention|Protocol|Treaty|Directive|Decision|Regulation|Roadmap|Road Map|Arrangement|"
    "Agreement|Charter|Declaration|Resolution|Programme of Action|Plan of Action|Action Plan"
)
_NEW_INSTRUMENT = re.compile(
    r"\b(?:(?:EU|European Union)\s+)?(?P<name>(?:(?:Council|Commission|European Parliament and Council)\s+)?"
    r"(?:Decision|Regulation|Directive|Joint Action|Common Position)\s+(?:\((?:EU|EC|CFSP)\)\s+)?"
    r"(?:No\.?\s*)?\d{2,4}/\d{1,4}(?:/[A-Z]{2,5})?)"
    r"|\b(?P<title>(?:[A-Z][\w'’-]*\s+){1,6}(?:" + _INSTRUMENT_HEADS + r"))\b"
)
_INSTRUMENT_ANAPHOR = re.compile(
    r"\b(?:the|its|this|that)\s+(?:(?P<future>future|proposed|draft|new)\s+)?(?P<head>Convention|Protocol|Treaty|Directive|Roadmap|Programme|Arrangement|Instrument|convention|protocol|treaty)\b"
)
# A city is a venue only with a cue: "held in Tirana", "at Lomé", "Tirana hosts".
_INSTRUMENT_OF_BODY = re.compile(
    r"\b(?P<head>Convention|Protocol|Treaty|Convención|Protocolo|Protocole|Traité|Tratado)\s+"
    r"(?:of|de|by|adopted\s+by)\s+(?:the\s+|la\s+|l'|el\s+)?"
)
_CITY_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|hosts?|hosted)\s+(?:the\s+(?:city|capital)\s+of\s+)?)$", re.I
)
_GENERIC_HEADS = {
    "roadmap",
    "road map",
    "convention",
    "protocol",
    "treaty",
    "directive",
    "decision",
    "regulation",
    "arrangement",
    "agreement",
    "charter",
    "declaration",
    "resolution",
    "action plan",
}


def _titles_led_by_a_body(refs: list[Ref], text: str) -> list[Ref]:
    """ "United Nations Protocol against the Illicit Manufacturing of ...": the body that leads
    an instrument's title is part of the title, not a mention of the body."""
    leading = {}  # an instrument's ref -> the body's ref just before it
    for body in refs:
        if body.kind != "agency" or text[body.end : body.end + 1] != " ":
            continue
        title = next((r for r in refs if r.kind == "instrument" and r.start == body.end + 1), None)
        if title is not None:
            leading[title] = body
    bodies = set(leading.values())
    return [
        r._replace(start=leading[r].start, text=text[leading[r].start : r.end]) if r in leading else r
        for r in refs
        if r not in bodies
    ]


class Annotator:
    """Finds the mentions of each sentence of one document."""

    def __init__(
        self,
        text: str,
        gazetteer: Gazetteer,
        iris: Iris,
        reference_date: dt.date | None,
        sdg_notations: set[str],
        document_key: str,
    ) -> None:
        self.text = text
        self.gazetteer = gazetteer
        self.iris = iris
        self.reference_date = reference_date
        self.sdg_notations = sdg_notations
        self.document_key = document_key
        self.aliases: dict[str, tuple[URIRef, str]] = {}  # acronym -> (iri, kind)
        self.agencies: dict[URIRef, Agency] = {}
        self.instruments: dict[URIRef, Instrument] = {}
        self.places: dict[URIRef, Place] = {}
        self.last_instruments: list[URIRef] = []
        self._matches: dict[int, list[Match]] = {}
        self.countries_named: set[str] = set()
        self.agency_words: set[str] = set()  # the capitalized words of the agencies' names read
        self.instrument_titles: list[tuple[URIRef, str]] = []  # the instruments named, as written

    # -- the pieces -----------------------------------------------------------------------

    def prepare(self, sentences: list[Sentence]) -> None:
        """Find the known names of every sentence first: a city's country may be named later
        ("San José ... Costa Rica"), and homonyms are told apart by the countries a report names."""
        self._matches = {s.index: self.gazetteer.find(s.tokens, self.text) for s in sentences}
        self.countries_named = {
            alpha2
            for matches in self._matches.values()
            for m in matches
            if m.kind in ("country", "demonym")
            for alpha2 in [self._alpha2(m.iri)]
            if alpha2
        }

    def annotate(self, sentence: Sentence, *, excluded: tuple[int, int] | None = None) -> SentenceMentions:
        """The mentions of one sentence; ``excluded`` is a span (a dateline) to leave out."""
        found = SentenceMentions(sentence)
        matches = self._matches.get(sentence.index) or self.gazetteer.find(sentence.tokens, self.text)
        refs = _titles_led_by_a_body(self._known(matches), self.text)
        refs += self._aliases(sentence, refs)
        # Instruments named by pattern first: "Council Decision 2010/336/CFSP" is no council.
        refs += self._new_instruments(sentence, refs)
        new_orgs = [
            o
            for o in self._new_organizations(sentence, matches, refs)
            if not any(r.kind == "instrument" and r.start <= o.start < r.end for r in refs)
        ]
        # A known name inside a new organization's name ("Nations Unies" in "Bureau des Nations
        # Unies pour les Affaires de Désarmement") is part of that name, not a mention of its own.
        refs = [
            r
            for r in refs
            if r.kind != "agency"
            or not any(
                o.start <= r.start and r.end <= o.end and (o.start, o.end) != (r.start, r.end)
                for o in new_orgs
            )
        ]
        refs += new_orgs
        refs += self._instruments_of_bodies(sentence, refs)
        refs += self._instrument_anaphora(sentence, refs)
        refs += self._sdgs(sentence)
        refs = self._cities(sentence, matches, refs)
        if excluded is not None:
            refs = [r for r in refs if not (excluded[0] <= r.start and r.end <= excluded[1])]
        found.refs = sorted(refs, key=lambda r: (r.start, -r.end))
        for ref in found.refs:
            if ref.kind == "instrument":
                self.last_instruments.append(ref.iri)
                self.instrument_titles.append((ref.iri, ref.text))
        found.dates = find_dates(sentence.text, self.reference_date, offset=sentence.start)
        if excluded is not None:
            found.dateline_dates = {
                d.start_offset for d in found.dates if excluded[0] <= d.start_offset and d.end_offset <= excluded[1]
            }
        # An event noun inside an agency's name ("General Assembly", "Forum for Security
        # Co-operation") names the agency, not an event; so does the noun alone when it is a
        # word of an agency's name the report has written ("under the Chairmanship of the Forum").
        agencies = [r for r in found.refs if r.kind == "agency"]
        self.agency_words.update(w for r in agencies for w in r.text.split() if w[:1].isupper())
        found.events = [
            p
            for p in find_event_phrases(sentence, self.text, [(r.start, r.end) for r in agencies])
            if not (p.label in self.agency_words and p.label[:1].isupper())
        ]
        return found

    def _known(self, matches: list[Match]) -> list[Ref]:
        refs = []
        for match in matches:
            if match.kind == "city":
                continue  # cities need a cue; see _cities
            refs.append(Ref(match.start, match.end, match.iri, match.kind, match.text))
        return refs

    def _aliases(self, sentence: Sentence, refs: list[Ref]) -> list[Ref]:
        found = []
        for token in sentence.tokens:
            alias = self.aliases.get(token.text)
            if alias is None or any(r.start <= token.start < r.end for r in refs):
                continue
            found.append(Ref(token.start, token.end, alias[0], alias[1], token.text))
        return found

    def _new_organizations(self, sentence: Sentence, matches: list[Match], refs: list[Ref]) -> list[Ref]:
        found: list[Ref] = []
        evidence = Evidence(sentence, "organization-name-pattern")
        for start, end, name, acronym in find_acronym_names(sentence, self.text):
            if any(r.start <= start and end <= r.end for r in refs):
                continue
            known = self._known_agency(acronym)
            iri = known or self._agency(name, None, None, acronym, evidence)
            found.append(Ref(start, end, iri, "agency", name))
        organizations = find_organizations(sentence, self.text, self.gazetteer, matches)
        country_refs = [r for r in refs if r.kind in ("country", "demonym")]
        for org in organizations:
            if any(f.start <= org.start < f.end for f in found):
                continue
            if org.acronym and any(e.kind == "instrument" for e in self.gazetteer.lookup(org.acronym)):
                continue  # "Programme of Action (PoA)" is the instrument its acronym names
            named = self._instrument_named_before(org.name, refs)
            if named is not None:
                # "implement the Programme of Action", after the Programme of Action to Prevent, ...
                found.append(Ref(org.start, org.end, named, "instrument", org.name))
                continue
            country = org.country
            # A country named inside a body's name written after this one ("..., with support
            # from the Government of Germany") is not the country of this one.
            countries = {
                r.iri
                for r in country_refs
                if not any(
                    o.start > org.start and o.start <= r.start and r.end <= o.end and o.country == r.iri
                    for o in organizations
                )
            }
            if country is None and org.national and len(countries) == 1:
                # "jointly organized by the National Commission of Security of Mexico, the
                # Federal Police ...": a national body takes the one country of its sentence.
                country = next(iter(countries))
            read = self._read_before(org.start, org.name)
            if read is not None:
                # "the National Commission on small arms" again, its name in full this time.
                end = org.start + len(read.label)
                found.append(Ref(org.start, end, read.iri, "agency", self.text[org.start : end]))
                continue
            # "Bureau des Nations Unies pour les Affaires de Désarmement (UNODA)": a known acronym
            # after a name in another language says which agency it is.
            iri = (self._known_agency(org.acronym) if org.acronym else None) or self._agency(
                org.name, country, org.parent, org.acronym, evidence
            )
            found.append(Ref(org.start, org.end, iri, "agency", org.name))
        # A known name inside a new organization's name ("UNODC" in "UNODC Regional Office")
        # still counts as a mention, so overlapping refs are kept.
        return found

    def _instrument_named_before(self, name: str, refs: list[Ref]) -> URIRef | None:
        """The instrument the report has named (in ``refs`` of this sentence, or before) by a
        title that begins with ``name``."""
        if len(name.split()) < 2:
            return None
        start = fold(name) + " "
        titles = self.instrument_titles + [(r.iri, r.text) for r in refs if r.kind == "instrument"]
        return next((iri for iri, title in reversed(titles) if fold(title).startswith(start)), None)

    def _read_before(self, start: int, name: str) -> Agency | None:
        """An organization read earlier in the report whose name, longer than ``name``,
        is written in full at ``start``."""
        for agency in self.agencies.values():
            label = agency.label
            if (
                len(label) > len(name)
                and label.startswith(name + " ")
                and fold(self.text[start : start + len(label)]) == fold(label)
            ):
                return agency
        return None

    def _known_agency(self, name: str) -> URIRef | None:
        return next((e.iri for e in self.gazetteer.lookup(name) if e.kind == "agency"), None)

    def _instruments_of_bodies(self, sentence: Sentence, refs: list[Ref]) -> list[Ref]:
        """ "the Convention of the Communauté Économique des États de l'Afrique de l'Ouest": the
        convention that body adopted (the ECOWAS Convention)."""
        found = []
        for match in _INSTRUMENT_OF_BODY.finditer(sentence.text):
            start = sentence.start + match.start()
            body = next(
                (r for r in refs if r.kind == "agency" and r.start == sentence.start + match.end()), None
            )
            if body is None:
                continue
            head = match.group("head").lower()
            candidates = [i for i in self.gazetteer.adopted.get(body.iri, []) if head in self._names(i)]
            if len(candidates) == 1:
                found.append(Ref(start, body.end, candidates[0], "instrument", self.text[start : body.end]))
        return found

    def _agency(
        self,
        name: str,
        country: URIRef | None,
        parent: URIRef | None,
        acronym: str | None,
        evidence: Evidence,
    ) -> URIRef:
        name = re.sub(r"\s+", " ", name).strip()
        # A name already known as a reference agency resolves to it.
        for entry in self.gazetteer.lookup(name):
            if entry.kind == "agency":
                return entry.iri
        if country is None:
            # The same name in the same report is the same body, with the country said once.
            same = next((a for a in self.agencies.values() if a.label == name), None)
            if same is not None:
                return same.iri
        slug = slugify(name)
        if country is not None:
            # National bodies share names across countries: "federal-police-mex".
            alpha3 = self.gazetteer.country_alpha3.get(country)
            if alpha3 and slugify(self.gazetteer.labels.get(country, "")) not in slug:
                slug = f"{slug}-{alpha3.lower()}"
        iri = self.iris.agency(slug)
        if iri not in self.agencies:
            self.agencies[iri] = Agency(iri, name, country, parent, acronym, evidence)
        elif acronym and not self.agencies[iri].acronym:
            self.agencies[iri].acronym = acronym
        if acronym and acronym not in self.aliases and not self.gazetteer.lookup(acronym):
            self.aliases[acronym] = (iri, "agency")
        return iri

    def _new_instruments(self, sentence: Sentence, refs: list[Ref]) -> list[Ref]:
        found = []
        for match in _NEW_INSTRUMENT.finditer(sentence.text):
            # "EU Council Decision 2010/179/CFSP" is the Council Decision 2010/179/CFSP.
            group = "name" if match.group("name") else "title"
            start, end = sentence.start + match.start(), sentence.start + match.end(group)
            name = match.group(group).strip()
            words = name.split()
            # Drop leading words that are not part of a name ("The", "Each", an agency acronym
            # that is a separate mention is kept inside: "ECOWAS Convention" is known anyway).
            while words and words[0].lower() in (
                "the",
                "its",
                "a",
                "an",
                "each",
                "this",
                "that",
                "on",
                "in",
                "of",
            ):
                start += self.text[start:end].index(words[1]) if len(words) > 1 else 0
                words = words[1:]
            name = " ".join(words)
            if not words or fold(name) in _GENERIC_HEADS or len(words) < 2:
                continue
            if any(r.kind == "instrument" and r.start < end and start < r.end for r in refs):
                continue  # "United Nations Protocol against the Illicit Manufacturing ..." is known
            if re.match(r"\s+[A-Z][a-z]", self.text[end : end + 3]):
                continue  # "Effective Treaty Implementation": the head is a modifier, not a name
            if any(r.start <= start and end <= r.end for r in refs):
                continue
            if re.search(r"\b(?:National|Regional|Operational)\s+Action\s+Plan", name):
                continue  # "Saint Vincent & the Grenadines National Action Plan": a state's plan
            iri = self.iris.instrument(slugify(name))
            if iri not in self.instruments:
                self.instruments[iri] = Instrument(iri, name, Evidence(sentence, "instrument-name-pattern"))
            found.append(Ref(start, start + len(self.text[start:end].rstrip()), iri, "instrument", name))
        return found

    def _instrument_anaphora(self, sentence: Sentence, refs: list[Ref]) -> list[Ref]:
        found = []
        recent = list(self.last_instruments) + [r.iri for r in refs if r.kind == "instrument"]
        for match in _INSTRUMENT_ANAPHOR.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(r.start <= start < r.end or start <= r.start < end for r in refs):
                continue
            head = match.group("head").lower()
            if match.group("head")[0].islower() and not match.group("future"):
                continue  # "the protocol" in lower case is generic unless "the future treaty"
            target = next(
                (iri for iri in reversed(recent) if head in self._names(iri)),
                None,
            )
            if target is not None:
                found.append(Ref(start, end, target, "instrument", match.group()))
        return found

    def _names(self, iri: URIRef) -> str:
        label = self.gazetteer.labels.get(iri) or (
            self.instruments[iri].label if iri in self.instruments else ""
        )
        entries = " ".join(e.surface for e in self.gazetteer.lookup(label)) if label else ""
        short = self.gazetteer.short_names.get(iri, "")
        kind_words = {"att": "treaty", "poa": "programme", "iti": "instrument"}
        return " ".join([label, entries, short, kind_words.get(short.lower(), "")]).lower()

    def _sdgs(self, sentence: Sentence) -> list[Ref]:
        found = []
        for match in _SDG.finditer(sentence.text):
            for number in _SDG_NUMBER.finditer(match.group("list")):
                notation = number.group()
                if notation not in self.sdg_notations:
                    continue
                if match.group("cue").lower().startswith("objective") and (
                    "." not in notation or not _SDG_CONTEXT.search(sentence.text)
                ):
                    continue  # "Objective 16.4 of the SDGs" is the target; "Objective 2" of a project is not
                start = sentence.start + match.start("list") + number.start()
                found.append(
                    Ref(
                        sentence.start + match.start(),
                        start + len(notation),
                        sdg_concept(notation),
                        "sdg",
                        notation,
                    )
                )
        return found

    def _cities(self, sentence: Sentence, matches: list[Match], refs: list[Ref]) -> list[Ref]:
        countries = {r.iri: r for r in refs if r.kind == "country"}
        result = list(refs)
        for match in matches:
            if match.entry.kind != "city" and not self._city_named_as_its_country(match, refs):
                continue  # "Mexico" is the country, even though Mexico City is also called so
            candidates = [e for e in (match.entry, *match.alternatives) if e.kind == "city"]
            if any(
                r.start <= match.start and match.end <= r.end and r.kind in ("agency", "instrument")
                for r in refs
            ):
                continue  # "Nairobi Protocol", "Programme Office in Bishkek"
            before = self.text[max(sentence.start, match.start - 40) : match.start]
            following_country = next(
                (
                    r
                    for r in countries.values()
                    if r.start > match.end and self.text[match.end : r.start].strip() in (",", "")
                ),
                None,
            )
            opens_line = re.fullmatch(
                r"\s*(?:[-–—•*·]|\d{1,2}[.)])?\s*", self.text[sentence.start : match.start]
            )
            cued = (
                bool(_CITY_CUE_BEFORE.search(before))
                or following_country is not None
                or opens_line is not None
            )
            chosen = candidates[0]
            named = [e for e in candidates if e.country in self.countries_named]
            if named:
                chosen = max(named, key=lambda e: e.weight)  # the San José of the report's Costa Rica
            if following_country is not None:
                alpha2 = self._alpha2(following_country.iri)
                in_country = [e for e in candidates if e.country == alpha2]
                if not in_country:
                    continue  # "Bali, Indonesia" where GeoNames has no Bali in Indonesia: below
                chosen = max(in_country, key=lambda e: e.weight)
            place = self._place(chosen.iri, match.text, chosen.country)
            result.append(Ref(match.start, match.end, place, "city", match.text, cued))
        # "Bali, Indonesia": a capitalized name before a country, where GeoNames has no such city.
        for ref in countries.values():
            before = self.text[sentence.start : ref.start]
            place_name = re.search(
                r"(?:^|\b(?:in|at)\s+|[:;–—-]\s*)([A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)?),\s*$", before
            )
            if not place_name:
                continue
            start = sentence.start + place_name.start(1)
            if any(r.start <= start < r.end for r in result):
                continue
            name = place_name.group(1)
            iri = self.iris.entity(
                "place", f"{slugify(name)}-{self.gazetteer.country_alpha3.get(ref.iri, 'x').lower()}"
            )
            if iri not in self.places:
                self.places[iri] = Place(iri, name, ref.iri, None)
            result.append(Ref(start, start + len(name), iri, "city", name, True))
        return result

    def city_named(self, name: str) -> URIRef | None:
        """The city a place name ("GENEVA", "DUBROVNIK, Croatia") names, largest first."""
        head, _, region = name.partition(",")
        entries = [e for e in self.gazetteer.lookup(head.strip()) if e.kind == "city"]
        if region.strip():
            countries = [e.iri for e in self.gazetteer.lookup(region.strip()) if e.kind == "country"]
            alpha2 = {self._alpha2(c) for c in countries}
            entries = [e for e in entries if e.country in alpha2] or entries
        if not entries:
            return None
        chosen = max(entries, key=lambda e: e.weight)
        return self._place(chosen.iri, head.strip().title(), chosen.country)

    def _city_named_as_its_country(self, match: Match, refs: list[Ref]) -> bool:
        """ "Luxembourg, Luxembourg", "Djibouti, Djibouti": a capital named like its country,
        followed by the country."""
        if match.entry.kind != "country":
            return False
        after = self.text[match.end : match.end + 2 + len(match.text)]
        same_country_follows = after == ", " + match.text
        return same_country_follows and any(e.kind == "city" for e in match.alternatives)

    def _alpha2(self, country: URIRef) -> str | None:
        for alpha2, iri in self.gazetteer.alpha2_to_country.items():
            if iri == country:
                return alpha2
        return None

    def _place(self, iri: URIRef, surface: str, alpha2: str | None) -> URIRef:
        if iri not in self.places:
            country = self.gazetteer.alpha2_to_country.get(alpha2 or "")
            label = self.gazetteer.labels.get(iri, surface)
            geonames_id = str(iri).rstrip("/").rsplit("/", 1)[-1]
            self.places[iri] = Place(iri, label, country, geonames_id)
        if surface != self.places[iri].label and not surface.isupper():
            self.places[iri].written.add(surface)  # "New York" for New York City; not "GENEVA"
        return iri
