"""The one way to run a SPARQL query: on an embedded store, or on a remote endpoint.

Every query goes through :func:`check` first (:mod:`haberkg.sparql.guard`): codepoint
escapes expanded once, as SPARQL 1.1 section 19.2 says, the result lexed, and refused
if it nests too deeply, names ``SERVICE``, is an update, or names graphs the store does
not hold. The engine is then given exactly the checked text. (The processes that
evaluate queries also run with no network, see :mod:`haberkg.sandbox`.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from haberkg import netpolicy
from haberkg.errors import InputError, QueryRefused
from haberkg.sources.read import strip_position
from haberkg.sparql import guard
from haberkg.sparql.files import QueryFile
from haberkg.sparql.results import Answer, Table

Query = QueryFile | str
Result = Table | bool | list[ox.Triple]
T = TypeVar("T")
ENGINE_STACK = 1024 * 1024 * 1024  # bytes of stack for the engine (address space only)


def deep_stack(function: Callable[[], T]) -> T:
    """Call ``function`` in a thread with a 1 GiB stack, and return (or raise) its result.

    pyoxigraph's parser and planner recurse on the native stack: a chain of 10,000
    ``+`` (about 20 KB of query) overflows the 8 MB main-thread stack and kills the
    process (SIGSEGV). The guard bounds a query to 1 MB, whose deepest structure needs
    well under 1 GiB; the stack is reserved address space, used only as deep as the
    engine goes.
    """
    import threading

    box: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            box.append(function())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            error.append(exc)

    previous = threading.stack_size(ENGINE_STACK)
    try:
        thread = threading.Thread(target=target, name="haberkg-engine", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if error:
        raise error[0]
    return box[0]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a query (the SPARQL protocol's default-graph-uri and
    named-graph-uri, or the query's own FROM and FROM NAMED), over graphs the store
    holds. ``None`` means the store's own default: its default graph and all named
    graphs."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None


def _text(query: Query) -> tuple[str, str]:
    if isinstance(query, QueryFile):
        return query.text, query.shown
    return query, "query"


@functools.lru_cache(maxsize=256)
def _prepared(text: str, max_bytes: int) -> guard.Prepared:
    return guard.prepare(text, max_bytes=max_bytes)


def check(query: Query, *, max_bytes: int = guard.MAX_BYTES) -> guard.Prepared:
    """The query as it will run, or a located :class:`QueryRefused`.

    The guard's verdict is a function of the text alone: a query seen before (up to 256
    texts of at most 64 KiB) is not lexed again; a refusal is never remembered.
    """
    text, shown = _text(query)
    try:
        if len(text) <= 65536:
            return _prepared(text, max_bytes)
        return guard.prepare(text, max_bytes=max_bytes)
    except QueryRefused as exc:
        exc.path = shown
        raise


def _resolve(written: str, prepared: guard.Prepared, base_iri: str | None) -> str:
    """The IRI of a FROM target as written in the query (``<iri>`` or ``prefix:name``)."""
    from urllib.parse import urljoin

    toks = guard.tokens(prepared.text)
    prefixes: dict[str, str] = {}
    base = base_iri
    for i, tok in enumerate(toks[:-1]):
        if tok.kind == "KEYWORD" and tok.text.upper() == "BASE" and toks[i + 1].kind == "IRIREF":
            base = urljoin(base or "", toks[i + 1].text[1:-1])
        elif tok.kind == "KEYWORD" and tok.text.upper() == "PREFIX" and i + 2 < len(toks) \
                and toks[i + 2].kind == "IRIREF":
            prefixes[toks[i + 1].text[:-1]] = urljoin(base or "", toks[i + 2].text[1:-1])
    if written.startswith("<"):
        iri = written[1:-1]
        return urljoin(base, iri) if base else iri
    prefix, _, local = written.partition(":")
    return prefixes.get(prefix, prefix + ":") + local


def dataset_of(prepared: guard.Prepared, graphs: Iterable[str],
               requested: Dataset | None = None, *, base_iri: str | None = None
               ) -> Dataset | None:
    """The dataset to evaluate over: the protocol's parameters, else the query's FROM /
    FROM NAMED. Graphs the store does not hold are refused: haberkg never loads a graph
    named in a query (other engines would fetch it)."""
    held = set(graphs)
    chosen = requested
    if chosen is None and (prepared.from_graphs or prepared.from_named_graphs):
        chosen = Dataset(tuple(_resolve(g, prepared, base_iri) for g in prepared.from_graphs),
                         tuple(_resolve(g, prepared, base_iri) for g in prepared.from_named_graphs))
    if chosen is None:
        return None
    for iri in (*(chosen.default or ()), *(chosen.named or ())):
        if iri not in held:
            raise QueryRefused("dataset", f"no graph <{iri}> in this store: haberkg never "
                               f"loads graphs named in a query (graphs here: {_some(held)})")
    return chosen


def _some(graphs: set[str], shown: int = 3) -> str:
    """A few of the store's graphs for an error message (a store may hold thousands)."""
    names = sorted(graphs)
    if not names:
        return "none"
    listed = ", ".join(f"<{g}>" for g in names[:shown])
    return listed if len(names) <= shown else f"{listed} and {len(names) - shown} more"


