"""Tests of the SPARQL guard (haberkg.sparql.guard). The cases are data, in guard_cases.py.

A query that may contain a SERVICE (the refused cases, the random texts) is run in
pyoxigraph only once every host in it is 127.0.0.1 on a port this module bound and closed
first. Accepted queries are only parsed (Store.query; an ASK is also evaluated), with the
SERVICE-looking text in their strings moved to that port too.
"""

from __future__ import annotations

import random
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from haberkg.errors import QueryRefused
from haberkg.sparql import guard
from haberkg.sparql.guard import prepare

from .guard_cases import (
    ACCEPT,
    DIVERGENCES,
    NETWORK,
    OTHER_REFUSALS,
    PIECES_BRIEF,
    PIECES_OXIGRAPH,
    T,
)

ROOT = Path(__file__).resolve().parents[2]
PROJECT_QUERIES = sorted([*(ROOT / "queries").glob("*.rq"),
                          *(ROOT / "data" / "articles").glob("*/queries/*.rq"),
                          *(ROOT / "queries" / "qc").glob("*.rq")])
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


# ------------------------------------------------------------------------- helpers

def _closed_port() -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    s.close()
    return port


PORT = _closed_port()
LOOPBACK = f"http://127.0.0.1:{PORT}/"
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://([^/?#<>\s\"'{}|\\^`]*)")


def on_closed_port(text: str) -> str | None:
    """``text`` with the SERVICE target moved to the closed port, or None if it names
    another host (such a text is never run)."""
    moved = text.replace("127.0.0.1:1/", f"127.0.0.1:{PORT}/")
    if set(_AUTHORITY.findall(moved)) <= {f"127.0.0.1:{PORT}"}:
        return moved
    return None


def run_on_closed_port(text: str) -> tuple[str, Any]:
    moved = on_closed_port(text)
    assert moved is not None, f"refusing to run a query naming another host: {text!r}"
    return outcome(moved)


def fixture_store() -> ox.Store:
    """One triple for each pattern the network cases join their SERVICE with."""
    data = f"""
        <urn:s> <urn:p> <urn:o> .
        <urn:s> <urn:p> <urn:o> <urn:g> .
        <urn:s> <urn:p> <urn:x#> .
        <urn:x#> <{RDF_TYPE.value}> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
        <urn:s> <urn:p> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
        <urn:s> <urn:p> <{LOOPBACK}a.b> .
        <urn:s> <urn:p> <{LOOPBACK}a#> .
        <urn:s> <urn:p> <{LOOPBACK}it's> .
    """
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.N_QUADS)
    return store


def outcome(text: str) -> tuple[str, Any]:
    """Run ``text`` on the fixture store and read every result."""
    try:
        result = fixture_store().query(text)
        if isinstance(result, ox.QueryBoolean):
            return "bool", bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return "rows", sorted(tuple(str(row[n]) for n in names) for row in result)
        return "triples", sorted(str(t) for t in result)
    except SyntaxError as exc:
        return "syntax", str(exc)
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return "error", f"{type(exc).__name__}: {exc}"


def is_service_error(result: tuple[str, Any]) -> bool:
    """An error about a SERVICE call: the connection, or the service name. IRIs quoted in the
    message are left out ('The custom function <...Service> is not supported' is not one)."""
    if result[0] != "error":
        return False
    message = re.sub(r"<[^>]*>", "<>", result[1])
    return bool(re.search(r"connect|refused|service", message, re.IGNORECASE))


def refusal(case: dict[str, Any]) -> QueryRefused:
    kwargs = {k: case[k] for k in ("max_bytes", "max_depth") if k in case}
    with pytest.raises(QueryRefused) as info:
        prepare(case["query"], **kwargs)
    return info.value


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["id"] for c in cases]


# ----------------------------------------------------------------------- refusals

@pytest.mark.parametrize("case", NETWORK, ids=ids(NETWORK))
def test_network_refused(case: dict[str, Any]) -> None:
    err = refusal(case)
    assert (err.kind, (err.line, err.column)) == ("network", case["pos"]), err.message


@pytest.mark.parametrize("case", OTHER_REFUSALS, ids=ids(OTHER_REFUSALS))
def test_other_refused(case: dict[str, Any]) -> None:
    err = refusal(case)
    pos = None if err.line is None else (err.line, err.column)
    assert (err.kind, pos) == (case["kind"], case["pos"]), err.message


@pytest.mark.parametrize("case", NETWORK + OTHER_REFUSALS, ids=ids(NETWORK + OTHER_REFUSALS))
def test_message_is_one_line(case: dict[str, Any]) -> None:
    err = refusal(case)
    assert err.message
    assert "\n" not in err.message
    assert "\r" not in err.message
    assert err.located().count("\n") == 0
    assert err.message in err.located()


