"""Make data/reference/countries.ttl: the ISO 3166-1 countries as legalkg reference data.

Codes, names and official names come from pycountry (the Debian iso-codes copy of ISO 3166-1);
demonyms come from data/sources/demonyms.csv; the short names reports use instead of the ISO
names are listed below in ALT_LABELS. The Turtle is written by hand in a fixed order so that
the same inputs always give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pycountry
from rdflib import Graph

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "reference" / "countries.ttl"
DEMONYMS_CSV = REPO / "data" / "sources" / "demonyms.csv"

COUNTRY_NS = "https://w3id.org/legalkg/id/country/"
ISO_SOURCE = "https://www.iso.org/iso-3166-country-codes.html"
DEMONYM_SOURCES = (
    "https://www.cia.gov/the-world-factbook/field/nationality/",
    "https://en.wikipedia.org/wiki/List_of_adjectival_and_demonymic_forms_for_countries_and_nations",
)

PREFIXES = (
    ("country", COUNTRY_NS),
    ("dct", "http://purl.org/dc/terms/"),
    ("lkg", "https://w3id.org/legalkg/ontology#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
)

# Names reports use that pycountry lacks. Kept unique across countries (checked below), so a
# label always names one country: "Korea", "Guinea" alone or "Virgin Islands" are left out.
ALT_LABELS: dict[str, tuple[str, ...]] = {
    "ALA": ("Aland Islands",),
    "ARE": ("UAE",),
    "BIH": ("Bosnia-Herzegovina",),
    "BLM": ("Saint Barthelemy",),
    "BRN": ("Brunei",),
    "CCK": ("Cocos Islands",),
    "CIV": ("Cote d'Ivoire", "Ivory Coast"),
    "COD": ("Democratic Republic of the Congo", "Democratic Republic of Congo", "DRC", "DR Congo", "Congo-Kinshasa"),
    "COG": ("Republic of Congo", "Congo-Brazzaville"),
    "CPV": ("Cape Verde",),
    "CUW": ("Curacao",),
    "CZE": ("Czech Republic",),
    "FLK": ("Falkland Islands",),
    "FSM": ("Micronesia",),
    "GBR": ("UK", "U.K.", "Great Britain", "Britain"),
    "GMB": ("The Gambia",),
    "KOR": ("Republic of Korea",),
    "LAO": ("Lao PDR",),
    "MAC": ("Macau",),
    "MKD": ("Macedonia", "former Yugoslav Republic of Macedonia"),
    "MMR": ("Burma",),
    "NLD": ("The Netherlands",),
    "PRK": ("DPRK",),
    "PSE": ("Palestine", "State of Palestine"),
    "REU": ("Reunion",),
    "RUS": ("Russia",),
    "SHN": ("Saint Helena",),
    "STP": ("São Tomé and Príncipe",),
    "SWZ": ("Swaziland",),
    "TLS": ("East Timor",),
    "TUR": ("Turkey", "Turkiye"),
    "USA": ("USA", "U.S.A.", "U.S.", "US"),
    "VAT": ("Holy See", "Vatican", "Vatican City", "Vatican City State"),
    "VIR": ("U.S. Virgin Islands", "US Virgin Islands"),
}


# Where pycountry's name is an inverted index entry ("Congo, The Democratic Republic of the"),
# the label is the form people write; pycountry's name stays an alternative label.
LABELS: dict[str, str] = {
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "VAT": "Holy See",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
}


# Reports translated from French or Spanish keep names in those languages ("la République
# Fédérale d'Allemagne"); pycountry carries the ISO names in both.
LANGUAGES = ("fr", "es")


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    numeric: str
    label: str
    official_name: str | None
    alt_labels: tuple[str, ...]
    demonyms: tuple[str, ...]
    translations: tuple[tuple[str, str, str | None], ...] = ()  # (language, name, official name)

    @property
    def names(self) -> tuple[str, ...]:
        official = (self.official_name,) if self.official_name else ()
        translated = tuple(n for _, name, o in self.translations for n in (name, o) if n)
        return (self.label, *official, *self.alt_labels, *translated)


def split_demonyms(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def load_demonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """Demonyms by alpha-3, from a CSV with header ``alpha3,demonyms`` (``;``-separated)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = {row["alpha3"]: split_demonyms(row["demonyms"]) for row in rows}
    if len(table) != len(rows):
        raise ValueError(f"{path}: an alpha3 code appears twice")
    return table


