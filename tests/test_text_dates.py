"""Dates as reports write them (cases in tests/data/dates/cases.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from legalkg.text.dates import find_dates
from legalkg.text.numbers import parse_number, parse_ordinal

CASES = yaml.safe_load((Path(__file__).parent / "data" / "dates" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_first_date_of_text(case: dict[str, object]) -> None:
    reference = case.get("reference")
    found = find_dates(str(case["text"]), reference if isinstance(reference, dt.date) else None)
    assert found, f"no date found in {case['text']!r}"
    assert (found[0].start, found[0].end) == (case["start"], case["end"])


def test_a_number_after_session_is_not_a_day() -> None:
    found = find_dates("Session 2 – 19 October: National control systems", dt.date(2021, 10, 22))
    assert [(d.start, d.end) for d in found] == [(dt.date(2021, 10, 19), dt.date(2021, 10, 19))]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("200", 200),
        ("1,000", 1000),
        ("twenty-five", 25),
        ("Thirty-six", 36),
        ("eleven", 11),
        ("one hundred and twenty", 120),
        ("fourteen", 14),
        ("several", None),
    ],
)
def test_numbers_in_words_and_digits(text: str, value: int | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"), [("fifth", 5), ("16th", 16), ("sixteenth", 16), ("twenty-first", 21), ("Third", 3)]
)
def test_ordinals(text: str, value: int) -> None:
    assert parse_ordinal(text) == value
