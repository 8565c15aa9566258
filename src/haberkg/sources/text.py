"""Searching the NFC text of an article: occurrences, unique contexts, Turkish case folding.

Offsets are code points of the NFC text, as in the release's TextPositionSelectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def exact(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Segment:
    """A sentence or a sub-heading of the article."""

    number: int
    span: Span
    heading: bool





def occurrences(text: str, exact: str) -> list[int]:
    """Every start of ``exact`` in ``text`` (overlapping ones too)."""
    found, i = [], text.find(exact)
    while i >= 0:
        found.append(i)
        i = text.find(exact, i + 1)
    return found


def unique_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The shortest prefix/suffix that make ``text[start:end]`` unique ("" if it already is)."""
    exact = text[start:end]
    if len(occurrences(text, exact)) == 1:
        return "", ""
    for width in range(1, len(text) + 1):
        prefix = text[max(0, start - width) : start]
        suffix = text[end : end + width]
        if len(occurrences(text, prefix + exact + suffix)) == 1:
            return prefix, suffix
    return text[:start], text[end:]  # pragma: no cover - the whole text is unique


_TR_UPPER = str.maketrans({"I": "ı", "İ": "i"})


def tr_lower(word: str) -> str:
    """Lower case by Turkish rules: I -> ı and İ -> i (``str.lower`` gives i and i + U+0307).

    Every other letter is lowered one code point to one (so offsets are kept), which holds
    for the Latin, Turkish and Azerbaijani letters of names (Ə -> ə).
    """
    out = word.translate(_TR_UPPER)
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in out)
    return lowered


def segment(text: str) -> list[Segment]:
    """Split the article into sub-headings and sentences, never inside quotation marks.

    Paragraphs are separated by blank lines; a paragraph that does not end with
    sentence punctuation is a sub-heading.
    """
    segments: list[Segment] = []
    for match in re.finditer(r"[^\n]+", text):
        para_start, para = match.start(), match.group()
        if not re.search(r"[.!?]\"?$", para):
            start, end = para_start, match.end()
            if para.startswith('"') and para.endswith('"'):
                start, end = start + 1, end - 1  # a quoted sub-heading: the words only
            segments.append(Segment(len(segments) + 1, Span(start, end), True))
            continue
        inside, start = False, 0
        for i, ch in enumerate(para):
            if ch == '"':
                inside = not inside
            elif ch in ".!?" and not inside and (i + 1 == len(para) or para[i + 1] == " "):
                segments.append(
                    Segment(len(segments) + 1, Span(para_start + start, para_start + i + 1), False))
                start = i + 2
    return segments
