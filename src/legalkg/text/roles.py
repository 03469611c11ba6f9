"""Who did what at an event, and how many came: role cues and participant counts.

Roles are read from cue phrases. A passive or prepositional cue ("organized by", "in
cooperation with", "funded by") takes the names after it, up to the end of its clause; an
active verb ("X hosted the meeting", "GFP presented") takes the names before it, in its clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from legalkg.text.mentions import Ref, SentenceMentions
from legalkg.text.numbers import NUMBER, parse_number

# (role, pattern) for cues whose names follow them.
_AFTER: list[tuple[str, re.Pattern[str]]] = [
    (
        "organizer",
        re.compile(
            r"\b(?:jointly\s+|co-?)?(?:organi[sz]ed|convened|co-?organi[sz]ed|arranged|co-?hosted|carried|run|led|implemented|prepared|conducted)\s+(?:jointly\s+|together\s+)?(?:by|with)\b"
            # "implemented with the financial support of": who paid, not who organized
            r"(?!\s+(?:the\s+)?(?:generous\s+)?(?:financial\s+|technical\s+)?(?:support|funding|assistance|contributions?)\b)",
            re.I,
        ),
    ),
    (
        "organizer",
        re.compile(
            r"\bin\s+(?:close\s+)?(?:cooperation|co-operation|coordination|co-ordination|collaboration|partnership|conjunction|association)\s+with\b",
            re.I,
        ),
    ),
    ("organizer", re.compile(r"\b(?:together|jointly)\s+with\b(?!\s+(?:a|an)\b)", re.I)),
    ("organizer", re.compile(r"^\s*(?:Organi[sz]ers?|Organi[sz]ed by|Co-organi[sz]ers?|Hosts?)\s*:", re.I)),
    ("host", re.compile(r"\b(?:hosted\s+by|at\s+the\s+invitation\s+of)\b", re.I)),
    (
        "funder",
        re.compile(
            r"\b(?:funded|financed|sponsored|paid\s+for(?:\s+entirely)?|supported\s+financially|made\s+possible)\s+(?:by|through|with)\b",
            re.I,
        ),
    ),
    (
        "funder",
        re.compile(
            r"\b(?:with|thanks\s+to)\s+(?:the\s+)?(?:generous\s+)?(?:financial\s+|funding\s+)?(?:support|funding|contribution)s?\s+(?:of|from)\b",
            re.I,
        ),
    ),
    ("funder", re.compile(r"\b(?:financial|funding)\s+support\s+(?:of|from|provided\s+by)\b", re.I)),
    (
        "presenter",
        re.compile(
            r"\b(?:presented|delivered|given|moderated|facilitated|opened|started|introduced|led)\s+by\b",
            re.I,
        ),
    ),
    (
        "presenter",
        re.compile(
            r"\b(?:instructors|trainers|speakers|presenters|facilitators|lecturers|panell?ists|experts)\s+(?:were|included|came\s+from|from)\b",
            re.I,
        ),
    ),
    (
        "participant",
        re.compile(r"\b(?:representatives|delegations?|delegates|officials)\s+(?:of|from)\b", re.I),
    ),
]
# Active verbs whose subject plays the role, when the clause is about an event.
_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    (
        "organizer",
        re.compile(
            r"\b(?:held|holds|organi[sz]ed|organi[sz]es|convened|convenes|co-?organi[sz]ed|co-?hosted|realized|realised|launched|carried\s+out|conducted|(?:is|are|was|were)\s+(?:jointly\s+|currently\s+)?(?:preparing|organi[sz]ing|holding|hosting)|(?:will|(?:is|are)\s+set\s+to)\s+(?:jointly\s+)?(?:host|hold|organi[sz]e|convene)|ha(?:s|ve)\s+(?:organi[sz]ed|convened)|brought|brings|wound\s+up|(?:today\s+)?opened)\b",
            re.I,
        ),
    ),
    ("host", re.compile(r"\b(?:hosted|hosts|will\s+host|is\s+hosting)\b", re.I)),
    (
        "participant",
        re.compile(r"\b(?:participated|took\s+part|attended|joined|were\s+(?:also\s+)?present)\b", re.I),
    ),
    (
        "presenter",
        re.compile(
            r"\b(?:presented|exposed|shared|analy[sz]ed|delivered|gave|briefed|introduced|outlined|explained)\b",
            re.I,
        ),
    ),
]
_WITH_AS_HOST = re.compile(r"\bwith\s+(?P<obj>[^,;]+?)\s+as\s+(?:the\s+)?(?:host|co-host)\b", re.I)
# Where a clause ends, for the names after a cue.
_CLAUSE_END = re.compile(
    r";|\.\s|\.$|,\s+(?:with|which|who|and\s+(?:was|were|is|has|had))\b|\s+and\s+(?:was|were|is|has|had|will)\b|,\s+(?:to|for)\s+(?:the\s+)?(?:transport|implementation)"
)
# A cheap first look: every cue has one of these words in it.
_ANY_CUE = re.compile(
    r"organi[sz]|convene|cooperation|co-operation|coordination|co-ordination|collaboration|partnership|"
    r"conjunction|association|together|jointly|host|invitation|fund|financ|sponsor|paid|support|possible|"
    r"present|deliver|given|moderat|facilitat|open|start|introduc|\bled\b|\blead|instructor|trainer|speaker|"
    r"expert|panel|lectur|representative|delegat|official|\bheld\b|\bholds\b|reali[sz]ed|launch|prepar|"
    r"brought|bring|wound|particip|took part|attend|joined|exposed|shared|analy|\bgave\b|brief|outlin|"
    r"explain|arranged|carried|\brun\b|chaired|implemented|contribution|conducted",
    re.I,
)
_PRONOUN = re.compile(r"\b(?:it|they)\b", re.I)
# "...; it convened", "In that sense, from 28 to 30 July 2020 it carried out": a pronoun subject
# at the start of its clause, or after the clause's date.
_PRONOUN_SUBJECT = re.compile(r"(?:^|[;,]|\b(?:1[89]|20)\d\d)\s*(?:it|they)\s+$", re.I)


@dataclass(frozen=True)
class RoleFact:
    role: str  # organizer, host, participant, presenter, funder
    ref: Ref
    cue_start: int
    rule: str


def _in_parenthetical(text: str, sentence_start: int, position: int) -> bool:
    """Whether ``position`` is inside brackets that hold more than an acronym."""
    before = text[sentence_start:position]
    opened = before.rfind("(")
    if opened == -1 or before.rfind(")") > opened:
        return False
    return bool(re.match(r"\(\s*(?:as|of whom|including|the current|which)\b", before[opened:]))


# Verbs that make their subject an organizer only when nothing says who organized the event:
# "SEEFEN held its meeting ... The meeting was organized by SEESAC" makes SEESAC the organizer.
WEAK_ORGANIZER_VERBS = re.compile(
    r"^(?:held|holds|realized|realised|brought|brings|opened|launched|wound\s+up|(?:today\s+)?opened)", re.I
)
_VENUE_AFTER = re.compile(r"^\s+(?:Headquarters|headquarters|House|Building|Hall|premises)\b")


def _agents(mentions: SentenceMentions, text: str) -> list[Ref]:
    """The organizations and countries of a sentence that could act: "UNODC" in "United Nations
    Office on Drugs and Crime (UNODC)" is the same agent once, and "United Nations
    Headquarters" is a place."""
    agents: list[Ref] = []
    for ref in mentions.refs:
        if ref.kind not in ("agency", "country", "demonym"):
            continue
        if _VENUE_AFTER.match(text[ref.end : ref.end + 20]):
            continue
        if (
            agents
            and agents[-1].iri == ref.iri
            and re.fullmatch(r"\s*\(\s*", text[agents[-1].end : ref.start])
        ):
            continue
        agents.append(ref)
    return agents


