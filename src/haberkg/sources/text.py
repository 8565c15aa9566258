"""Searching the NFC text of an article: occurrences, unique contexts, Turkish case folding.

Offsets are code points of the NFC text, as in the release's TextPositionSelectors.
"""

from __future__ import annotations


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