@pytest.mark.parametrize("case", NETWORK, ids=ids(NETWORK))
def test_network_differential(case: dict[str, Any]) -> None:
    """pyoxigraph, given the expanded text, really runs a SERVICE (to a closed port)."""
    result = run_on_closed_port(guard.expand_codepoint_escapes(case["query"]))
    oracle = case["oracle"]
    if oracle == "error":
        assert is_service_error(result), result
    elif oracle == "syntax":
        assert result[0] == "syntax", result
    else:
        control = run_on_closed_port(oracle["control"])
        assert result[0] != "syntax" and control[0] != "syntax", (result, control)
        assert result != control, (result, control)


@pytest.mark.parametrize(("opener", "closer"), [("(", ")"), ("{", "}"), ("[", "]")])
def test_5000_deep_is_refused_fast(opener: str, closer: str) -> None:
    inner = {"(": "FILTER" + opener * 5000 + "1" + closer * 5000,
             "{": opener * 5000 + closer * 5000,
             "[": "?s ?p " + "[ ?p " * 5000 + "?o" + " ]" * 5000}[opener]
    query = "SELECT * WHERE { " + inner + " }"
    start = time.perf_counter()
    with pytest.raises(QueryRefused) as info:
        prepare(query)
    elapsed = time.perf_counter() - start
    assert info.value.kind == "depth"
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms"


def test_1mb_query_is_linear() -> None:
    body = "".join(f'  ?s{i} <http://example.org/p#{i}> "value {i} with some text"@en ; '
                   f"ex:q{i} ?o{i} .\n" for i in range(20_000))
    query = "PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n" + body
    query = query[:query.rfind("\n", 0, 999_990)] + "\n}\n"
    half = query[:query.rfind("\n", 0, 500_000)] + "\n}\n"
    timings = []
    for text in (half, query):
        best = float("inf")
        for _ in range(3):  # the fastest of three: the least disturbed by other processes
            start = time.perf_counter()
            prepare(text)
            best = min(best, time.perf_counter() - start)
        timings.append(best)
    assert len(query.encode()) > 990_000
    assert timings[1] < 5.0
    assert timings[1] < 4 * timings[0] + 0.1, timings  # twice the text, not four times


# --------------------------------------------------------------------- acceptances

@pytest.mark.parametrize("case", ACCEPT, ids=ids(ACCEPT))
def test_accepted(case: dict[str, Any]) -> None:
    prepared = prepare(case["query"])
    assert prepared.form == case["form"]
    assert prepared.from_graphs == case.get("from", ())
    assert prepared.from_named_graphs == case.get("named", ())
    if "depth" in case:
        assert prepared.depth == case["depth"]
    assert prepared.text == guard.expand_codepoint_escapes(case["query"])
    _pyoxigraph_parses(on_closed_port_text(prepared.text))


def on_closed_port_text(text: str) -> str:
    return text.replace("127.0.0.1:1/", f"127.0.0.1:{PORT}/")


def _pyoxigraph_parses(text: str, base_iri: str | None = None) -> None:
    """Store.query parses eagerly; results are not read (an ASK is evaluated)."""
    try:
        ox.Store().query(text, base_iri=base_iri)
    except SyntaxError:
        raise
    except Exception:  # noqa: BLE001, S110 - evaluation errors are not syntax errors
        pass


def test_at_least_60_acceptance_cases() -> None:
    assert len(ACCEPT) >= 60


@pytest.mark.parametrize("path", PROJECT_QUERIES, ids=lambda p: p.name)
def test_project_queries(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    prepared = prepare(text)
    assert prepared.form == "SELECT"
    assert prepared.text == text
    _pyoxigraph_parses(prepared.text)


def test_every_project_query_is_tested() -> None:
    assert len(PROJECT_QUERIES) >= 20


# ------------------------------------------------------------------ divergences

@pytest.mark.parametrize("case", DIVERGENCES, ids=ids(DIVERGENCES))
def test_pyoxigraph_divergence(case: dict[str, Any]) -> None:
    """What pyoxigraph 0.5.13 does with the query as written (not expanded)."""
    moved = on_closed_port(case["query"])
    assert moved is not None
    if case["expect"] == "service":
        assert is_service_error(outcome(moved)), case["spec"]
        return
    try:
        ox.Store().query(moved)
        parsed = True
    except SyntaxError:
        parsed = False
    assert parsed == (case["expect"] == "accepts"), case["spec"]


@pytest.mark.parametrize("case", DIVERGENCES, ids=ids(DIVERGENCES))
def test_guard_on_divergence(case: dict[str, Any]) -> None:
    """The guard refuses the divergences that could hide or change what runs."""
    if case["guard"] == "accepts":
        prepared = prepare(case["query"])
        if case["expect"] == "service":
            pytest.fail("a query on which pyoxigraph calls a SERVICE was accepted")
        assert prepared.text == guard.expand_codepoint_escapes(case["query"])
    else:
        with pytest.raises(QueryRefused):
            prepare(case["query"])


# -------------------------------------------------------------------- properties

def _random_texts(pieces: list[str], seed: int, count: int) -> Iterator[str]:
    rnd = random.Random(seed)
    for _ in range(count):
        middle = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14)))
        yield (f"PREFIX ex: <{T}>\nPREFIX : <{T}>\n"
               f"SELECT * WHERE {{ BIND(1 AS ?z) {middle} }}")


