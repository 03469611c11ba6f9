"""Make data/reference/sdg.ttl: the SDG goals, targets and indicators as a SKOS scheme.

The texts come from data/sources/sdg/global_{goals,targets,indicators}.yml (open-sdg's
sdg-translations, English); the IRIs and classes are the UN's own (http://metadata.un.org/sdg,
sdgo:). The Turtle is written by hand in a fixed order so that the same inputs always give
the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Graph

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "reference" / "sdg.ttl"
SOURCES = REPO / "data" / "sources" / "sdg"

SDG = "http://metadata.un.org/sdg/"
SCHEME = "http://metadata.un.org/sdg"
DCT_SOURCES = (
    "https://unstats.un.org/sdgs/indicators/indicators-list/",
    "https://github.com/open-sdg/sdg-translations",
)

PREFIXES = (
    ("dct", "http://purl.org/dc/terms/"),
    ("lkg", "https://w3id.org/legalkg/ontology#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("sdgo", "http://metadata.un.org/sdg/ontology#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
)

OBJECT_SEPARATOR = " ,\n        "

GOAL_KEY = re.compile(r"(\d{1,2})-(title|short)")
TARGET_KEY = re.compile(r"(\d{1,2})-(\d{1,2}|[a-z])-title")
INDICATOR_KEY = re.compile(r"(\d{1,2})-(\d{1,2}|[a-z])-(\d{1,2})-title")


@dataclass
class Indicator:
    goal: int
    target: str
    number: int
    text: str

    @property
    def notation(self) -> str:
        return f"{self.goal}.{self.target}.{self.number}"

    @property
    def iri(self) -> str:
        # The UN's indicator IRIs: C, goal in two digits, target in two characters, indicator.
        return f"{SDG}C{self.goal:02d}{self.target.zfill(2)}{self.number:02d}"


@dataclass
class Target:
    goal: int
    target: str
    text: str
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def notation(self) -> str:
        return f"{self.goal}.{self.target}"

    @property
    def iri(self) -> str:
        return f"{SDG}{self.notation}"


@dataclass
class Goal:
    number: int
    title: str
    short: str
    targets: list[Target] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return f"{SDG}{self.number}"


def normalise(text: object) -> str:
    """Folded YAML text on one line, with single spaces."""
    return " ".join(str(text).split())


def target_order(target: str) -> tuple[int, int | str]:
    # Numbered targets come before lettered ones (16.10 before 16.a), as the UN lists them.
    return (0, int(target)) if target.isdigit() else (1, target)


def read_yaml(name: str) -> dict[str, object]:
    with (SOURCES / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping of keys to texts")
    return {str(key): value for key, value in data.items()}


def parse_goals(data: dict[str, object], skipped: list[str]) -> dict[int, Goal]:
    parts: dict[int, dict[str, str]] = {}
    for key, value in data.items():
        match = GOAL_KEY.fullmatch(key)
        if not match:
            skipped.append(f"global_goals.yml: {key!r} (not N-title or N-short)")
            continue
        parts.setdefault(int(match[1]), {})[match[2]] = normalise(value)
    goals = {}
    for number, texts in sorted(parts.items()):
        if {"title", "short"} <= texts.keys():
            goals[number] = Goal(number, texts["title"], texts["short"])
        else:
            skipped.append(f"global_goals.yml: goal {number} (title or short missing)")
    return goals


def parse_targets(data: dict[str, object], goals: dict[int, Goal], skipped: list[str]) -> None:
    for key, value in data.items():
        match = TARGET_KEY.fullmatch(key)
        if not match or int(match[1]) not in goals:
            skipped.append(f"global_targets.yml: {key!r} (not G-T-title of a known goal)")
            continue
        goals[int(match[1])].targets.append(Target(int(match[1]), match[2], normalise(value)))
    for goal in goals.values():
        goal.targets.sort(key=lambda t: target_order(t.target))


def parse_indicators(data: dict[str, object], goals: dict[int, Goal], skipped: list[str]) -> None:
    targets = {t.notation: t for g in goals.values() for t in g.targets}
    for key, value in data.items():
        match = INDICATOR_KEY.fullmatch(key)
        target = targets.get(f"{int(match[1])}.{match[2]}") if match else None
        if target is None:
            skipped.append(f"global_indicators.yml: {key!r} (not G-T-I-title of a known target)")
            continue
        indicator = Indicator(target.goal, target.target, int(match[3]), normalise(value))
        target.indicators.append(indicator)
    for target in targets.values():
        target.indicators.sort(key=lambda i: i.number)


def load_goals(skipped: list[str]) -> list[Goal]:
    goals = parse_goals(read_yaml("global_goals.yml"), skipped)
    parse_targets(read_yaml("global_targets.yml"), goals, skipped)
    parse_indicators(read_yaml("global_indicators.yml"), goals, skipped)
    return list(goals.values())


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


def iri(value: str) -> str:
    return f"<{value}>"


def block(comment: str, subject: str, rdf_type: str, lines: list[tuple[str, list[str]]]) -> str:
    """One subject's triples, with the reference-data status and sources every concept has."""
    lines = [
        *lines,
        ("lkg:reviewStatus", ["lkg:Reviewed"]),
        ("dct:source", [iri(s) for s in DCT_SOURCES]),
    ]
    body = " ;\n".join(f"    {p} {OBJECT_SEPARATOR.join(o)}" for p, o in lines)
    return f"# {comment}\n{iri(subject)} a {rdf_type} ;\n{body} .\n"


