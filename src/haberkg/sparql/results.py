"""Query answers: tables to compare and print, and the W3C result formats.

The W3C formats (JSON, XML, CSV, TSV) are written by pyoxigraph's own serializers;
this module adds what they lack: a :class:`Table` that can be compared with an
expected answer (as a multiset, or in order), read from the W3C TSV format in which
expected answers are kept, and printed for people.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError, LimitExceeded, display_path
from haberkg.namespaces import compact
from haberkg.sources.read import read_text

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
Row = tuple[Term, ...]
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass
class Table:
    variables: list[str]
    rows: list[Row]

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions, *, max_rows: int | None = None
                       ) -> Table:
        variables = [v.value for v in solutions.variables]
        rows: list[Row] = []
        for solution in solutions:
            if max_rows is not None and len(rows) >= max_rows:
                raise LimitExceeded(f"the query gives more than {max_rows:,} rows: add a LIMIT")
            rows.append(tuple(solution[v] for v in variables))
        return cls(variables, rows)

    def solutions(self) -> ox.QuerySolutions:
        """The table as pyoxigraph solutions (to write it in a W3C format)."""
        return ox.parse_query_results(self.tsv().encode("utf-8"),
                                      format=ox.QueryResultsFormat.TSV)  # type: ignore[return-value]

    def tsv(self) -> str:
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def text(self, *, width: int = 60) -> str:
        """A table for people: IRIs compacted, language tags shown, long values cut."""
        cells = [[_cell(t) for t in row] for row in self.rows]
        widths = [min(width, max([len(v)] + [len(r[i]) for r in cells]))
                  for i, v in enumerate(self.variables)]
        lines = ["  ".join(_fit(v, w).ljust(w) for v, w in zip(self.variables, widths,
                                                                strict=True)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(_fit(v, w).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                  for r in cells]
        lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(lines) + "\n"


def _cell(t: Term) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        return compact(t.value)
    if isinstance(t, ox.Literal):
        return t.value + (f"@{t.language}" if t.language else "")
    return str(t)


def _fit(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def serialize(answer: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> bytes:
    """A SELECT or ASK answer in a W3C results format, by pyoxigraph's serializer."""
    out = io.BytesIO()
    answer.serialize(out, format=fmt)
    return out.getvalue()


def read_expected(path: Path) -> Table:
    """An expected answer in the W3C SPARQL TSV format."""
    text = read_text(path, what="expected result")
    try:
        parsed = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    except SyntaxError as exc:
        raise InputError(f"bad TSV: {exc.msg}", path=display_path(path), line=exc.lineno,
                         column=exc.offset) from None
    if not isinstance(parsed, ox.QuerySolutions):
        raise InputError("an expected result must be a table, not a boolean",
                         path=display_path(path))
    return Table.from_solutions(parsed)


def compare(actual: Table, expected: Table, *, ordered: bool) -> list[str]:
    """Differences between two tables (empty when they agree), as multisets unless ordered."""
    if actual.variables != expected.variables:
        return [f"variables {actual.variables} != expected {expected.variables}"]
    a = [tuple(map(_key, r)) for r in actual.rows]
    e = [tuple(map(_key, r)) for r in expected.rows]
    problems = []
    if ordered and a != e and Counter(a) == Counter(e):
        problems.append("same rows in a different order")
    missing = Counter(e) - Counter(a)
    extra = Counter(a) - Counter(e)
    problems += [f"missing row: {' | '.join(r)}" for r in _expand(missing)]
    problems += [f"unexpected row: {' | '.join(r)}" for r in _expand(extra)]
    return problems


def _key(term: Term) -> str:
    return "" if term is None else str(term)


def _expand(counts: Counter[tuple[str, ...]]) -> Sequence[tuple[str, ...]]:
    return sorted(row for row, n in counts.items() for _ in range(n))