@pytest.mark.parametrize(("pieces", "seed"), [(PIECES_BRIEF, 1), (PIECES_OXIGRAPH, 2)],
                         ids=["brief-alphabet", "oxigraph-alphabet"])
def test_accepted_never_reaches_a_service(pieces: list[str], seed: int) -> None:
    start = time.perf_counter()
    accepted = parsed = 0
    for text in _random_texts(pieces, seed, 10_000):
        try:
            prepared = prepare(text)
        except QueryRefused:
            continue
        moved = on_closed_port(prepared.text)
        if moved is None:
            continue
        accepted += 1
        result = outcome(moved)
        assert not is_service_error(result), (text, result)
        parsed += result[0] != "syntax"
    assert accepted >= 500 and parsed >= 100, (accepted, parsed)
    assert time.perf_counter() - start < 20


def test_refused_random_texts_would_often_reach_a_service() -> None:
    """The property test is not vacuous: many texts it refuses do run a SERVICE."""
    reached = 0
    for text in _random_texts(PIECES_OXIGRAPH, 3, 2000):
        try:
            prepare(text)
        except QueryRefused as err:
            if err.kind == "network":
                try:
                    expanded = guard.expand_codepoint_escapes(text)
                except QueryRefused:
                    continue
                moved = on_closed_port(expanded)
                reached += moved is not None and is_service_error(outcome(moved))
    assert reached >= 25, reached


def test_safe_iri_is_accepted_by_oxigraph() -> None:
    """guard.SAFE_IRI (IRIs the guard trusts Oxigraph to accept) is a subset of Oxigraph's."""
    rnd = random.Random(4)
    pieces = ["http", "urn", "a", ":", "//", "/", "?", "#", "%41", "%", "@", ":80", "[", "]",
              "'", "(", ")", "!", "$", "&", "*", "+", ",", ";", "=", "-", ".", "_", "~", "..",
              "ş", "é", "\u00a0", "\ue000", "\ufdd0", "\U0001F600", "\x80", " ", "|", "^",
              "`", "{", "}", '"', "<", ">", "0", "x"]
    trusted = 0
    for _ in range(20_000):
        iri = rnd.choice(["http://", "https://h", "urn:", "a:", "http://h:8080/"]) + "".join(
            rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        if guard.SAFE_IRI.fullmatch(iri):
            trusted += 1
            ox.NamedNode(iri)  # raises ValueError if Oxigraph rejects it
    assert trusted > 1000


# --------------------------------------------------------------------- the lexer

def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in guard.tokens(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("ex:a\\#b # c", [("PNAME_LN", "ex:a\\#b")]),
    ("ex:it\\'s 'x'", [("PNAME_LN", "ex:it\\'s"), ("STRING", "'x'")]),
    ("ex:a.b. :c:d: e.x:", [("PNAME_LN", "ex:a.b"), ("PUNCT", "."), ("PNAME_LN", ":c:d:"),
                            ("PNAME_NS", "e.x:")]),
    ("''' x'", [("STRING", "''"), ("STRING", "' x'")]),
    ("'''a''b'''' '", [("STRING", "'''a''b'''"), ("STRING", "' '")]),
    ('"""a\\"""" ""', [("STRING", '"""a\\""""'), ("STRING", '""')]),
    ("?x<?y>?z <=1", [("VAR", "?x"), ("IRIREF", "<?y>"), ("VAR", "?z"), ("OP", "<="),
                      ("INTEGER", "1")]),
    ("?x < ?y", [("VAR", "?x"), ("OP", "<"), ("VAR", "?y")]),
    ("a A:b", [("KEYWORD", "a"), ("PNAME_LN", "A:b")]),
    ("( \t) [\n] ( # c\n)", [("NIL", "( \t)"), ("ANON", "[\n]"), ("PUNCT", "("),
                             ("PUNCT", ")")]),
    ("+1 -2.5 .5e1 1. 1.e2 ?x+1", [("INTEGER", "+1"), ("DECIMAL", "-2.5"), ("DOUBLE", ".5e1"),
                                  ("INTEGER", "1"), ("PUNCT", "."), ("DOUBLE", "1.e2"),
                                  ("VAR", "?x"), ("INTEGER", "+1")]),
    ("'x'@en-GB^^<d>", [("STRING", "'x'"), ("LANGTAG", "@en-GB"), ("PUNCT", "^^"),
                        ("IRIREF", "<d>")]),
    ("&& || != ! ^ | / * + ? ^^", [("OP", "&&"), ("OP", "||"), ("OP", "!="), ("OP", "!"),
                                   ("OP", "^"), ("OP", "|"), ("OP", "/"), ("OP", "*"),
                                   ("OP", "+"), ("OP", "?"), ("PUNCT", "^^")]),
    ("LIMIT1 sErViCe Select", [("KEYWORD", "LIMIT"), ("INTEGER", "1"), ("KEYWORD", "sErViCe"),
                               ("KEYWORD", "Select")]),
    ("_:b.c. $v", [("BLANK_NODE_LABEL", "_:b.c"), ("PUNCT", "."), ("VAR", "$v")]),
    ("STRSTARTS isIRI GROUP_CONCAT SHA256", [("KEYWORD", "STRSTARTS"), ("KEYWORD", "isIRI"),
                                             ("KEYWORD", "GROUP_CONCAT"),
                                             ("KEYWORD", "SHA256")]),
    ("<http://a/#x> # SERVICE", [("IRIREF", "<http://a/#x>")]),
])
def test_tokens(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


IRI_ALLOWED_ASCII = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '<>"{}|^`\\')


