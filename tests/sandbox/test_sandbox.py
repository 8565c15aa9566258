"""Tests for sandbox.py: confined processes reach no network, and the toolchain still works.

Every confined piece of code runs in a child process (a fresh interpreter), so the pytest
process itself is never confined. Loopback listeners in the pytest process count what
arrives; a confined child must produce nothing, and the same code run unconfined (the
"control" case of every parametrised test) must produce something, so that "nothing"
means something. Run with:

    pytest tests/sandbox

The children import the module from a world-readable copy of ``haberkg/sandbox.py``
(it needs only the standard library), so that the non-root children can load it too.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile  # noqa: E402
import textwrap
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from haberkg import sandbox  # noqa: E402


def _world_readable_copy() -> str:
    folder = tempfile.mkdtemp(prefix="haberkg-sandbox-test-")
    os.chmod(folder, 0o755)
    target = os.path.join(folder, "sandbox.py")
    shutil.copyfile(sandbox.__file__, target)
    os.chmod(target, 0o644)
    return folder


HERE = _world_readable_copy()

pytestmark = pytest.mark.timeout(180)

NOBODY = 65534
CONFINED = [("netns",), ("seccomp",), ("netns", "seccomp")]
ALL_SETS = [(), *CONFINED]


def _set_id(layers: tuple[str, ...]) -> str:
    return "+".join(layers) or "control"


each_set = pytest.mark.parametrize("layers", ALL_SETS, ids=[_set_id(s) for s in ALL_SETS])

# errno of the first failing call, per layer set: with seccomp the socket cannot even be
# created; in an empty namespace it can, but there is no route.
EXPECTED_ERRNO = {("netns",): errno.ENETUNREACH, ("seccomp",): errno.EACCES,
                  ("netns", "seccomp"): errno.EACCES}


# ---------------------------------------------------------------------------------------
# Loopback listeners
# ---------------------------------------------------------------------------------------


class Listener:
    """TCP (127.0.0.1 and ::1) and UDP (127.0.0.1) listeners that record what arrives."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(64)
        self.port: int = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.udp.bind(("127.0.0.1", self.port))  # same number as the TCP port
        except OSError:
            self.udp.bind(("127.0.0.1", 0))
        self.udp_port: int = self.udp.getsockname()[1]
        self.tcp6: socket.socket | None = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            self.tcp6.bind(("::1", 0))
            self.tcp6.listen(64)
            self.port6: int | None = self.tcp6.getsockname()[1]
        except OSError:
            self.tcp6.close()
            self.tcp6, self.port6 = None, None
        self.accepted = {"tcp": 0, "tcp6": 0}  # connections, counted at accept()
        self.requests: list[tuple[str, str]] = []  # (listener, first request line or "")
        self.datagrams: list[bytes] = []
        self._inflight = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        sockets = [s for s in (self.tcp, self.udp, self.tcp6) if s is not None]
        while not self._stop.is_set():
            ready, _, _ = select.select(sockets, [], [], 0.05)
            for sock in ready:
                if sock is self.udp:
                    data, _ = sock.recvfrom(65536)
                    with self._lock:
                        self.datagrams.append(data)
                    continue
                conn, _ = sock.accept()
                name = "tcp6" if sock is self.tcp6 else "tcp"
                with self._lock:
                    self.accepted[name] += 1
                    self._inflight += 1
                threading.Thread(target=self._answer, args=(conn, name), daemon=True).start()

    def _answer(self, conn: socket.socket, name: str) -> None:
        data = b""
        conn.settimeout(3)
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            if data:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 2\r\nConnection: close\r\n\r\nok")
        except OSError:
            pass
        finally:
            conn.close()
            with self._lock:
                self.requests.append((name, data.split(b"\r\n", 1)[0].decode("latin-1")))
                self._inflight -= 1

    def settle(self) -> None:
        """Wait until everything that reached the kernel has been accepted and read."""
        time.sleep(0.3)  # the accept loop polls every 0.05 s
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with self._lock:
                if self._inflight == 0:
                    return
            time.sleep(0.05)

    def tcp_count(self, listener: str = "tcp") -> int:
        self.settle()
        with self._lock:
            return self.accepted[listener]

    def paths(self) -> list[str]:
        self.settle()
        with self._lock:
            return [line.split(" ")[1] for _, line in self.requests if line.count(" ") >= 2]

    def hits(self, path: str) -> int:
        return sum(1 for p in self.paths() if p.startswith(path))

    def total(self) -> int:
        """Everything that arrived: TCP connections on either listener and datagrams."""
        self.settle()
        with self._lock:
            return sum(self.accepted.values()) + len(self.datagrams)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for sock in (self.tcp, self.udp, self.tcp6):
            if sock is not None:
                sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lis = Listener()
    yield lis
    lis.close()


# ---------------------------------------------------------------------------------------
# Child processes
# ---------------------------------------------------------------------------------------

PRELUDE = """
import json, os, sys
sys.path.insert(0, {here!r})
import sandbox
ARGS = json.loads(sys.argv[1])
LAYERS = tuple(ARGS["layers"])
P = ARGS.get("port")
R = {{}}

def attempt(name, fn):
    try:
        value = fn()
    except BaseException as exc:
        reason = getattr(exc, "reason", None)
        R[name] = {{"ok": False, "error": f"{{type(exc).__name__}}: {{exc}}",
                   "errno": getattr(exc, "errno", None) or getattr(reason, "errno", None)}}
    else:
        if not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = repr(value)
        R[name] = {{"ok": True, "value": value}}

def confine_now():
    if LAYERS:
        R["applied"] = list(sandbox.confine(LAYERS))

def seccomp_mode():
    for line in open("/proc/self/status"):
        if line.startswith("Seccomp:"):
            return line.split()[1]

def netns():
    return os.stat("/proc/self/ns/net").st_ino
"""

