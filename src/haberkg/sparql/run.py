"""The one way to run a SPARQL query: on the embedded store, or on a remote endpoint.

Queries are checked before they run: they must parse, and they must not reach outside
the process (``SERVICE``, ``FROM``/``FROM NAMED``, updates): the check walks the parsed
query, not its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError
from haberkg.sources.read import display_path, read_text, strip_position

QUESTION_RE = re.compile(r"^#\s*(tr|en):\s*(.+)$", re.M)


@dataclass
class QueryFile:
    path: Path
    text: str

    @classmethod
    def read(cls, path: Path) -> QueryFile:
        return cls(path, read_text(path, what="query file"))

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def questions(self) -> dict[str, str]:
        return {lang: q.strip() for lang, q in QUESTION_RE.findall(self.text)}

    @property
    def ordered(self) -> bool:
        return bool(re.search(r"(?im)^\s*ORDER\s+BY\b", _strip_comments(self.text)))

    @property
    def shown(self) -> str:
        return display_path(self.path)


def _strip_comments(text: str) -> str:
    out = []
    for line in text.splitlines():
        in_iri = in_str = False
        cut = len(line)
        for i, ch in enumerate(line):
            if ch == '"' and not in_iri:
                in_str = not in_str
            elif ch == "<" and not in_str:
                in_iri = True
            elif ch == ">" and not in_str:
                in_iri = False
            elif ch == "#" and not in_iri and not in_str:
                cut = i
                break
        out.append(line[:cut])
    return "\n".join(out)


def check_query(text: str, *, shown: str = "query") -> str:
    """Parse ``text`` strictly and refuse anything that would leave the process.

    Returns the query form (SELECT, ASK, CONSTRUCT or DESCRIBE).
    """
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing's ParseException carries line and column
        message = " ".join(str(getattr(exc, "msg", exc)).split())
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        better = _oxigraph_diagnosis(text)
        if better is not None:
            message, line, column = better
        raise InputError(f"query does not parse: {message}", path=shown, line=line,
                         column=column) from None
    query = tree[1]
    form = type(query).__name__ if not hasattr(query, "name") else query.name
    if "datasetClause" in query:
        raise InputError("FROM / FROM NAMED is not allowed: haberkg never loads remote or "
                         "local graphs named in a query", path=shown)
    if _contains(tree, "ServiceGraphPattern"):
        raise InputError("SERVICE is not allowed: haberkg never sends queries elsewhere",
                         path=shown)
    return str(form).replace("Query", "").upper()


def _oxigraph_diagnosis(text: str) -> tuple[str, int | None, int | None] | None:
    """pyoxigraph's (more precise) syntax error for a query rdflib has already rejected.

    pyoxigraph runs SERVICE calls as soon as a query parses, even on an empty store, so
    it is only asked when the word SERVICE appears nowhere in the text.
    """
    if re.search(r"(?i)service", text):
        return None
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        return _syntax_error_parts(exc)
    except Exception:  # noqa: BLE001 - only a diagnosis; rdflib's error stands
        return None
    return None


def _syntax_error_parts(exc: SyntaxError) -> tuple[str, int | None, int | None]:
    message = str(exc.msg if exc.msg else exc)
    line, column = exc.lineno, exc.offset
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if m:
        line, column, message = int(m.group(1)), int(m.group(2)), m.group(3)
    message = " ".join(strip_position(message).split())
    if len(message) > 160:
        message = message[:157] + "..."
    return message, line, column


def _contains(node: object, name: str) -> bool:
    """Whether the parse tree has a node of the given grammar rule (e.g. SERVICE)."""
    from pyparsing import ParseResults

    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_contains(dict.__getitem__(node, k), name) for k in node)
    if isinstance(node, list | tuple | ParseResults):
        return any(_contains(v, name) for v in node)
    return False


# ---------------------------------------------------------------------- results

Row = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]


@dataclass
class Table:
    variables: list[str]
    rows: list[Row]

    def tsv(self) -> str:
        from haberkg.sparql.results import to_tsv

        return to_tsv(self.variables, self.rows)


def run_local(store: ox.Store, query: QueryFile | str) -> Table | bool | list[ox.Triple]:
    qf = query if isinstance(query, QueryFile) else None
    text = qf.text if qf else str(query)
    shown = qf.shown if qf else "query"
    check_query(text, shown=shown)
    try:
        result = store.query(text)
    except SyntaxError as exc:
        message, line, column = _syntax_error_parts(exc)
        raise InputError(f"query does not parse: {message}", path=shown, line=line,
                         column=column) from None
    except OSError as exc:
        raise InputError(f"query failed: {exc}", path=shown) from None
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(sol[v] for v in variables) for sol in result]
        return Table(variables, rows)  # type: ignore[arg-type]
    assert isinstance(result, ox.QueryTriples)
    return list(result)  # CONSTRUCT / DESCRIBE


def run_remote(endpoint: str, query: QueryFile | str, graph: str | None = None
               ) -> Table | bool | list[ox.Triple]:
    """Run a query on a SPARQL 1.1 endpoint through SPARQLWrapper.

    ``graph``: the named graph to use as the default graph (``default-graph-uri``).
    """
    from SPARQLWrapper import JSON, N3, SPARQLWrapper  # noqa: F401

    qf = query if isinstance(query, QueryFile) else None
    text = qf.text if qf else str(query)
    form = check_query(text, shown=qf.shown if qf else "query")
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    if graph:
        client.addDefaultGraph(graph)
    client.setMethod("POST")
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat("nt")
            client.addCustomHttpHeader("Accept", "application/n-triples")
            data = client.query().response.read()
            return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        client.setReturnFormat(JSON)
        raw = client.query().response.read()
    except Exception as exc:  # SPARQLWrapper raises many types; all mean the same to a user
        raise InputError(f"endpoint error: {str(exc).splitlines()[0]}", path=endpoint) from None
    parsed = ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = [v.value for v in parsed.variables]
    return Table(variables, [tuple(sol[v] for v in variables) for sol in parsed])  # type: ignore[misc]


def read_expected(path: Path) -> Table:
    """An expected result in the W3C SPARQL TSV format."""
    text = read_text(path, what="expected result")
    try:
        parsed = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    except SyntaxError as exc:
        raise InputError(f"bad TSV: {exc}", path=display_path(path), line=exc.lineno) from None
    assert not isinstance(parsed, bool)
    variables = [v.value for v in parsed.variables]
    return Table(variables, [tuple(sol[v] for v in variables) for sol in parsed])  # type: ignore[misc]


def compare(actual: Table, expected: Table, *, ordered: bool) -> list[str]:
    """Differences between two tables (empty when they agree), as multisets unless ordered."""
    problems = []
    if actual.variables != expected.variables:
        problems.append(f"variables {actual.variables} != expected {expected.variables}")
        return problems
    a = [tuple(map(_key, r)) for r in actual.rows]
    e = [tuple(map(_key, r)) for r in expected.rows]
    if ordered and a != e and sorted(a) == sorted(e):
        problems.append("same rows in a different order")
    missing = _multiset_minus(e, a)
    extra = _multiset_minus(a, e)
    problems += [f"missing row: {' | '.join(r)}" for r in missing]
    problems += [f"unexpected row: {' | '.join(r)}" for r in extra]
    return problems


def _key(term: object) -> str:
    return "" if term is None else str(term)


def _multiset_minus(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    rest = list(b)
    out = []
    for row in a:
        if row in rest:
            rest.remove(row)
        else:
            out.append(row)
    return out