def _subject(agents: list[Ref], text: str) -> list[Ref]:
    """The heads of a subject: "the Global Firearms Programme (GFP) of UNODC" is the programme."""
    heads: list[Ref] = []
    for ref in agents:
        if heads and re.search(r"(?:\bof|'s|’s)\s+(?:the\s+)?$", text[heads[-1].end : ref.start]):
            continue
        if (
            heads
            and re.search(r"\b(?:of|'s|’s)\b", text[heads[-1].end : ref.start])
            and not re.search(r"\b(?:and|,)\b|,", text[heads[-1].end : ref.start])
        ):
            continue  # "The EMPACT Firearms network of Europol"
        heads.append(ref)
    return heads


def role_facts(mentions: SentenceMentions, text: str, last_subject: list[Ref]) -> list[RoleFact]:
    """Role facts of one sentence. ``last_subject`` is the subject of the sentence before, for "it"."""
    sentence = mentions.sentence
    facts: list[RoleFact] = []
    agents = _agents(mentions, text)
    if not agents and not _PRONOUN.search(sentence.text):
        return facts
    cues: list[tuple[int, int, str, str]] = []
    if not _ANY_CUE.search(sentence.text):
        return facts
    for role, pattern in _AFTER:
        for match in pattern.finditer(sentence.text):
            cues.append((sentence.start + match.start(), sentence.start + match.end(), role, "after"))
    for role, pattern in _BEFORE:
        for match in pattern.finditer(sentence.text):
            if match.group()[:1].isupper() and match.start() > 0:
                continue  # "Transnational Organized Crime": a word of a name
            cues.append((sentence.start + match.start(), sentence.start + match.end(), role, "before"))
    cues.sort()
    after_cue_starts = sorted(c[0] for c in cues if c[3] == "after")
    for start, end, role, direction in cues:
        rule = f"{role}-{direction}-cue"
        if direction == "after":
            stop = _clause_end(text, end, sentence.end)
            stop = min([stop, *[s for s in after_cue_starts if s > end]])
            chosen = _subject([r for r in agents if end <= r.start and r.end <= stop], text)
            if role == "organizer" and re.search(r"\bby\s*$", text[start:end]):
                rule = "organizer-by-cue"
        else:
            if re.match(r"\s+(?:jointly\s+|together\s+)?by\b", text[end : end + 20]):
                continue  # a passive: "organized by" is read by the cues that follow
            clause_start = _clause_start(text, sentence.start, start)
            # "GFP participated to the conference jointly organized by ...": the event between
            # the names and the verb is what the verb is about.
            events_between = [p.end for p in mentions.events if clause_start <= p.start and p.end <= start]
            if events_between:
                clause_start = max(events_between)
            subject_text = text[clause_start:start]
            chosen = _subject([r for r in agents if clause_start <= r.start and r.end <= start], text)
            if not chosen and _PRONOUN_SUBJECT.search(subject_text[-40:]):
                # "SEESAC set up the network ...; it convened the first meeting"
                earlier = [
                    r for r in agents if sentence.start <= r.start < clause_start and r.kind == "agency"
                ]
                chosen = earlier[:1] or list(last_subject)
            if role == "organizer" and re.search(rf"\b(?:{_TITLES})\b", subject_text, re.I):
                role, rule = "presenter", "presenter-speaker-cue"  # "the Minister ... opened the symposium"
            elif role == "organizer" and WEAK_ORGANIZER_VERBS.match(text[start:end]):
                rule = "organizer-weak-cue"
            if role == "host":
                chosen = chosen[-3:]
        for ref in chosen:
            if _in_parenthetical(text, sentence.start, ref.start):
                continue
            facts.append(RoleFact(role, ref, start, rule))
    for match in _WITH_AS_HOST.finditer(sentence.text):
        s, e = sentence.start + match.start("obj"), sentence.start + match.end("obj")
        for ref in agents:
            if s <= ref.start and ref.end <= e:
                facts.append(RoleFact("host", ref, s, "host-with-as-cue"))
    return facts


