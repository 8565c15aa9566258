"""Defect: `haberkg load` uploaded the whole release twice to a store with digest
authentication (the first PUT only earned the 401 challenge), and verified the upload by
counting triples only. Now the authentication is learned with a small GET first, the body
is sent once, and what the store holds is compared with the release as a set of triples
(blank nodes canonicalised, integers by value).

The store here is a small Graph Store Protocol server with RFC 7616 digest authentication
(MD5, qop=auth) that counts the PUT requests and body bytes it receives."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli

USER, PASSWORD, REALM = "loader", "s3cret-pass", "haberkg-test"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - digest auth's hash


@dataclass
class Store:
    """What the server saw and holds."""

    graphs: dict[str, bytes] = field(default_factory=dict)
    puts: int = 0  # PUT requests received, with or without valid credentials
    put_bytes: int = 0  # body bytes received with them
    nonces: set[str] = field(default_factory=set)
    tamper: Callable[[bytes], bytes] = lambda body: body  # what GET gives back

    def authorised(self, header: str | None, method: str, uri: str) -> bool:
        if not header or not header.startswith("Digest "):
            return False
        parts = {}
        for item in header[len("Digest "):].split(","):
            key, _, value = item.strip().partition("=")
            parts[key] = value.strip('"')
        if parts.get("nonce") not in self.nonces or parts.get("username") != USER:
            return False
        ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
        ha2 = _md5(f"{method}:{parts.get('uri', '')}")
        expected = _md5(f"{ha1}:{parts['nonce']}:{parts.get('nc')}:{parts.get('cnonce')}:"
                        f"{parts.get('qop')}:{ha2}")
        return parts.get("uri") == uri and parts.get("response") == expected


def _handler(store: Store) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _challenge(self) -> None:
            nonce = secrets.token_hex(16)
            store.nonces.add(nonce)
            self.send_response(401)
            self.send_header("WWW-Authenticate", f'Digest realm="{REALM}", nonce="{nonce}", '
                                                 'qop="auth", algorithm=MD5')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _graph(self) -> str:
            return self.path.split("?", 1)[1] if "?" in self.path else "default"

        def do_PUT(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            store.puts += 1
            store.put_bytes += len(body)
            if not store.authorised(self.headers.get("Authorization"), "PUT", self.path):
                self._challenge()
                return
            created = self._graph() not in store.graphs
            store.graphs[self._graph()] = body
            self.send_response(201 if created else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            if not store.authorised(self.headers.get("Authorization"), "GET", self.path):
                self._challenge()
                return
            body = store.tamper(store.graphs.get(self._graph(), b""))
            self.send_response(200)
            self.send_header("Content-Type", "application/n-triples")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def store() -> Iterator[tuple[Store, str]]:
    state = Store()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _load(url: str, release: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["load", "--to", url, "--dist", str(release),
                                      "--user", USER, "--password", PASSWORD])
    return result.exit_code, result.stderr


def test_gsp_load_uploaded_twice_and_verified_counts_only(store: tuple[Store, str],
                                                          release: Path) -> None:
    state, url = store
    body = (release / "haberkg.nt").read_bytes()
    code, err = _load(url, release)
    assert code == 0, err
    assert (state.puts, state.put_bytes) == (1, len(body))  # the body was sent once
    assert state.graphs == {"graph=https%3A%2F%2Fw3id.org%2Fhaberkg%2Fdataset": body}
    assert err.endswith(" s (verified)\n")
    assert PASSWORD not in err


def test_a_store_with_the_right_count_but_another_triple_is_refused(
        store: tuple[Store, str], release: Path) -> None:
    state, url = store
    lines = (release / "haberkg.nt").read_bytes().splitlines(keepends=True)
    line = next(x for x in lines if x.startswith(b"<https://w3id.org/haberkg/id/"))
    changed = line.replace(b"<https://w3id.org/haberkg/id/", b"<https://w3id.org/haberkg/x/", 1)

    def one_triple_changed(body: bytes) -> bytes:
        return body.replace(line, changed, 1)

    state.tamper = one_triple_changed
    code, err = _load(url, release)
    where = f"{url}?graph=https%3A%2F%2Fw3id.org%2Fhaberkg%2Fdataset"
    assert (code, err) == (1, (
        f"{where}: the store holds {len(lines)} triples in the graph, expected {len(lines)} "
        "(1 missing or changed): the graph is incomplete or differs; load again\n"))


def test_a_store_that_keeps_integers_as_xsd_integer_holds_the_release(
        store: tuple[Store, str], release: Path) -> None:
    """Oxigraph keeps xsd:nonNegativeInteger values as xsd:integer: the same numbers."""
    state, url = store
    derived = b"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"
    assert derived in (release / "haberkg.nt").read_bytes()
    state.tamper = lambda body: body.replace(derived,
                                             b"^^<http://www.w3.org/2001/XMLSchema#integer>")
    code, err = _load(url, release)
    assert code == 0, err
    number = re.search(rb'"(\d+)"' + re.escape(derived), (release / "haberkg.nt").read_bytes())
    assert number is not None
    other = b'"%d"^^<http://www.w3.org/2001/XMLSchema#integer>' % (int(number.group(1)) + 1)
    state.tamper = lambda body: body.replace(number.group(0), other, 1)
    assert _load(url, release)[0] == 1  # another number is another triple
