"""Cross-engine conformance: the same answers from every SPARQL engine, the same graph
from every parser (the release is standard RDF and the queries standard SPARQL).

Every engine runs the competency suite through haberkg's one suite runner
(haberkg.checks.suite.run_suite) and must give the hand-written expected answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from haberkg.checks.suite import Case, competency_cases, run_suite
from haberkg.cli import cli
from haberkg.sources.project import Project
from haberkg.store.gsp import public, target

from .conformance import Engine, jena_engine, rapper_triples, rdflib_engine, remote_engine
from .conftest import ROOT

if TYPE_CHECKING:
    from .engines import Virtuoso

CASES = competency_cases(Project(ROOT))
GRAPH = "https://w3id.org/haberkg/dataset"


def _problems(cases: list[Case], engine: Engine) -> dict[str, list[str]]:
    result = run_suite(cases, engine)
    assert len(result.outcomes) == len(cases)
    return {o.case.name: o.problems for o in result.failures}


def _release_triples(release: Path) -> int:
    """How many triples the release has, counted without an RDF parser: N-Triples holds one
    triple per line, and the release writes each triple once."""
    lines = (release / "haberkg.nt").read_text(encoding="utf-8").splitlines()
    assert all(line.endswith(" .") for line in lines)
    return len(lines)


def _count(endpoint: str, graph: str | None) -> int:
    """The triples in ``graph`` (or the default graph), asked with SPARQLWrapper."""
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert isinstance(answer, dict)
    return int(answer["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def rdflib_graph(release: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(release / "haberkg.nt", format="nt")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rdflib_gives_the_expected_answers(case: Case, rdflib_graph: rdflib.Graph) -> None:
    assert _problems([case], rdflib_engine(rdflib_graph)) == {}


def test_release_parses_to_the_same_graph_in_rdflib_and_oxigraph(release: Path) -> None:
    ttl = release / "haberkg.ttl"
    oxigraph = {q.triple for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)}
    via_rdflib = rdflib.Graph().parse(ttl, format="turtle")
    as_nt = via_rdflib.serialize(format="nt", encoding="utf-8")
    rdflib_triples = {q.triple for q in ox.parse(as_nt, format=ox.RdfFormat.N_TRIPLES)}
    assert len(oxigraph) == _release_triples(release) > 5000
    assert rdflib_triples == oxigraph


@pytest.mark.engines
def test_raptor_parses_the_release_to_the_same_graph(release: Path) -> None:
    ttl = release / "haberkg.ttl"
    assert rapper_triples(ttl) == {q.triple for q in ox.parse(path=str(ttl),
                                                              format=ox.RdfFormat.TURTLE)}


# ---------------------------------------------------------------------- real engines


@pytest.fixture(scope="module")
def oxigraph_rw() -> Iterator[object]:
    from .engines import OxigraphServer

    with OxigraphServer(read_only=False) as server:
        yield server


@pytest.mark.engines
def test_oxigraph_server_load_and_queries(oxigraph_rw: object, release: Path) -> None:
    from .engines import OxigraphServer

    server = oxigraph_rw
    assert isinstance(server, OxigraphServer)
    triples = _release_triples(release)
    runner = CliRunner()
    result = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release)])
    assert result.exit_code == 0, result.stderr
    where = public(target(server.store_url, GRAPH))
    assert result.stderr.startswith(f"loaded {triples} triples into <{GRAPH}> at {where} in ")
    assert result.stderr.endswith(" s (verified)\n")
    assert _count(server.query_url, GRAPH) == triples
    assert _problems(CASES, remote_engine(server.query_url, GRAPH)) == {}
    # loading again replaces the graph: the same triples, not twice as many
    again = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release)])
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith(f"loaded {triples} triples into <{GRAPH}> at {where} in ")
    assert _count(server.query_url, GRAPH) == triples


@pytest.mark.engines
def test_check_endpoint_runs_the_suite_on_a_store(oxigraph_rw: object, release: Path,
                                                  runner: CliRunner) -> None:
    from .engines import OxigraphServer

    server = oxigraph_rw
    assert isinstance(server, OxigraphServer)
    assert runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release)]
                         ).exit_code == 0
    result = runner.invoke(cli, ["check", "--endpoint", server.query_url])
    assert result.exit_code == 0, result.stderr
    assert f"all {len(CASES)} competency queries agree on {server.query_url}" in result.stderr
    # the release is in a named graph: asked in the default graph, every query fails
    wrong = runner.invoke(cli, ["check", "--endpoint", server.query_url, "--default-graph"])
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith(f"haberkg: queries failed on {server.query_url}:\n")
    assert wrong.stderr.count("missing row") >= len(CASES)


@pytest.mark.engines
def test_oxigraph_server_read_only(release: Path) -> None:
    from .engines import OxigraphServer

    with OxigraphServer(read_only=True, data=release / "haberkg.nt") as server:
        assert _count(server.query_url, None) == _release_triples(release)
        assert _problems(CASES, remote_engine(server.query_url, None)) == {}
        result = CliRunner().invoke(cli, ["load", "--to", server.store_url,
                                          "--dist", str(release)])
        where = public(target(server.store_url, GRAPH))
        assert (result.exit_code, result.stderr) == (
            2, f"{where}: the store forbids this upload (403 Forbidden)\n")


@pytest.mark.engines
def test_virtuoso_load_with_digest_auth_and_queries(release: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from .engines import Virtuoso

    with Virtuoso() as server:
        runner = CliRunner()
        where = public(target(server.store_url, GRAPH))
        refused = f"{where}: the store refused the credentials (401 Unauthorized)\n"
        denied = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release)])
        assert (denied.exit_code, denied.stderr) == (2, refused)
        wrong = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release),
                                    "--user", "dba", "--password", "not-the-password"])
        assert (wrong.exit_code, wrong.stderr) == (2, refused)
        assert _count(server.query_url, GRAPH) == 0
        monkeypatch.setenv("HABERKG_STORE_AUTH", f"{server.user}:{server.password}")
        result = runner.invoke(cli, ["load", "--to", server.store_url, "--dist", str(release),
                                     "--auth-env", "HABERKG_STORE_AUTH"])
        assert result.exit_code == 0, result.stderr
        assert server.password not in result.stderr
        triples = _release_triples(release)
        assert result.stderr.startswith(f"loaded {triples} triples into <{GRAPH}> at {where}")
        assert _count(server.query_url, GRAPH) == triples
        assert _problems(CASES, remote_engine(server.query_url, GRAPH)) == {}


@pytest.mark.engines
def test_virtuoso_bulk_load_through_isql(release: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`haberkg load --bulk-dir`: Virtuoso's bulk loader reads the release from a folder it
    may read, the graph is replaced (an earlier triple is gone), and the answers are the
    competency questions' own."""
    from .engines import Virtuoso

    with Virtuoso() as server:
        assert server.dir is not None
        monkeypatch.setenv("HABERKG_STORE_AUTH", f"{server.user}:{server.password}")
        old = httpx_put(server, "<urn:x:old> <urn:x:p> <urn:x:o> .\n")
        assert old == 201 and _count(server.query_url, GRAPH) == 1
        base = ["load", "--to", server.store_url, "--dist", str(release), "--auth-env",
                "HABERKG_STORE_AUTH", "--isql", f"127.0.0.1:{server.sql_port}"]
        runner = CliRunner()
        shared = server.dir / "bulk"
        shared.mkdir()
        # a wrong password for isql: one line, exit 2, no password shown, the graph as it was
        monkeypatch.setenv("HABERKG_WRONG_AUTH", f"{server.user}:not-the-password")
        refused = runner.invoke(cli, [*base[:-4], "--auth-env", "HABERKG_WRONG_AUTH",
                                      *base[-2:], "--bulk-dir", str(shared)])
        assert refused.exit_code == 2, refused.stderr
        assert refused.stderr.count("\n") == 1 and "Virtuoso refused" in refused.stderr
        assert "not-the-password" not in refused.stderr
        assert _count(server.query_url, GRAPH) == 1
        missing = runner.invoke(cli, [*base, "--bulk-dir", str(tmp_path / "none")])
        assert (missing.exit_code, missing.stderr.count("\n")) == (2, 1)
        assert "no such folder" in missing.stderr
        result = runner.invoke(cli, [*base, "--bulk-dir", str(shared)])
        assert result.exit_code == 0, result.stderr
        triples = _release_triples(release)
        where = public(target(server.store_url, GRAPH))
        assert result.stderr.startswith(f"loaded {triples} triples into <{GRAPH}> at {where}")
        assert _count(server.query_url, GRAPH) == triples
        assert list(shared.iterdir()) == []  # the copy is removed
        assert _problems(CASES, remote_engine(server.query_url, GRAPH)) == {}


def httpx_put(server: Virtuoso, body: str) -> int:
    import httpx

    answer = httpx.put(server.store_url, params={"graph": GRAPH}, content=body.encode(),
                       auth=server.auth, headers={"Content-Type": "application/n-triples"})
    return answer.status_code


@pytest.mark.engines
def test_jena_arq_answers(release: Path) -> None:
    from .engines import Jena

    assert _problems(CASES, jena_engine(Jena(), release / "haberkg.nt")) == {}


@pytest.mark.engines
def test_jena_riot_parses_the_release_to_the_same_graph(release: Path) -> None:
    from .engines import Jena

    out = Jena().riot("--output=nt", str(release / "haberkg.ttl"))
    assert out.returncode == 0, out.stderr
    riot = {q.triple for q in ox.parse(out.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)}
    assert riot == {q.triple for q in ox.parse(path=str(release / "haberkg.ttl"),
                                               format=ox.RdfFormat.TURTLE)}
