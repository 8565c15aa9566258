"""Upload the release to any SPARQL 1.1 store with the Graph Store HTTP Protocol.

``PUT STORE?graph=G`` replaces the named graph in one request, so the store never
holds a mix of the old and the new release; afterwards the graph is read back and its
triples counted. Credentials go only into the HTTP authentication (basic or digest,
whichever the store asks for) and never into messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from haberkg import netpolicy
from haberkg.errors import CheckFailed, InputError

STATUS = {
    401: "the store refused the credentials (401 Unauthorized)",
    403: "the store forbids this upload (403 Forbidden)",
    404: "no Graph Store endpoint at this URL (404 Not Found)",
    405: "this URL does not accept PUT (405): give the Graph Store endpoint, not the query one",
    413: "the store refused the upload as too large (413): raise its request size limit",
}


@dataclass
class LoadResult:
    url: str
    graph: str | None
    sent: int
    found: int
    seconds: float


def public(url: str) -> str:
    """The URL without any user:password part (safe to print)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def target(store: str, graph: str | None) -> str:
    query = urlencode({"graph": graph}) if graph else "default"
    return f"{store}{'&' if '?' in store else '?'}{query}"


def _auth(client: httpx.Client, url: str, auth: tuple[str, str] | None) -> httpx.Auth | None:
    """The authentication the store asks for, learned with a small GET first.

    The upload is then sent once: digest authentication would otherwise send the
    whole body, get 401, and send it again.
    """
    if auth is None:
        return None
    probe = client.get(url, headers={"Accept": "application/n-triples"})
    challenge = probe.headers.get("www-authenticate", "").lower()
    if probe.status_code != 401 or not challenge.startswith("digest"):
        return httpx.BasicAuth(*auth)
    digest = httpx.DigestAuth(*auth)
    client.get(url, auth=digest, headers={"Accept": "application/n-triples"})  # learn the nonce
    return digest


XSD = "http://www.w3.org/2001/XMLSchema#"
# xsd:integer and the datatypes derived from it: a store may keep a value of a derived type
# as an xsd:integer of the same value (Oxigraph 0.5 does), which is the same number.
INTEGER_TYPES = frozenset(XSD + name for name in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))


def _by_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
              ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    if isinstance(term, ox.Literal) and term.datatype.value in INTEGER_TYPES:
        try:
            return ox.Literal(str(int(term.value)), datatype=ox.NamedNode(XSD + "integer"))
        except ValueError:
            return term
    return term


def canonical_set(triples: set[ox.Triple]) -> set[ox.Quad]:
    """Triples compared as graphs: blank nodes relabelled by RDFC-1.0, and integers (of
    xsd:integer or a type derived from it) compared by value."""
    from haberkg.serialise import canonical

    return set(canonical(ox.Triple(t.subject, t.predicate, _by_value(t.object))
                         for t in triples))


def load(release: Path, store: str, graph: str | None, auth: tuple[str, str] | None,
         timeout: float = 300.0) -> LoadResult:
    """PUT the release file (N-Triples) into the graph, then compare what the store holds."""
    import time

    from haberkg.release.reader import RELEASE_READ
    from haberkg.sources.read import parse_file

    if not release.is_file():
        raise InputError("no release here: run `haberkg build` first", path=str(release))
    netpolicy.check_url(store)
    body = release.read_bytes()
    expected = {q.triple for q in parse_file(release, RELEASE_READ)}
    url = target(store, graph)
    shown = public(url)
    start = time.perf_counter()
    with _talking(shown, timeout), netpolicy.client(timeout) as client:
        scheme = _auth(client, url, auth)
        # N-Triples is also Turtle: every Graph Store accepts text/turtle.
        put = client.put(url, content=body, auth=scheme,  # type: ignore[arg-type]
                         headers={"Content-Type": "text/turtle; charset=utf-8"})
        if put.status_code not in (200, 201, 204):
            raise InputError(STATUS.get(put.status_code,
                                        f"the store answered {put.status_code}"), path=shown)
        got = client.get(url, auth=scheme,
                         headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
    elapsed = time.perf_counter() - start
    found = compare(got, expected, shown)
    return LoadResult(shown, graph, len(expected), found, elapsed)


def read_back(store: str, graph: str, auth: tuple[str, str] | None, expected: set[ox.Triple],
              timeout: float = 300.0) -> int:
    """GET the graph from the Graph Store endpoint and compare it with ``expected``."""
    url = target(store, graph)
    shown = public(url)
    with _talking(shown, timeout), netpolicy.client(timeout) as client:
        scheme = _auth(client, url, auth)
        got = client.get(url, auth=scheme,
                         headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
    return compare(got, expected, shown)


@contextmanager
def _talking(shown: str, timeout: float) -> Iterator[None]:
    """httpx's failures as one line about the store."""
    try:
        yield
    except httpx.ConnectError:
        raise InputError("cannot connect: connection refused or no such host", path=shown
                         ) from None
    except httpx.TimeoutException:
        raise InputError(f"the store did not answer within {timeout:g} s; the graph may be "
                         "partly loaded: run `haberkg load` again", path=shown) from None
    except httpx.HTTPError as exc:  # a bad URL scheme, a protocol error, ...
        raise InputError(f"cannot talk to the store: {type(exc).__name__}: {exc}", path=shown
                         ) from None


def compare(got: httpx.Response, expected: set[ox.Triple], shown: str) -> int:
    """The graph read back (``got``) against the release: the number of triples found."""
    if got.status_code != 200:
        raise CheckFailed(f"uploaded, but reading the graph back failed ({got.status_code}): "
                          "check it by hand", path=shown)
    media = got.headers.get("content-type", "").split(";")[0].strip()
    fmt = ox.RdfFormat.N_TRIPLES if media == "application/n-triples" else ox.RdfFormat.TURTLE
    try:
        found = {q.triple for q in ox.parse(got.content, format=fmt)}
    except SyntaxError:
        raise CheckFailed("uploaded, but the graph read back does not parse: check it by hand",
                          path=shown) from None
    if canonical_set(found) != canonical_set(expected):
        missing = len(expected - found)
        raise CheckFailed(f"the store holds {len(found)} triples in the graph, expected "
                          f"{len(expected)} ({missing} missing or changed): the graph is "
                          "incomplete or differs; load again", path=shown)
    return len(found)
