"""tests/engines.py: each real engine starts on loopback, gives real answers, and stops, also
when its test process is killed.

Engines that are not installed make these tests fail with the package to install.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from .conftest import ROOT
from .engines import (
    PIDS,
    EngineMissingError,
    Jena,
    OxigraphServer,
    Virtuoso,
    engine_processes,
    listening_ports,
    port_lock,
    sweep_orphans,
)

pytestmark = pytest.mark.engines

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


def stopped(pid: int) -> bool:
    """The process is gone (reaped, or a zombie that its parent has yet to reap)."""
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


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
        pid, folder = server.pid, server.dir
        assert pid is not None
        assert listening_ports(pid) == {server.port}
        assert (PIDS / f"{pid}.json").is_file()
    assert stopped(pid)
    assert folder is not None
    assert not folder.exists()
    assert not (PIDS / f"{pid}.json").exists()


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
        pid, folder = server.pid, server.dir
        assert pid is not None
        assert {server.http_port, server.sql_port} <= listening_ports(pid)
    assert stopped(pid)
    assert folder is not None
    assert not folder.exists()


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


def test_a_port_taken_by_another_process_is_not_mistaken_for_virtuoso() -> None:
    """Virtuoso's ports are chosen under the port lock; a process outside the lock that
    takes one of them in between (here: a listener bound on the first port handed out)
    makes the engine retry with new ports, and the engine counts as ready only on its own
    sockets."""
    from . import engines

    taken = socket.socket()
    original = engines.unused_ports
    calls: list[list[int]] = []

    def first_port_taken(count: int) -> list[int]:
        ports = original(count)
        if not calls:
            taken.bind((engines.HOST, ports[1]))  # the HTTP port of the first attempt
            taken.listen(1)
        calls.append(ports)
        return ports

    engines.unused_ports = first_port_taken
    try:
        with Virtuoso() as server:
            assert len(calls) == 2
            assert server.http_port == calls[1][1]
            assert server.pid is not None
            assert {server.http_port, server.sql_port} <= listening_ports(server.pid)
    finally:
        engines.unused_ports = original
        taken.close()


def test_the_port_lock_is_shared_by_processes(tmp_path: Path) -> None:
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "from tests.engines import port_lock\n"
            "from filelock import Timeout\n"
            "try:\n"
            "    from filelock import FileLock\n"
            "    from tests.engines import PORT_LOCK\n"
            "    FileLock(str(PORT_LOCK), timeout=0.2).acquire()\n"
            "    print('acquired')\n"
            "except Timeout:\n"
            "    print('busy')\n")
    with port_lock():
        done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True,
                              text=True, check=True)
    assert done.stdout.strip() == "busy"


@pytest.mark.serial
def test_an_engine_dies_with_a_killed_test_process(tmp_path: Path) -> None:
    """kill -9 of the process that started an engine (a killed pytest or xdist worker) kills
    the engine too (PR_SET_PDEATHSIG), and the pid file it leaves is swept away. The child
    records its engine in a state folder of its own, which no other test session sweeps."""
    state = tmp_path / "state"
    pids = state / "engines"
    code = ("import sys, time; sys.path.insert(0, sys.argv[1])\n"
            "from tests.engines import OxigraphServer\n"
            "server = OxigraphServer(read_only=False).start()\n"
            "print(server.pid, flush=True)\n"
            "time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", code, str(ROOT)], stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "HABERKG_TEST_ENGINES": str(pids)})
    try:
        assert parent.stdout is not None
        pid = int(parent.stdout.readline())
        engine = psutil.Process(pid)
        assert engine.is_running()
        assert (pids / f"{pid}.json").is_file()
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        engine.wait(10)  # raises psutil.TimeoutExpired if the engine outlived its parent
        assert any(e["pid"] == pid for e in engine_processes(pids))  # nobody removed it...
        sweep_orphans(pids)
        assert not (pids / f"{pid}.json").exists()  # ...until the next session starts
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)


def test_the_sweep_kills_an_orphan_and_spares_running_sessions(tmp_path: Path) -> None:
    """An engine whose test process is gone is killed by the sweep; one whose test process
    still runs is left alone."""
    import json

    sleeper = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        info = psutil.Process(sleeper.pid)
        me = psutil.Process()
        PIDS.mkdir(parents=True, exist_ok=True)
        mine = PIDS / f"{sleeper.pid}.json"
        record = {"pid": sleeper.pid, "created": info.create_time(), "name": "sleep",
                  "owner": me.pid, "owner_created": me.create_time()}
        mine.write_text(json.dumps(record), encoding="utf-8")
        assert sweep_orphans() == []
        assert mine.is_file()
        record.update(owner=2 ** 22 + 1, owner_created=0.0)  # an owner that is gone
        mine.write_text(json.dumps(record), encoding="utf-8")
        assert sweep_orphans() == [f"sleep (pid {sleeper.pid})"]
        assert sleeper.wait(10) == -signal.SIGKILL
        assert not mine.exists()
    finally:
        if sleeper.poll() is None:
            sleeper.kill()
            sleeper.wait(10)


def test_start_up_notices_a_dead_process_at_once() -> None:
    """An engine that exits during start-up is reported with its log at once, not after
    polling its port until the time-out."""
    from .engines import EngineStartError

    server = OxigraphServer(read_only=True)
    server._command = lambda: [server.binary, "serve-read-only", "--location",  # type: ignore[method-assign]
                               "/nonexistent/store", "--bind", "127.0.0.1:0"]
    start = time.monotonic()
    with pytest.raises(EngineStartError, match="oxigraph exited with code"):
        server.start()
    assert time.monotonic() - start < 30  # START_TIMEOUT is 60 s
    assert server.dir is None
    assert server.pid is None


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
