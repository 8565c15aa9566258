"""HTTP as caches and browsers expect it, for every answer of ``haberkg serve``.

The middleware stack, from the outside in (:func:`install`):

* :class:`HeadAsGet`: a ``HEAD`` is answered as the ``GET`` of the same URL, without
  the body, so its headers (``Content-Length``, ``ETag``, ``Content-Encoding``) are
  exactly those of the ``GET`` (RFC 9110 section 9.3.2);
* :class:`Compression`: Starlette's ``GZipMiddleware`` (answers of 1 KB and more, not
  the already compressed types of :data:`haberkg.media.COMPRESSED`); a compressed
  answer's strong ETag gets ``-gzip`` appended inside the quotes, as Apache does, so
  that the two encodings of one answer never share a strong validator;
* :class:`Caching`: a strong ``ETag`` (the SHA-256 of the body: for a release file it
  is the checksum in ``SHA256SUMS``), ``Last-Modified`` (when the release was
  written), ``304 Not Modified`` for ``If-None-Match`` (``-gzip`` tags included) and,
  without it, ``If-Modified-Since``; ``Cache-Control``; CORS for every origin without
  credentials (everything here is read-only and public), with the headers a script
  may read; and the ``Link`` headers every data answer carries: its licence and the
  VoID description of the dataset (``rel=describedby``).
"""

from __future__ import annotations

import email.utils
import hashlib
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haberkg.media import COMPRESSED

CORS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "ETag, Link, Vary, Content-Location, Retry-After",
}
PREFLIGHT = {
    "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
    "access-control-allow-headers": "Accept, Content-Type, If-None-Match, If-Modified-Since",
    "access-control-max-age": "86400",
}
GZIP_MINIMUM = 1024  # bytes: smaller answers are sent as they are
PAGES = "public, max-age=3600"  # pages, data, redirects: an hour, then revalidated
ASSETS = "public, max-age=86400"  # scripts, styles and the query engine of the pages
ANSWERS = "public, max-age=300"  # SPARQL answers (GET only: POST answers are not cached)
UNCACHED = "no-store"  # errors, refusals and limits (429, 503) must be asked again


def etag(body: bytes) -> str:
    """The strong entity tag of a body: its SHA-256, quoted (RFC 9110 section 8.8.3)."""
    return f'"{hashlib.sha256(body).hexdigest()}"'


def link_header(links: Iterable[tuple[str, str, str | None]]) -> str:
    """A ``Link`` header value (RFC 8288) from (target, rel, type) triples."""
    parts = []
    for target, rel, media in links:
        part = f'<{target}>; rel="{rel}"'
        if media:
            part += f'; type="{media}"'
        parts.append(part)
    return ", ".join(parts)


def _tags(value: str) -> list[str]:
    """The entity tags of an If-None-Match value, ``-gzip`` removed (``*`` kept)."""
    out = []
    for tag in value.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]  # If-None-Match compares weakly (RFC 9110 section 13.1.2)
        if tag.endswith('-gzip"'):
            tag = tag[: -len('-gzip"')] + '"'
        if tag:
            out.append(tag)
    return out