def official_name(country: Any, label: str) -> str | None:
    name = getattr(country, "official_name", None)
    if not name:
        return None
    # pycountry writes a few as "the State of ..."; the article is not part of the name.
    if name.startswith("the "):
        name = name[4:]
    return None if name == label else name


def written_variants(name: str) -> list[str]:
    """How reports abbreviate a name: "St. Lucia" for Saint Lucia, "Trinidad & Tobago"."""
    variants = []
    if name.startswith("Saint "):
        rest = name[len("Saint ") :]
        variants += [f"St. {rest}", f"St {rest}"]
    if " and " in name:
        variants += [v.replace(" and ", " & ") for v in [name, *variants]]
    return variants


def alt_labels(country: Any, label: str, official: str | None) -> tuple[str, ...]:
    named = [label, country.name, *ALT_LABELS.get(country.alpha_3, ())]
    candidates = [country.name, *ALT_LABELS.get(country.alpha_3, ())]
    candidates += [variant for name in named for variant in written_variants(name)]
    # officialName is a sub-property of skos:altLabel, so repeating it as altLabel adds nothing.
    taken = {label, official}
    result: list[str] = []
    for name in candidates:
        if name not in taken:
            taken.add(name)
            result.append(name)
    return tuple(result)


def translations(country: Any, label: str, official: str | None) -> tuple[tuple[str, str, str | None], ...]:
    """The country's ISO names in French and Spanish, where they differ from the English ones.

    An inverted index form ("Congo, República Democrática del") is left out.
    """
    result = []
    for language in LANGUAGES:
        catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        name = catalog.gettext(getattr(country, "common_name", None) or country.name)
        official_source = getattr(country, "official_name", None)
        translated_official = catalog.gettext(official_source) if official_source else None
        if translated_official and (translated_official == official_source or "," in translated_official):
            translated_official = None
        if "," in name or name in (label, country.name):
            name = ""
        if name or translated_official:
            result.append((language, name, translated_official if translated_official != name else None))
    return tuple(result)


def make_country(country: Any, demonyms: tuple[str, ...]) -> Country:
    label = LABELS.get(country.alpha_3) or getattr(country, "common_name", None) or country.name
    official = official_name(country, label)
    return Country(
        alpha2=country.alpha_2,
        alpha3=country.alpha_3,
        numeric=country.numeric.zfill(3),
        label=label,
        official_name=official,
        alt_labels=alt_labels(country, label, official),
        demonyms=demonyms,
        translations=translations(country, label, official),
    )


def load_countries(demonyms_path: Path) -> list[Country]:
    demonyms = load_demonyms(demonyms_path)
    iso = sorted(pycountry.countries, key=lambda c: c.alpha_3)
    codes = {c.alpha_3 for c in iso}
    if set(demonyms) != codes:
        missing, extra = sorted(codes - set(demonyms)), sorted(set(demonyms) - codes)
        raise ValueError(f"{demonyms_path}: missing {missing}, not in ISO 3166-1 {extra}")
    countries = [make_country(c, demonyms[c.alpha_3]) for c in iso]
    check_unique(countries)
    return countries


def check_unique(countries: list[Country]) -> None:
    """Fail if a name or demonym belongs to two countries: text matching relies on it."""
    owner: dict[str, str] = {}
    for country in countries:
        for term in {*country.names, *country.demonyms}:
            if owner.setdefault(term, country.alpha3) != country.alpha3:
                raise ValueError(f"{term!r} is used by both {owner[term]} and {country.alpha3}")
        if len(set(country.demonyms)) != len(country.demonyms):
            raise ValueError(f"{country.alpha3} lists a demonym twice")


