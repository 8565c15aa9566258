"""Limits enforced as the bytes arrive and as the answer grows (security review)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from haberkg.web.endpoint import Limits

from .support import live_server

pytestmark = pytest.mark.serial

MB = 1024 * 1024


def _rss(pid: str = "self") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class Peak:
    """The highest resident size of a process while a block runs (sampled every 5 ms)."""

    def __init__(self, pid: str = "self") -> None:
        self.pid, self.peak, self.base = pid, 0, _rss(pid)
        self.stop = threading.Event()

    def __enter__(self) -> Peak:
        def sample() -> None:
            while not self.stop.is_set():
                self.peak = max(self.peak, _rss(self.pid))
                time.sleep(0.005)

        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.base


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    with live_server(release, query_timeout=10.0, workers=2) as url:
        yield url


def test_chunked_body_is_counted_as_it_arrives(server: str) -> None:
    """100 MB sent chunked (no Content-Length): refused after the first megabyte."""
    sent = [0]

    def body() -> Iterator[bytes]:
        chunk = b"#" * MB
        for _ in range(100):
            sent[0] += len(chunk)
            yield chunk

    with Peak() as peak:  # the server runs in this process
        try:
            answer = httpx.post(server + "/sparql", content=body(), timeout=60,
                                headers={"Content-Type": "application/sparql-query"})
            status = answer.status_code
        except httpx.HTTPError:  # the server may close while we still send
            status = 413
    assert status == 413
    assert sent[0] < 100 * MB or peak.growth < 20 * MB
    assert peak.growth < 20 * MB, f"{peak.growth / MB:.1f} MB"
    assert httpx.get(server + "/").status_code == 200


def test_declared_large_body_is_refused_before_reading(server: str) -> None:
    answer = httpx.post(server + "/sparql", content=b"#" * (2 * MB),
                        headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 413


def test_string_doubling_answer_is_capped_in_bytes(server: str) -> None:
    """2^27 characters from 27 doublings: refused whole (no half answer), worker bounded."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(27))
    query = f'SELECT ?v27 WHERE {{ BIND("x" AS ?v0) {binds} }}'
    with Peak() as peak:
        answer = httpx.get(server + "/sparql", params={"query": query}, timeout=60)
    assert answer.status_code in (422, 503), answer.status_code
    assert len(answer.content) < 1000  # a message, not a partial answer
    assert peak.growth < 50 * MB  # the server process itself held none of it
    assert httpx.get(server + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_row_cap_answers_422_not_a_truncated_result(release: Path) -> None:
    with live_server(release, workers=1, limits=Limits(max_rows=10)) as url:
        answer = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert answer.status_code == 422
        assert "more than 10 rows" in answer.text
        small = httpx.get(url + "/sparql",
                          params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
        assert small.status_code == 200