EPILOGUE = """
print("RESULT " + json.dumps(R))
"""


def as_user(uid: int = NOBODY) -> list[str]:
    """Command prefix that runs a program as uid = gid = `uid`, without supplementary
    groups (nothing if the tests already run as non-root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


@functools.cache
def nonroot_python(uid: int = NOBODY) -> str:
    """A Python 3 that `uid` can run. The test interpreter may live in a folder other
    users cannot enter (a virtual environment in root's home), so this is often the
    system python3; sandbox.py needs only the standard library."""
    candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3") or ""]
    for candidate in candidates:
        if not candidate:
            continue
        done = subprocess.run([*as_user(uid), candidate, "-c",
                               "import ctypes, json, socket, urllib.request, multiprocessing"],
                              capture_output=True, timeout=60, cwd="/")
        if done.returncode == 0:
            return candidate
    pytest.fail(f"no Python interpreter that uid {uid} can run among {candidates}")


def run_child(body: str, layers: tuple[str, ...], *, user: str | int = "root",
              timeout: float = 120, expect_rc: int | None = 0, **args: Any
              ) -> dict[str, Any]:
    """Run PRELUDE + body + EPILOGUE in a fresh interpreter; return its R dictionary
    (plus "_rc", "_stderr"). user="nobody" runs it as uid 65534, an int as that uid."""
    script = PRELUDE.format(here=HERE) + textwrap.dedent(body) + EPILOGUE
    payload = json.dumps({"layers": list(layers), **args})
    if user != "root":
        uid = NOBODY if user == "nobody" else int(user)
        cmd = [*as_user(uid), nonroot_python(uid), "-c", script, payload]
    else:
        cmd = [sys.executable, "-c", script, payload]
    env = dict(os.environ, HOME="/tmp", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/tmp",
                          env=env)
    result: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
    result["_rc"] = done.returncode
    result["_stderr"] = done.stderr
    if expect_rc is not None:
        assert done.returncode == expect_rc, (done.returncode, done.stdout, done.stderr)
        assert "RESULT " in done.stdout or expect_rc != 0, done.stderr
    if layers and expect_rc == 0:
        assert result.get("applied") == list(layers), result
    return result


def failed(result: dict[str, Any], name: str) -> bool:
    return name in result and not result[name]["ok"]


def succeeded(result: dict[str, Any], name: str) -> bool:
    return name in result and result[name]["ok"]


# ---------------------------------------------------------------------------------------
# 1. Plain sockets, HTTP, name lookup, UDP (as root and as a non-root user)
# ---------------------------------------------------------------------------------------

SOCKETS_BODY = """
import socket, urllib.request
confine_now()
U, P6 = ARGS["udp_port"], ARGS["port6"]
attempt("tcp", lambda: socket.create_connection(("127.0.0.1", P), timeout=5).close())
attempt("http", lambda: urllib.request.urlopen(f"http://127.0.0.1:{P}/http", timeout=5)
        .read().decode())
attempt("getaddrinfo", lambda: sorted({a[4][0] for a in socket.getaddrinfo("localhost", P)}))
attempt("localhost", lambda: socket.create_connection(("localhost", P), timeout=5).close())
def udp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        return s.sendto(b"ping", ("127.0.0.1", U))
attempt("udp", udp)
if P6:
    attempt("tcp6", lambda: socket.create_connection(("::1", P6), timeout=5).close())
R["uid"], R["gid"] = os.getuid(), os.getgid()
"""


def check_sockets(result: dict[str, Any], listener: Listener, layers: tuple[str, ...]
                  ) -> None:
    names = ["tcp", "http", "localhost", "udp"] + (["tcp6"] if listener.port6 else [])
    if not layers:  # control: everything arrives
        assert all(succeeded(result, n) for n in names), result
        assert listener.tcp_count() == 3
        assert len(listener.datagrams) == 1
        if listener.port6:
            assert listener.tcp_count("tcp6") == 1
        return
    for name in names:
        assert failed(result, name), (name, result)
    assert result["tcp"]["errno"] == EXPECTED_ERRNO[layers], result
    assert result["udp"]["errno"] == EXPECTED_ERRNO[layers], result
    assert listener.total() == 0, (listener.requests, listener.datagrams)


@each_set
def test_sockets_root(layers: tuple[str, ...], listener: Listener) -> None:
    result = run_child(SOCKETS_BODY, layers, port=listener.port, udp_port=listener.udp_port,
                       port6=listener.port6)
    check_sockets(result, listener, layers)


@each_set
def test_sockets_nonroot(layers: tuple[str, ...], listener: Listener) -> None:
    body = 'R["probe"] = list(sandbox.probe(LAYERS or sandbox.LAYERS))\n' + SOCKETS_BODY
    result = run_child(body, layers, user="nobody", port=listener.port,
                       udp_port=listener.udp_port, port6=listener.port6)
    assert result["uid"] == NOBODY and result["gid"] == NOBODY, result
    # probe() as non-root said every layer works here, and confine() applied exactly that
    assert result["probe"] == [list(layers or sandbox.LAYERS), ""], result
    check_sockets(result, listener, layers)


# ---------------------------------------------------------------------------------------
# 2./3. SPARQL engines: pyoxigraph and rdflib; SHACL: pyshacl
# ---------------------------------------------------------------------------------------


@each_set
def test_pyoxigraph_service(layers: tuple[str, ...], listener: Listener) -> None:
    body = """
    import pyoxigraph
    confine_now()
    base = f"http://127.0.0.1:{P}"
    # a SELECT sends its request in query() and reports errors while iterating
    attempt("select", lambda: list(pyoxigraph.Store().query(
        f"SELECT * WHERE {{ SERVICE <{base}/oxi-select> {{ ?s ?p ?o }} }}")))
    attempt("ask", lambda: bool(pyoxigraph.Store().query(
        f"ASK {{ SERVICE <{base}/oxi-ask> {{ ?s ?p ?o }} }}")))
    """
    result = run_child(body, layers, port=listener.port)
    assert failed(result, "select") and failed(result, "ask"), result
    if layers:
        assert listener.total() == 0, listener.requests
        assert f"os error {EXPECTED_ERRNO[layers]}" in result["select"]["error"], result
    else:
        assert listener.hits("/oxi-select") >= 1
        assert listener.hits("/oxi-ask") >= 1


@each_set
def test_rdflib_service_from_load(layers: tuple[str, ...], listener: Listener) -> None:
    body = """
    import rdflib
    confine_now()
    base = f"http://127.0.0.1:{P}"
    attempt("service", lambda: len(list(rdflib.Graph().query(
        f"SELECT * WHERE {{ SERVICE <{base}/rdflib-service> {{ ?s ?p ?o }} }}"))))
    # rdflib ignores FROM on a plain Graph (nothing is fetched even unconfined); a Dataset
    # loads FROM and FROM NAMED graphs from the web
    attempt("graph_from", lambda: len(list(rdflib.Graph().query(
        f"SELECT * FROM <{base}/rdflib-graph-from.ttl> WHERE {{ ?s ?p ?o }}"))))
    attempt("dataset_from", lambda: len(list(rdflib.Dataset().query(
        f"SELECT * FROM <{base}/rdflib-dataset-from.ttl> WHERE {{ ?s ?p ?o }}"))))
    attempt("update_load", lambda: rdflib.Dataset().update(f"LOAD <{base}/rdflib-load.ttl>"))
    attempt("parse", lambda: len(rdflib.Graph().parse(f"{base}/rdflib-parse.ttl")))
    """
    result = run_child(body, layers, port=listener.port)
    if layers:
        assert listener.total() == 0, listener.requests
        assert failed(result, "service") and failed(result, "parse"), result
    else:
        for path in ("/rdflib-service", "/rdflib-dataset-from.ttl", "/rdflib-load.ttl",
                     "/rdflib-parse.ttl"):
            assert listener.hits(path) >= 1, (path, listener.paths())


@each_set
def test_pyshacl_owl_imports(layers: tuple[str, ...], listener: Listener) -> None:
    body = """
    import pyshacl, rdflib
    confine_now()
    data = rdflib.Graph().parse(data="<http://example.org/a> a <http://example.org/T> .",
                                format="turtle")
    shapes = rdflib.Graph().parse(format="turtle", data=f'''
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <http://example.org/shapes> a owl:Ontology ;
            owl:imports <http://127.0.0.1:{P}/shacl-import.ttl> .
        <http://example.org/S> a sh:NodeShape ; sh:targetClass <http://example.org/T> ;
            sh:property [ sh:path <http://example.org/p> ; sh:minCount 1 ] .
    ''')
    attempt("validate", lambda: pyshacl.validate(data, shacl_graph=shapes,
                                                 do_owl_imports=True)[0])
    """
    result = run_child(body, layers, port=listener.port)
    if layers:
        assert listener.total() == 0, listener.requests
    else:
        assert listener.hits("/shacl-import.ttl") >= 1, listener.paths()
    assert "validate" in result


# ---------------------------------------------------------------------------------------
# 4. What must keep working: multiprocessing, Java, HermiT, files
# ---------------------------------------------------------------------------------------

MP_WORKER = '''
import os, socket

def evidence(port):
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        connect = "connected"
    except OSError as exc:
        connect = f"{type(exc).__name__}: {exc}"
    return {"seccomp": status["Seccomp"].strip(), "netns": os.stat("/proc/self/ns/net").st_ino,
            "connect": connect}

def echo(conn, port):
    conn.send(("echo", conn.recv(), evidence(port)))
    conn.close()

def queue_worker(inbox, outbox, port):
    outbox.put(("queued", inbox.get(), evidence(port)))
'''

ONTOLOGY = """
<{e}> <{rdf}type> <{owl}Ontology> .
<{e}A> <{rdf}type> <{owl}Class> .
<{e}B> <{rdf}type> <{owl}Class> .
<{e}A> <{rdfs}subClassOf> <{e}B> .
<{e}p> <{rdf}type> <{owl}ObjectProperty> .
<{e}p> <{rdfs}domain> <{e}A> .
<{e}x> <{rdf}type> <{owl}NamedIndividual> .
<{e}y> <{rdf}type> <{owl}NamedIndividual> .
<{e}x> <{e}p> <{e}y> .
""".format(e="http://example.org/t#", rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#",
           rdfs="http://www.w3.org/2000/01/rdf-schema#", owl="http://www.w3.org/2002/07/owl#")

KEEPS_WORKING_BODY = """
import multiprocessing, pathlib, subprocess, tempfile
confine_now()
R["self"] = {"seccomp": seccomp_mode(), "netns": netns()}
with tempfile.TemporaryDirectory() as tmp:
    # files and tempfile
    note = pathlib.Path(tmp, "note.txt")
    note.write_text("hello")
    R["file"] = note.read_text()
    R["read_module"] = "def confine" in pathlib.Path(sandbox.__file__).read_text()
    # multiprocessing with the spawn start method: Pipe and Queue
    pathlib.Path(tmp, "mpworker.py").write_text(ARGS["worker"])
    sys.path.insert(0, tmp)
    import mpworker
    ctx = multiprocessing.get_context("spawn")
    def pipe():
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=mpworker.echo, args=(child, P))
        proc.start()
        parent.send("ping")
        answer = parent.recv()
        proc.join(30)
        return [answer, proc.exitcode]
    attempt("pipe", pipe)
    def queue():
        inbox, outbox = ctx.Queue(), ctx.Queue()
        proc = ctx.Process(target=mpworker.queue_worker, args=(inbox, outbox, P))
        proc.start()
        inbox.put("job")
        answer = outbox.get(timeout=30)
        proc.join(30)
        return [answer, proc.exitcode]
    attempt("queue", queue)
    # Java
    def java():
        done = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60)
        return [done.returncode, done.stderr]
    attempt("java", java)
    # HermiT through owlready2, on an ontology written as N-Triples
    def hermit():
        import owlready2
        source = pathlib.Path(tmp, "tiny.nt")
        source.write_text(ARGS["ontology"])
        world = owlready2.World()
        onto = world.get_ontology(source.as_uri()).load(format="ntriples")
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
        return sorted(c.iri for c in world["http://example.org/t#x"].is_a)
    attempt("hermit", hermit)