def literal(text: str, lang: str | None = None) -> str:
    """A Turtle string literal, escaped."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char in "\n\r\t":
            escaped.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    body = '"' + "".join(escaped) + '"'
    return f"{body}@{lang}" if lang else body


def objects(values: list[str]) -> str:
    # Long IRIs read better one to a line; short literals stay on the predicate's line.
    separator = " ,\n        " if any(v.startswith("<") for v in values[1:]) else " , "
    return separator.join(values)


def render_country(country: Country) -> str:
    lines: list[tuple[str, list[str]]] = [
        ("rdfs:label", [literal(country.label, "en")]),
        ("skos:prefLabel", [literal(country.label, "en")]),
    ]
    if country.alt_labels:
        lines.append(("skos:altLabel", [literal(a, "en") for a in country.alt_labels]))
    translated = [(lang, name) for lang, name, _ in country.translations if name]
    if translated:
        lines.append(("skos:prefLabel", [literal(name, lang) for lang, name in translated]))
    officials = [literal(country.official_name, "en")] if country.official_name else []
    officials += [literal(o, lang) for lang, _, o in country.translations if o]
    if officials:
        lines.append(("lkg:officialName", officials))
    lines += [
        ("lkg:alpha2", [literal(country.alpha2)]),
        ("lkg:alpha3", [literal(country.alpha3)]),
        ("lkg:numericCode", [literal(country.numeric)]),
    ]
    if country.demonyms:
        lines.append(("lkg:demonym", [literal(d, "en") for d in country.demonyms]))
    sources = [ISO_SOURCE, *(DEMONYM_SOURCES if country.demonyms else ())]
    lines += [
        ("lkg:reviewStatus", ["lkg:Reviewed"]),
        ("dct:source", [f"<{s}>" for s in sources]),
    ]
    body = " ;\n".join(f"    {p} {objects(o)}" for p, o in lines)
    return f"# {country.label}\ncountry:{country.alpha3} a lkg:Country ;\n{body} .\n"


def header(pycountry_version: str) -> str:
    return "\n".join(
        [
            "# Countries of ISO 3166-1: legalkg reference data.",
            "#",
            "# Generated by scripts/make_countries.py; do not edit by hand. To change it, edit",
            "# data/sources/demonyms.csv or the script, then run: python scripts/make_countries.py",
            "#",
            "# Sources:",
            f"# - ISO 3166-1 ({ISO_SOURCE}): codes, names and official",
            f"#   names, as packaged by pycountry {pycountry_version} (Debian iso-codes).",
            "# - Short names reports use (skos:altLabel): the script's ALT_LABELS.",
            "# - French and Spanish names (skos:prefLabel, lkg:officialName @fr/@es): ISO 3166-1's",
            "#   translations, as packaged by pycountry.",
            "# - Demonyms (lkg:demonym): data/sources/demonyms.csv, adjectival and demonymic",
            "#   forms as listed by the CIA World Factbook 'Nationality' field and Wikipedia's",
            "#   list of adjectival and demonymic forms for countries, each form kept to one",
            "#   country:",
            *(f"#   {s}" for s in DEMONYM_SOURCES),
            "",
        ]
    )


def render(countries: list[Country], pycountry_version: str) -> str:
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES)
    blocks = "\n".join(render_country(c) for c in countries)
    return f"{header(pycountry_version)}\n{prefixes}\n{blocks}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Turtle file to write")
    args = parser.parse_args(argv)
    text = render(load_countries(DEMONYMS_CSV), version("pycountry"))
    # Parsing back checks the hand-written Turtle and gives the triple count.
    triples = len(Graph().parse(data=text, format="turtle"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"wrote {triples} triples to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
