"""Reading one report: events, what they covered, who organized them, with evidence.

The reader walks the sentences in order and keeps a *focus*: the event under discussion.
An event phrase either introduces an event (a name, an ordinal, an indefinite "a workshop
on ...") or refers back to one ("the seminar", "the meeting"); a sentence without one speaks of
the focus, unless it opens a paragraph that does not continue the story (background). Facts
found in a sentence (dates, places, roles, counts, instruments, SDG targets) go to the event
the sentence speaks of, the nearest one when it names several.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from legalkg.iris import Iris
from legalkg.text import roles
from legalkg.text.datelines import Dateline, date_of_writing, find_dateline
from legalkg.text.dates import DateMention, find_dates, parse_date
from legalkg.text.events import EventPhrase, programme_item
from legalkg.text.gazetteer import Gazetteer, fold
from legalkg.text.mentions import Annotator, Ref, SentenceMentions
from legalkg.text.model import Event, Evidence, Extraction, Fact, Mention
from legalkg.text.numbers import parse_ordinal
from legalkg.text.segment import Paragraph, Sentence, segment, sentences

# Nouns that only ever refer back to the event in focus ("the activity", "the initiative").
ANAPHORS = {"activity", "initiative"}
WEAK_TRIGGERS = {
    "exchange",
    "course",
    "training",
    "dialogue",
    "forum",
    "module",
    "event",
    "launch",
    "panel",
    "gathering",
    "ceremony",
    "consultation",
    "summit",
    "congress",
}
# A paragraph that opens with one of these goes on about the event in focus.
_CONTINUES = re.compile(
    r"^(?:The\s+|All\s+|Each\s+|Both\s+|Over\s+the\s+|During\s+the\s+|For\s+(?:the\s+)?|According\s+to\s+the\s+|In\s+(?:the\s+)?)?"
    r"(?:participants?|discussions?|delegations?|delegates|speakers|experts|trainees|organi[sz]ers|presentations?|"
    r"attendees|representatives|officers|officials|group|programme|agenda|sessions?|days?|first\s+day|"
    r"second\s+day|last\s+day|morning|afternoon|it|they|concretely|in\s+addition|furthermore|moreover|"
    r"further|also|classroom|exercises?|two|three|four|five|following|purpose|objectives?|aims?|goals?|"
    r"themes?|topics|expected\s+results?|outcomes?|results?|activity|initiative)\b",
    re.I,
)
# A paragraph that says who took part goes on about the event: "Thirty-six officials attended".
_PARTICIPATION = re.compile(
    r"\b(?:attended|participated|took\s+part|were\s+(?:also\s+)?present|joined\s+the|gathered|trained)\b",
    re.I,
)
# Statements about an instrument itself, not what an event did with it.
_INSTRUMENT_FACT = re.compile(
    r"\b(?:(?<!newly )(?<!recently )adopted|entered\s+into\s+force|enter\s+into\s+force|entry\s+into\s+force|ratif\w+|signed|"
    r"signature|acceded|accession|supplements|is\s+(?:legally\s+)?binding|(?:is|are)\s+(?:also\s+)?(?:a\s+)?part(?:y|ies)\s+to|"
    r"was\s+revised|amended|revoke\w*|pledged|established\s+by|deposited)\b",
    re.I,
)
_NON_EVENT_DATE = re.compile(
    r"\b(?:adopted|entered\s+into\s+force|signed|ratified|established|created|founded|announced|"
    r"revoked?|published|dated|since|set\s+up|celebrated|born|appointed|elected)\b[^,.;]{0,25}$",
    re.I,
)
_PARTICIPANTS_FROM = re.compile(
    r"\b(?:participants|representatives|officials|officers|delegates|delegations|specialists|"
    r"colleagues|members|functionaries|trainees)\b[^.;]{0,120}?\b(?:of|from)\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“][^\"”]{3,200}[\"”]")
_AFTER_VENUE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?[A-Z][^,;]*(?:\([A-Z]+\))?,\s*$")
_END_CUE = re.compile(
    r"\b(?:close|closes|closed|end|ends|ended|conclude[sd]?|finish(?:es|ed)?|(?:run|runs|ran|last|lasts|lasted|continues?|continued)\s+until)\s+(?:on\s+)?$",
    re.I,
)
_ONLINE = re.compile(r"\b(?:online|virtual(?:ly)?|video[\s-]?conference|webinar|remotely)\b", re.I)
_DEDICATED = re.compile(
    r"\b(?:was|is|will\s+be|were)\s+(?:dedicated|devoted)\s+to\s+(?:the\s+(?:topic|theme)\s+of\s+)?(?P<title>[^.;]+)"
    r"|\b(?:entitled|titled|on\s+the\s+(?:theme|topic)\s+of)\s+[\"“]?(?P<title2>[^\"”.;]+)"
)
_BROUGHT_TOGETHER = re.compile(
    r"\bbrought\s+(?P<who>.{3,160}?)\s+together\b|\b(?P<who2>[\w'(). ]{3,100}?)\s+met\s+(?:in|at|via|online|virtually|on\s+\d)"
)
_LAUNCH = re.compile(
    r"\b(?P<what>project|programme|initiative|network|platform|campaign)\s+was\s+(?:officially\s+|formally\s+)?launched\b",
    re.I,
)
# How many first words a name in the text must share with the heading's to be its event.
_SHARED_WORDS_OF_A_NAME = 4
_SMALL_WORDS = frozenset("of on the for and to in a an".split())
# Rules by which an event's label is its name, not a description ("a training course").
_NAMING_RULES = {"event-name", "event-title-heading", "event-named-later", "event-appositive-name"}
# "two Sub-Regional Meetings", "several workshops": events counted, not one event named.
_COUNTED = re.compile(r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|some)\b", re.I)
# Another event of a series than the one in focus: "its next session", "the previous conference".
_OTHER_OF_SERIES = r"(?:next|previous|following|upcoming|forthcoming|subsequent)"
_ANOTHER = re.compile(_OTHER_OF_SERIES + r"\b", re.I)
_ANOTHER_BEFORE = re.compile(r"\b" + _OTHER_OF_SERIES + r"\s+$", re.I)
# ("the last session" of an event is its own; "the last conference" of a series another one.)
_ANOTHER_IN = re.compile(
    r"\b(?:" + _OTHER_OF_SERIES + r"\s+(?:\w+\s+)?(?:conference|meeting|session|summit)"
    r"|(?:preceding|last)\s+(?:\w+\s+)?(?:conference|meeting|summit))\b",
    re.I,
)
# Words before an event phrase that say how the event stands to the sentence: the event people
# take part in, the event another one is held at, the body that adopted a resolution, the event
# people gathered for.
_ATTENDING = re.compile(
    r"\b(?:participat\w*\s+in|attend\w*|t(?:ook|ake|aking)\s+part\s+in|joined)\s+(?:the|a|an|this|its)\s+$",
    re.I,
)
_SETTING = re.compile(
    r"\b(?:at|during|on\s+the\s+(?:margins|sidelines)\s+of|in\s+the\s+margins\s+of)\s+(?:the|its)\s+$", re.I
)
_ADOPTED_BY = re.compile(
    r"\b(?:resolutions?|decisions?|recommendations?|rules\s+of\s+procedure|bureau|secretariat|president|chair)"
    r"\s+(?:\d[\w/.-]*\s+)?(?:of|by|adopted\s+by)\s+(?:the|its)\s+$",
    re.I,
)
_GATHERED_FOR = re.compile(
    r"\b(?:gathered|met|convened|assembled|came\s+together|come\s+together|arrived)\s+(?:here\s+)?(?:for|at)\s+the\s+$"
)
_APPOSITIVE_NAME = re.compile(r"^\s*,\s*(?P<name>[A-Z][A-Za-z]*\d+|[A-Z]{2,}\d*)\s*,")


def _without_number(words: list[str]) -> list[str]:
    if words and (re.fullmatch(r"\d{4}", words[0]) or parse_ordinal(words[0]) is not None):
        return words[1:]
    return words


@dataclass
class _Reference:
    event: Event
    start: int
    end: int
    explicit: bool = True


@dataclass
class _State:
    focus: Event | None = None
    last_event: Event | None = None
    main: Event | None = None
    list_kind: tuple[str, str, dict[URIRef, Evidence]] | None = None
    pending_session_date: DateMention | None = None
    last_subject: list[Ref] = field(default_factory=list)
    date_rank: dict[int, int] = field(default_factory=dict)
    group: list[Event] = field(default_factory=list)  # "the workshops": the events a plural names


def read(
    text: str,
    gazetteer: Gazetteer,
    *,
    iris: Iris,
    document_key: str,
    sdg_notations: set[str],
    published: dt.date | None = None,
) -> Extraction:
    """Read a report: its events, the entities it names, and the evidence of each fact."""
    paragraphs = segment(text)
    all_sentences = sentences(paragraphs)
    dateline = find_dateline(all_sentences)
    reference_date = (dateline.date if dateline else None) or published or date_of_writing(all_sentences)
    annotator = Annotator(text, gazetteer, iris, reference_date, sdg_notations, document_key)
    reader = _Reader(text, gazetteer, annotator, paragraphs)
    reader.dateline_dated = dateline is not None and dateline.date is not None
    extraction = Extraction(title=_title(paragraphs), published=reference_date)
    annotator.prepare(all_sentences)
    annotated: list[SentenceMentions] = []
    for sentence in all_sentences:
        excluded = dateline.span if dateline and dateline.sentence is sentence else None
        annotated.append(annotator.annotate(sentence, excluded=excluded))
    reader.run(annotated)
    if dateline is not None:
        reader.dateline_venue(dateline)
    extraction.events = [e for e in reader.events if reader.keep(e)]
    for sm in annotated:
        for ref in sm.refs:
            kind = "country" if ref.kind == "demonym" else ref.kind
            if (
                kind not in ("agency", "country", "instrument", "sdg", "topic")
                or ref.iri in extraction.mentions
            ):
                continue
            rule = (
                "name-pattern"
                if ref.iri in annotator.agencies or ref.iri in annotator.instruments
                else "gazetteer"
            )
            extraction.mentions[ref.iri] = Mention(ref.iri, kind, Evidence(sm.sentence, rule))
    extraction.agencies = annotator.agencies
    extraction.instruments = annotator.instruments
    _merge_short_names(extraction)
    used_places = {e.city.value for e in extraction.events if e.city is not None}
    extraction.places = {k: v for k, v in annotator.places.items() if k in used_places}
    if not extraction.events:
        extraction.notes.append("no event found")
    return extraction


def _merge_short_names(extraction: Extraction) -> None:
    """ "the Firearms Roadmap" in a headline is the "Caribbean Firearms Roadmap" of the text."""
    new = extraction.instruments
    for short in list(new.values()):
        longer = next(
            (
                i
                for i in new.values()
                if i is not short and i.label.lower().endswith(" " + short.label.lower())
            ),
            None,
        )
        if longer is None:
            continue
        del new[short.iri]
        mention = extraction.mentions.pop(short.iri, None)
        if mention is not None and longer.iri not in extraction.mentions:
            extraction.mentions[longer.iri] = Mention(longer.iri, mention.kind, mention.evidence)
        for event in extraction.events:
            if short.iri in event.instruments:
                event.instruments.setdefault(longer.iri, event.instruments.pop(short.iri))


def _title(paragraphs: list[Paragraph]) -> str | None:
    for paragraph in paragraphs[:3]:
        for sentence in paragraph.sentences:
            if sentence.is_heading and len(sentence.text.split()) >= 4:
                return sentence.text
    first = paragraphs[0].sentences[0].text if paragraphs else None
    return first[:200] if first else None


class _Reader:
    def __init__(
        self, text: str, gazetteer: Gazetteer, annotator: Annotator, paragraphs: list[Paragraph]
    ) -> None:
        self.text = text
        self.gazetteer = gazetteer
        self.annotator = annotator
        self.paragraphs = paragraphs
        self.events: list[Event] = []
        self.state = _State()
        self.dateline_dated = False  # whether "today" and "yesterday" count from a dateline
        self.claimed: set[int] = set()  # where instruments the text gives to an event's name are
        self.touched: set[int] = set()

    def dateline_venue(self, dateline: Dateline) -> None:
        """The dateline's city is the venue of the report's main event when nothing else
        places it: the event is in the dateline city's country, or it takes place when the
        report was written ("GENEVA, May 15, 2019" and a conference in Switzerland; "LOMÉ,
        8 October 2014" and a workshop opening the next day)."""
        city = self.annotator.city_named(dateline.place)
        if city is None:
            return
        place = self.annotator.places[city]
        evidence = Evidence(dateline.sentence, "dateline-city-as-venue")
        main = next((e for e in self.events if e.parent is None and self.keep(e)), None)
        for event in self.events:
            if event.parent is not None or event.city is not None or event.online is not None:
                continue
            if event.country is not None:
                if event.country.value != place.country:
                    continue
            elif event.start is not None and dateline.date is not None:
                if abs((event.start.value - dateline.date).days) > 7:  # type: ignore[operator]
                    continue
            elif event is not main:
                continue
            event.city = Fact(city, evidence)
            if event.country is None and place.country is not None:
                event.country = Fact(place.country, evidence)

    # -- events --------------------------------------------------------------------------

    def _new(self, kind: str, label: str, sentence: Sentence, rule: str, **extra: object) -> Event:
        event = Event(key=len(self.events), kind=kind, label=label, label_evidence=Evidence(sentence, rule))
        for key, value in extra.items():
            setattr(event, key, value)
        event.names.add(fold(label))
        self.events.append(event)
        return event

    def _by_name(self, name: str) -> Event | None:
        key = fold(name)
        return next((e for e in self.events if key in e.names), None)

    def keep(self, event: Event) -> bool:
        """An event with nothing but a name was most likely a generic mention."""
        if event.key in self.touched or event.parent is not None:
            return True
        return any(e.parent is event for e in self.events)

    def _is_name(self, phrase: EventPhrase, sm: SentenceMentions) -> bool:
        """Whether a phrase names an event ("Law Enforcement Training Net conference", "the
        Fifth Conference of States Parties") rather than describes one ("the Latin American
        meeting", "a virtual workshop")."""
        if phrase.acronym or phrase.quoted_title:
            return True
        trigger = self.text[phrase.trigger_start : phrase.trigger_start + 1]
        if trigger.isupper() and phrase.trigger_start != sm.sentence.start and len(phrase.label.split()) > 1:
            return True  # but "the Training" alone is the training the report is about
        adjectives = [r for r in sm.refs if r.kind in ("demonym", "country", "region")]
        capitalized = [
            t
            for t in sm.sentence.tokens
            if phrase.start <= t.start < phrase.trigger_start
            and t.text[:1].isupper()
            and t.start != sm.sentence.start
            and parse_ordinal(t.text) is None
            and not any(r.start <= t.start < r.end for r in adjectives)
        ]
        return len(capitalized) >= 2

    def _resolve(self, phrase: EventPhrase, sm: SentenceMentions) -> Event | None:
        """The event a phrase introduces or refers to; None for a generic or verbal use."""
        sentence = sm.sentence
        state = self.state
        before = self.text[max(sentence.start, phrase.start - 12) : phrase.start].lower()
        if (
            phrase.plural
            and (phrase.definite or phrase.ordinal is not None)
            and self._is_name(phrase, sm)
            and not _COUNTED.match(phrase.label)
        ):
            # "the first Working Group Meetings": one event of several meetings, by its name;
            # "the Inter-Institutional Roundtables" are the "Inter-Institutional Roundtable
            # meeting" the report has read.
            label = phrase.label
            singular = fold(label).removesuffix("s")
            named = next((e for e in self.events if any(n.startswith(singular) for n in e.names)), None)
            return named or self._by_name(label) or self._new(phrase.kind, label, sentence, "event-name")
        if phrase.plural or re.search(r"\b(?:are|is|was|were|be|been|being)\s+$", before):
            return None  # "panels and workshops", "are meeting"
        if _ADOPTED_BY.search(self.text, max(sentence.start, phrase.start - 40), phrase.start):
            return None  # "resolution 8/3 of the Conference of the Parties": a body that decides
        if phrase.trigger in ANAPHORS:
            return (state.focus or state.last_event) if phrase.definite else None
        weak = phrase.trigger.rstrip("s") in WEAK_TRIGGERS or phrase.trigger in WEAK_TRIGGERS
        if weak and re.search(
            r"\b(?:closing|opening|side|launch|inaugural|high-level|final|training)\b", phrase.label, re.I
        ):
            weak = False  # "a closing event", "a training course"
        if phrase.acronym and (existing := self._by_name(phrase.acronym)):
            return existing
        if titled := self._titled_by_heading(phrase):
            titled.names.add(fold(phrase.label))
            return titled
        if self._is_name(phrase, sm):
            label = phrase.quoted_title or phrase.label
            existing = self._by_name(phrase.label) or self._by_name(label)
            if existing is None and phrase.ordinal is not None:
                existing = self._same_ordinal(phrase)
            if existing is None and phrase.definite:
                existing = self._named_in_full(phrase)
            if existing is None and (
                phrase.determiner == "this"
                or (
                    phrase.determiner == "the"
                    and _GATHERED_FOR.search(self.text, max(sentence.start, phrase.start - 40), phrase.start)
                )
            ):
                existing = self._named_now(phrase, label, sentence)
            if existing is not None:
                existing.names.add(fold(phrase.label))
                return existing
            return self._new(
                phrase.kind, label, sentence, "event-name", ordinal=phrase.ordinal, acronym=phrase.acronym
            )
        appositive = _APPOSITIVE_NAME.match(self.text[phrase.end : phrase.end + 30])
        if appositive and phrase.definite:
            name = appositive.group("name")
            return self._by_name(name) or self._new(
                phrase.kind, name, sentence, "event-appositive-name", acronym=name
            )
        if phrase.ordinal is not None:
            return self._same_ordinal(phrase) or self._ordinal_event(phrase, sentence)
        if phrase.definite:
            current = state.focus or state.last_event
            if current is not None and current.kind != phrase.kind and current.label_evidence.rule == "event-brought-together":
                # "Experts met on 25-26 November in Manila ... This workshop was organized by":
                # what kind of meeting it was, said at last.
                current.kind, current.label = phrase.kind, phrase.label
                current.label_evidence = Evidence(sentence, "event-named-later")
                current.names.add(fold(phrase.label))
                return current
            if current is not None and current.kind != phrase.kind:
                # "The regional preparatory meeting ... drew 85 participants" after a paragraph
                # on the conference it prepared: the one meeting the report has read.
                same = [e for e in self.events if e.kind == phrase.kind and e.parent is None]
                if len(same) == 1:
                    return same[0]
            if current is not None:
                return current
            if weak or phrase.kind == "Session":
                return None
            # "The workshop on marking took place in ...": the first event of the report.
            return self._new(phrase.kind, phrase.label, sentence, "event-definite-first")
        if weak or phrase.kind == "Session":
            return None
        if phrase.determiner in ("a", "an"):
            event = self._new(phrase.kind, phrase.label, sentence, "event-indefinite")
            main = self._main_event()
            after = self.text[phrase.end : min(sentence.end, phrase.end + 12)]
            before = self.text[max(sentence.start, phrase.start - 20) : phrase.start]
            if main is not None and main is not event and (
                re.match(r"\s+followed\b", after) or re.search(r"\bfollowed\s+by\s+(?:a|an)\s+$", before)
            ):
                # "A stakeholders' conference followed": the next part of the gathering.
                event.parent = main
                event.parent_evidence = Evidence(sentence, "part-that-followed")
            return event
        return None

    def _titled_by_heading(self, phrase: EventPhrase) -> Event | None:
        """The event the report's heading names, when the text names it again in other words:
        "Training workshop for Gulf Countries on the International Legal Framework and the
        Firearms Protocol" over "a training workshop for Gulf Countries on the international
        legal framework and the United Nations Protocol against ...". Its first words tell; or
        the body introduces it ("held a one-day workshop") before any other event and any date."""
        main = self.state.main
        if main is None or main.kind != phrase.kind or not self._is_title(main.label_evidence.sentence):
            return None
        if (
            phrase.determiner in ("a", "an")
            and main.start is None
            and all(self._is_title(e.label_evidence.sentence) for e in self.events)
        ):
            return main
        # "2010 Biennial Meeting of States on Small Arms" over "The Fourth Biennial Meeting of
        # States to Consider ...": a year or an ordinal first is no word of the name.
        heading = _without_number(fold(main.label).split())[:_SHARED_WORDS_OF_A_NAME]
        named = _without_number(fold(phrase.label).split())[:_SHARED_WORDS_OF_A_NAME]
        return main if len(heading) == _SHARED_WORDS_OF_A_NAME and heading == named else None

    def _named_in_full(self, phrase: EventPhrase) -> Event | None:
        """ "the Review Conference" after "the United Nations Conference to Review Progress Made
        in ...": the one event of that kind whose name holds every word of the short one."""
        words = {w.removesuffix("s") for w in fold(phrase.label).split()} - _SMALL_WORDS
        if len(words) < 2:
            return None
        holding = [
            e
            for e in self.events
            if e.kind == phrase.kind and words <= {w.removesuffix("s") for w in fold(e.label).split()}
        ]
        return holding[0] if len(holding) == 1 else None

    def _named_now(self, phrase: EventPhrase, label: str, sentence: Sentence) -> Event | None:
        """ "UNLIREC launched a training course ... This regional Inter-Institutional Training
        Course on ...", "a two-day meeting ... 120 representatives have gathered for the Biennial
        Meeting to Assess ...": the event the report is about, named at last."""
        event = self.state.focus or self.state.last_event
        if event is None or event.kind != phrase.kind or event.label_evidence.rule in _NAMING_RULES:
            return None
        event.label = label
        event.label_evidence = Evidence(sentence, "event-named-later")
        return event

    def _another(self, phrase: EventPhrase) -> bool:
        """Whether ``phrase`` names an event other than the one in focus: "its next session"."""
        before = self.text[max(0, phrase.start - 12) : phrase.start]
        return bool(_ANOTHER.match(phrase.label) or _ANOTHER_BEFORE.search(before))

    def _without_settings(self, references: list[_Reference], sm: SentenceMentions) -> list[_Reference]:
        """ "At the 8th Session of the Conference of the Parties ..., UNODC organized a side
        event": the session is where the side event took place, which is part of it; what the
        sentence says (its day, who organized) is of the side event."""
        sentence = sm.sentence
        settings = [
            r
            for r in references
            if r.explicit
            and _SETTING.search(self.text, max(sentence.start, r.start - 40), r.start)
        ]
        setting_keys = {s.event.key for s in settings}
        others = [r for r in references if r.event.key not in setting_keys]
        if not settings or not others:
            return references
        setting = settings[0].event
        # An instrument in the setting's name ("... of the Parties to the United Nations
        # Convention against Transnational Organized Crime") is the setting's.
        for ref in sm.of_kind("instrument"):
            if settings[0].start <= ref.start < settings[0].end:
                setting.instruments.setdefault(ref.iri, Evidence(sentence, "instrument-in-event-name"))
                self.claimed.add(ref.start)
        for reference in others:
            event = reference.event
            if event.parent is None and event is not setting and reference.explicit:
                event.parent = setting
                event.parent_evidence = Evidence(sentence, "event-held-at-event")
        return others

    def _plural_anaphor(self, phrase: EventPhrase) -> list[Event]:
        """ "The workshops aimed at ...", "both meetings": every event of that kind the report
        has read, when it has read more than one."""
        if not phrase.plural or phrase.determiner not in ("the", "these", "those", "both"):
            return []
        if not set(fold(phrase.label).split()) <= {phrase.trigger, "two", "three", "four", "both"}:
            return []  # "the workshops on marking": others than the ones read
        same = [e for e in self.events if e.parent is None and e.kind == phrase.kind]
        return same if len(same) > 1 else []

    def _is_title(self, sentence: Sentence) -> bool:
        """Whether ``sentence`` is the report's title: a heading, or a first line of its own."""
        if sentence.is_heading:
            return True
        return sentence.index == 0 and len(self.paragraphs[sentence.paragraph].sentences) == 1

    def _ordinal_event(self, phrase: EventPhrase, sentence: Sentence) -> Event:
        """ "its sixteenth regional meeting", "the fifth session of the conference"."""
        label = phrase.label
        if phrase.possessor and phrase.possessor[0].isupper():
            label = f"{phrase.possessor}'s {phrase.label}"
        event = self._new(phrase.kind, label, sentence, "event-ordinal", ordinal=phrase.ordinal)
        if phrase.kind == "Session":
            event.session_number = phrase.ordinal
            parent = self._main_event()
            if parent is not None and parent is not event:
                event.parent = parent
                event.parent_evidence = Evidence(sentence, "session-of-event")
            title = _DEDICATED.search(self.text, phrase.end, sentence.end)
            if title:
                event.label = (title.group("title") or title.group("title2")).strip()
                event.names.add(fold(event.label))
        return event

    def _same_ordinal(self, phrase: EventPhrase) -> Event | None:
        for event in self.events:
            if event.ordinal == phrase.ordinal and event.kind == phrase.kind:
                return event
        return None

    def _main_event(self) -> Event | None:
        focus = self.state.focus or self.state.last_event
        while focus is not None and focus.parent is not None:
            focus = focus.parent
        return focus

    # -- the walk ------------------------------------------------------------------------

    def run(self, annotated: list[SentenceMentions]) -> None:
        by_paragraph: dict[int, list[SentenceMentions]] = {}
        for sm in annotated:
            by_paragraph.setdefault(sm.sentence.paragraph, []).append(sm)
        first_body = next((sm.sentence.index for sm in annotated if not sm.sentence.is_heading), 0)
        for items in by_paragraph.values():
            for position, sm in enumerate(items):
                self._sentence(sm, opens_paragraph=position == 0, before_body=sm.sentence.index < first_body)
        self._series_organizers()
        self._series_siblings()
        for event in self.events:
            # "X held the meeting" names the organizer only when no "organized by" says otherwise.
            if any(e.rule == "organizer-by-cue" for e in event.organizers.values()):
                event.organizers = {
                    k: e for k, e in event.organizers.items() if e.rule != "organizer-weak-cue"
                }

    def _sentence(self, sm: SentenceMentions, *, opens_paragraph: bool, before_body: bool) -> None:
        sentence = sm.sentence
        state = self.state
        references: list[_Reference] = []
        group: list[Event] = []  # the events a plural ("the workshops") refers to
        if sentence.is_heading and before_body:
            self._title_heading(sm, references)
            if not references:
                return
        item = programme_item(sentence)
        if item is not None:
            references.append(self._programme_session(sm, item))
        elif state.list_kind is not None and sentence.is_list_item:
            event = self._list_event(sm)
            if event is not None:
                references.append(_Reference(event, sentence.start, sentence.start))
        else:
            state.list_kind = None
        if item is None and not sentence.is_list_item:
            for phrase in sm.events:
                if phrase.plural and sentence.text.rstrip().endswith(":"):
                    state.list_kind = (phrase.kind, phrase.label, self._instruments_in(sm, background=False))
                    continue
                group = group or self._plural_anaphor(phrase)
                event = self._resolve(phrase, sm)
                if event is not None:
                    references.append(_Reference(event, phrase.start, phrase.end))
            references += self._aliases(sm, references)
            references += self._implicit_events(sm, references)
        if sentence.is_heading and not references:
            if state.focus and sm.dates and not programme_item(sentence):
                self.state.pending_session_date = sm.dates[0]
            return
        references.sort(key=lambda r: r.start)
        if not references and any(self._another(p) for p in sm.events):
            # "It decided to hold its next session from 8 to 19 January": another event's dates.
            self._remember_subject(sm)
            return
        if references or opens_paragraph:
            state.group = group if not references else []
        if not references and state.group:
            # "The workshops aimed at reviewing the ATT ... Experts presented the Firearms
            # Protocol": what they covered, each of them; nothing else is said of them all.
            state.focus = None
            self._cover(sm, state.group)
            self._remember_subject(sm)
            return
        background = False
        if references:
            state.focus = references[0].event
            state.last_event = references[-1].event
            if state.main is None or state.main.parent is not None:
                state.main = self._main_event()
        elif opens_paragraph and not (
            _CONTINUES.match(sentence.text)
            or _PARTICIPATION.search(sentence.text)
            or roles.opens_with_people_count(sentence.text)
        ):
            state.focus = None
            background = True
        elif state.focus is None and opens_paragraph and state.last_event is not None:
            state.focus = state.last_event  # the story resumes after a background paragraph
        elif state.focus is None:
            background = True
        targets = self._without_settings(references, sm) or (
            [_Reference(state.focus, sentence.start, sentence.start, explicit=False)] if state.focus else []
        )
        if not targets:
            self._remember_subject(sm)
            return
        self._attribute(sm, targets, background=background)
        self._remember_subject(sm)

    def _series_organizers(self) -> None:
        """Events listed one by one ("Regional seminars then took place in: - Kathmandu, ...")
        belong to the report's main event's series: they share its organizers."""
        main = next(
            (
                e
                for e in self.events
                if e.parent is None and e.organizers and e.label_evidence.rule != "event-list-item"
            ),
            None,
        )
        if main is None:
            return
        for event in self.events:
            if event.label_evidence.rule == "event-list-item":
                for organizer, evidence in main.organizers.items():
                    event.organizers.setdefault(organizer, Evidence(evidence.sentence, "organizer-of-series"))

    def _series_siblings(self) -> None:
        """An earlier or later meeting of the main event's series covered what the series is
        about: "The previous conference, CSP4, was held in Tokyo" in a report on the ATT's CSP5;
        "The second annual meeting ... had been held online" beside the Third Annual Meeting of
        States on the Caribbean Firearms Roadmap; "The first meeting of the series". Not who
        organized it: a host of one meeting need not host the next."""
        main = next((e for e in self.events if e.parent is None), None)
        if main is None:
            return
        main_words = set(fold(main.label).split())
        for event in self.events:
            if event is main or event.parent is not None or event.kind != main.kind:
                continue
            sentence = event.label_evidence.sentence
            said_so = _ANOTHER_IN.search(sentence.text) is not None or "of the series" in fold(event.label)
            numbered = (
                event.ordinal is not None
                and main.ordinal is not None
                and event.ordinal != main.ordinal
                and len(set(fold(event.label).split()) & main_words - _SMALL_WORDS) >= 2
            )
            if not (said_so or numbered):
                continue
            if not event.instruments:
                for iri in main.instruments:
                    event.instruments[iri] = Evidence(sentence, "instrument-of-series")

    def _remember_subject(self, sm: SentenceMentions) -> None:
        agents = [r for r in sm.refs if r.kind == "agency"]
        if agents:
            self.state.last_subject = agents[:1]

    def _title_heading(self, sm: SentenceMentions, references: list[_Reference]) -> None:
        # A heading that is an event's name ("NATIONAL WORKSHOP ON ...") introduces it; a
        # heading with a range and a place right after it gives its dates and venue.
        sentence = sm.sentence
        state = self.state
        for phrase in sm.events:
            if (
                not phrase.plural
                and phrase.trigger not in WEAK_TRIGGERS  # "Regional dialogue on the ATT" is a theme
                and phrase.start - sentence.start <= 2
                and phrase.end >= sentence.end - 2
                and state.main is None
            ):
                label = sentence.text.strip()
                if label.isupper():
                    label = (
                        label.title()
                        .replace(" On ", " on ")
                        .replace(" And ", " and ")
                        .replace(" Of ", " of ")
                        .replace(" For ", " for ")
                        .replace(" The ", " the ")
                    )
                event = self._new(phrase.kind, label, sentence, "event-title-heading")
                state.main = event
                references.append(_Reference(event, phrase.start, phrase.end))
                return
        if (
            state.main is not None
            and state.main.start is None
            and sm.dates
            and any(d.is_range for d in sm.dates)
        ):
            references.append(_Reference(state.main, sentence.start, sentence.start))

    def _programme_session(self, sm: SentenceMentions, item: object) -> _Reference:
        from legalkg.text.events import ProgrammeItem

        assert isinstance(item, ProgrammeItem)
        sentence = sm.sentence
        parent = self._main_event()
        existing = next(
            (
                e
                for e in self.events
                if e.parent is parent and e.session_number == item.number and e.kind == "Session"
            ),
            None,
        )
        event = existing or self._new(
            "Session", item.title, sentence, "programme-item", session_number=item.number
        )
        if parent is not None and event.parent is None:
            event.parent = parent
            event.parent_evidence = Evidence(sentence, "programme-item-of-event")
        self.touched.add(event.key)
        date = None
        if item.date_text:
            date = next(iter(find_dates(item.date_text, self.annotator.reference_date)), None)
        elif self.state.pending_session_date is not None:
            date = self.state.pending_session_date
            self.state.pending_session_date = None
        if date is not None and date.start is not None and date.end is not None:
            event.set_dates(date.start, date.end, Evidence(sentence, "programme-item-date"))
        if parent is not None:
            self.state.focus = parent
        return _Reference(event, sentence.start, sentence.end)

    def _list_event(self, sm: SentenceMentions) -> Event | None:
        assert self.state.list_kind is not None
        kind, intro_label, instruments = self.state.list_kind
        sentence = sm.sentence
        cities = [r for r in sm.refs if r.kind == "city"]
        noun = re.sub(r"\b(on|of|for)\b.*$", "", intro_label).strip()
        noun = re.sub(r"s$", "", noun).lower()
        label = f"{noun}, {cities[0].text}" if cities else noun
        event = self._new(kind, label, sentence, "event-list-item")
        for iri, evidence in instruments.items():
            event.instruments[iri] = evidence
        if self.state.main is not None and self.state.main.kind == "Other":
            pass
        return event

    def _aliases(self, sm: SentenceMentions, found: list[_Reference]) -> list[_Reference]:
        refs = []
        for token in sm.sentence.tokens:
            if any(r.start <= token.start < r.end for r in found):
                continue
            for event in self.events:
                if event.acronym and token.text == event.acronym:
                    refs.append(_Reference(event, token.start, token.end))
        return refs

    def _implicit_events(self, sm: SentenceMentions, found: list[_Reference]) -> list[_Reference]:
        """Events named by no event noun: "X brought Y together in Nairobi", "the project was launched"."""
        sentence = sm.sentence
        day_dates = [d for d in sm.dates if d.start is not None]
        if found or not day_dates:
            return []
        match = _BROUGHT_TOGETHER.search(sentence.text)
        if match and any(r.kind in ("city", "country") for r in sm.refs):
            who = (match.group("who") or match.group("who2") or "").strip()
            who = re.sub(r"^the\s+", "", who)
            if match.group("who2") and sentence.text[: match.start("who2")].rstrip().endswith(","):
                who = ""  # "..., Firearms and Explosives (ATF) and HSI met": the end of a list
            who = re.sub(r"^.*\b(?:19|20)\d\d\b,?\s*", "", who)  # "From 27-28 November 2014 states parties met"
            event = self._new(
                "Meeting", f"meeting of {who}" if who else "meeting", sentence, "event-brought-together"
            )
            position = sentence.start + match.start()
            return [_Reference(event, position, position + len(match.group()))]
        launch = _LAUNCH.search(sentence.text)
        if launch:
            event = self._new("Other", f"{launch.group('what').lower()} launch", sentence, "event-launch")
            position = sentence.start + launch.start()
            return [_Reference(event, position, sentence.start + launch.end())]
        return []

    # -- facts ---------------------------------------------------------------------------

    def _nearest(self, targets: list[_Reference], position: int) -> Event:
        before = [t for t in targets if t.start <= position]
        if before:
            return before[-1].event
        return min(targets, key=lambda t: abs(t.start - position)).event

    def _attribute(self, sm: SentenceMentions, targets: list[_Reference], *, background: bool) -> None:
        sentence = sm.sentence
        explicit = any(t.explicit for t in targets)
        for t in targets:
            if t.explicit:
                self.touched.add(t.event.key)
        self._dates(sm, targets)
        if explicit or sentence.is_list_item:
            self._places(sm, targets)
        self._roles(sm, targets)
        self._counts(sm, targets, explicit=explicit)
        if not background:
            instruments = self._instruments_in(sm, background=False)
            for iri, evidence in instruments.items():
                ref = next(r for r in sm.refs if r.iri == iri)
                if ref.start in self.claimed:
                    continue
                event = self._nearest(targets, ref.start)
                event.instruments.setdefault(iri, evidence)
                self.touched.add(event.key)
            for ref in sm.of_kind("sdg"):
                event = self._nearest(targets, ref.start)
                event.sdgs.setdefault(ref.iri, Evidence(sentence, "sdg-in-event-context"))
                self.touched.add(event.key)

    def _cover(self, sm: SentenceMentions, events: list[Event]) -> None:
        instruments = self._instruments_in(sm, background=False)
        sdgs = {r.iri: Evidence(sm.sentence, "sdg-in-event-context") for r in sm.of_kind("sdg")}
        for event in events:
            for iri, evidence in instruments.items():
                event.instruments.setdefault(iri, evidence)
            for iri, evidence in sdgs.items():
                event.sdgs.setdefault(iri, evidence)
            if instruments or sdgs:
                self.touched.add(event.key)

    def _instruments_in(self, sm: SentenceMentions, *, background: bool) -> dict[URIRef, Evidence]:
        sentence = sm.sentence
        if _INSTRUMENT_FACT.search(sentence.text) or sentence.text.lower().startswith("background"):
            return {}
        paragraph_start = self.paragraphs[sentence.paragraph].sentences[0].text.lower()
        if paragraph_start.startswith("background"):
            return {}
        # A title in quotes ("the project 'Supporting the Arms Trade Treaty Negotiations'") names
        # the instrument without saying the event dealt with it.
        quoted = [
            (sentence.start + m.start(), sentence.start + m.end()) for m in _QUOTED.finditer(sentence.text)
        ]
        found: dict[URIRef, Evidence] = {}
        for ref in sm.of_kind("instrument"):
            if not any(a <= ref.start < b for a, b in quoted):
                found.setdefault(ref.iri, Evidence(sentence, "instrument-in-event-context"))
        return found

    def _dates(self, sm: SentenceMentions, targets: list[_Reference]) -> None:
        sentence = sm.sentence
        for date in sm.dates:
            if date.precision == "month":
                event = self._nearest(targets, date.start_offset)
                if event.start is None and any(t.explicit for t in targets):
                    event.month_only = True
                continue
            if date.start is None or date.end is None:
                continue
            before = self.text[max(sentence.start, date.start_offset - 60) : date.start_offset]
            if _NON_EVENT_DATE.search(before):
                continue
            event = self._nearest(targets, date.start_offset)
            evidence = Evidence(sentence, "date-in-event-sentence")
            relative = re.match(r"(?i)today|yesterday|tomorrow|last|this|next", date.text)
            # A day counted from the dateline ("yesterday's meeting") is as sure as one written
            # out, and says more than the dateline's own date, the day the report was written.
            rank = 4 if date.is_range else (2 if relative and not self.dateline_dated else 3)
            if date.start_offset in sm.dateline_dates:
                rank = 1
            if _END_CUE.search(before) and event.start is not None and date.start > event.start.value:  # type: ignore[operator]
                event.end = Fact(date.end, evidence)
                continue
            current = self.state.date_rank.get(event.key, 0)
            if rank > current:
                event.set_dates(date.start, date.end, evidence)
                self.state.date_rank[event.key] = rank
                self.touched.add(event.key)

    def _places(self, sm: SentenceMentions, targets: list[_Reference]) -> None:
        sentence = sm.sentence
        for target in targets:
            event = target.event
            said_online = bool(re.search(r"\bheld\s+online\b|\bonline\b", sentence.text)) and target.explicit
            if (_ONLINE.search(event.label) or said_online) and event.online is None:
                event.online = Evidence(sentence, "online-event")
        for ref in sm.refs:
            if ref.kind == "city" and ref.cued:
                event = self._nearest(targets, ref.start)
                if event.online is None and event.city is None:
                    event.city = Fact(ref.iri, Evidence(sentence, "city-in-event-sentence"))
                    place = self.annotator.places.get(ref.iri)
                    # The venue's country outweighs a country named near the event ("a meeting
                    # held in Nepal ahead of the Review Conference ... in New York").
                    if place is not None and place.country is not None and (
                        event.country is None or event.country.value != place.country
                    ):
                        event.country = Fact(place.country, Evidence(sentence, "country-of-city"))
                    self.touched.add(event.key)
            elif ref.kind == "country":
                before = self.text[max(sentence.start, ref.start - 12) : ref.start]
                # "in Tirana, Albania", "at the International Conference Centre Geneva (CICG),
                # Switzerland": a country after a place; not one of a list ("from Nigeria, Ghana").
                after_city = any(
                    r.kind == "city" and r.end <= ref.start and self.text[r.end : ref.start].strip() == ","
                    for r in sm.refs
                ) or bool(_AFTER_VENUE.search(self.text[max(sentence.start, ref.start - 80) : ref.start]))
                if re.search(r"\b(?:in|at)\s+(?:the\s+)?$", before) or after_city or sentence.is_list_item:
                    event = self._nearest(targets, ref.start)
                    if event.online is None and event.country is None:
                        event.country = Fact(ref.iri, Evidence(sentence, "country-in-event-sentence"))
                        self.touched.add(event.key)

    def _roles(self, sm: SentenceMentions, targets: list[_Reference]) -> None:
        sentence = sm.sentence
        for fact in roles.role_facts(sm, self.text, self.state.last_subject):
            events = [self._nearest(targets, fact.cue_start)]
            if fact.rule in ("organizer-before-cue", "organizer-weak-cue"):
                # "At the 8th Session of the Conference ..., UNODC organized a side event": the
                # event the verb takes, when it comes right after it.
                taken = next(
                    (
                        t.event
                        for t in targets
                        if t.explicit
                        and 0 < t.start - fact.cue_start <= 40
                        and not re.search(r"[,;.]", self.text[fact.cue_start : t.start])
                    ),
                    None,
                )
                events = [taken] if taken is not None else events
            if fact.rule == "host-before-cue":
                # "Kenya hosted the 11th meeting of ... and the 16th meeting of ...": every
                # event the verb takes.
                events = [t.event for t in targets if t.explicit and t.start > fact.cue_start] or events
            for event in events:
                self._role(event, fact, Evidence(sentence, fact.rule))

    def _role(self, event: Event, fact: roles.RoleFact, evidence: Evidence) -> None:
        iri = fact.ref.iri
        is_country = fact.ref.kind in ("country", "demonym")
        if fact.role == "organizer" and not is_country:
            event.organizers.setdefault(iri, evidence)
        elif fact.role == "host":
            event.hosts.setdefault(iri, evidence)
            if is_country:
                if event.country is None and event.online is None:
                    event.country = Fact(iri, evidence)
            else:
                event.organizers.setdefault(iri, evidence)
        elif fact.role == "funder":
            event.funders.setdefault(iri, evidence)
        elif fact.role == "presenter" and not is_country:
            event.presenters.setdefault(iri, evidence)
        elif fact.role == "participant" and not is_country:
            event.participants.setdefault(iri, evidence)
        elif fact.role == "participant" and is_country:
            event.participating_countries.setdefault(iri, evidence)
        self.touched.add(event.key)

    def _counts(self, sm: SentenceMentions, targets: list[_Reference], *, explicit: bool) -> None:
        sentence = sm.sentence
        found = roles.counts(sm, self.text)
        opening = re.match(r"^\W*(?:\w+\W+){0,3}", sentence.text)
        # "Thirty-six officials attended from fourteen countries": a sentence that opens with who
        # came is about the event in focus, counts and all.
        about_participants = any(
            opening is not None and c.start - sentence.start <= opening.end() + 12 for c in found
        ) or bool(_PARTICIPATION.search(sentence.text))
        for count in found:
            if not (explicit or about_participants or sentence.is_list_item):
                continue
            event = self._attended_after(targets, count.start) or self._nearest(targets, count.start)
            evidence = Evidence(sentence, f"count-of-{count.what}")
            if count.what == "people" and (event.participant_count is None or count.total):
                event.participant_count = Fact(count.value, evidence)
                event.count_precision = count.precision
            elif count.what == "countries" and event.country_count is None:
                event.country_count = Fact(count.value, evidence)
            self.touched.add(event.key)
        self._participating_countries(sm, targets)

    def _attended_after(self, targets: list[_Reference], position: int) -> Event | None:
        """ "representatives from 30 countries are participating in a workshop": the event the
        people counted attend, named after them."""
        for target in targets:
            if target.explicit and target.start > position:
                between = self.text[position : target.start]
                if len(between) < 200 and _ATTENDING.search(between):
                    return target.event
        return None

    def _participating_countries(self, sm: SentenceMentions, targets: list[_Reference]) -> None:
        """Countries listed as where participants came from: "representatives ... of Cambodia,
        the Lao People's Democratic Republic, Myanmar, Thailand, Timor-Leste and Viet Nam"."""
        sentence = sm.sentence
        cue = _PARTICIPANTS_FROM.search(sentence.text)
        if cue is None:
            return
        start = sentence.start + cue.end()
        agencies = [r for r in sm.refs if r.kind == "agency"]
        # "the German Bundeswehr", "the United States Department of State": a country that
        # qualifies a body names no participants.
        listed = [
            r
            for r in sm.refs
            if r.kind in ("country", "demonym")
            and r.start >= start
            and not any(a.start <= r.start < a.end or a.start == r.end + 1 for a in agencies)
        ]
        if len({r.iri for r in listed}) < 2:
            return
        # A list that also names regions ("the Western Balkans, Moldova and Ukraine") is no count.
        if any(r.kind == "region" and r.start >= start for r in sm.refs):
            return
        event = self._nearest(targets, start)
        evidence = Evidence(sentence, "participating-countries-listed")
        for ref in listed:
            event.participating_countries.setdefault(ref.iri, evidence)
        if event.country_count is None:
            event.country_count = Fact(
                len(event.participating_countries), Evidence(sentence, "count-of-countries-listed")
            )
        self.touched.add(event.key)


__all__ = ["parse_date", "read"]