"""


@each_set
def test_keeps_working(layers: tuple[str, ...], listener: Listener) -> None:
    result = run_child(KEEPS_WORKING_BODY, layers, port=listener.port, worker=MP_WORKER,
                       ontology=ONTOLOGY)
    assert result["file"] == "hello" and result["read_module"], result
    for name, tag in (("pipe", "echo"), ("queue", "queued")):
        assert succeeded(result, name), result
        (kind, payload, evidence), exitcode = result[name]["value"]
        assert (kind, payload, exitcode) == (tag, "ping" if tag == "echo" else "job", 0)
        # the spawned child inherited the confinement (5.)
        assert evidence["seccomp"] == result["self"]["seccomp"]
        assert evidence["netns"] == result["self"]["netns"]
        assert (evidence["connect"] == "connected") == (not layers), evidence
    assert succeeded(result, "java") and result["java"]["value"][0] == 0, result
    assert "version" in result["java"]["value"][1]
    # HermiT ran: x is an A because it is the subject of p, whose domain is A
    assert succeeded(result, "hermit"), result
    assert result["hermit"]["value"] == ["http://example.org/t#A"], result
    assert listener.tcp_count() == (0 if layers else 2)
    if "seccomp" in layers:
        assert result["self"]["seccomp"] == "2"


# ---------------------------------------------------------------------------------------
# 5. Processes started after confine() inherit it
# ---------------------------------------------------------------------------------------


@each_set
def test_children_inherit(layers: tuple[str, ...], listener: Listener) -> None:
    body = """
    import socket, subprocess
    confine_now()
    connect = (f"import socket; socket.create_connection(('127.0.0.1', {P}), timeout=5)"
               ".close()")
    def python_child():
        return subprocess.run([sys.executable, "-c", connect], capture_output=True,
                              timeout=60).returncode
    attempt("python", python_child)
    def shell_child():  # not Python: bash opens the socket itself
        return subprocess.run(["bash", "-c", f"echo hi > /dev/tcp/127.0.0.1/{P}"],
                              capture_output=True, timeout=60).returncode
    attempt("bash", shell_child)
    def forked():
        pid = os.fork()
        if pid == 0:
            try:
                socket.create_connection(("127.0.0.1", P), timeout=5).close()
                os._exit(0)
            except BaseException:
                os._exit(1)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    attempt("fork", forked)
    def grandchild_state():
        code = ("import os; s = open('/proc/self/status').read(); "
                "print(s.split('Seccomp:')[1].split()[0], os.stat('/proc/self/ns/net').st_ino)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60).stdout.split()
        return [out[0], int(out[1])]
    attempt("state", grandchild_state)
    R["self"] = [seccomp_mode(), netns()]
    """
    result = run_child(body, layers, port=listener.port)
    expected = 0 if not layers else 1
    for name in ("python", "bash", "fork"):
        assert succeeded(result, name) and result[name]["value"] == expected, result
    assert result["state"]["value"] == result["self"], result
    assert listener.tcp_count() == (0 if layers else 3)


# ---------------------------------------------------------------------------------------
# 6. probe()
# ---------------------------------------------------------------------------------------


def test_probe_as_root_reports_both_and_confines_nothing(listener: Listener) -> None:
    body = """
    import socket
    before = (seccomp_mode(), netns())
    R["all"] = list(sandbox.probe())
    R["netns"] = list(sandbox.probe(("netns",)))
    R["seccomp"] = list(sandbox.probe(("seccomp",)))
    R["status"] = list(sandbox.status())
    R["unchanged"] = before == (seccomp_mode(), netns())
    attempt("tcp", lambda: socket.create_connection(("127.0.0.1", P), timeout=5).close())
    """
    result = run_child(body, (), port=listener.port)
    assert os.geteuid() == 0, "this test is about root"
    assert result["all"] == [["netns", "seccomp"], ""], result
    assert result["netns"] == [["netns"], ""]
    assert result["seccomp"] == [["seccomp"], ""]
    assert result["status"] == [] and result["unchanged"], result
    assert succeeded(result, "tcp")
    assert listener.tcp_count() == 1


def test_probe_inside_confined_process_reports_layers_in_force() -> None:
    body = """
    confine_now()
    R["probe"] = list(sandbox.probe())
    """
    result = run_child(body, ("seccomp",))
    assert result["probe"][0] == ["netns", "seccomp"], result  # netns still possible


# ---------------------------------------------------------------------------------------
# 7. Idempotency, status(), refusals, threads
# ---------------------------------------------------------------------------------------


def test_idempotent_and_status() -> None:
    body = """
    def filters():
        for line in open("/proc/self/status"):
            if line.startswith("Seccomp_filters:"):
                return int(line.split()[1])
    R["before"] = [list(sandbox.status()), filters(), netns()]
    R["first"] = list(sandbox.confine())
    R["after_first"] = [list(sandbox.status()), filters(), netns()]
    R["second"] = list(sandbox.confine())
    R["seccomp_only"] = list(sandbox.confine(("seccomp",)))
    R["netns_only"] = list(sandbox.confine(("netns",)))
    R["after_all"] = [list(sandbox.status()), filters(), netns()]
    """
    result = run_child(body, ())
    both = ["netns", "seccomp"]
    status0, filters0, ns0 = result["before"]
    assert status0 == []
    assert filters0 == 0
    assert result["first"] == both
    status1, filters1, ns1 = result["after_first"]
    assert status1 == both
    assert filters1 == 1
    assert ns1 != ns0
    assert result["second"] == result["seccomp_only"] == result["netns_only"] == both
    assert result["after_all"] == [both, 1, ns1], result  # nothing applied twice


def test_layers_add_up() -> None:
    body = """
    R["first"] = list(sandbox.confine(("seccomp",)))
    R["status1"] = list(sandbox.status())
    ns = netns()
    R["second"] = list(sandbox.confine(("netns",)))
    R["moved"] = netns() != ns
    """
    result = run_child(body, ())
    assert result["first"] == result["status1"] == ["seccomp"]
    assert result["second"] == ["netns", "seccomp"] and result["moved"], result


def test_confine_nothing_raises(listener: Listener) -> None:
    body = """
    import socket
    try:
        sandbox.confine(layers=())
        R["raised"] = None
    except sandbox.SandboxUnavailable as exc:
        R["raised"] = str(exc)
    try:
        sandbox.confine(("firewall",))
        R["unknown"] = None
    except ValueError as exc:
        R["unknown"] = str(exc)
    R["status"] = list(sandbox.status())
    R["probe_empty"] = list(sandbox.probe(()))
    attempt("tcp", lambda: socket.create_connection(("127.0.0.1", P), timeout=5).close())
    """
    result = run_child(body, (), port=listener.port)
    assert result["raised"] and "\n" not in result["raised"], result
    assert result["unknown"]
    assert "firewall" in result["unknown"]
    assert result["status"] == []
    assert result["probe_empty"][0] == []
    assert succeeded(result, "tcp")
    assert listener.tcp_count() == 1


THREADED_BODY = """
import logging, socket, threading
records = []
class Keep(logging.Handler):
    def emit(self, record):
        records.append(record.getMessage())
logging.getLogger("sandbox").addHandler(Keep())
go = threading.Event()
outcome = []
def worker():  # started before confine(), tries a socket after it
    go.wait(60)
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        outcome.append("created")
    except OSError as exc:
        outcome.append(exc.errno)
thread = threading.Thread(target=worker)
thread.start()
R["probe"] = list(sandbox.probe())
try:
    R["netns_only"] = list(sandbox.confine(("netns",)))
except sandbox.SandboxUnavailable as exc:
    R["netns_only"] = str(exc)
R["both"] = list(sandbox.confine())
R["log"] = records
R["uid"] = os.getuid()
attempt("tcp", lambda: socket.create_connection(("127.0.0.1", P), timeout=5).close())
go.set()
thread.join(60)
# the filter covers the thread that was already running (SECCOMP_FILTER_FLAG_TSYNC)
R["other_thread"] = outcome
"""


@pytest.mark.parametrize("user", ["nobody", "root"])
def test_multithreaded_caller_gets_reason(user: str, listener: Listener) -> None:
    result = run_child(THREADED_BODY, (), user=user, port=listener.port)
    assert result["uid"] == (NOBODY if user == "nobody" else 0)
    works, reason = result["probe"]
    assert works == ["seccomp"]
    assert "2 threads" in reason
    assert reason.startswith("netns:")
    assert isinstance(result["netns_only"], str), result  # SandboxUnavailable
    assert "2 threads" in result["netns_only"]
    assert "\n" not in result["netns_only"]
    expected = "CLONE_NEWUSER" if user == "nobody" else "only the calling thread"
    assert expected in result["netns_only"], result
    assert result["both"] == ["seccomp"], result  # partial result, without netns
    assert any("netns not applied" in m and "threads" in m for m in result["log"]), result
    assert failed(result, "tcp")
    assert listener.tcp_count() == 0
    assert result["other_thread"] == [errno.EACCES], result


def test_control_threaded_socket_works_before_confine() -> None:
    """Control for the TSYNC check above: unconfined, the thread can create the socket."""
    setup = THREADED_BODY.split('R["probe"]')[0]
    body = setup + "go.set()\nthread.join(60)\nR['out'] = outcome\n"
    assert run_child(body, ())["out"] == ["created"]


# ---------------------------------------------------------------------------------------
# Non-root with the project's own stack (pyoxigraph, rdflib, HermiT)
# ---------------------------------------------------------------------------------------


@each_set
def test_nonroot_full_stack(layers: tuple[str, ...], listener: Listener) -> None:
    """The test interpreter may be out of reach of uid 65534 (see nonroot_python). Start
    it as root, import everything needed, drop to 65534 for good (as a daemon does), then
    confine: this also covers a process whose /proc/self files are root's (not dumpable)."""
    body = """
    import encodings.idna, json, pathlib, subprocess, socket, tempfile, urllib.request
    import http.client, email.parser
    import pyoxigraph, rdflib, owlready2
    import rdflib.plugins.sparql.evaluate, rdflib.plugins.sparql.results.jsonresults
    os.setgroups([])
    os.setresgid(65534, 65534, 65534)
    os.setresuid(65534, 65534, 65534)
    R["uid"] = [os.getuid(), os.geteuid(), os.getgid()]
    R["probe"] = list(sandbox.probe(LAYERS or sandbox.LAYERS))
    confine_now()
    R["uid_after"] = [os.getuid(), os.getgid()]
    base = f"http://127.0.0.1:{P}"
    attempt("oxigraph", lambda: list(pyoxigraph.Store().query(
        f"SELECT * WHERE {{ SERVICE <{base}/oxi-nonroot> {{ ?s ?p ?o }} }}")))
    attempt("rdflib", lambda: list(rdflib.Graph().query(
        f"SELECT * WHERE {{ SERVICE <{base}/rdflib-nonroot> {{ ?s ?p ?o }} }}")))
    def hermit():
        with tempfile.TemporaryDirectory() as tmp:
            source = pathlib.Path(tmp, "tiny.nt")
            source.write_text(ARGS["ontology"])
            world = owlready2.World()
            onto = world.get_ontology(source.as_uri()).load(format="ntriples")
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
            return [sorted(c.iri for c in world["http://example.org/t#x"].is_a),
                    os.stat(source).st_uid]
    attempt("hermit", hermit)
    """
    result = run_child(body, layers, port=listener.port, ontology=ONTOLOGY)
    assert result["uid"] == [NOBODY] * 3 and result["uid_after"] == [NOBODY] * 2, result
    assert result["probe"] == [list(layers or sandbox.LAYERS), ""], result
    assert succeeded(result, "hermit"), result
    assert result["hermit"]["value"] == [["http://example.org/t#A"], NOBODY]
    if layers:
        assert listener.total() == 0, listener.requests
    else:
        assert listener.hits("/oxi-nonroot") >= 1
        assert listener.hits("/rdflib-nonroot") >= 1


@pytest.mark.parametrize("uid", [NOBODY, 4242])
@pytest.mark.parametrize("layers", CONFINED, ids=[_set_id(s) for s in CONFINED])
def test_nonroot_files_and_identity(layers: tuple[str, ...], uid: int) -> None:
    """4242 is not the overflow uid (65534), so it shows whether uid_map was written."""
    body = """
    import subprocess, tempfile
    confine_now()
    R["ids"] = [os.getuid(), os.geteuid(), os.getgid(), os.getegid()]
    R["maps"] = [open(f"/proc/self/{m}_map").read().split() for m in ("uid", "gid")]
    attempt("read_passwd", lambda: "root:" in open("/etc/passwd").read())
    attempt("write_passwd", lambda: open("/etc/passwd", "a").close())
    attempt("read_root_home", lambda: os.listdir("/root"))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "f")
        with open(path, "w") as f:
            f.write("x")
        st = os.stat(path)
        R["own_file"] = [st.st_uid, st.st_gid, open(path).read()]
        R["passwd_owner"] = os.stat("/etc/passwd").st_uid
        R["id"] = subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip()
    """
    result = run_child(body, layers, user=uid)
    assert result["ids"] == [uid] * 4, result
    if "netns" in layers:  # own user namespace: our ids mapped onto themselves, nothing else
        assert result["maps"] == [[str(uid), str(uid), "1"]] * 2, result
    assert succeeded(result, "read_passwd")
    assert result["read_passwd"]["value"] is True
    assert failed(result, "write_passwd")
    assert result["write_passwd"]["errno"] == errno.EACCES
    assert failed(result, "read_root_home")
    assert result["read_root_home"]["errno"] == 13
    assert result["own_file"] == [uid, uid, "x"]
    assert result["id"] == str(uid)
    # in the user namespace root is unmapped and shows as the overflow uid
    assert result["passwd_owner"] == (NOBODY if "netns" in layers else 0)


# ---------------------------------------------------------------------------------------
# The seccomp filter itself
# ---------------------------------------------------------------------------------------

FILTER_BODY = """
import ctypes, mmap, socket
confine_now()
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def sys_call(*args):
    result = libc.syscall(*[ctypes.c_long(a) for a in args])
    return result if result >= 0 else -ctypes.get_errno()
def make(family, kind=socket.SOCK_STREAM):
    socket.socket(family, kind).close()
attempt("inet", lambda: make(socket.AF_INET))
attempt("inet6", lambda: make(socket.AF_INET6))
attempt("netlink", lambda: make(socket.AF_NETLINK, socket.SOCK_RAW))
attempt("packet", lambda: make(socket.AF_PACKET, socket.SOCK_RAW))
attempt("unix", lambda: make(socket.AF_UNIX))
attempt("socketpair", lambda: [s.close() for s in socket.socketpair()] and None)
# the domain is an int: garbage in the upper half of the register must not smuggle AF_INET
attempt("inet_high_bits", lambda: sys_call(41, (1 << 32) | socket.AF_INET,
                                           socket.SOCK_DGRAM, 0))
params = ctypes.create_string_buffer(120)  # struct io_uring_params
R["io_uring_setup"] = sys_call(425, 4, ctypes.addressof(params))
attempt("interfaces", lambda: [name for _, name in socket.if_nameindex()])
"""


@each_set
def test_seccomp_filter_per_family(layers: tuple[str, ...]) -> None:
    result = run_child(FILTER_BODY, layers)
    for name in ("unix", "socketpair"):
        assert succeeded(result, name), result  # AF_UNIX is always allowed
    if "seccomp" in layers:
        for name in ("inet", "inet6", "netlink", "packet"):
            assert result[name]["errno"] == errno.EACCES, (name, result)
        assert result["inet_high_bits"]["value"] == -errno.EACCES
        assert result["io_uring_setup"] == -errno.ENOSYS
        assert failed(result, "interfaces")  # if_nameindex needs a netlink socket
    else:
        for name in ("inet", "inet6", "netlink", "packet"):
            assert succeeded(result, name), (name, result)
        assert result["inet_high_bits"]["value"] >= 0  # the kernel used the low half
        assert result["io_uring_setup"] != -errno.ENOSYS  # control: io_uring exists here
        interfaces = result["interfaces"]["value"]
        if layers == ("netns",):
            assert interfaces == ["lo"], result  # only a loopback, and it is down
        else:
            assert len(interfaces) >= 2, result  # control: the host has more than lo


FOREIGN_ABI_BODY = """
import ctypes, mmap, resource
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file when the filter kills us
confine_now()
print("READY", flush=True)
if ARGS["abi"] == "i386":
    # mov eax, 20 (getpid in the i386 table); int 0x80; ret
    code = bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3])
    page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    R["result"] = ctypes.CFUNCTYPE(ctypes.c_int)(address)()
else:
    libc = ctypes.CDLL(None, use_errno=True)
    # getpid (39) with __X32_SYSCALL_BIT: the x32 ABI, same audit arch as x86_64
    R["result"] = [libc.syscall(ctypes.c_long(0x40000000 | 39)), ctypes.get_errno()]
"""


@pytest.mark.parametrize("abi", ["i386", "x32"])
@each_set
def test_foreign_abi_is_killed(layers: tuple[str, ...], abi: str) -> None:
    # The calls are x86 machine code (int 0x80, the x32 syscall bit): they need an x86_64
    # machine, as CI has. Elsewhere the filter's architecture check is covered by the BPF
    # interpreter tests below, which run the program for both architectures.
    assert os.uname().machine == "x86_64", (
        f"this test runs i386 and x32 system calls and needs an x86_64 machine, not "
        f"{os.uname().machine}: run it there, or deselect it with "
        "-k 'not test_foreign_abi_is_killed'")
    result = run_child(FOREIGN_ABI_BODY, layers, abi=abi, expect_rc=None)
    if "seccomp" in layers:
        assert result["_rc"] == -signal.SIGSYS, result
    else:
        assert result["_rc"] == 0, result
        if abi == "i386":
            assert result["result"] > 0  # a pid: int 0x80 works on this kernel
        else:
            assert result["result"] == [-1, errno.ENOSYS]  # kernel without x32


# ---------------------------------------------------------------------------------------
# The BPF program, run through a small classic-BPF interpreter (both architectures)
# ---------------------------------------------------------------------------------------

AUDIT_ARCH_I386 = 0x40000003
AUDIT_ARCH_ARM = 0x40000028
ALLOW, KILL = 0x7FFF0000, 0x80000000
ERRNO = 0x00050000


def run_bpf(program: list[tuple[int, int, int, int]], nr: int, arch: int, arg0: int) -> int:
    data = (nr.to_bytes(4, "little", signed=nr < 0) + arch.to_bytes(4, "little")
            + bytes(8) + arg0.to_bytes(8, "little") + bytes(40))
    acc, pc = 0, 0
    while True:
        code, jt, jf, k = program[pc]
        pc += 1
        if code == 0x20:  # ld [k]
            acc = int.from_bytes(data[k:k + 4], "little")
        elif code in (0x15, 0x35):  # jeq / jge
            taken = acc == k if code == 0x15 else acc >= k
            pc += jt if taken else jf
        elif code == 0x06:  # ret k
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x}")


