"""Dates as reports write them, resolved to calendar dates.

Recognised: "30 August – 1 September 2017", "between 30 August and 1st September 2017",
"August 26-30, 2019", "3 to 5 May 2019", "On 29 and 30 November 2017", "on 20.01.2020 and
21.01.2020", "31 May – 1 June", "May 15, 2019", "2024-09-05", "in late November 2022" (a month
only), "today", "last Tuesday and Wednesday". A missing year is taken from the reference date
(the dateline or the publication date): the year that puts the date nearest to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

# Word boundaries first, so that a pattern fails at once in the middle of a word or number.
_MONTH = r"\b(?:" + "|".join(sorted((m for m in MONTHS), key=len, reverse=True)) + r")\b\.?"
_DAY = r"\b(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_TO = r"\s*(?:-|–|—|‐|to|until|till|through|and|&)\s*"
_WEEKDAY = r"(?:\b(?:" + "|".join(WEEKDAYS) + r"),?\s+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 30 August – 1 September 2017 ; between 30 August 2017 and 1 September 2017
    (
        "dm-dm-y",
        re.compile(
            rf"(?P<d1>{_DAY})\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?{_TO}"
            rf"(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?",
            re.I,
        ),
    ),
    # May 30 – June 2, 2019
    (
        "md-md-y",
        re.compile(
            rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?{_TO}"
            rf"(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?",
            re.I,
        ),
    ),
    # 3 to 5 May 2019 ; 29 and 30 November 2017 ; 2–4 February 2011
    (
        "d-dm-y",
        re.compile(rf"(?P<d1>{_DAY}){_TO}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?", re.I),
    ),
    # August 26-30, 2019
    (
        "md-d-y",
        re.compile(rf"(?P<m2>{_MONTH})\s+(?P<d1>{_DAY}){_TO}(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?", re.I),
    ),
    # 20.01.2020 and 21.01.2020 ; 20/01/2020 - 21/01/2020
    (
        "num-num",
        re.compile(
            r"(?P<d1>\d{1,2})[./](?P<n1>\d{1,2})[./](?P<y1>\d{4})"
            + _TO
            + r"(?P<d2>\d{1,2})[./](?P<n2>\d{1,2})[./](?P<y2>\d{4})"
        ),
    ),
    # 2019-08-26
    ("iso", re.compile(r"(?P<y2>\d{4})-(?P<n2>\d{2})-(?P<d2>\d{2})")),
    ("num", re.compile(r"(?<![\d.])(?P<d2>\d{1,2})[./](?P<n2>\d{1,2})[./](?P<y2>\d{4})(?![\d.])")),
    # Friday 17 November 2023 ; 31 August 2017 ; 5 September
    (
        "dm-y",
        re.compile(rf"{_WEEKDAY}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?", re.I),
    ),
    # May 15, 2019 ; April 26
    (
        "md-y",
        re.compile(rf"{_WEEKDAY}(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?![\d:])(?:,?\s+(?P<y2>{_YEAR}))?", re.I),
    ),
    # (in) (late) November 2022 : a month, not a day
    (
        "month",
        re.compile(
            rf"(?:(?:early|mid|late|end of|beginning of|the end of)[\s-]+)?(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR})",
            re.I,
        ),
    ),
    # today ; last Tuesday and Wednesday
    (
        "relative",
        re.compile(
            r"\b(?P<rel>today|yesterday|tomorrow|(?P<which>last|this|next|on)\s+(?P<w1>"
            + "|".join(WEEKDAYS)
            + r")(?:\s+(?:and|to|-|–)\s+(?P<w2>"
            + "|".join(WEEKDAYS)
            + r"))?)\b",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class DateMention:
    """A date expression in the text: where it is, and the days it names.

    ``start``/``end`` are None when the expression names a month only ("in September 2017")
    or could not be resolved to a calendar day.
    """

    start_offset: int
    end_offset: int
    text: str
    start: dt.date | None
    end: dt.date | None
    precision: str  # "day" or "month"

    @property
    def is_range(self) -> bool:
        return self.start is not None and self.end is not None and self.start != self.end


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _nearest_year(month: int, day: int, reference: dt.date | None) -> int | None:
    if reference is None:
        return None
    best: tuple[int, int] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            distance = abs((dt.date(year, month, day) - reference).days)
        except ValueError:
            continue
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


def _make(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _resolve(
    kind: str, g: dict[str, str | None], reference: dt.date | None
) -> tuple[dt.date | None, dt.date | None, str]:
    if kind == "relative":
        return _relative(g, reference)
    if kind == "month":
        return None, None, "month"
    if kind in ("num-num", "iso", "num"):
        m2, d2 = int(g["n2"] or 0), int(g["d2"] or 0)
        end = _make(int(g["y2"] or 0), m2, d2)
        if kind == "num-num":
            start = _make(int(g["y1"] or 0), int(g["n1"] or 0), int(g["d1"] or 0))
            return start, end, "day"
        return end, end, "day"
    month2, day2 = g.get("m2"), g.get("d2")
    if not month2 or not day2:
        return None, None, "day"
    m2, d2 = _month(month2), _day(day2)
    month1, day1, year1, year2 = g.get("m1"), g.get("d1"), g.get("y1"), g.get("y2")
    m1 = _month(month1) if month1 else m2
    d1 = _day(day1) if day1 else d2
    y2 = int(year2) if year2 else None
    y1 = int(year1) if year1 else None
    if y2 is None and y1 is not None:
        y2 = y1 if (m2, d2) >= (m1, d1) else y1 + 1
    if y2 is None:
        y2 = _nearest_year(m2, d2, reference)
    if y1 is None and y2 is not None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    start, end = _make(y1, m1, d1), _make(y2, m2, d2)
    if start and end and end < start:
        return None, None, "day"
    return start, end, "day"


def _relative(
    g: dict[str, str | None], reference: dt.date | None
) -> tuple[dt.date | None, dt.date | None, str]:
    if reference is None:
        return None, None, "day"
    rel = (g.get("rel") or "").lower()
    if rel in ("today", "yesterday", "tomorrow"):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[rel]
        day = reference + dt.timedelta(days=shift)
        return day, day, "day"
    which = (g.get("which") or "").lower()
    first = WEEKDAYS[(g.get("w1") or "").lower()]
    if which == "last":
        back = (reference.weekday() - first) % 7 or 7
        start = reference - dt.timedelta(days=back)
    elif which == "next":
        ahead = (first - reference.weekday()) % 7 or 7
        start = reference + dt.timedelta(days=ahead)
    else:  # "this Tuesday", "on Tuesday": the one of the reference week
        start = reference + dt.timedelta(days=first - reference.weekday())
    end = start
    if g.get("w2"):
        end = start + dt.timedelta(days=(WEEKDAYS[g["w2"].lower()] - first) % 7)  # type: ignore[union-attr]
    return start, end, "day"


# "Session 1 – 18 October" is session 1 on 18 October, not the 1st to the 18th.
_NUMBERED_BEFORE = re.compile(
    r"\b(?:session|day|module|part|item|panel|phase|round|no|number|workshop|meeting)\.?\s*$", re.I
)


# A cheap first look: a date needs a digit, or a day's name ("today", "last Tuesday").
_MAY_HOLD_A_DATE = re.compile(r"\d|today|yesterday|tomorrow|day\b", re.I)


_NAMES_A_MONTH_OR_DAY = re.compile(
    r"\b(?:"
    + "|".join(sorted([*MONTHS, *WEEKDAYS, "today", "yesterday", "tomorrow"], key=len, reverse=True))
    + r")\b",
    re.I,
)


def find_dates(text: str, reference: dt.date | None = None, offset: int = 0) -> list[DateMention]:
    """Every date expression in ``text``, longest first where they overlap, in text order.

    ``offset`` is added to positions, so that a sentence's dates point into the whole document.
    """
    if not _MAY_HOLD_A_DATE.search(text):
        return []
    # Every form but the numeric ones names a month or a day: look only around those names.
    windows: list[tuple[int, int]] = []
    for name in _NAMES_A_MONTH_OR_DAY.finditer(text):
        start, end = max(0, name.start() - 32), min(len(text), name.end() + 32)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        numeric = kind in ("num-num", "iso", "num")
        matches = (
            pattern.finditer(text)
            if numeric
            else (m for a, b in windows for m in pattern.finditer(text, a, b))
        )
        for match in matches:
            span = match.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            if "d1" in pattern.groupindex and _NUMBERED_BEFORE.search(text, 0, span[0]):
                continue
            first, last, precision = _resolve(kind, match.groupdict(), reference)
            taken.append(span)
            found.append(
                DateMention(span[0] + offset, span[1] + offset, match.group(), first, last, precision)
            )
    return sorted(found, key=lambda d: d.start_offset)


_DATELINE_DATE = re.compile(
    rf"{_WEEKDAY}(?:(?P<d>{_DAY})\s+(?P<m>{_MONTH})|(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),?)\s+(?P<y>{_YEAR})",
    re.I,
)


def parse_date(text: str) -> dt.date | None:
    """A single full date ("17 November 2023", "May 15, 2019", "2019-05-15"), or None."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for mention in find_dates(text):
        if mention.start is not None and mention.start == mention.end:
            return mention.start
    return None
