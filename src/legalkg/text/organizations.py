"""Organizations the reference data does not know: ministries, police forces, networks, companies.

A name is a run of capitalized words, joined by the small words names use ("of", "for", "de",
"contra", ...), that contains a head noun saying what kind of body it is ("Ministry",
"Police", "Directorate", "Network"...). A demonym before it or "of <Country>" after it gives the
country of a national body ("the Mexican Ministry of Foreign Affairs" is the Ministry of Foreign
Affairs of Mexico); "Government of X" keeps its country in its name. An acronym in brackets after
the name becomes another name of it for the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef

from legalkg.text.gazetteer import Gazetteer, Match, fold
from legalkg.text.segment import Sentence, Token

# Head nouns of organization names, in the languages reports use (folded).
HEADS = {
    fold(w)
    for w in """
        Ministry Ministries Ministerio Ministère Department Departamento Département Office
        Oficina Bureau Commission Comisión Commissariat Committee Comité Council Consejo Conseil
        Agency Agencia Agence Authority Autoridad Autorité Police Policía Polizia Gendarmerie
        Guard Guardia Garde Service Servicio Directorate Directorate-General Dirección Direction
        Secretariat Secretaría Secrétariat Institute Instituto Institut Centre Center Centro
        Network Red Réseau Programme Program Programa Organization Organisation Organización
        Union Community Comunidad Coalition Forum Foro Platform Fiscalía Procuraduría Parliament
        Assembly Army Forces Force Survey Unit Division Branch Section Administration
        Association Foundation Fund Court Tribunal Customs Aduanas Government Gobierno
        Gouvernement Prosecutor Interpol Clearinghouse Gendarmería Carabineros Prefecture
        Inspectorate Corps Board Observatory Alliance Company
    """.split()
}
# A body that belongs to a state: without a country in its name, it takes the sentence's.
NATIONAL_HEADS = {
    fold(w)
    for w in """
        Ministry Ministerio Ministère Department Departamento Département Police Policía Polizia
        Gendarmerie Guard Guardia Service Servicio Directorate Dirección Direction Fiscalía
        Procuraduría Parliament Army Forces Force Customs Aduanas Prosecutor Gendarmería
        Carabineros Commission Comisión Authority Autoridad Office Oficina Agency Agencia Bureau
    """.split()
}
# Small words inside names.
CONNECTORS = {
    "of",
    "for",
    "on",
    "and",
    "the",
    "in",
    "against",
    "to",
    "de",
    "del",
    "la",
    "las",
    "los",
    "le",
    "les",
    "des",
    "du",
    "d",
    "l",
    "en",
    "contra",
    "y",
    "et",
    "pour",
    "à",
    "a",
    "sur",
    "al",
    "e",
    "para",
    "por",
}
# Titles of people: "Deputy General Director of the Albanian State Police" names the police.
PERSON_TITLES = {
    fold(w)
    for w in """
        Minister Director Advisor Adviser Head Chief President Ambassador Chair Chairman
        Chairperson Secretary Deputy Officer Coordinator Representative Commissioner Specialist
        Expert Governor Mayor Spokesperson Executive Senior Political General Vice Prime
    """.split()
}
# Buildings and sites are places, not organizations.
VENUE_WORDS = {
    fold(w)
    for w in ["Hotel", "Hall", "Palace", "Palais", "Headquarters", "House", "Building", "Centre-Ville"]
}
# "the company Ultra Electronics Forensic Technology": the noun before the name says it all.
_CUE_BEFORE = re.compile(r"\b(?:the\s+)?(?:company|firm|NGO|organi[sz]ation|network|coalition)\s+$", re.I)
_GAP_IN_NAME = re.compile(r"^(?:\s|-|'|’|/|\s&\s|\.\s?)$")
_ACRONYM_AFTER = re.compile(r"^\s*\((?P<acr>[A-Za-z][A-Za-z\-.&]{1,11}(?:\s[A-Z][A-Za-z]{1,8})?)\)")


@dataclass
class OrgMention:
    """An organization name found in a sentence."""

    start: int
    end: int
    name: str
    country: URIRef | None = None
    parent: URIRef | None = None  # a known agency whose unit this is ("OSCE Secretariat")
    acronym: str | None = None
    national: bool = False
    is_government: bool = False
    words: list[str] = field(default_factory=list)


def _capitalized(token: Token) -> bool:
    return token.text[:1].isupper() or (token.text[:1].isdigit() and len(token.text) == 4)


def _runs(sentence: Sentence, text: str) -> list[list[Token]]:
    """Runs of capitalized tokens joined by connectors and name-internal punctuation."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    tokens = sentence.tokens
    for i, token in enumerate(tokens):
        gap_ok = bool(current) and _GAP_IN_NAME.match(text[tokens[i - 1].end : token.start]) is not None
        if current and not gap_ok:
            runs.append(current)
            current = []
        if _capitalized(token) or (current and token.text.lower() in CONNECTORS):
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    trimmed = []
    for run in runs:
        while run and not _capitalized(run[-1]):
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