@pytest.mark.parametrize("machine", sorted(sandbox._ARCHES))
def test_bpf_program_decisions(machine: str) -> None:
    arch = sandbox._ARCHES[machine]
    program = sandbox._assemble(sandbox._filter_source(arch))
    assert program[-1][0] == 0x06
    assert len(program) < 20
    for i, (code, jt, jf, _) in enumerate(program):
        assert i + 1 + max(jt, jf) < len(program) or code == 0x06
    native = arch.audit_arch
    other_socket = 41 if machine == "aarch64" else 198

    def decide(nr: int, arg0: int = 0, audit: int = native) -> int:
        return run_bpf(program, nr, audit, arg0)

    assert decide(arch.nr_socket, socket.AF_UNIX) == ALLOW
    for family in (socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK, socket.AF_PACKET, 0,
                   (1 << 32) | socket.AF_INET, 0xFFFFFFFF):
        assert decide(arch.nr_socket, family) == ERRNO | errno.EACCES, family
    assert decide(arch.nr_socket, (7 << 32) | socket.AF_UNIX) == ALLOW  # kernel sees AF_UNIX
    assert decide(arch.nr_io_uring_setup) == ERRNO | errno.ENOSYS
    assert decide(other_socket, socket.AF_INET) == ALLOW  # another syscall on this arch
    assert decide(0) == ALLOW
    assert decide(arch.nr_seccomp) == ALLOW
    for foreign in (AUDIT_ARCH_I386, AUDIT_ARCH_ARM, 0xC000003E ^ 0xC00000B7 ^ native):
        assert decide(arch.nr_socket, socket.AF_UNIX, foreign) == KILL
        assert decide(0, 0, foreign) == KILL
    assert decide(-1) == ALLOW  # a tracer's cancelled syscall: the kernel says ENOSYS
    if arch.x32:
        assert decide(0x40000000 | 41, socket.AF_UNIX) == KILL
        assert decide(0x40000000 | 39) == KILL
        assert decide(0x7FFFFFFF) == KILL