def _compressible(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media not in COMPRESSED and media.split("/")[0] + "/*" not in COMPRESSED


class HeadAsGet:
    """``HEAD`` answered as ``GET`` without the body (same headers, byte for byte)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


class Compression:
    """Starlette's gzip, with the ETag of a compressed answer marked ``-gzip``."""

    def __init__(self, app: ASGIApp) -> None:
        self.gzip = GZipMiddleware(app, minimum_size=GZIP_MINIMUM,
                                   exclude_content_types=COMPRESSED)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.gzip(scope, receive, send)
            return

        async def marking(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message.setdefault("headers", []))
                if "vary" in headers:  # gzip appends Accept-Encoding even if it is there
                    tokens = [t.strip() for t in headers["vary"].split(",") if t.strip()]
                    headers["vary"] = ", ".join(dict.fromkeys(tokens))
                tag = headers.get("etag")
                if headers.get("content-encoding") == "gzip" and tag and \
                        not tag.endswith('-gzip"'):
                    headers["etag"] = tag[:-1] + '-gzip"'
            await send(message)

        await self.gzip(scope, receive, marking)


class Caching:
    """Validators, conditional requests, Cache-Control, CORS and the licence links."""

    def __init__(self, app: ASGIApp, *, last_modified: float, links: str) -> None:
        self.app = app
        self.last_modified = int(last_modified)
        self.http_date = email.utils.formatdate(self.last_modified, usegmt=True)
        self.links = links

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in request:
            await self._preflight(send)
            return
        start: Message = {}

        async def caching(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message  # held until the body is known (the ETag is its hash)
                return
            if message["type"] != "http.response.body" or not start:
                await send(message)
                return
            if message.get("more_body", False):  # a stream: no validators
                self._headers(scope, start, None)
                await send(start)
                start = {}
                await send(message)
                return
            body = message.get("body", b"")
            status = self._headers(scope, start, body)
            if status == 304:
                headers = MutableHeaders(raw=start["headers"])
                for name in ("content-length", "content-type"):
                    if name in headers:
                        del headers[name]
                match = self._matching_tag(request, headers.get("etag", ""))
                if match:
                    headers["etag"] = match
                await send({**start, "status": 304})
                await send({"type": "http.response.body", "body": b""})
            else:
                await send(start)
                await send(message)
            start = {}

        await self.app(scope, receive, caching)

    async def _preflight(self, send: Send) -> None:
        headers = [(k.encode(), v.encode()) for k, v in {**CORS, **PREFLIGHT}.items()]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    def _matching_tag(request: Headers, current: str) -> str | None:
        for raw in request.get("if-none-match", "").split(","):
            raw = raw.strip()
            if raw == "*" or (raw and _tags(raw) == [current]):
                return current if raw == "*" else raw
        return None

    def _headers(self, scope: Scope, start: Message, body: bytes | None) -> int:
        """Adds the headers to ``start``; returns 304 when the client's copy is current."""
        headers = MutableHeaders(raw=start.setdefault("headers", []))
        for name, value in CORS.items():
            headers.setdefault(name, value)
        status = int(start["status"])
        method = scope["method"]
        if status >= 400 or method not in ("GET", "HEAD"):
            headers.setdefault("cache-control", UNCACHED)
            return status
        path = scope.get("path", "")
        if path.startswith("/static/"):
            headers.setdefault("cache-control", ASSETS)
        elif path == "/sparql" and scope.get("query_string"):
            headers.setdefault("cache-control", ANSWERS)
        else:
            headers.setdefault("cache-control", PAGES)
        if status != 200 or body is None:
            return status
        if not path.startswith("/static/"):
            existing = headers.get("link")
            headers["link"] = f"{existing}, {self.links}" if existing else self.links
        if len(body) >= GZIP_MINIMUM and _compressible(headers.get("content-type", "")):
            # the answer depends on Accept-Encoding, and so does a 304 (RFC 9110 15.4.5)
            headers.add_vary_header("Accept-Encoding")
        headers.setdefault("etag", etag(body))
        headers.setdefault("last-modified", self.http_date)
        request = Headers(scope=scope)
        if "if-none-match" in request:
            return 304 if self._matching_tag(request, headers["etag"]) else status
        since = request.get("if-modified-since")
        if since:
            try:
                when = email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return status  # a date that does not parse is ignored (RFC 9110 13.1.3)
            if when >= self.last_modified:
                return 304
        return status


def install(app: ASGIApp, *, last_modified: float, links: str) -> ASGIApp:
    """The application wrapped in the stack above (outermost first: HEAD, gzip, caching)."""
    return HeadAsGet(Compression(Caching(app, last_modified=last_modified, links=links)))


__all__ = ["Caching", "Compression", "HeadAsGet", "etag", "install", "link_header"]
