"""Cross-engine conformance: the same answers from every SPARQL engine, the same graph
from every parser (the release is standard RDF and the queries standard SPARQL)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from haberkg import sparql
from haberkg.cli import cli

from .conformance import rapper_triples, run_rdflib
from .conftest import ROOT

QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("conformance") / "dist"
    assert CliRunner().invoke(cli, ["build", "-q", "--dist", str(dist)]).exit_code == 0
    return dist


@pytest.fixture(scope="module")
def rdflib_graph(release: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(release / "haberkg.nt", format="nt")


def _expected(path: Path) -> sparql.Table:
    return sparql.read_expected(ROOT / "queries" / "expected" / f"{path.stem}.tsv")


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_rdflib_gives_the_expected_answers(path: Path, rdflib_graph: rdflib.Graph) -> None:
    qf = sparql.QueryFile.read(path)
    sparql.check_query(qf.text)
    assert sparql.compare(run_rdflib(rdflib_graph, qf), _expected(path), ordered=qf.ordered) == []


def test_release_parses_to_the_same_graph_everywhere(release: Path) -> None:
    ttl = release / "haberkg.ttl"
    oxigraph = {q.triple for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
    via_rdflib = rdflib.Graph().parse(ttl, format="turtle")
    as_nt = via_rdflib.serialize(format="nt", encoding="utf-8")
    rdflib_triples = {q.triple for q in ox.parse(as_nt, format=ox.RdfFormat.N_TRIPLES)}
    raptor = rapper_triples(ttl)
    assert len(oxigraph) > 5000
    assert rdflib_triples == oxigraph
    assert raptor == oxigraph