def test_unsupported_arch_and_32bit_reasons() -> None:
    reason = sandbox._seccomp_precheck("riscv64")
    assert reason is not None
    assert "riscv64" in reason
    assert "x86_64" in reason
    assert sandbox._seccomp_precheck("x86_64") is None


def test_non_linux_platform_is_refused_with_reason() -> None:
    body = """
    sys.platform = "darwin"
    R["probe"] = list(sandbox.probe())
    try:
        sandbox.confine()
        R["confine"] = None
    except sandbox.SandboxUnavailable as exc:
        R["confine"] = str(exc)
    R["status"] = list(sandbox.status())
    """
    result = run_child(body, ())
    expected = "netns: needs Linux (this is darwin); seccomp: needs Linux (this is darwin)"
    assert result["probe"] == [[], expected]
    assert result["confine"] == expected
    assert result["status"] == []


def test_sockets_opened_before_confine_are_reported(listener: Listener) -> None:
    """A known limit, shown to be real: an existing socket survives confine(), which warns."""
    body = """
    import logging, socket
    records = []
    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())
    logging.getLogger("sandbox").addHandler(Keep())
    early = socket.create_connection(("127.0.0.1", P), timeout=5)
    confine_now()
    early.sendall(b"GET /early HTTP/1.0\\r\\n\\r\\n")
    R["answer"] = early.recv(100).decode()
    R["fd"] = early.fileno()
    R["log"] = records
    """
    result = run_child(body, ("netns", "seccomp"), port=listener.port)
    assert result["answer"].startswith("HTTP/1.1 200"), result
    assert any(f"[{result['fd']}]" in m and "stay usable" in m for m in result["log"]), result
    assert listener.hits("/early") == 1


