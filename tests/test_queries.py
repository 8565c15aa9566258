"""Competency questions against hand-written expected results; QC checks find nothing, and
fire on the statements of tests/cases/qc-broken.toml. Every query runs through the one suite
runner (haberkg.checks.suite), on the built release."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from haberkg.checks.suite import Case, competency_cases, qc_cases, run_suite
from haberkg.errors import InputError, QueryRefused
from haberkg.sources.project import Project
from haberkg.sparql.files import QueryFile
from haberkg.sparql.results import Table, compare
from haberkg.sparql.run import Result, check, run_local

from .conftest import ROOT

PROJECT = Project(ROOT)
CASES = competency_cases(PROJECT)
QC = qc_cases(PROJECT)
BROKEN: dict[str, dict[str, Any]] = {c["check"]: c for c in tomllib.loads(
    (ROOT / "tests" / "cases" / "qc-broken.toml").read_text(encoding="utf-8"))["case"]}


def _name(case: Case) -> str:
    return case.name


def test_there_are_enough_competency_questions() -> None:
    articles = list((ROOT / "data" / "articles").glob("*/queries/*.rq"))
    assert len(CASES) == len(list((ROOT / "queries").glob("*.rq"))) + len(articles)
    assert len(articles) >= 21 and len(list((ROOT / "queries").glob("*.rq"))) >= 3
    assert len(QC) == len(list((ROOT / "queries" / "qc").glob("*.rq"))) >= 5


@pytest.mark.parametrize("case", CASES, ids=_name)
def test_competency_query(case: Case, release_store: ox.Store) -> None:
    query = case.query
    assert set(query.questions) == {"tr", "en"}, "each query starts with its question in tr and en"
    assert query.text.startswith("# tr: ")
    assert case.expected is not None and case.expected.rows, \
        "an expected result with no rows proves nothing"
    result = run_suite([case], lambda q: run_local(release_store, q))
    assert [o.problems for o in result.outcomes] == [[]]


@pytest.mark.parametrize("case", QC, ids=_name)
def test_quality_check_finds_nothing(case: Case, release_store: ox.Store) -> None:
    result = run_suite([case], lambda q: run_local(release_store, q))
    assert [(o.problems, o.rows) for o in result.outcomes] == [([], 0)]


@pytest.fixture(scope="module")
def release_quads(release: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(release / "haberkg.nt"), format=ox.RdfFormat.N_TRIPLES))


def test_every_broken_case_names_a_check() -> None:
    assert set(BROKEN) == {c.name for c in QC}, \
        "every QC query needs a case in tests/cases/qc-broken.toml, and only those"


@pytest.mark.parametrize("case", QC, ids=_name)
def test_quality_check_can_fail(case: Case, release_quads: list[ox.Quad]) -> None:
    broken = BROKEN[case.name]
    store = ox.Store()
    store.bulk_extend(release_quads)
    store.bulk_extend(ox.parse(broken["add"].encode(), format=ox.RdfFormat.N_TRIPLES))
    answers: list[Result] = []

    def engine(query: QueryFile) -> Result:
        answers.append(run_local(store, query))
        return answers[-1]

    result = run_suite([case], engine)
    (outcome,) = result.outcomes
    assert not outcome.passed
    assert outcome.rows == len(broken["rows"])
    assert outcome.problems[0].startswith(f"{len(broken['rows'])} violation(s), first: ")
    (answer,) = answers
    assert isinstance(answer, Table)
    assert sorted([str(t) for t in row] for row in answer.rows) == sorted(broken["rows"])


def test_comparison_reports_missing_and_extra_rows() -> None:
    a = Table(["x"], [(ox.Literal("1"),), (ox.Literal("2"),)])
    b = Table(["x"], [(ox.Literal("2"),), (ox.Literal("3"),)])
    problems = compare(a, b, ordered=False)
    assert problems == ['missing row: "3"', 'unexpected row: "1"']
    assert compare(a, Table(["x"], list(reversed(a.rows))), ordered=True) == \
        ["same rows in a different order"]
    assert compare(a, Table(["x"], list(reversed(a.rows))), ordered=False) == []


def test_the_suite_reports_a_wrong_answer(release_store: ox.Store) -> None:
    """The runner fails a case whose answer differs from the expected one."""
    case = CASES[0]
    assert case.expected is not None
    wrong = Case(case.query, Table(case.expected.variables, case.expected.rows[1:]))
    result = run_suite([wrong], lambda q: run_local(release_store, q))
    assert result.passed == 0
    assert result.failures[0].problems[0].startswith("unexpected row: ")


@pytest.mark.parametrize(("text", "kind", "message"), [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "network",
     "SERVICE is not allowed"),
    ("SELECT * WHERE { OPTIONAL { SERVICE SILENT ?x { ?s ?p ?o } } }", "network",
     "SERVICE is not allowed"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "update",
     "INSERT belongs to SPARQL Update: this endpoint is read-only"),
])
def test_queries_that_would_leave_the_process_are_refused(text: str, kind: str,
                                                          message: str) -> None:
    with pytest.raises(QueryRefused, match=message) as refused:
        check(text)
    assert refused.value.kind == kind


@pytest.mark.parametrize("text", [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:9/> WHERE { ?s ?p ?o }",
])
def test_graphs_named_in_a_query_are_never_loaded(text: str, release_store: ox.Store) -> None:
    with pytest.raises(QueryRefused, match="no graph <.*> in this store: haberkg never loads") \
            as refused:
        run_local(release_store, text)
    assert refused.value.kind == "dataset"


def test_query_syntax_error_has_its_line(release_store: ox.Store) -> None:
    with pytest.raises(InputError) as e:
        run_local(release_store,
                  "PREFIX s: <https://schema.org/>\nSELECT ?x WHERE {\n  ?x s:name \n}\n")
    assert (e.value.line, e.value.column) == (4, 1)
