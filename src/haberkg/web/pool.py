"""Run endpoint queries in worker processes that can be killed.

pyoxigraph cannot cancel a running query, and a thread that runs on after its time
limit keeps a CPU busy. Each query therefore runs in one of a few worker processes,
each holding its own copy of the release; when a query passes its time limit the
worker is killed, a fresh one takes its place, and the client gets 503 within the
limit plus a fraction of a second.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes


class QueryTimeout(Exception):
    pass


def _load(dist: Path) -> ox.Store:
    from haberkg.web.view import Dataset

    return Dataset.load(dist).store


def _worker(dist: str, conn: Connection) -> None:
    store = _load(Path(dist))
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        query, form, media, max_rows = request
        conn.send(_answer(store, query, form, media, max_rows))


def _answer(store: ox.Store, query: str, form: str, media: str, max_rows: int
            ) -> tuple[int, str, bytes]:
    from haberkg.release import serialise as rdfio
    from haberkg.sparql import results
    from haberkg.sparql.run import _syntax_error_parts

    try:
        result = store.query(query)
    except SyntaxError as exc:
        message, line, column = _syntax_error_parts(exc)
        where = f"query:{line}:{column}: " if line else "query: "
        return 400, "text/plain", f"{where}query does not parse: {message}\n".encode()
    except (OSError, ValueError) as exc:
        return 400, "text/plain", f"query failed: {exc}\n".encode()
    too_many = f"more than {max_rows} results: add a LIMIT\n".encode()
    if isinstance(result, ox.QueryBoolean):
        return 200, media, results.boolean(bool(result), _kind(media)).encode()
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = []
        for i, solution in enumerate(result):
            if i >= max_rows:
                return 413, "text/plain", too_many
            rows.append(tuple(solution[v] for v in variables))
        return 200, media, results.WRITERS[_kind(media)](variables, rows).encode()
    triples = []
    for i, triple in enumerate(result):
        if i >= max_rows:
            return 413, "text/plain", too_many
        triples.append(triple)
    from haberkg.web.view import FORMATS

    fmt = next(f for m, f in FORMATS.values() if m == media)
    return 200, media, rdfio.to_bytes(triples, fmt)


def _kind(media: str) -> str:
    return {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
            "text/csv": "csv", "text/tab-separated-values": "tsv"}[media]


class _Worker:
    def __init__(self, dist: Path) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(str(dist), child), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout) or self.conn.recv() != ("ready",):
            raise InputError("a query worker did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(1)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; blocking calls, safe from many threads."""

    def __init__(self, dist: Path, workers: int = 2) -> None:
        self.dist = dist
        self.idle: list[_Worker] = [_Worker(dist) for _ in range(workers)]
        for w in self.idle:
            w.wait_ready(60)
        self.lock = threading.Condition()
        self.size = workers

    def run(self, query: str, form: str, media: str, *, timeout: float, max_rows: int
            ) -> Answer:
        deadline = time.monotonic() + timeout
        with self.lock:
            while not self.idle:
                left = deadline - time.monotonic()
                if left <= 0 or not self.lock.wait(left):
                    raise QueryTimeout()
            worker = self.idle.pop()
        try:
            worker.conn.send((query, form, media, max_rows))
            left = max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(left):
                worker.kill()
                threading.Thread(target=self._replace, daemon=True).start()
                raise QueryTimeout()
            status, media_type, body = worker.conn.recv()
        except (EOFError, OSError):  # the worker died (e.g. out of memory)
            worker.kill()
            threading.Thread(target=self._replace, daemon=True).start()
            raise
        self._release(worker)
        return Answer(status, media_type, body)

    def _release(self, worker: _Worker) -> None:
        with self.lock:
            self.idle.append(worker)
            self.lock.notify()

    def _replace(self) -> None:
        worker = _Worker(self.dist)
        worker.wait_ready(60)
        self._release(worker)

    def close(self) -> None:
        with self.lock:
            for w in self.idle:
                w.kill()
            self.idle = []
