"""The competency-query suite: every question with its expected answer, and the QC checks.

One runner for every place that runs the suite: ``haberkg build`` and ``check`` (on
the embedded store), ``check --endpoint`` (on a SPARQL endpoint), the tests and the
conformance table (on other engines). The engine is a function from a query file to
its answer; the suite compares each answer with the expected one, written by hand in
``queries/expected/NAME.tsv``. A quality check (``queries/qc/*-violation.rq``) passes
when it returns no row.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from haberkg.errors import CheckFailed, InputError, display_path
from haberkg.sources.project import Project
from haberkg.sparql.files import QueryFile
from haberkg.sparql.results import Table, compare, read_expected
from haberkg.sparql.run import Result

Engine = Callable[[QueryFile], Result]


@dataclass(frozen=True)
class Case:
    query: QueryFile
    expected: Table | None  # None: a quality check, which expects no row

    @property
    def name(self) -> str:
        return self.query.name


@dataclass
class Outcome:
    case: Case
    problems: list[str]
    seconds: float
    rows: int = 0

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class SuiteResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes if o.passed)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def raise_for_failures(self, where: str = "") -> None:
        failures = self.failures
        if failures:
            lines = [f"{o.case.query.shown}: " + "; ".join(o.problems[:3]) for o in failures]
            raise CheckFailed(f"queries failed{' on ' + where if where else ''}:\n"
                              + "\n".join(lines))


SCOPE_RE = re.compile(r"^#\s*scope:\s*(\w+)\b", re.M)


def competency_cases(project: Project) -> list[Case]:
    """Every competency question of the project: the corpus's and each article's."""
    return cases_of(project, project.query_files)


def corpus_cases(project: Project) -> list[Case]:
    """The corpus questions (``queries/*.rq``)."""
    return cases_of(project, project.corpus_query_files)


def article_cases(project: Project, article_id: str) -> list[Case]:
    """One article's own questions (``data/articles/ID/queries/*.rq``)."""
    return cases_of(project, project.corpus.article(article_id).query_files)


def cases_of(project: Project, paths: Sequence[Path]) -> list[Case]:
    cases = []
    for path in paths:
        query = QueryFile.read(path)
        expected_path = project.expected_file(path)
        if not expected_path.exists():
            raise InputError("no expected result for this query "
                             f"(write {display_path(expected_path)})", path=query.shown)
        cases.append(Case(query, read_expected(expected_path)))
    return cases


def qc_cases(project: Project, scope: str = "corpus") -> list[Case]:
    """The quality checks; ``scope="article"`` leaves out those for the whole corpus."""
    cases = []
    for path in project.qc_files:
        query = QueryFile.read(path)
        found = SCOPE_RE.search(query.text)
        if found and found.group(1) not in ("corpus", "article"):
            raise InputError("a quality check's scope is corpus or article",
                             path=query.shown)
        if scope == "corpus" or not found or found.group(1) != "corpus":
            cases.append(Case(query, None))
    return cases


def run_case(case: Case, engine: Engine) -> Outcome:
    start = time.perf_counter()
    actual = engine(case.query)
    seconds = time.perf_counter() - start
    if not isinstance(actual, Table):
        return Outcome(case, ["not a SELECT result"], seconds)
    if case.expected is None:
        problems = []
        if actual.rows:
            first = " | ".join("" if t is None else str(t) for t in actual.rows[0])
            problems = [f"{len(actual.rows)} violation(s), first: {first}"]
        return Outcome(case, problems, seconds, len(actual.rows))
    return Outcome(case, compare(actual, case.expected, ordered=case.query.ordered), seconds,
                   len(actual.rows))


def run_suite(cases: Sequence[Case], engine: Engine) -> SuiteResult:
    return SuiteResult([run_case(case, engine) for case in cases])
