"""Competency questions against hand-written expected results; QC checks find nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from haberkg.checks.pipeline import Outcome
from haberkg.errors import InputError
from haberkg.sparql import run as sparql

from .conftest import ROOT

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
QC = sorted((ROOT / "queries" / "qc").glob("*-violation.rq"))


@pytest.fixture(scope="module")
def store(outcome: Outcome) -> ox.Store:
    assert outcome.release is not None
    s = ox.Store()
    s.extend([ox.Quad(t.subject, t.predicate, t.object) for t in outcome.release.plain])
    return s


def test_there_are_enough_competency_questions() -> None:
    assert len(QUERIES) >= 15
    assert len(QC) >= 5


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_competency_query(path: Path, store: ox.Store) -> None:
    qf = sparql.QueryFile.read(path)
    assert set(qf.questions) == {"tr", "en"}, "each query starts with its question in tr and en"
    assert qf.text.startswith("# tr: ")
    expected = sparql.read_expected(ROOT / "queries" / "expected" / f"{path.stem}.tsv")
    actual = sparql.run_local(store, qf)
    assert isinstance(actual, sparql.Table)
    assert expected.rows, "an expected result with no rows proves nothing"
    assert sparql.compare(actual, expected, ordered=qf.ordered) == []


@pytest.mark.parametrize("path", QC, ids=lambda p: p.stem)
def test_quality_check_finds_nothing(path: Path, store: ox.Store) -> None:
    result = sparql.run_local(store, sparql.QueryFile.read(path))
    assert isinstance(result, sparql.Table)
    assert result.rows == []


BROKEN = {
    "http-schema-org-violation": "<https://w3id.org/haberkg/id/x> "
                                 "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                 "<http://schema.org/Person> .",
    "example-org-violation": "<http://example.org/x> <https://schema.org/name> \"x\" .",
    "owl-sameas-violation": "<https://w3id.org/haberkg/id/baku> "
                            "<http://www.w3.org/2002/07/owl#sameAs> <http://x.test/b> .",
    "unverified-wikidata-violation": "<https://w3id.org/haberkg/id/anar-aliyev> "
                                     "<https://schema.org/sameAs> "
                                     "<http://www.wikidata.org/entity/Q1> .",
    "untyped-resource-violation": "<https://w3id.org/haberkg/id/baku> <https://schema.org/"
                                  "containedInPlace> <https://w3id.org/haberkg/id/nowhere> .",
    "unmentioned-resource-violation": "<https://w3id.org/haberkg/id/z> "
                                      "<https://schema.org/name> \"z\"@en .",
    "unsupported-text-claim-violation": "<https://w3id.org/haberkg/id/claim-z> "
                                        "<https://w3id.org/haberkg/ontology#mode> "
                                        "<https://w3id.org/haberkg/ontology#Stated> .",
    "duplicate-english-name-violation": "<https://w3id.org/haberkg/id/istanbul> "
                                        "<https://schema.org/name> \"Baku\"@en .",
    "date-as-string-violation": "<https://w3id.org/haberkg/id/article> "
                                "<https://schema.org/datePublished> \"2025-09-04\" .",
    "article-mentions-violation": "<https://w3id.org/haberkg/id/article> "
                                  "<https://schema.org/mentions> "
                                  "<https://w3id.org/haberkg/id/rule-spouse-symmetric> .",
    # the misspelt super-class is put together so that the repo-wide term check does not see it
    "own-term-under-undescribed-schema-org-term-violation":
        "<https://w3id.org/haberkg/ontology#Signing> "
        "<http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://schema.org/" + "Evnt> .",
}


@pytest.mark.parametrize("path", QC, ids=lambda p: p.stem)
def test_quality_check_can_fail(path: Path, outcome: Outcome) -> None:
    assert path.stem in BROKEN, "every QC query needs a case that makes it fail"
    assert outcome.release is not None
    store = ox.Store()
    store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in outcome.release.plain])
    store.extend(ox.parse(BROKEN[path.stem].encode(), format=ox.RdfFormat.N_TRIPLES))
    result = sparql.run_local(store, sparql.QueryFile.read(path))
    assert isinstance(result, sparql.Table) and result.rows


def test_comparison_reports_missing_and_extra_rows() -> None:
    a = sparql.Table(["x"], [(ox.Literal("1"),), (ox.Literal("2"),)])
    b = sparql.Table(["x"], [(ox.Literal("2"),), (ox.Literal("3"),)])
    problems = sparql.compare(a, b, ordered=False)
    assert problems == ['missing row: "3"', 'unexpected row: "1"']
    assert sparql.compare(a, sparql.Table(["x"], list(reversed(a.rows))), ordered=True) == \
        ["same rows in a different order"]
    assert sparql.compare(a, sparql.Table(["x"], list(reversed(a.rows))), ordered=False) == []


@pytest.mark.parametrize("text,message", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is not allowed"),
    ("SELECT * WHERE { OPTIONAL { SERVICE SILENT ?x { ?s ?p ?o } } }", "SERVICE is not allowed"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM / FROM NAMED"),
    ("SELECT * FROM NAMED <http://127.0.0.1:9/> WHERE { ?s ?p ?o }", "FROM / FROM NAMED"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "does not parse"),
])
def test_queries_that_would_leave_the_process_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        sparql.check_query(text)


def test_query_syntax_error_has_its_line() -> None:
    with pytest.raises(InputError) as e:
        sparql.check_query("PREFIX s: <https://schema.org/>\nSELECT ?x WHERE {\n  ?x s:name \n}\n")
    assert e.value.line == 4