def render_scheme(goals: list[Goal]) -> str:
    return block(
        "The scheme",
        SCHEME,
        "skos:ConceptScheme",
        [
            ("skos:prefLabel", [literal("Sustainable Development Goals", "en")]),
            ("skos:hasTopConcept", [iri(g.iri) for g in goals]),
        ],
    )


def render_goal(goal: Goal) -> str:
    label = f"Goal {goal.number}: {goal.short}"
    lines = [
        ("skos:notation", [literal(str(goal.number))]),
        ("rdfs:label", [literal(label, "en")]),
        ("skos:prefLabel", [literal(goal.title, "en")]),
        ("skos:altLabel", [literal(f"SDG {goal.number}", "en"), literal(goal.short, "en")]),
        ("skos:inScheme", [iri(SCHEME)]),
        ("skos:topConceptOf", [iri(SCHEME)]),
    ]
    if goal.targets:
        lines.append(("skos:narrower", [iri(t.iri) for t in goal.targets]))
    return block(label, goal.iri, "sdgo:Goal", lines)


def render_target(target: Target, goal: Goal) -> str:
    lines = [
        ("skos:notation", [literal(target.notation)]),
        ("rdfs:label", [literal(f"Target {target.notation}", "en")]),
        ("skos:prefLabel", [literal(target.text, "en")]),
        ("skos:altLabel", [literal(f"SDG {target.notation}", "en")]),
        ("skos:inScheme", [iri(SCHEME)]),
        ("skos:broader", [iri(goal.iri)]),
    ]
    if target.indicators:
        lines.append(("skos:narrower", [iri(i.iri) for i in target.indicators]))
    return block(f"Target {target.notation}", target.iri, "sdgo:Target", lines)


def render_indicator(indicator: Indicator, target: Target) -> str:
    lines = [
        ("skos:notation", [literal(indicator.notation)]),
        ("rdfs:label", [literal(f"Indicator {indicator.notation}", "en")]),
        ("skos:prefLabel", [literal(indicator.text, "en")]),
        ("skos:inScheme", [iri(SCHEME)]),
        ("skos:broader", [iri(target.iri)]),
    ]
    return block(f"Indicator {indicator.notation}", indicator.iri, "sdgo:Indicator", lines)


def render_goal_tree(goal: Goal) -> list[str]:
    blocks = [render_goal(goal)]
    for target in goal.targets:
        blocks.append(render_target(target, goal))
        blocks.extend(render_indicator(i, target) for i in target.indicators)
    return blocks


HEADER = """\
# The Sustainable Development Goals, their targets and indicators: legalkg reference data.
#
# Generated by scripts/make_sdg.py; do not edit by hand. To change it, edit the sources or
# the script, then run: python scripts/make_sdg.py
#
# Sources:
# - Texts: data/sources/sdg/global_goals.yml, global_targets.yml and global_indicators.yml,
#   the English files of open-sdg's sdg-translations (https://github.com/open-sdg/sdg-translations,
#   MIT licence), which carry the UN General Assembly's wording (A/RES/70/1, A/RES/71/313 and
#   later refinements; https://unstats.un.org/sdgs/indicators/indicators-list/).
# - IRIs and classes: the UN's SDG Linked Data (http://metadata.un.org/sdg, sdgo:). Goals are
#   .../sdg/16, targets .../sdg/16.4, indicators .../sdg/C160402 (C, goal, target, indicator).
"""


def render(goals: list[Goal]) -> str:
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES)
    blocks = [render_scheme(goals)]
    for goal in goals:
        blocks.extend(render_goal_tree(goal))
    return f"{HEADER}\n{prefixes}\n" + "\n".join(blocks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Turtle file to write")
    args = parser.parse_args(argv)
    skipped: list[str] = []
    text = render(load_goals(skipped))
    for entry in skipped:
        print(f"skipped {entry}", file=sys.stderr)
    # Parsing back checks the hand-written Turtle and gives the triple count.
    triples = len(Graph().parse(data=text, format="turtle"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"wrote {triples} triples to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
