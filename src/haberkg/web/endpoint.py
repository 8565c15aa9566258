"""One SPARQL 1.1 Protocol answer: check, negotiate, evaluate, serialise, within limits.

This is what a query worker of ``haberkg serve`` does for each query, and it runs
only there (in a process with no network, killed when the time limit passes). Every
limit is enforced while the work happens: rows and bytes are counted as the answer
is produced, and an answer over either limit is refused whole (no half answer).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyoxigraph as ox

from haberkg.errors import HaberkgError, InputError, LimitExceeded, QueryRefused
from haberkg.media import RESULT_TYPES, SERVED_TYPES, result_by_media_type, with_charset
from haberkg.serialise import to_bytes
from haberkg.sparql import guard
from haberkg.sparql.results import Table
from haberkg.sparql.run import Dataset, dataset_of, execute

TOO_LARGE = 422  # the query is fine, its answer is over the server's limits


@dataclass(frozen=True)
class Limits:
    max_rows: int = 100_000
    max_bytes: int = 16 * 1024 * 1024
    max_query_bytes: int = guard.MAX_BYTES


@dataclass(frozen=True)
class Request:
    query: str
    accept: str = ""
    dataset: Dataset | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    reason: str = ""  # for the log: why a query was refused


def text(status: int, message: str, reason: str = "") -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"),
                  reason or message)


def graph_offers() -> list[str]:
    return [t.media_type for t in SERVED_TYPES] + [a for t in SERVED_TYPES for a in t.aliases]


def result_offers() -> list[str]:
    return [t.media_type for t in RESULT_TYPES] + [a for t in RESULT_TYPES for a in t.aliases]


def answer(store: ox.Store, request: Request, limits: Limits, graphs: list[str]) -> Answer:
    """The protocol answer to one query (status, media type, body)."""
    from haberkg.web.conneg import negotiate

    try:
        prepared = guard.prepare(request.query, max_bytes=limits.max_query_bytes)
        dataset = dataset_of(prepared, graphs, request.dataset, base_iri=request.base_iri)
    except QueryRefused as exc:
        status = 403 if exc.kind == "update" else 400
        where = f"query:{exc.line}:{exc.column}: " if exc.line else "query: "
        return text(status, where + exc.message, f"refused ({exc.kind})")
    graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
    if graph_form:
        choice = negotiate(request.accept, graph_offers()) if request.accept else "text/turtle"
    else:
        choice = negotiate(request.accept, result_offers()) if request.accept else \
            "application/sparql-results+json"
    if choice is None:
        return text(406, "no acceptable format for this query (offered: "
                    + ", ".join(graph_offers() if graph_form else result_offers()) + ")")
    try:
        result = execute(store, prepared, dataset, base_iri=request.base_iri)
        if isinstance(result, ox.QueryBoolean):
            kind = result_by_media_type(choice)
            assert kind is not None
            body = io.BytesIO()
            result.serialize(body, format=kind.format)
            return Answer(200, with_charset(kind.media_type), body.getvalue())
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, choice, limits)
        return _triples(result, choice, limits)
    except LimitExceeded as exc:
        return text(TOO_LARGE, f"{exc.message}", "answer over the limits")
    except QueryRefused as exc:
        where = f"query:{exc.line}:{exc.column}: " if exc.line else "query: "
        return text(400, where + exc.message, f"refused ({exc.kind})")
    except (InputError, HaberkgError) as exc:
        return text(400, exc.message)


class _Budget:
    """Bytes of answer produced so far, checked as they are produced."""

    def __init__(self, limits: Limits) -> None:
        self.left = limits.max_bytes
        self.limits = limits

    def spend(self, term: object) -> None:
        value = getattr(term, "value", None)
        self.left -= len(value) if isinstance(value, str) else 8
        if self.left < 0:
            raise LimitExceeded(f"the answer is larger than {self.limits.max_bytes:,} bytes: "
                                "ask for less (LIMIT, fewer variables)")


def _solutions(solutions: ox.QuerySolutions, choice: str, limits: Limits) -> Answer:
    budget = _Budget(limits)
    variables = [v.value for v in solutions.variables]
    rows: list[tuple[object, ...]] = []
    for solution in solutions:
        if len(rows) >= limits.max_rows:
            raise LimitExceeded(f"the answer has more than {limits.max_rows:,} rows: add a LIMIT")
        row = tuple(solution[v] for v in variables)
        for term in row:
            budget.spend(term)
        rows.append(row)
    kind = result_by_media_type(choice)
    assert kind is not None
    table = Table(variables, rows)  # type: ignore[arg-type]
    body = io.BytesIO()
    table.solutions().serialize(body, format=kind.format)
    data = body.getvalue()
    if len(data) > limits.max_bytes:
        raise LimitExceeded(f"the answer is larger than {limits.max_bytes:,} bytes: ask for less")
    return Answer(200, with_charset(kind.media_type), data)


def _triples(triples: ox.QueryTriples, choice: str, limits: Limits) -> Answer:
    budget = _Budget(limits)
    out: list[ox.Triple] = []
    for triple in triples:
        if len(out) >= limits.max_rows:
            raise LimitExceeded(f"the answer has more than {limits.max_rows:,} triples: add a "
                                "LIMIT")
        budget.spend(triple.subject)
        budget.spend(triple.object)
        out.append(triple)
    kind = next(t for t in SERVED_TYPES if choice in (t.media_type, *t.aliases))
    data = to_bytes(out, kind.format)
    if len(data) > limits.max_bytes:
        raise LimitExceeded(f"the answer is larger than {limits.max_bytes:,} bytes: ask for less")
    return Answer(200, with_charset(kind.media_type), data)
