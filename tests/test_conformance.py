"""Cross-engine conformance: the same answers from every SPARQL engine, the same graph
from every parser (the release is standard RDF and the queries standard SPARQL)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from haberkg.cli import cli
from haberkg.sparql import run as sparql

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


# ---------------------------------------------------------------------- real engines

GRAPH = "https://w3id.org/haberkg/dataset"


def _remote(endpoint: str, graph: str | None) -> dict[str, list[str]]:
    problems = {}
    for path in QUERIES:
        qf = sparql.QueryFile.read(path)
        actual = sparql.run_remote(endpoint, qf, graph)
        assert isinstance(actual, sparql.Table)
        found = sparql.compare(actual, _expected(path), ordered=qf.ordered)
        if found:
            problems[path.stem] = found
    return problems


def test_oxigraph_server_load_and_queries(release: Path) -> None:
    from .engines import OxigraphServer

    with OxigraphServer(read_only=False) as server:
        result = CliRunner().invoke(cli, ["load", "--to", server.store_url,
                                          "--dist", str(release)])
        assert result.exit_code == 0, result.stderr
        assert "loaded 6" in result.stderr and "(verified)" in result.stderr
        assert _remote(server.query_url, GRAPH) == {}
        # loading again replaces the graph: the same count, not twice as many
        again = CliRunner().invoke(cli, ["load", "--to", server.store_url, "--dist", str(release)])
        assert again.exit_code == 0 and again.stderr == result.stderr.replace(
            result.stderr.split(" in ")[-1], again.stderr.split(" in ")[-1])


def test_oxigraph_server_read_only(release: Path) -> None:
    from .engines import OxigraphServer

    with OxigraphServer(read_only=True, data=release / "haberkg.nt") as server:
        assert _remote(server.query_url, None) == {}
        result = CliRunner().invoke(cli, ["load", "--to", server.store_url,
                                          "--dist", str(release)])
        assert result.exit_code == 2 and "store_url" not in result.stderr
        assert "answered" in result.stderr or "405" in result.stderr or "403" in result.stderr


def test_virtuoso_load_with_digest_auth_and_queries(release: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from .engines import Virtuoso

    with Virtuoso() as server:
        runner = CliRunner()
        denied = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release)])
        assert denied.exit_code == 2 and "401" in denied.stderr
        wrong = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release),
                                    "--user", "dba", "--password", "not-the-password"])
        assert wrong.exit_code == 2 and "not-the-password" not in wrong.stderr
        monkeypatch.setenv("HABERKG_STORE_AUTH", f"{server.user}:{server.password}")
        result = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release),
                                     "--auth-env", "HABERKG_STORE_AUTH"])
        assert result.exit_code == 0, result.stderr
        assert server.password not in result.stderr
        assert _remote(server.query_url, GRAPH) == {}


def test_jena_arq_answers(release: Path, tmp_path: Path) -> None:
    from .conformance import parse_tsv
    from .engines import Jena

    jena = Jena()
    problems = {}
    for path in QUERIES:
        qf = sparql.QueryFile.read(path)
        out = jena.sparql(release / "haberkg.nt", path, results="TSV")
        found = sparql.compare(parse_tsv(out), _expected(path), ordered=qf.ordered)
        if found:
            problems[path.stem] = found
    assert problems == {}


def test_jena_riot_parses_the_release_to_the_same_graph(release: Path) -> None:
    from .engines import Jena

    out = Jena().riot("--output=nt", str(release / "haberkg.ttl"))
    assert out.returncode == 0, out.stderr
    riot = {q.triple for q in ox.parse(out.stdout.encode() if isinstance(out.stdout, str)
                                       else out.stdout, format=ox.RdfFormat.N_TRIPLES)}
    assert riot == {q.triple for q in ox.parse(path=str(release / "haberkg.ttl"),
                                               format=ox.RdfFormat.TURTLE)}
