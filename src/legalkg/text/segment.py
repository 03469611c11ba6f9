"""Paragraphs, sentences and tokens of a plain-text report, with character offsets.

Offsets always refer to the original text, so that every fact can quote its sentence and say
where it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "no",
    "nos",
    "vol",
    "art",
    "arts",
    "para",
    "paras",
    "e.g",
    "i.e",
    "etc",
    "cf",
    "vs",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "amb",
    "h.e",
    "hon",
    "rev",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "approx",
    "fig",
    "ibid",
}
_SENTENCE_END = re.compile(r"[.!?…](?:[\"”’)\]]*)\s+")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_LIST_MARKER = re.compile(r"^\s*(?:[-–—•*·]|\d{1,2}[.)])\s+")


class Token(NamedTuple):
    text: str
    start: int
    end: int


@dataclass
class Sentence:
    """A sentence: its text, where it starts and ends, and the paragraph it belongs to."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    is_heading: bool = False
    is_list_item: bool = False
    tokens: list[Token] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.tokens:
            self.tokens = [
                Token(m.group(), self.start + m.start(), self.start + m.end())
                for m in _TOKEN.finditer(self.text)
            ]


@dataclass
class Paragraph:
    index: int
    start: int
    end: int
    sentences: list[Sentence] = field(default_factory=list)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The logical lines of a block: hard-wrapped prose lines are joined back together."""
    pos = start
    current: tuple[int, int] | None = None
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline == -1 else newline
        raw = text[pos:line_end]
        stripped = raw.strip()
        if stripped:
            line = (pos + (len(raw) - len(raw.lstrip())), pos + len(raw.rstrip()))
            if current is not None and _continues(text[current[0] : current[1]], stripped):
                current = (current[0], line[1])
            else:
                if current is not None:
                    yield current
                current = line
        pos = line_end + 1
    if current is not None:
        yield current


def _continues(previous: str, line: str) -> bool:
    # A wrapped line goes on mid-sentence: the previous line has no closing punctuation and
    # this one starts in lower case (a heading or a list item starts afresh).
    if _LIST_MARKER.match(line) or previous.endswith((".", ":", "!", "?", ";")):
        return False
    return line[:1].islower()


def _split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    chunk_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start() + 1
        before = text[chunk_start:stop]
        last_word = re.search(r"([\w.]+)\.$", before)
        if last_word:
            word = last_word.group(1).lower()
            if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word):
                continue
            # "Session 1." and "2." open a numbered item; they do not end a sentence.
            if re.fullmatch(r"\d{1,2}", word) and len(before.split()) <= 3:
                continue
        following = text[match.end() : match.end() + 1]
        if following and following.islower():
            continue
        yield chunk_start, match.start() + len(match.group().rstrip())
        chunk_start = match.end()
    if chunk_start < end and text[chunk_start:end].strip():
        yield chunk_start, end


def _is_heading(line: str) -> bool:
    words = line.split()
    if not words or line.endswith((".", "!", "?", ";", ",")):
        return False
    return len(words) <= 20


def segment(text: str) -> list[Paragraph]:
    """Split ``text`` into paragraphs (blank-line separated) and sentences."""
    paragraphs: list[Paragraph] = []
    sentence_index = 0
    for block in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text):
        if not block.group().strip():
            continue
        paragraph = Paragraph(len(paragraphs), block.start(), block.end())
        for line_start, line_end in _lines(text, block.start(), block.end()):
            line = text[line_start:line_end]
            list_item = bool(_LIST_MARKER.match(line))
            heading = _is_heading(line) and not list_item
            parts = [(line_start, line_end)] if heading else _split_sentences(text, line_start, line_end)
            for s_start, s_end in parts:
                piece = text[s_start:s_end]
                offset = len(piece) - len(piece.lstrip())
                s_start += offset
                s_end = s_start + len(piece.strip())
                if s_end <= s_start:
                    continue
                paragraph.sentences.append(
                    Sentence(
                        index=sentence_index,
                        start=s_start,
                        end=s_end,
                        text=text[s_start:s_end],
                        paragraph=paragraph.index,
                        is_heading=heading,
                        is_list_item=list_item,
                    )
                )
                sentence_index += 1
        if paragraph.sentences:
            paragraphs.append(paragraph)
    return paragraphs


def sentences(paragraphs: list[Paragraph]) -> list[Sentence]:
    """All sentences of the paragraphs, in order."""
    return [s for p in paragraphs for s in p.sentences]