# ---------------------------------------------------------------------------------------
# The way haberkg will use it: confine() first thing in a spawned query worker
# ---------------------------------------------------------------------------------------


def querypool_like_worker(layers: tuple[str, ...], conn: Any) -> None:
    """Like haberkg.querypool._worker: confine, load, then answer queries from a Pipe."""
    import pyoxigraph

    applied = list(sandbox.confine(layers)) if layers else []
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://example.org/s"),
                              pyoxigraph.NamedNode("http://example.org/p"),
                              pyoxigraph.Literal("o")))
    conn.send(("ready", applied, list(sandbox.status())))
    while True:
        try:
            query = conn.recv()
        except EOFError:
            return
        try:
            solutions = store.query(query)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            conn.send(("rows", [row["o"].value for row in solutions]))
        except Exception as exc:  # noqa: BLE001 - the query's failure, told to the parent
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@each_set
def test_spawned_worker_like_querypool(layers: tuple[str, ...], listener: Listener) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=querypool_like_worker, args=(layers, child), daemon=True)
    proc.start()
    try:
        assert parent.poll(60), "worker did not start"
        assert parent.recv() == ("ready", list(layers), list(layers))
        parent.send("SELECT ?o WHERE { ?s ?p ?o }")
        assert parent.poll(30)
        assert parent.recv() == ("rows", ["o"])
        parent.send(f"SELECT ?o WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/worker> "
                    "{ ?s ?p ?o } }")
        assert parent.poll(30)
        kind, _ = parent.recv()
        assert kind == "error"
    finally:
        parent.close()
        proc.join(30)
        if proc.is_alive():
            proc.kill()
    assert sandbox.status() == ()  # the pytest process itself stays unconfined
    assert listener.hits("/worker") == (0 if layers else 1)
