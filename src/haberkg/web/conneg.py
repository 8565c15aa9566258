"""Content negotiation on the Accept header, by python-mimeparse.

The most specific media range that matches an offer decides its quality (RFC 9110
section 12.5.1), so ``text/turtle;q=0, */*`` never gives Turtle; ties go to the
offer listed first. Parts of an Accept header that do not parse are ignored (a
header made only of them counts as ``*/*``).
"""

from __future__ import annotations

from collections.abc import Sequence

import mimeparse


def clean(accept: str) -> str:
    parts = []
    for part in accept.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            mimeparse.parse_media_range(part)
        except (mimeparse.MimeTypeParseException, ValueError, IndexError):
            continue
        parts.append(part)
    return ", ".join(parts) or "*/*"


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers, or None if it accepts none of them."""
    if not offers:
        return None
    if not accept or not accept.strip():
        return offers[0]
    # mimeparse prefers the later of equally good offers: give them in reverse.
    choice = mimeparse.best_match(list(reversed(offers)), clean(accept))
    return choice or None