_TITLES = (
    "Minister|Director|Advisor|Adviser|Head|Chief|President|Ambassador|Chair|Chairman|Chairperson|"
    "Secretary|Deputy|Coordinator|Representative|Commissioner|Governor|Mayor|Spokesperson"
)


def _clause_end(text: str, start: int, limit: int) -> int:
    match = _CLAUSE_END.search(text, start, limit)
    return match.start() if match else limit


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    before = text[sentence_start:position]
    cut = max(before.rfind(";"), before.rfind(" — "), before.rfind(" – "))
    return sentence_start + cut + 1 if cut >= 0 else sentence_start


# -- counts ---------------------------------------------------------------------------------

_QUALIFIERS = {
    "more than": "at least",
    "over": "at least",
    "at least": "at least",
    "upwards of": "at least",
    "some": "approximately",
    "about": "approximately",
    "around": "approximately",
    "approximately": "approximately",
    "nearly": "approximately",
    "almost": "approximately",
    "close to": "approximately",
    "roughly": "approximately",
    "up to": "approximately",
}
_QUALIFIER = r"(?P<qual>more\s+than|over|at\s+least|upwards\s+of|some|about|around|approximately|nearly|almost|close\s+to|roughly|up\s+to|a\s+total\s+of)?\s*"
_PEOPLE = (
    r"participants|officers|officials|experts|representatives|delegates|specialists|functionaries|"
    r"practitioners|investigators|attendees|trainees|members|persons|staff|stakeholders|judges|"
    r"prosecutors|journalists|students|parliamentarians|diplomats|agents|analysts|guards|"
    r"policemen|policewomen|professionals|technicians|instructors|people"
)
_PEOPLE_COUNT = re.compile(
    r"(?<![\w(])"
    + _QUALIFIER
    + r"(?P<num>"
    + NUMBER
    + r")(?:\s*\(\d+\))?\s+(?:[\w-]+\s+){0,3}?(?P<noun>"
    + _PEOPLE
    + r")\b",
    re.I,
)
_COUNTRY_COUNT = re.compile(
    r"\b(?:from|representing|of)\s+"
    + _QUALIFIER
    + r"(?P<num>"
    + NUMBER
    + r")\s+(?:[\w-]+\s+){0,2}?(?:countries|states|nations|member\s+states)\b"
    r"|(?<![\w(])"
    + _QUALIFIER.replace("qual", "qual2")
    + r"(?P<num2>"
    + NUMBER
    + r")\s+(?:[\w-]+\s+){0,1}?countries\b(?=[^.;]*\b(?:took\s+part|participated|attended|were\s+represented)\b)",
    re.I,
)