def execute(store: ox.Store, prepared: guard.Prepared, dataset: Dataset | None = None,
            *, shown: str = "query", base_iri: str | None = None) -> Answer:
    """Run a checked query on the store; pyoxigraph's syntax errors are located.

    ``base_iri`` resolves relative IRIs in the query (an endpoint's own URL, as the
    SPARQL protocol tests expect).
    """
    kwargs: dict[str, object] = {"base_iri": base_iri}
    if dataset is not None:
        kwargs["default_graph"] = ([ox.NamedNode(g) for g in dataset.default]
                                   if dataset.default is not None else ox.DefaultGraph())
        if dataset.named is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named]
    try:
        return store.query(prepared.text, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        message, line, column = syntax_error_parts(exc)
        raise QueryRefused("syntax", f"query does not parse: {message}", path=shown,
                           line=line, column=column) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(f"query failed: {exc}", path=shown) from None


def syntax_error_parts(exc: SyntaxError) -> tuple[str, int | None, int | None]:
    import re

    message = str(exc.msg if exc.msg else exc)
    line, column = exc.lineno, exc.offset
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if m:
        line, column, message = int(m.group(1)), int(m.group(2)), m.group(3)
    message = " ".join(strip_position(message).split())
    if len(message) > 160:
        message = message[:157] + "..."
    return message, line, column


def run_local(store: ox.Store, query: Query, *, max_rows: int | None = None) -> Result:
    """Check and run a query on an embedded store; the answer materialised."""
    return deep_stack(lambda: _run_local(store, query, max_rows))


def _run_local(store: ox.Store, query: Query, max_rows: int | None) -> Result:
    prepared = check(query)
    shown = _text(query)[1]
    graphs = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    try:
        dataset = dataset_of(prepared, graphs)
    except QueryRefused as exc:
        exc.path = shown
        raise
    answer = execute(store, prepared, dataset, shown=shown)
    return materialise(answer, max_rows=max_rows)


def materialise(answer: Answer, *, max_rows: int | None = None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    if isinstance(answer, ox.QuerySolutions):
        return Table.from_solutions(answer, max_rows=max_rows)
    return list(answer)


def run_remote(endpoint: str, query: Query, graph: str | None = None, *,
               timeout: float = netpolicy.DEFAULT_TIMEOUT) -> Result:
    """Check a query, then run it on a SPARQL 1.1 Protocol endpoint (POST form).

    ``graph``: the named graph to use as the default graph (``default-graph-uri``).
    """
    import httpx

    prepared = check(query)
    netpolicy.check_url(endpoint)
    graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
    accept = ("application/n-triples" if graph_form else
              "application/sparql-results+json")
    fields = {"query": prepared.text}
    if graph:
        fields["default-graph-uri"] = graph
    try:
        with netpolicy.client(timeout) as client:
            response = client.post(endpoint, data=fields, headers={"Accept": accept})
    except httpx.TimeoutException:
        raise InputError(f"endpoint error: no answer within {timeout:g} s", path=endpoint
                         ) from None
    except httpx.HTTPError as exc:
        raise InputError(f"endpoint error: {type(exc).__name__}: {exc}", path=endpoint
                         ) from None
    if response.status_code != 200:
        first = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        raise InputError(f"endpoint error: HTTP {response.status_code}"
                         + (f": {first}" if first else ""), path=endpoint)
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if graph_form:
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
            return [q.triple for q in ox.parse(response.content, format=fmt)]
        rfmt = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
        parsed = ox.parse_query_results(response.content, format=rfmt)
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"endpoint error: the answer ({media or 'no media type'}) does not "
                         f"parse: {exc}", path=endpoint) from None
    return materialise(parsed)
