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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from rdflib import URIRef

from legalkg.text.events import TRIGGERS
from legalkg.text.gazetteer import Gazetteer, Match, fold
from legalkg.text.segment import Sentence, Token


def _folded(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


# Head nouns of organization names, in the languages reports use.
HEADS = _folded(
    """
    Ministry Ministries Ministerio Ministère Department Departamento Département Office Oficina
    Bureau Commission Comisión Commissariat Committee Comité Council Consejo Conseil Agency
    Agencia Agence Authority Autoridad Autorité Police Policía Polizia Gendarmerie Guard Guardia
    Garde Service Servicio Directorate Directorate-General Dirección Direction Secretariat
    Secretaría Secrétariat Institute Instituto Institut Centre Center Centro Network Red Réseau
    Programme Program Programa Organization Organisation Organización Union Community Comunidad
    Coalition Forum Foro Platform Fiscalía Procuraduría Parliament Army Force Survey Unit Division
    Branch Section Administration Association Foundation Fund Court Tribunal Customs Aduanas
    Government Gobierno Gouvernement Prosecutor Clearinghouse Gendarmería Carabineros Prefecture
    Inspectorate Corps Board Observatory Alliance Company Investigations Mission Delegation League
    Academy School College
    """
)
# A body that belongs to a state: without a country in its name, it takes the sentence's.
NATIONAL_HEADS = _folded(
    """
    Ministry Ministerio Ministère Department Departamento Département Police Policía Polizia
    Gendarmerie Guard Guardia Service Servicio Directorate Dirección Direction Fiscalía
    Procuraduría Parliament Army Force Customs Aduanas Prosecutor Gendarmería Carabineros
    Commission Comisión Authority Autoridad Office Oficina Agency Agencia Bureau Investigations
    """
)
GOVERNMENT = _folded("Government Gobierno Gouvernement")
# Heads after which "in <City>" is part of the name: "the OSCE Programme Office in Bishkek".
LOCATED_HEADS = _folded("Office Oficina Bureau Mission Delegation Centre Center Centro Representation")
# Small words inside names.
CONNECTORS = frozenset(
    """
    of for on and the in against to de del la las los le les des du d l en contra contre y et pour
    à a sur al e para por entre avec dans par sobre con das dos do da der die und von für
    """.split()
)
# Titles of people: "Deputy General Director of the Albanian State Police" names the police,
# "Office of Prime Minister Philip J. Pierre" ends with the title.
PERSON_TITLES = _folded(
    """
    Minister Director Advisor Adviser Head Chief President Ambassador Chair Chairman Chairperson
    Secretary Deputy Officer Coordinator Representative Representatives Commissioner Specialist
    Expert Experts Governor Mayor Spokesperson Executive Senior Political General Vice Prime
    Delegates Officials Members Staff Officers Ministers Minister Ministre Ministro
    """
)
# "Minister of the Interior" names the Ministry of the Interior.
MINISTER = _folded("Minister Ministre Ministro")
PORTFOLIOS = _folded(
    """
    Interior Justice Defence Defense Security Foreign Affairs Home Finance Public Internal
    National Trade Economy Health Education Foreign Relations Exteriores Intérieur Seguridad
    Civil Protection Territorial Administration Immigration Customs
    """
)
# Verbs a headline in title case capitalizes, which end a name: "... Commission Holds Meeting".
HEADLINE_VERBS = _folded(
    """
    Hold Holds Held Host Hosts Hosted Meet Meets Met Launch Launches Launched Adopt Adopts
    Adopted Discuss Discusses Discussed Aims Opens Opened Organizes Organises Organized Organised
    Gathers Gathered Supports Supported Trains Trained Concludes Concluded Welcomes Signs Signed
    Agree Agrees Agreed Engages Reviews Calls Urges Marks Celebrates Strengthens Promotes
    """
)
# Buildings and sites are places, not organizations.
VENUE_WORDS = _folded("Hotel Hall Palace Palais Headquarters House Building")
_CUE_BEFORE = re.compile(r"\b(?:the\s+)?(?:company|firm|NGO|network|coalition)\s+$", re.I)
_GAP_IN_NAME = re.compile(r"^(?:\s|-|'|’|/|\s&\s|\.\s?)$")
_ACRONYM_AFTER = re.compile(r"^\s*\((?P<acr>[A-Za-z][A-Za-z\-.&]{1,11}(?:\s[A-Z][A-Za-z]{1,8})?)\)")
_MONTHS = _folded("January February March April May June July August September October November December")


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


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _is_head(token: Token, *, plural: bool = False) -> bool:
    """Whether ``token`` is a head noun ("Ministry"); with ``plural``, in the plural too."""
    return _capitalized(token) and _names_a_head(token.text, plural)


@lru_cache(maxsize=65536)
def _names_a_head(text: str, plural: bool) -> bool:
    # Asked of the same few words for every run of every sentence: folded once each.
    word = fold(text)
    forms = (word, word.replace("-", ""), _singular(word)) if plural else (word, word.replace("-", ""))
    return any(w in HEADS for w in forms)


def _head_positions(tokens: list[Token]) -> list[int]:
    """Where the head nouns of a name are; one in the plural only as its last word: "National
    Security Services" is a body, "Delegations of the States" is not."""
    heads = [i for i, t in enumerate(tokens) if _is_head(t)]
    if tokens and (not heads or heads[-1] != len(tokens) - 1) and _is_head(tokens[-1], plural=True):
        heads.append(len(tokens) - 1)
    return heads


def _runs(sentence: Sentence, text: str, known: list[Match]) -> list[list[Token]]:
    """Runs of capitalized tokens joined by connectors and name-internal punctuation."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    tokens = sentence.tokens
    for i, token in enumerate(tokens):
        gap_ok = bool(current) and _GAP_IN_NAME.match(text[tokens[i - 1].end : token.start]) is not None
        if current and not gap_ok:
            runs.append(current)
            current = []
        if current and _capitalized(token) and fold(token.text) in HEADLINE_VERBS:
            runs.append(current)  # "ECOWAS and National Commission on Small Arms Hold Annual ..."
            current = []
        elif _capitalized(token) or (current and token.text.lower() in CONNECTORS):
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    # Never split inside a known name ("Centre for Peace and Disarmament in Asia and the Pacific").
    protected = {t.start for t in tokens for m in known if m.start < t.start < m.end}
    known_ends = {m.end for m in known if m.kind in ("agency", "country")}
    known_starts = {m.start for m in known if m.kind == "agency"}
    split: list[list[Token]] = []
    for run in runs:
        split.extend(_split_coordination(run, protected, known_ends, known_starts))
    trimmed = []
    for run in split:
        while run and not _capitalized(run[-1]):
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


def _split_coordination(
    run: list[Token], protected: set[int], known_ends: set[int], known_starts: set[int]
) -> list[list[Token]]:
    """Split a run where it joins two bodies, and where a body's location follows it.

    "the Policía Nacional and the Servicio Nacional de Fronteras", "INTERPOL and the United
    States Department of State" and "Conflict Armament Research and the Small Arms Survey" are
    two bodies each; so is "Customs and Border Protection and
    Homeland Security Investigations", at its last "and"; "Bureau of Alcohol, Tobacco, Firearms
    and Explosives" stays one. "the Public Security Directorate in Amman" ends before "in",
    "the OSCE Programme Office in Bishkek" does not.
    """

    def has_head(tokens: list[Token]) -> bool:
        return bool(_head_positions(tokens))

    splits: set[int] = set()
    ands = [
        i
        for i, t in enumerate(run)
        if t.text.lower() == "and" and t.start not in protected and 0 < i < len(run) - 1
    ]
    for i in ands:
        right = run[i + 1 :]
        if right[0].text.lower() == "the" and len(right) > 1:
            right = right[1:]
        if _is_head(right[0]) or run[i - 1].end in known_ends or right[0].start in known_starts:
            splits.add(i)
    # Within each part the other rules leave: "European Union and the UNODC Research and Trend
    # Analysis Branch" is split before "UNODC", and "UNODC Research and Trend Analysis Branch"
    # has a head on one side only.
    bounds = [-1, *sorted(splits), len(run)]
    for low, high in pairwise(bounds):
        inside = [i for i in ands if low < i < high]
        both = [i for i in inside if has_head(run[low + 1 : i]) and has_head(run[i + 1 : high])]
        if both:
            splits.add(both[-1])
    parts: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(run):
        if i in splits:
            parts.append(current)
            current = []
            continue
        if (
            token.text.lower() == "in"
            and token.start not in protected
            and current
            and fold(current[-1].text) not in LOCATED_HEADS
        ):
            parts.append(current)
            return [p for p in parts if p]
        current.append(token)
    parts.append(current)
    return [p for p in parts if p]


def _split_titles(run: list[Token]) -> list[Token]:
    # "Senior Political Advisor at the Regional Cooperation Council", "Permanent Secretary to
    # the National Commission": keep what follows the title.
    for i, token in enumerate(run):
        if token.text.lower() in ("of", "to", "at") and i > 0:
            before = run[:i]
            if any(fold(t.text) in PERSON_TITLES for t in before) and not any(
                fold(t.text) in HEADS for t in before
            ):
                rest = run[i + 1 :]
                while rest and rest[0].text.lower() in CONNECTORS:
                    rest = rest[1:]
                return rest
    # "Office of Prime Minister Philip J. Pierre": the name ends with the title.
    for i, token in enumerate(run):
        if fold(token.text) in PERSON_TITLES and i > 0 and any(_is_head(t) for t in run[:i]):
            end = i
            while end + 1 < len(run) and fold(run[end + 1].text) in PERSON_TITLES:
                end += 1  # "Prime Minister"
            following = run[end + 1 :]
            if following and all(_capitalized(t) and not _is_head(t) for t in following):
                return run[: end + 1]
    return run


def find_organizations(
    sentence: Sentence,
    text: str,
    gazetteer: Gazetteer,
    known: list[Match],
) -> list[OrgMention]:
    """Organization names in ``sentence`` that are not (only) a known entity."""
    found: list[OrgMention] = []
    for run in _runs(sentence, text, known):
        ministry = _ministry_of_minister(run, text, known)
        if ministry is not None:
            found.append(ministry)
            continue
        run = _split_titles(run)
        while run and run[0].text.lower() in {"the", "la", "le", "el", "les", "los", "las", "l"}:
            run = run[1:]
        if not run:
            continue
        mention = _organization(run, text, known)
        if mention is not None:
            found.append(_up_to_its_acronym(mention, text, sentence.end))
    return found


# "National Commission to fight against the Proliferation of Light Weapons (CNLPAL)": a name
# goes on in lower case up to the acronym in brackets that closes it.
_LOWER_CASE_REST = re.compile(
    r"\s+(?:of|for|to|on|against|in)\s+(?:[\w'’-]+\s+){0,9}?[\w'’-]+(?=\s*\((?P<acr>[A-Z]{3,}[A-Za-z]*)"
    r"(?:\s+[A-Z][a-z]+)?\))"
)


def _up_to_its_acronym(mention: OrgMention, text: str, sentence_end: int) -> OrgMention:
    if mention.acronym is not None:
        return mention
    rest = _LOWER_CASE_REST.match(text, mention.end, sentence_end)
    if rest is None or not any(w[:1].islower() for w in rest.group().split()):
        return mention
    return replace(
        mention,
        end=rest.end(),
        name=mention.name + rest.group(),
        acronym=rest.group("acr"),
        words=mention.words + rest.group().split(),
    )


def _ministry_of_minister(run: list[Token], text: str, known: list[Match]) -> OrgMention | None:
    """ "Croatian Minister of the Interior Davor Božinović" names the Ministry of the Interior."""
    for i, token in enumerate(run):
        if (
            fold(token.text) not in MINISTER
            or i + 1 >= len(run)
            or run[i + 1].text.lower() not in ("of", "for")
        ):
            continue
        j = i + 2
        while j < len(run) and run[j].text.lower() in ("the", "and"):
            j += 1
        portfolio = []
        while j < len(run) and (fold(run[j].text) in PORTFOLIOS or run[j].text.lower() == "and"):
            portfolio.append(run[j])
            j += 1
        while portfolio and portfolio[-1].text.lower() == "and":
            portfolio.pop()
        if not portfolio:
            return None
        country = next(
            (
                m.iri
                for m in known
                if m.kind in ("demonym", "country") and m.end <= token.start and m.start >= run[0].start
            ),
            None,
        )
        words = " ".join(t.text for t in portfolio)
        article = "the " if run[i + 2].text.lower() == "the" else ""
        name = f"Ministry of {article}{words}"
        return OrgMention(
            run[i].start, portfolio[-1].end, name, country=country, national=True, words=name.split()
        )
    return None


def _organization(run: list[Token], text: str, known: list[Match]) -> OrgMention | None:
    folded = [fold(t.text) for t in run]
    heads = _head_positions(run)
    start, end = run[0].start, run[-1].end
    cue = _CUE_BEFORE.search(text[max(0, start - 40) : start])
    if not heads and not cue:
        return None
    if any(w in VENUE_WORDS for w in folded) or "conference centre" in " ".join(folded):
        return None
    if folded[-1] in TRIGGERS or (all(t.text.isupper() for t in run) and len(run) > 1):
        return None  # "INTERPOL Firearm Forensic Symposium" is an event; "PROGRAMME NOTE" a heading
    first_head = heads[0] if heads else len(run)
    if any(
        folded[i] in TRIGGERS and folded[i + 1] in ("of", "on", "for")
        for i in range(min(first_head, len(run) - 1))
    ):
        return None  # "Sub-Regional Meetings of the Community of Practitioners" is an event
    if any(m.start <= start and end <= m.end for m in known):
        return None  # the whole run is inside a known name
    if any(m.kind == "instrument" for m in known if m.start <= start < m.end or start <= m.start < end):
        return None  # "United Nations Programme of Action" is an instrument
    # The run is a known name, or mostly known names: the gazetteer already has it.
    covered = sum(
        min(end, m.end) - max(start, m.start)
        for m in known
        if m.kind == "agency" and m.start < end and start < m.end
    )
    if any(m.start == start and m.end == end for m in known) or covered >= 0.6 * (end - start):
        return None
    country: URIRef | None = None
    parent: URIRef | None = None
    first = 0
    last = len(run)
    for match in known:
        if match.start != run[0].start:
            continue
        if match.kind in ("demonym", "country"):
            # A leading demonym or country ("Mexican Ministry", "Kyrgyzstan's Border Service").
            country = match.iri
            while first < len(run) and run[first].end <= match.end:
                first += 1
            if first < len(run) and run[first].text == "s":
                first += 1
        elif match.kind == "agency" and match.end < end:
            if text[match.end : match.end + 5].lower().startswith(" and "):
                return None  # "European Union and the Western Balkans": a known body, then more
            parent = match.iri
    is_government = any(folded[i] in GOVERNMENT for i in heads)
    # "... Peace, and Security of the ECOWAS Commission": the end of a title, then the body.
    for match in known:
        if match.kind == "agency" and start < match.start < end and match.end < end:
            at = next((i for i, t in enumerate(run) if t.start >= match.start), len(run))
            if heads and all(h >= at for h in heads) and run[at - 1].text.lower() in CONNECTORS:
                first, start, parent = max(first, at), match.start, match.iri
    # A trailing "of (the Republic of) <Country>".
    for match in known:
        if match.kind == "country" and match.end == end and match.start > start:
            idx = next((i for i, t in enumerate(run) if t.start >= match.start), len(run))
            cut = idx
            while cut > 0 and run[cut - 1].text.lower() in CONNECTORS | {"republic", "kingdom", "state"}:
                cut -= 1
            if first < cut < idx:
                country = match.iri
                if not is_government:
                    last = cut
    body = run[first:last]
    if not body:
        return None
    body = _ending_with_its_head(body, known)
    body_folded = [fold(t.text) for t in body]
    if not _head_positions(body) and not cue:
        return None
    name_start, name_end = body[0].start, body[-1].end
    name = text[name_start:name_end]
    if is_government and country is not None and last == len(run):
        name = text[body[0].start : end]
    if len(body) == 1 and (body_folded[0] in HEADS or _singular(body_folded[0]) in HEADS) and not cue:
        return None  # "Police", "Commission" alone name nothing in particular
    # The name is itself a known entity (with a demonym before it): nothing new.
    for match in known:
        if match.start == name_start and match.end == name_end and match.kind in ("agency", "instrument"):
            return None
    acronym_match = _ACRONYM_AFTER.match(text[end : end + 20])
    acronym = acronym_match.group("acr") if acronym_match else None
    # "ECOWAS Commission", "OSCE Secretariat": a body of an international one has no country.
    national = (
        any(w in NATIONAL_HEADS or _singular(w) in NATIONAL_HEADS for w in body_folded) and parent is None
    ) or is_government
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


def _ending_with_its_head(body: list[Token], known: list[Match]) -> list[Token]:
    """ "INTERPOL Firearms Programme Policing Capabilities": the name ends with its last head
    noun, unless a connector ("of", "for") or a place ("Regional Bureau San Salvador") follows."""
    heads = _head_positions(body)
    if not heads or heads[-1] == len(body) - 1:
        return body  # "Criminal Police Analyst Units" ends with its head too
    rest = body[heads[-1] + 1 :]
    if len(rest) < 2 or any(t.text.lower() in CONNECTORS for t in rest):
        return body  # "Guardia Civil", "Servicio Nacional de Fronteras"
    start, end = rest[0].start, rest[-1].end
    if any(m.kind in ("city", "country") and m.start <= start and end <= m.end for m in known):
        return body
    return body[: heads[-1] + 1]


def _name_goes_on(tokens: list[Token], i: int) -> bool:
    """After a comma, a name goes on with a capitalized word, or a small word and one."""
    if i >= len(tokens):
        return False
    if _capitalized(tokens[i]):
        return True
    # ", the Ministerio de ..." starts the next item of a list; ", la Circulation" goes on.
    word = tokens[i].text.lower()
    return (
        word in CONNECTORS
        and word not in ("the", "and")
        and i + 1 < len(tokens)
        and _capitalized(tokens[i + 1])
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
            if (
                not re.fullmatch(r"\s*,?\s*|-|'|’", gap)
                or token.text[:1].isdigit()
                or fold(token.text) in _MONTHS
            ):
                break
            if gap.strip() == "," and not _name_goes_on(tokens, i):
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
        if not any(_is_head(t) for t in name_tokens):
            continue
        name = text[name_tokens[0].start : name_tokens[-1].end]
        results.append((name_tokens[0].start, name_tokens[-1].end, name, match.group("acr")))
    return results
