"""tests/engines.py: each real engine starts on loopback, gives real answers, and stops.

Engines that are not installed make these tests fail with the package to install.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from .engines import EngineMissingError, Jena, OxigraphServer, Virtuoso

EX = "http://example.org/"
GRAPH = "http://example.org/graph/test"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

TURTLE = """\
@prefix ex: <http://example.org/> .
ex:ada a ex:Person ; ex:name "Ada" .
ex:bob a ex:Person .
"""
NTRIPLES = (
    '<http://example.org/s> <http://example.org/p> "bir" .\n'
    '<http://example.org/s> <http://example.org/p> "iki"@tr .\n'
)


def count(endpoint: str, graph: str | None = None) -> int:
    """Number of triples (in ``graph``, or in the default graph), asked with SPARQLWrapper."""
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    return int(result["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def turtle_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    return path


# --- Oxigraph ----------------------------------------------------------------------------


def test_oxigraph_read_only_serves_loaded_file(turtle_file: Path) -> None:
    with OxigraphServer(read_only=True, data=turtle_file, graph=GRAPH) as server:
        assert server.version.startswith("0.")
        assert server.query_url.startswith("http://127.0.0.1:")
        assert count(server.query_url, GRAPH) == 3
        assert count(server.query_url) == 0  # loaded into GRAPH, not the default graph
        refused = httpx.put(server.store_url, params={"graph": GRAPH}, content=NTRIPLES,
                            headers={"Content-Type": "application/n-triples"})
        assert refused.status_code == 403
        proc, folder = server.proc, server.dir
    assert proc is not None and proc.poll() is not None
    assert folder is not None and not folder.exists()


def test_oxigraph_read_write_graph_store_put() -> None:
    with OxigraphServer(read_only=False) as server:
        created = httpx.put(server.store_url, params={"graph": GRAPH}, content=NTRIPLES,
                            headers={"Content-Type": "application/n-triples"})
        assert created.status_code == 201, created.text
        assert count(server.query_url, GRAPH) == 2
        replaced = httpx.put(server.store_url, params={"graph": GRAPH},
                             content=f"<{EX}a> <{EX}b> <{EX}c> .",
                             headers={"Content-Type": "text/turtle"})
        assert replaced.status_code == 204, replaced.text
        assert count(server.query_url, GRAPH) == 1


# --- Virtuoso ----------------------------------------------------------------------------


def test_virtuoso_graph_store_put_with_digest_auth() -> None:
    with Virtuoso() as server:
        assert server.version.startswith("7.")
        assert count(server.query_url, GRAPH) == 0
        anonymous = httpx.put(server.store_url, params={"graph": GRAPH}, content=NTRIPLES,
                              headers={"Content-Type": "application/n-triples"})
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Digest ")
        put = httpx.put(server.store_url, params={"graph": GRAPH}, content=NTRIPLES,
                        headers={"Content-Type": "application/n-triples"},
                        auth=httpx.DigestAuth(server.user, server.password))
        assert put.status_code == 201, put.text
        assert count(server.query_url, GRAPH) == 2
        assert "2" in server.isql(f"SPARQL SELECT COUNT(*) FROM <{GRAPH}> WHERE {{ ?s ?p ?o }};")
        with pytest.raises(RuntimeError, match=r"\*\*\* Error"):
            server.isql("SELECT no_such_column FROM no_such_table;")
        proc, folder = server.proc, server.dir
    assert proc is not None and proc.poll() is not None
    assert folder is not None and not folder.exists()


def test_missing_binaries_name_their_package(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EngineMissingError,
                       match="virtuoso-t is missing: apt-get install virtuoso-opensource-7"):
        Virtuoso()
    with pytest.raises(EngineMissingError,
                       match="java is missing: apt-get install default-jre-headless"):
        Jena()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(EngineMissingError, match="oxigraph is missing: pip install oxigraph"):
        OxigraphServer(read_only=True)


# --- Jena --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jena() -> Jena:
    return Jena()


def test_jena_riot_validates_turtle(jena: Jena, turtle_file: Path, tmp_path: Path) -> None:
    assert jena.version == "4.5.0"
    good = jena.riot("--validate", turtle_file)
    assert good.returncode == 0, good.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text(f"<{EX}a> <{EX}b> .\n", encoding="utf-8")
    bad = jena.riot("--validate", broken)
    assert bad.returncode != 0
    assert "line: 1" in bad.stderr


def test_jena_sparql_tsv(jena: Jena, turtle_file: Path, tmp_path: Path) -> None:
    query = tmp_path / "query.rq"
    query.write_text(
        "PREFIX ex: <http://example.org/>\n"
        "SELECT ?person (COUNT(*) AS ?n) WHERE { ?person ?p ?o } GROUP BY ?person"
        " ORDER BY ?person\n", encoding="utf-8")
    assert jena.sparql(turtle_file, query).splitlines() == [
        "?person\t?n",
        f"<{EX}ada>\t2",
        f"<{EX}bob>\t1",
    ]


def test_jena_shacl_reports_non_conforming_data(jena: Jena, turtle_file: Path,
                                                tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;\n"
        "  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:pattern \"^[A-Z]\" ] .\n",
        encoding="utf-8")
    report_text = jena.shacl_validate(turtle_file, shapes)
    report = rdflib.Graph().parse(data=report_text, format="turtle")
    assert list(report.objects(None, SH.conforms)) == [rdflib.Literal(False)]
    focus = {str(node) for node in report.objects(None, SH.focusNode)}
    assert focus == {f"{EX}bob"}
    assert list(report.objects(None, SH.sourceConstraintComponent)) == [
        SH.MinCountConstraintComponent]