_EACH_AFTER = re.compile(r"\s+(?:from|of|for|per)\s+(?:each|every)\b|\s+per\s+(?:country|state|delegation)\b", re.I)
_TOTAL_AFTER = re.compile(r"\s+in\s+(?:total|all)\b", re.I)


# A cheap first look: a count is of people or of countries.
_COUNTED = re.compile(r"\b(?:" + _PEOPLE + r"|countries|states|nations)\b", re.I)


@dataclass(frozen=True)
class Count:
    value: int
    precision: str | None
    start: int
    what: str  # "people" or "countries"
    total: bool = False  # "making a total of 30 participants": it outweighs the counts before it


def counts(mentions: SentenceMentions, text: str) -> list[Count]:
    """Participant and country counts stated in a sentence (not in brackets)."""
    sentence = mentions.sentence
    found: list[Count] = []
    if not _COUNTED.search(sentence.text):
        return found
    for match in _PEOPLE_COUNT.finditer(sentence.text):
        position = sentence.start + match.start("num")
        if _in_brackets(sentence.text, match.start()) or (
            match.group("noun").lower() == "people" and not match.group("qual")
        ):
            continue
        value = parse_number(match.group("num"))
        if value is None or value < 2 or (1900 <= value <= 2100 and not match.group("qual")):
            continue
        if _EACH_AFTER.match(sentence.text, match.end()):
            continue  # "two participants from each of the following countries"
        qualifier = match.group("qual") or ""
        total = qualifier.lower().startswith("a total") or bool(_TOTAL_AFTER.match(sentence.text, match.end()))
        found.append(Count(value, _precision(match.group("qual")), position, "people", total))
    for match in _COUNTRY_COUNT.finditer(sentence.text):
        group = "num" if match.group("num") else "num2"
        value = parse_number(match.group(group))
        if value is None or _in_brackets(sentence.text, match.start()):
            continue
        qualifier = match.group("qual") if group == "num" else match.group("qual2")
        found.append(Count(value, _precision(qualifier), sentence.start + match.start(group), "countries"))
    return found


def opens_with_people_count(text: str) -> bool:
    """Whether a sentence opens with how many came: "Some 40 participants discussed ..."."""
    match = _PEOPLE_COUNT.search(text[:80])
    return match is not None and not text[: match.start()].strip(" ,")


def _precision(qualifier: str | None) -> str | None:
    if not qualifier:
        return None
    return _QUALIFIERS.get(re.sub(r"\s+", " ", qualifier.lower()))


def _in_brackets(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("(") > before.rfind(")")
