"""Regression tests for the web findings of the security review, one per finding."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .support import live_server

SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    with live_server(release, query_timeout=3.0, workers=1, max_body=200_000) as url:
        yield url


def _raw(url: str, request: bytes, timeout: float = 5) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_trailing_slash_is_not_redirected_to_the_host_header(server: str) -> None:
    # /timeline/ is the page (the URL a static host serves too); /timeline moves there
    # with a Location that is a path, never built from the Host header; a trailing slash
    # Starlette would add on its own (from Host) is not added: /graph/x/ is a 404.
    reply = _raw(server, b"GET /timeline HTTP/1.1\r\nHost: evil.example\r\n"
                         b"Connection: close\r\n\r\n")
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 301")
    assert "location: /timeline/\r\n" in head
    assert "evil.example" not in head
    reply = _raw(server, b"GET /graph/x HTTP/1.1\r\nHost: evil.example\r\n"
                         b"Connection: close\r\n\r\n")
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 404")
    assert "evil.example" not in head


def test_redirect_location_never_names_the_host_header(server: str) -> None:
    reply = _raw(server, b"GET /id/baku HTTP/1.1\r\nHost: evil.example\r\n"
                         b"Accept: text/turtle\r\nConnection: close\r\n\r\n")
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 303")
    assert "location: /data/baku.ttl" in head
    assert "evil.example" not in head


def test_forwarded_headers_are_not_trusted_by_default(server: str) -> None:
    reply = _raw(server, b"GET /id/baku HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n"
                         b"X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n")
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert "https://" not in head
    assert "evil.example" not in head


@pytest.mark.parametrize(("path", "status"), [
    ("/id/baku", 303), ("/nowhere", 404), ("/id/no-such-thing", 404),
    ("/sparql?query=SELECT", 400), ("/", 200), ("/ontology", 200),
])
def test_security_headers_on_every_kind_of_answer(server: str, path: str, status: int) -> None:
    answer = httpx.get(server + path, follow_redirects=False)
    assert answer.status_code == status
    for header in SECURITY:
        assert header in answer.headers, (path, header)


def test_security_headers_on_405_and_413(server: str) -> None:
    answer = httpx.delete(server + "/sparql")
    assert answer.status_code == 405
    assert all(h in answer.headers for h in SECURITY)
    answer = httpx.post(server + "/sparql", content=b"#" * 300_000,
                        headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 413
    assert all(h in answer.headers for h in SECURITY)


@pytest.mark.parametrize("name", ["%00", "baku%00", "a%20b", "a\\b", "%5Cetc", "..%2F..%2Fetc",
                                  "%C0%AF", "baku%0Aset-cookie:x"])
def test_malformed_names_are_404_without_an_error(server: str, name: str) -> None:
    for prefix in ("/id/", "/page/", "/data/"):
        suffix = ".ttl" if prefix == "/data/" else ""
        reply = _raw(server, f"GET {prefix}{name}{suffix} HTTP/1.1\r\nHost: x\r\n"
                             "Connection: close\r\n\r\n".encode())
        status = reply.split(b"\r\n", 1)[0]
        assert status in (b"HTTP/1.1 404 Not Found", b"HTTP/1.1 400 Bad Request"), (name, status)
        assert b"Traceback" not in reply
        assert b"set-cookie" not in reply.lower()


def test_head_works_wherever_get_does(server: str) -> None:
    for path in ("/sparql", "/", "/ontology", "/page/baku/", "/data/baku.ttl",
                 "/.well-known/void", "/dist/haberkg.nt"):
        get, head = httpx.get(server + path), httpx.head(server + path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"], path


def test_head_on_sparql_with_a_query(server: str) -> None:
    answer = httpx.head(server + "/sparql", params={"query": "ASK {}"})
    assert answer.status_code == 200
    assert answer.content == b""


def test_error_bodies_are_plain_text_never_a_traceback(server: str) -> None:
    for answer in (httpx.get(server + "/sparql", params={"query": "SELECT ?x WHERE {"}),
                   httpx.get(server + "/nowhere")):
        assert answer.headers["content-type"].startswith("text/plain")
        assert "Traceback" not in answer.text
        assert answer.text.count("\n") == 1


def test_slow_header_clients_are_closed(release: Path) -> None:
    from haberkg.web.server import TimedH11Protocol

    TimedH11Protocol.header_timeout = 1.0
    try:
        with live_server(release, workers=1) as url:
            host, port = url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=10) as sock:
                start = time.monotonic()
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finishes its head
                data = sock.recv(100)  # the server closes: b""
                elapsed = time.monotonic() - start
            assert data == b""
            assert elapsed < 5
            assert httpx.get(url + "/").status_code == 200  # and keeps serving
    finally:
        TimedH11Protocol.header_timeout = 10.0


def test_multiple_query_parameters_are_refused(server: str) -> None:
    answer = httpx.get(server + "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert answer.status_code == 400
