"""When and where a report was written: its dateline ("GENEVA, May 15, 2019 —"), a date on a
line of its own under its headline, or else the first date it writes in full. The dates a
report writes without their year ("on 11-12 August") take the year nearest to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from legalkg.text.dates import MONTHS, find_dates
from legalkg.text.segment import Sentence

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w'’ .()-]{1,40}?)(?:,\s*(?P<region>[A-Z][\w'’ .()-]{1,40}?))?\s*(?:,\s*|\s+)"
    r"(?P<date>(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+\.?|[A-Z][a-z]+\.?\s+\d{1,2},?)\s+\d{4})"
    # "Kathmandu, 1 October 2019 (UN Regional Centre for Peace and Disarmament) –"
    r"(?:\s*\([^()]{2,90}\))?\s*(?:[—–-]+|\.|:)\s*"
    r"|^(?P<place2>[A-Z][A-Z .'’-]{2,30})\s*[—–-]+\s*"
)
_MONTH_AND_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(calendar.month_name[1:]) + r")\s+(?P<year>(?:19|20)\d\d)\b", re.I
)


@dataclass(frozen=True)
class Dateline:
    """Where and when a report was written: "GENEVA, May 15, 2019 —"."""

    span: tuple[int, int]
    sentence: Sentence
    date: dt.date | None
    place: str


def find_dateline(all_sentences: list[Sentence]) -> Dateline | None:
    """The report's dateline, in its first sentences."""
    for sentence in all_sentences[:4]:
        match = _DATELINE.match(sentence.text)
        if not match:
            continue
        date_text = match.group("date")
        if date_text:
            dates = find_dates(date_text)
            if not dates or dates[0].is_range:
                continue  # "Kathmandu, Nepal — 3 to 5 September 2024" heads a programme
            date = dates[0].start
        else:
            date = None
        span = (sentence.start + match.start(), sentence.start + match.end())
        place = (match.group("place") or match.group("place2") or "").strip()
        return Dateline(span, sentence, date, place)
    return None


def _date_line(all_sentences: list[Sentence]) -> dt.date | None:
    """A date on a line of its own under the headline ("31 August 2016"): when the report was
    published."""
    for sentence in all_sentences[:4]:
        text = sentence.text.strip().rstrip(".")
        dates = find_dates(text)
        if len(dates) == 1 and dates[0].text == text and not dates[0].is_range and dates[0].start:
            return dates[0].start
    return None


def _first_full_date(all_sentences: list[Sentence]) -> dt.date | None:
    """The first date the report writes with its year: the year of the dates it writes
    without one ("took place in Niamey on 11-12 August"), where nothing says when it was
    written. A month and its year ("July 2023. ... held on 10 July") is the middle of it."""
    month: dt.date | None = None
    for sentence in all_sentences:
        for date in find_dates(sentence.text):
            if date.start is not None:
                return date.start
            named = _MONTH_AND_YEAR.search(date.text) if month is None else None
            if named is not None:
                month = dt.date(int(named.group("year")), MONTHS[named.group("month").lower()], 15)
    return month


def date_of_writing(all_sentences: list[Sentence]) -> dt.date | None:
    """When a report without a dateline was written, as near as its text tells."""
    return _date_line(all_sentences) or _first_full_date(all_sentences)