def test_iriref_allows_every_allowed_character() -> None:
    iri = "<" + IRI_ALLOWED_ASCII + "\x7f\x80\u00e7\u2028\ue000\U0001F600>"
    assert kinds(iri + " ?x") == [("IRIREF", iri), ("VAR", "?x")]


@pytest.mark.parametrize("excluded", list('<>"{}|^`\\') + [" ", "\t", "\n", "\x00", "\x1f"])
def test_iriref_excludes(excluded: str) -> None:
    assert guard.IRIREF.fullmatch("<a" + excluded + "b>") is None


def test_token_positions() -> None:
    toks = guard.tokens("SELECT\n  ?x # c\r\n'''a\nb''' ?y")
    assert [(t.text, t.line, t.column) for t in toks] == [
        ("SELECT", 1, 1), ("?x", 2, 3), ("'''a\nb'''", 3, 1), ("?y", 4, 6)]


def test_tokens_refuses_with_position() -> None:
    with pytest.raises(QueryRefused) as info:
        guard.tokens("SELECT *\n{ ~ }")
    assert (info.value.kind, info.value.line, info.value.column) == ("syntax", 2, 3)


@pytest.mark.parametrize(("text", "expanded"), [
    ("\\u0041\\U00000042", "AB"),
    ("\\u004", "\\u004"),  # not 4 hex digits: left as it is
    ("\\U0000004", "\\U0000004"),
    ("\\u0041BC", "ABC"),  # exactly 4 digits
    ("\\\\u0041", "\\A"),  # the escape starts at the second backslash (section 19.2)
    ("a\\u00e7\\U0001F600", "a\u00e7\U0001F600"),
])
def test_expand(text: str, expanded: str) -> None:
    assert guard.expand_codepoint_escapes(text) == expanded


def test_expand_refuses_non_fixpoint_at_original_position() -> None:
    with pytest.raises(QueryRefused) as info:
        guard.expand_codepoint_escapes("ab\n  \\u0041 \\u005Cu0041")
    assert (info.value.kind, info.value.line, info.value.column) == ("escape", 2, 10)


def test_refusal_pickles() -> None:
    import pickle

    err = QueryRefused("network", "SERVICE is not allowed", 3, 7)
    back = pickle.loads(pickle.dumps(err))
    assert (back.kind, back.message, back.line, back.column) == ("network", err.message, 3, 7)


def test_unknown_kind_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown refusal kind"):
        QueryRefused("other", "x")


def test_positions_after_escapes_are_in_the_original() -> None:
    with pytest.raises(QueryRefused) as info:
        prepare("SELECT \\u0028\\u0029 ?x \\u007B\n\\u0061 ~ }")
    assert (info.value.line, info.value.column) == (2, 8)
