"""Numbers as reports write them: "200", "1,000", "twenty-five", "Thirty-six", "eleven"."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "dozen": 12,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
}

_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
# A cardinal: digits with thousands separators, or number words joined by hyphens, spaces, "and".
NUMBER = r"(?:\d{1,3}(?:[,\u202f ]\d{3})+|\d+|(?:" + _WORD + r")(?:(?:[\s-]+|\s+and\s+)(?:" + _WORD + r"))*)"
_ORDINAL_WORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
ORDINAL = r"(?:\d{1,3}(?:st|nd|rd|th)|(?:(?:twenty|thirty|forty|fifty)-)?(?:" + _ORDINAL_WORD + r"))"


def parse_number(text: str) -> int | None:
    """The value of a cardinal written in digits or in words; None if it is not one."""
    text = text.strip().lower()
    digits = re.sub(r"[,\u202f ]", "", text)
    if digits.isdigit():
        return int(digits)
    total, current = 0, 0
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def parse_ordinal(text: str) -> int | None:
    """The value of an ordinal ("fifth", "16th", "twenty-first"); None if it is not one."""
    text = text.strip().lower()
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text)
    if match:
        return int(match.group(1))
    if "-" in text:
        tens, _, unit = text.partition("-")
        if tens in _TENS and unit in ORDINALS:
            return _TENS[tens] + ORDINALS[unit]
    return ORDINALS.get(text)
