"""Scoring what the text loader read against hand-made gold annotations.

Precision, recall and F1 per field, micro-averaged over the documents:

- the four entity sets of each document (agencies, countries, instruments, SDG targets);
  agency names are compared after resolving them to one agency (an acronym and the full name
  are the same agency; "Federal Police (Mexico)" and "Federal Police" too);
- the events, matched one to one by their dates and labels;
- per matched event, each field: start, end, city, country, organizers, participants,
  participant countries, parent, instruments and SDG targets. A value both sides leave empty
  is not counted; a value one side gives and the other does not counts against the side that
  gave (precision) or missed (recall) it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

ENTITY_FIELDS = ("agencies", "countries", "instruments", "sdg_targets")
EVENT_FIELDS = (
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
_STOP = {"the", "of", "on", "for", "and", "in", "a", "an", "to", "de", "la", "des", "du", "its", "s"}


@dataclass
class Tally:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Scores:
    """The tallies of every field, and the mistakes behind them."""

    fields: dict[str, Tally] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def as_dict(self) -> dict[str, Any]:
        return {name: tally.as_dict() for name, tally in self.fields.items()}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    # "U.S." is one word, "us", not the letters u and s.
    text = re.sub(r"\b([A-Za-z])\.(?=[A-Za-z]\.)", r"\1", text).replace(".", " ")
    return [w for w in re.findall(r"\w+", fold(text)) if w not in _STOP]


def name_keys(name: str) -> set[str]:
    """The keys a name can be matched by: the whole, without brackets, what the brackets hold."""
    keys = {" ".join(_words(name))}
    inside = re.findall(r"\(([^)]*)\)", name)
    outside = re.sub(r"\s*\([^)]*\)", "", name)
    keys.add(" ".join(_words(outside)))
    for part in inside:
        keys.add(" ".join(_words(part)))
    # "U.S. Department of State", "Mexican Ministry": a leading country word qualifies the name.
    stripped = re.sub(r"^(?:the\s+)?(?:u\s*s|us|un|eu)\s+", "", " ".join(_words(outside)))
    keys.add(stripped)
    return {k for k in keys if k}


def _match_sets(
    gold: Iterable[str], predicted: Iterable[str], same: Callable[[str, str], bool]
) -> tuple[int, int, int, list[str], list[str]]:
    """A one-to-one matching of two sets of names; returns tp, fp, fn and what was missed/extra."""
    gold_left = list(dict.fromkeys(gold))
    predicted_left = list(dict.fromkeys(predicted))
    tp = 0
    for g in list(gold_left):
        partner = next((p for p in predicted_left if same(g, p)), None)
        if partner is not None:
            tp += 1
            gold_left.remove(g)
            predicted_left.remove(partner)
    return tp, len(predicted_left), len(gold_left), gold_left, predicted_left


class AgencyResolver:
    """Decides whether two agency names name the same agency, using the reference names."""

    def __init__(self, aliases: dict[str, str] | None = None, qualifiers: set[str] | None = None) -> None:
        # folded name or acronym -> the agency it names
        self.aliases = aliases or {}
        # demonyms: "Albanian State Police" is the State Police of Albania
        self.qualifiers = qualifiers or set()

    def keys(self, name: str) -> set[str]:
        keys = name_keys(name)
        for key in list(keys):
            first, _, rest = key.partition(" ")
            if first in self.qualifiers and rest:
                keys.add(rest)
        resolved = {self.aliases[k] for k in keys if k in self.aliases}
        return keys | {f"@{r}" for r in resolved}

    def same(self, a: str, b: str) -> bool:
        return bool(self.keys(a) & self.keys(b))


def _same_text(a: str, b: str) -> bool:
    return _words(a) == _words(b)


def _label_similarity(a: str, b: str) -> float:
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def match_events(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of the same event: by dates, then by label."""
    candidates: list[tuple[float, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            similarity = _label_similarity(g["label"], p["label"])
            same_start = g.get("start") is not None and g.get("start") == p.get("start")
            same_dates = same_start and g.get("end") == p.get("end")
            undated = g.get("start") is None and p.get("start") is None
            if same_start:
                score = 2.0 + similarity + (0.5 if same_dates else 0.0)
            elif (undated or g.get("start") is None or p.get("start") is None) and similarity >= 0.5:
                score = similarity
            else:
                continue
            candidates.append((score, i, j))
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_gold and j not in used_predicted:
            pairs.append((i, j))
            used_gold.add(i)
            used_predicted.add(j)
    return sorted(pairs)


def _always(answer: bool) -> Callable[[Any, Any], bool]:
    """A comparison whose answer is already known (the parents were matched as events)."""
    return lambda a, b: answer


def _scalar(tally: Tally, gold: Any, predicted: Any, same: Callable[[Any, Any], bool]) -> bool:
    if gold is None and predicted is None:
        return True
    if gold is not None and predicted is not None and same(gold, predicted):
        tally.add(1, 0, 0)
        return True
    tally.add(0, 1 if predicted is not None else 0, 1 if gold is not None else 0)
    return False


def score_document(
    scores: Scores, gold: dict[str, Any], predicted: dict[str, Any], agencies: AgencyResolver
) -> None:
    """Add one document's comparison to ``scores``."""
    name = gold["file"]
    same_for = {
        "agencies": agencies.same,
        "countries": str.__eq__,
        "instruments": _same_text,
        "sdg_targets": str.__eq__,
    }
    for entity in ENTITY_FIELDS:
        tp, fp, fn, missed, extra = _match_sets(
            gold.get(entity, []), predicted.get(entity, []), same_for[entity]
        )
        scores.tally(entity).add(tp, fp, fn)
        if missed or extra:
            scores.mistakes.append(f"{name} {entity}: missed {missed}, extra {extra}")
    gold_events, predicted_events = gold.get("events", []), predicted.get("events", [])
    pairs = match_events(gold_events, predicted_events)
    matched = len(pairs)
    scores.tally("events").add(matched, len(predicted_events) - matched, len(gold_events) - matched)
    paired_gold = {i for i, _ in pairs}
    paired_predicted = {j for _, j in pairs}
    for i, g in enumerate(gold_events):
        if i not in paired_gold:
            scores.mistakes.append(f"{name} events: missed {g['label']!r} {g.get('start')}")
    for j, p in enumerate(predicted_events):
        if j not in paired_predicted:
            scores.mistakes.append(f"{name} events: extra {p['label']!r} {p.get('start')}")
    partner = {j: i for i, j in pairs}
    for i, j in pairs:
        g, p = gold_events[i], predicted_events[j]
        where = f"{name} event {g['label']!r}"
        for field_name in ("start", "end", "participants", "participant_countries", "country"):
            if not _scalar(
                scores.tally(f"event.{field_name}"), g.get(field_name), p.get(field_name), lambda a, b: a == b
            ):
                scores.mistakes.append(
                    f"{where} {field_name}: gold {g.get(field_name)!r}, read {p.get(field_name)!r}"
                )
        if not _scalar(scores.tally("event.city"), g.get("city"), p.get("city"), _same_text):
            scores.mistakes.append(f"{where} city: gold {g.get('city')!r}, read {p.get('city')!r}")
        # The parent is right when it is the event matched to the gold parent.
        gold_parent = next(
            (k for k, e in enumerate(gold_events) if g.get("part_of") and e["label"] == g["part_of"]), None
        )
        predicted_parent = next(
            (k for k, e in enumerate(predicted_events) if p.get("part_of") and e["label"] == p["part_of"]),
            None,
        )
        same_parent = (
            gold_parent is not None
            and predicted_parent is not None
            and partner.get(predicted_parent) == gold_parent
        )
        if not _scalar(
            scores.tally("event.part_of"), g.get("part_of"), p.get("part_of"), _always(same_parent)
        ):
            scores.mistakes.append(f"{where} part_of: gold {g.get('part_of')!r}, read {p.get('part_of')!r}")
        for field_name, same in (
            ("organizers", agencies.same),
            ("instruments", _same_text),
            ("sdg_targets", str.__eq__),
        ):
            tp, fp, fn, missed, extra = _match_sets(g.get(field_name, []), p.get(field_name, []), same)
            scores.tally(f"event.{field_name}").add(tp, fp, fn)
            if missed or extra:
                scores.mistakes.append(f"{where} {field_name}: missed {missed}, extra {extra}")


def score(gold: list[dict[str, Any]], predicted: list[dict[str, Any]], agencies: AgencyResolver) -> Scores:
    """Scores of ``predicted`` against ``gold`` (documents paired by their file name)."""
    scores = Scores()
    for name in ("agencies", "countries", "instruments", "sdg_targets", "events"):
        scores.tally(name)
    for name in EVENT_FIELDS:
        scores.tally(f"event.{name}")
    by_file = {p["file"]: p for p in predicted}
    for document in gold:
        mine = by_file.get(document["file"], {"file": document["file"], "events": []})
        score_document(scores, document, mine, agencies)
    return scores
