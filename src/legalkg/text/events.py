"""Event phrases: the words that name or refer to an event, and what kind of event it is.

An event phrase is built around a trigger noun ("conference", "workshop", "session"...): the
capitalized words and modifiers before it ("Law Enforcement Training Net conference", "its
sixteenth regional meeting") and the complements after it ("of States Parties (CSP5)", "on the
control measures applicable to ..."). Whether it introduces a new event or refers back to one
("the seminar", "the meeting") is decided by the reader, from its determiner and ordinal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from legalkg.text.dates import MONTHS, WEEKDAYS
from legalkg.text.numbers import parse_ordinal
from legalkg.text.segment import Sentence, Token

# Trigger nouns (singular and plural) and the kind of event each names.
TRIGGERS: dict[str, str] = {}
for kind, nouns in {
    "Conference": "conference symposium summit congress",
    "Meeting": "meeting consultation roundtable forum dialogue gathering",
    "Workshop": "workshop",
    "Training": "training course module exchange bootcamp",
    "Seminar": "seminar webinar colloquium",
    "Session": "session panel",
    "Other": "event launch ceremony activity initiative",
}.items():
    for noun in nouns.split():
        TRIGGERS[noun] = kind
        TRIGGERS[noun + ("es" if noun.endswith(("s", "sh", "ch")) else "s")] = kind
PLURALS = {
    n
    for n in TRIGGERS
    if (n.endswith("s") and n[:-1] in TRIGGERS) or (n.endswith("es") and n[:-2] in TRIGGERS)
}

# Words that may stand before the trigger inside an event phrase.
MODIFIERS = set(
    """
        regional national international annual virtual online technical expert closing opening
        kick off high level training ministerial sub thematic specialized specialised
        interactive joint side plenary parallel final preparatory consultative bilateral
        trilateral multilateral informal formal extraordinary special general inaugural review
        follow up hybrid person working group day one two three four five six seven eight nine ten
        week long half multi biennial subregional sub-regional global continental introductory practical
        stakeholders stakeholder coordination technical focal point launch validation awareness
        capacity building table round previous next upcoming forthcoming recent latest following
        same kick-off interactive intensive comprehensive intersessional inter-sessional
        interagency inter-agency multi-stakeholder open-ended partner partners most
    """.split()
)
# Words that end an event phrase's complement.
STOP_WORDS = set(
    """
        was were is are will would has have had be been being held took take takes opened opens
        organized organised organizes organises convened convenes hosted hosts brought brings
        runs ran began begins started starts ended ends closed closes followed follows gathered
        gather met meet meets which that who whom whose where when at from with by during
        between before after under through as jointly today yesterday tomorrow this last next
        together also then while whereas including attended participated focused focusing aimed
        aims featured featuring addressed discussed examined covered continued provided marked
        shall can could should may might did does do so but although because since
    """.split()
)
DETERMINERS = {
    "a",
    "an",
    "the",
    "its",
    "their",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "our",
    "each",
    "every",
    "both",
}
NON_EVENT_NEXT = {
    "centre",
    "center",
    "hall",
    "room",
    "secretariat",
    "series",
    "programme",
    "program",
    "report",
    "document",
    "package",
    "materials",
    "curriculum",
    "manual",
}


@dataclass
class EventPhrase:
    """An event phrase in a sentence."""

    start: int
    end: int
    label: str
    kind: str
    trigger: str
    determiner: str | None
    ordinal: int | None
    plural: bool
    acronym: str | None
    possessor: str | None
    proper: bool  # a name, capitalized ("Fifth Conference of States Parties")
    quoted_title: str | None
    of_event: bool  # "session of the conference": part of an event named after it
    trigger_start: int = 0

    @property
    def definite(self) -> bool:
        return self.determiner is not None and self.determiner not in ("a", "an")


_QUOTED = re.compile(r"^\s*[\"“](?P<title>[^\"”]{3,200})[\"”]")
_ACRONYM = re.compile(r"^\s*\((?P<acr>[A-Z][A-Za-z0-9\-]{1,14})\)")


def _is_cap(token: Token) -> bool:
    """Capitalized, or an acronym that starts in lower case ("iARMS", "eTrace")."""
    text = token.text
    return text[:1].isupper() or (len(text) > 2 and text[0].islower() and text[1:].isupper())


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


def find_event_phrases(
    sentence: Sentence, text: str, names: Sequence[tuple[int, int]] = ()
) -> list[EventPhrase]:
    """Every event phrase in ``sentence`` whose trigger is the head of its noun phrase; a
    trigger inside one of ``names`` (spans of organizations' names: "Forum for Security
    Co-operation") is a word of that name."""
    tokens = sentence.tokens
    phrases: list[EventPhrase] = []
    consumed_until = -1
    for i, token in enumerate(tokens):
        word = token.text.lower()
        if word not in TRIGGERS or token.start < consumed_until:
            continue
        if any(start <= token.start < end for start, end in names):
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and _gap(text, token, nxt) in (" ", "-"):
            following = nxt.text.lower()
            if following in TRIGGERS and following not in ("of",):
                continue  # "training workshop": the head is the next word
            if following in NON_EVENT_NEXT or (
                _is_cap(nxt) and _is_cap(token) and following not in ("of", "on", "for", "to")
            ):
                continue  # "Conference Centre", "Training Net": part of another name
            if word in ("event", "events") and following in ("of",):
                pass
        phrase = _phrase(sentence, text, i, names)
        if phrase is not None:
            phrases.append(phrase)
            consumed_until = phrase.end
    return phrases


def _phrase(sentence: Sentence, text: str, head: int, names: Sequence[tuple[int, int]] = ()) -> EventPhrase | None:
    tokens = sentence.tokens
    # In an all-capitals heading every word looks like the start of a name or a place.
    shouting = sentence.text.isupper()
    trigger = tokens[head].text.lower()
    kind = TRIGGERS[trigger]
    # Left: capitalized words, ordinals and modifiers, up to a determiner or possessive.
    left = head
    ordinal: int | None = None
    while left > 0:
        prev = tokens[left - 1]
        gap = _gap(text, prev, tokens[left])
        if gap in ("' ", "’ ") and prev.text.lower().endswith("s") and prev.text.isalpha():
            left -= 1  # "a stakeholders' conference", "the experts' meeting"
            continue
        if gap not in (" ", "-", "–"):
            break
        low = prev.text.lower()
        name = next(((a, b) for a, b in names if a <= prev.start < b), None)
        if name is not None:
            # "yesterday's OSCE Forum for Security Co-operation meeting": the body's whole name.
            while left > 0 and tokens[left - 1].start >= name[0]:
                left -= 1
            continue
        value = parse_ordinal(low)
        if value is not None:
            ordinal = ordinal or value
            left -= 1
            continue
        if low in DETERMINERS or low in STOP_WORDS:
            break
        if low in MODIFIERS or low in TRIGGERS or re.fullmatch(r"\d+", low) or _is_cap(prev):
            if _is_cap(prev) and left - 1 == 0 and low in ("on", "in", "at", "during", "from"):
                break
            left -= 1
            continue
        break
    # "a governmental expert meeting": up to two plain adjectives between an article and the
    # words taken in.
    k = left
    while k > 0 and left - k < 2:
        prev = tokens[k - 1]
        if prev.text.lower() in ("a", "an", "the"):
            left = k
            break
        if not (prev.text.isalpha() and prev.text.islower()) or prev.text in STOP_WORDS:
            break
        if _gap(text, prev, tokens[k]) != " ":
            break
        k -= 1
    # Drop a capitalized sentence-initial function word ("On", "During") taken in.
    while left < head and tokens[left].text.lower() in (
        "on",
        "in",
        "at",
        "during",
        "for",
        "with",
        "from",
        "by",
    ):
        left += 1
    determiner = None
    possessor = None
    if left > 0:
        prev = tokens[left - 1]
        low = prev.text.lower()
        if low in DETERMINERS:
            determiner = low
        elif low == "s" and left > 1 and text[tokens[left - 2].end : prev.start] in ("'", "’"):
            possessor = tokens[left - 2].text
            determiner = "possessive"
    start = tokens[left].start
    end = tokens[head].end
    after = text[end : sentence.end]
    acronym = None
    match = _ACRONYM.match(after)
    if match:
        acronym = match.group("acr")
        end += match.end()
    quoted = None
    # Right: complements introduced by of/on/for/to, up to a stop word or punctuation.
    j = head + 1
    of_event = False
    while j < len(tokens) and tokens[j].end <= end:
        j += 1
    if (
        j < len(tokens)
        and tokens[j].text.lower() in ("of", "on", "for", "to", "against", "in")
        and _gap(text, tokens[j - 1], tokens[j]).strip() in ("", ")")
    ):
        intro = tokens[j].text.lower()
        if intro == "to" and not (j + 1 < len(tokens) and _is_cap(tokens[j + 1])):
            intro = ""
        if intro == "on" and j + 1 < len(tokens) and _is_date_start(tokens[j + 1]):
            intro = ""  # "its 6th Regional Meeting on 8-9 December 2016"
        if intro == "in" and not (j + 1 < len(tokens) and tokens[j + 1].text.lower() == "support"):
            intro = ""
        if intro:
            k = j
            last_good = None
            while k < len(tokens) and k - j < 30:
                low = tokens[k].text.lower()
                # A capitalized stop word is a word of a name ("Transnational Organized Crime"),
                # but in a headline in title case a verb ("... Focal Points Aims to Enhance").
                if k > j and low in STOP_WORDS and (not tokens[k].text[:1].isupper() or sentence.is_heading):
                    break
                gap = _gap(text, tokens[k - 1], tokens[k])
                if (
                    k > j
                    and re.search(r"[,.;:!?—–]|\s-\s", gap)
                    and not re.fullmatch(r"\s*\(\s*|\s*\)\s*", gap)
                    and not (gap == "." and tokens[k - 1].text.isdigit() and tokens[k].text.isdigit())
                ):
                    break  # but "target 16.4" goes on
                if (
                    k > j
                    and low in ("in", "on", "and")
                    and k + 1 < len(tokens)
                    and _is_date_or_place_start(tokens[k + 1])
                    and not shouting
                    # "a national workshop on Global Instruments on Small Arms": a second topic
                    and not (low == "on" and not _is_date_start(tokens[k + 1]))
                ):
                    break
                if (
                    k > j
                    and low == "in"
                    and k + 2 < len(tokens)
                    and tokens[k + 1].text.lower() in ("the", "order")
                    and tokens[k + 2].text.lower() in _CIRCUMSTANCES
                ):
                    break  # "... analysis in the framework of the EU funded project": not its name
                if low in TRIGGERS and k > j and tokens[k - 1].text.lower() in ("the", "this", "its"):
                    of_event = intro == "of"
                last_good = k
                k += 1
            if last_good is not None:
                end = tokens[last_good].end
                closing = text[end : end + 1]
                if closing == ")" and "(" in text[start:end]:
                    end += 1
    quoted_match = _QUOTED.match(text[end : sentence.end])
    if quoted_match:
        quoted = quoted_match.group("title").strip()
        end += quoted_match.end()
    label = text[start:end].strip()
    proper = (
        _is_cap(tokens[left])
        and tokens[left].text.lower() not in DETERMINERS
        and (left > 0 or tokens[left].text.lower() not in TRIGGERS)
    )
    if left == 0 and not sentence.is_heading and tokens[left].text.lower() in TRIGGERS:
        proper = False
    return EventPhrase(
        start=start,
        end=end,
        label=label,
        kind=kind,
        trigger=trigger,
        determiner=determiner,
        ordinal=ordinal,
        plural=trigger in PLURALS,
        acronym=acronym,
        possessor=possessor,
        proper=proper,
        quoted_title=quoted,
        of_event=of_event,
        trigger_start=tokens[head].start,
    )


# "in the framework of", "in the context of", "in order to": what an event was for, not its name.
_CIRCUMSTANCES = frozenset(
    "framework context margins margin sidelines presence course light wake aftermath run-up lead to".split()
)


def _is_date_or_place_start(token: Token) -> bool:
    return token.text[:1].isdigit() or token.text[:1].isupper()


def _is_date_start(token: Token) -> bool:
    text = token.text
    return bool(re.fullmatch(r"\d{1,4}(?:st|nd|rd|th)?", text)) or text.lower() in MONTHS or text.lower() in WEEKDAYS


_PROGRAMME_ITEM = re.compile(
    r"^(?P<kind>Session|Panel|Module|Day)\s+(?P<number>\d{1,2}|[IVX]{1,4})\s*[.:–—-]?\s*"
    r"(?:(?P<date>[^:]{3,40}?)\s*:\s*)?(?P<title>.+?)\.?$"
)


@dataclass
class ProgrammeItem:
    number: int
    title: str
    date_text: str | None
    kind: str


def programme_item(sentence: Sentence) -> ProgrammeItem | None:
    """A numbered item of a programme ("Session 1 – 18 October: Tendencies and routes.")."""
    match = _PROGRAMME_ITEM.match(sentence.text)
    if not match:
        return None
    number_text = match.group("number")
    number = int(number_text) if number_text.isdigit() else _roman(number_text)
    title = match.group("title").strip()
    date_text = match.group("date")
    if date_text and not re.search(r"\d", date_text):
        # "Session 5. Operational small arms control: effective control ...": a title with a colon.
        title = date_text
        date_text = None
    return ProgrammeItem(number, title.rstrip(". "), date_text, match.group("kind"))


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=False):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total