def _split_titles(run: list[Token]) -> list[Token]:
    # "Senior Political Advisor at the Regional Cooperation Council": keep what follows the title.
    for i, token in enumerate(run):
        if token.text.lower() == "of" and i > 0:
            before = run[:i]
            if any(fold(t.text) in PERSON_TITLES for t in before) and not any(
                fold(t.text) in HEADS for t in before
            ):
                rest = run[i + 1 :]
                while rest and rest[0].text.lower() in CONNECTORS:
                    rest = rest[1:]
                return rest
    return run


def find_organizations(
    sentence: Sentence,
    text: str,
    gazetteer: Gazetteer,
    known: list[Match],
) -> list[OrgMention]:
    """Organization names in ``sentence`` that are not (only) a known entity."""
    found: list[OrgMention] = []
    for run in _runs(sentence, text):
        run = _split_titles(run)
        while run and run[0].text.lower() in {"the", "la", "le", "el", "les", "los", "las", "l"}:
            run = run[1:]
        if not run:
            continue
        mention = _organization(run, text, gazetteer, known)
        if mention is not None:
            found.append(mention)
    return found


def _inside(match: Match, start: int, end: int) -> bool:
    return start <= match.start and match.end <= end


def _organization(run: list[Token], text: str, gazetteer: Gazetteer, known: list[Match]) -> OrgMention | None:
    folded = [fold(t.text) for t in run]
    heads = [i for i, w in enumerate(folded) if w in HEADS or w.replace("-", "") in HEADS]
    start, end = run[0].start, run[-1].end
    cue = _CUE_BEFORE.search(text[max(0, start - 40) : start])
    if not heads and not cue:
        return None
    if any(w in VENUE_WORDS for w in folded) or "conference centre" in " ".join(folded):
        return None
    # The whole run is a known name: the gazetteer already has it.
    for match in known:
        if match.start == start and match.end == end:
            return None
    country: URIRef | None = None
    parent: URIRef | None = None
    first = 0
    last = len(run)
    # A leading demonym or country ("Mexican Ministry", "Kyrgyzstan's Border Service").
    for match in known:
        if match.start == run[0].start and match.kind in ("demonym", "country"):
            country = match.iri
            while first < len(run) and run[first].end <= match.end:
                first += 1
            if first < len(run) and run[first].text in ("s",):
                first += 1
        elif match.start == run[0].start and match.kind == "agency" and match.end < end:
            parent = match.iri
    is_government = any(folded[i] in {"government", "gobierno", "gouvernement"} for i in heads)
    # A trailing "of (the Republic of) <Country>".
    for match in known:
        if match.kind == "country" and match.end == end and match.start > start:
            idx = next((i for i, t in enumerate(run) if t.start >= match.start), len(run))
            cut = idx
            while cut > 0 and run[cut - 1].text.lower() in CONNECTORS | {"republic", "kingdom", "state"}:
                cut -= 1
            if cut > first and cut < idx:
                country = match.iri
                if not is_government:
                    last = cut
    body = run[first:last]
    if not body:
        return None
    body_folded = [fold(t.text) for t in body]
    if not any(w in HEADS for w in body_folded) and not cue:
        return None
    name_start, name_end = body[0].start, body[-1].end
    name = text[name_start:name_end]
    if is_government and country is not None and last == len(run):
        name = text[body[0].start : end]
    if len(body) == 1 and body_folded[0] in HEADS and not cue:
        return None  # "Police", "Commission" alone name nothing in particular
    # The name is itself a known entity (with a demonym before it): nothing new.
    for match in known:
        if match.start == name_start and match.end == name_end and match.kind in ("agency", "instrument"):
            return None
    acronym_match = _ACRONYM_AFTER.match(text[end : end + 20])
    acronym = acronym_match.group("acr") if acronym_match else None
    national = any(w in NATIONAL_HEADS for w in body_folded) or is_government
    return OrgMention(
        start=name_start if parent is None else start,
        end=name_end,
        name=name if parent is None else text[start:name_end],
        country=country,
        parent=parent,
        acronym=acronym,
        national=national,
        is_government=is_government,
        words=[t.text for t in body],
    )


def find_acronym_names(sentence: Sentence, text: str) -> list[tuple[int, int, str, str]]:
    """Names with commas followed by an acronym: "Bureau of Alcohol, Tobacco, Firearms and
    Explosives (ATF)". Returns (start, end, name, acronym) where the name holds a head noun."""
    results = []
    for match in re.finditer(r"\((?P<acr>[A-Z][A-Za-z]{1,10})\)", sentence.text):
        end = sentence.start + match.start()
        # Walk back over capitalized words, connectors, commas and spaces.
        tokens = [t for t in sentence.tokens if t.end <= end]
        i = len(tokens)
        while i > 0:
            token = tokens[i - 1]
            gap = text[token.end : (tokens[i].start if i < len(tokens) else end)]
            if not re.fullmatch(r"\s*,?\s*|-|'|’", gap):
                break
            if _capitalized(token) or token.text.lower() in CONNECTORS:
                i -= 1
                continue
            break
        name_tokens = tokens[i:]
        while name_tokens and not _capitalized(name_tokens[0]):
            name_tokens = name_tokens[1:]
        if len(name_tokens) < 2 or "," not in text[name_tokens[0].start : end]:
            continue
        if not any(fold(t.text) in HEADS for t in name_tokens):
            continue
        name = text[name_tokens[0].start : name_tokens[-1].end]
        results.append((name_tokens[0].start, name_tokens[-1].end, name, match.group("acr")))
    return results
