"""Real SPARQL engines for tests: start, wait until ready, stop, always.

Everything runs on 127.0.0.1, with data in a private temporary directory that is removed on
stop; nothing is fetched from the network.

- :class:`OxigraphServer`: the Oxigraph server from the PyPI package ``oxigraph``
  (``/query`` and the Graph Store Protocol at ``/store``).
- :class:`Virtuoso`: a private Virtuoso Open Source 7 instance (Debian package
  ``virtuoso-opensource-7``): ``/sparql`` and ``/sparql-graph-crud-auth`` (digest auth).
- :class:`Jena`: Apache Jena 4.5 command-line tools (Debian ``libapache-jena-java``):
  ``riot``, ``arq.sparql``, ``shacl validate``, and a one-JVM batch of SHACL validations;
  no server.

The servers are context managers::

    with OxigraphServer(read_only=True, data=Path("data.ttl")) as ox:
        SPARQLWrapper(ox.query_url) ...

How a server process is kept under control:

* it runs as a :mod:`mirakuru` executor, in its own session and process group (Ctrl-C in a
  terminal does not reach it mid-write, and stopping it kills the whole group);
* it is started through ``python -m haberkg.procs``, which asks Linux to kill it when the
  test process dies (``PR_SET_PDEATHSIG``): a ``kill -9`` of pytest or of an xdist worker
  leaves no engine behind; every engine is also recorded in a pid file, and the next test
  session kills the group of any engine whose test process is gone (:func:`sweep_orphans`);
* start-up checks that the process is alive before it looks at the port, and counts the
  engine as ready only when the listening socket belongs to the engine's own process, so a
  port that another process holds is never mistaken for the engine;
* ports are never chosen by binding and releasing a socket while another test process could
  do the same: Oxigraph binds port 0 itself and the port it got is read from the process;
  Virtuoso needs its ports in its configuration, so they are picked under a lock shared by
  all test processes of this user, held until Virtuoso listens on them, and a clash with a
  process outside the lock is retried with new ports.

A missing binary raises :class:`EngineMissingError` naming the package to install: tests
that need an engine fail with that message, they never skip. Start-up failures raise
:class:`EngineStartError` with the tail of the engine's log.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import httpx
import psutil
from filelock import FileLock
from mirakuru import Executor
from mirakuru.exceptions import AlreadyRunning, ExecutorError, TimeoutExpired

HOST = "127.0.0.1"
START_TIMEOUT = 60.0  # seconds; Oxigraph is ready in ~0.1 s, Virtuoso in ~3 s
STOP_TIMEOUT = 15.0
STATE = Path(tempfile.gettempdir()) / f"haberkg-tests-{os.getuid()}"  # machine-wide, as ports
# The running engines, shared by every test session of this user, unless HABERKG_TEST_ENGINES
# names another folder (the test of the sweep itself keeps its engine out of other sessions').
PIDS = Path(os.environ.get("HABERKG_TEST_ENGINES") or STATE / "engines")
PORT_LOCK = STATE / "ports.lock"
ROOT = Path(__file__).resolve().parents[1]


class EngineMissingError(RuntimeError):
    """An engine's binary or jar is not installed; the message names the package."""


class EngineStartError(RuntimeError):
    """An engine did not start or answer in time; the message holds its log's tail."""


class _PortClash(Exception):
    """The engine could not listen on its ports: try again with others."""


# --- helpers ---------------------------------------------------------------------------


def tied(command: Sequence[str]) -> list[str]:
    """``command`` started so that it is killed when this process dies (haberkg.procs)."""
    return [sys.executable, "-m", "haberkg.procs", command[0], str(os.getpid()), *command[1:]]


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def require_binary(name: str, install_hint: str, extra_dirs: Sequence[Path] = ()) -> str:
    """Absolute path of executable ``name`` (looked up in ``extra_dirs`` first, then PATH)."""
    for folder in extra_dirs:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise EngineMissingError(f"{name} is missing: {install_hint}")
    return found


def listening_ports(pid: int) -> set[int]:
    """The loopback TCP ports the process ``pid`` itself listens on."""
    try:
        connections = psutil.Process(pid).net_connections(kind="tcp")
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return set()
    return {c.laddr.port for c in connections
            if c.status == psutil.CONN_LISTEN and c.laddr.ip in (HOST, "0.0.0.0")}


def port_answers(port: int) -> bool:
    """Whether something accepts TCP connections on ``port`` (ours or not)."""
    try:
        with socket.create_connection((HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def port_lock() -> Iterator[None]:
    """Held while ports are picked and until the process that needs them listens on them."""
    STATE.mkdir(parents=True, exist_ok=True)
    with FileLock(str(PORT_LOCK), timeout=300):
        yield


def unused_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports nobody listens on now. Call under :func:`port_lock`
    and hold the lock until the ports are in use: the ports are free only at this instant."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((HOST, 0))
            ports.append(int(sock.getsockname()[1]))
        return ports


def _url_answers(url: str, params: dict[str, str]) -> bool:
    try:
        response = httpx.get(url, params=params, timeout=2.0, trust_env=False)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


# --- the pid files: engines never outlive their test process ---------------------------


def _same_process(pid: int, created: float) -> bool:
    try:
        proc = psutil.Process(pid)
        return bool(abs(proc.create_time() - created) < 0.5
                    and proc.status() != psutil.STATUS_ZOMBIE)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _register(pid: int, name: str) -> Path:
    PIDS.mkdir(parents=True, exist_ok=True)
    me = psutil.Process()
    path = PIDS / f"{pid}.json"
    path.write_text(json.dumps({
        "pid": pid, "created": psutil.Process(pid).create_time(), "name": name,
        "owner": me.pid, "owner_created": me.create_time()}), encoding="utf-8")
    return path


def sweep_orphans(pids: Path = PIDS) -> list[str]:
    """Kill the process group of every engine whose test process is gone; what was killed."""
    killed = []
    for path in sorted(pids.glob("*.json")) if pids.is_dir() else []:
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            continue
        if _same_process(info["owner"], info["owner_created"]):
            continue  # its test process is still running
        if _same_process(info["pid"], info["created"]):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(info["pid"], signal.SIGKILL)
            killed.append(f"{info['name']} (pid {info['pid']})")
        path.unlink(missing_ok=True)
    return killed


# --- servers ---------------------------------------------------------------------------


class _Executor(Executor):
    """mirakuru's executor with the engine's own readiness check.

    ``check_subprocess`` runs before each readiness check: a process that has exited (with
    any code) stops the wait at once, instead of the port being polled until the timeout.
    """

    def __init__(self, server: _Server, command: list[str], log: IO[bytes]) -> None:
        assert server.dir is not None
        super().__init__(tied(command), cwd=str(server.dir), timeout=START_TIMEOUT, sleep=0.1,
                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.server = server
        self.exit_code: int | None = None

    def pre_start_check(self) -> bool:
        return self.server._ports_taken()

    def check_subprocess(self) -> bool:
        assert self.process is not None
        code = self.process.poll()
        if code is not None:
            self.exit_code = code
            self._kill_all_kids(signal.SIGKILL)
            self._clear_process()
            raise ProcessGone(code)
        return self.after_start_check()

    def after_start_check(self) -> bool:
        assert self.process is not None
        return self.server._ready(self.process.pid)


class ProcessGone(ExecutorError):
    def __init__(self, code: int) -> None:
        Exception.__init__(self, f"exited with code {code}")
        self.code = code


class _Server:
    """A server process in a temporary directory: start, wait until ready, stop."""

    name = "engine"
    #: words in a failed start's log that mean "pick other ports and try again"
    port_clash = ("address already in use", "failed to start listening", "cannot bind")
    #: whether ports are chosen before the start (under the port lock)
    fixed_ports = False

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.executor: _Executor | None = None
        self.log_path: Path | None = None
        self._log: IO[bytes] | None = None
        self._pid_file: Path | None = None
        self._pid: int | None = None

    # to be provided by subclasses
    def _prepare(self) -> None:
        """Pick ports (under the port lock), write config, load data; ``self.dir`` is set."""

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _ready(self, pid: int) -> bool:
        """Whether process ``pid`` listens and answers (its own sockets, not anyone's)."""
        raise NotImplementedError

    def _ports_taken(self) -> bool:
        """Before the start: whether another process already answers on our ports."""
        return False

    def _after_start(self) -> None:
        """Runs once the server answers (e.g. load data over its protocol)."""

    def _graceful_stop(self) -> bool:
        """Ask the server to shut down by itself (before SIGTERM); True if asked."""
        return False

    @property
    def pid(self) -> int | None:
        return self._pid

    @property
    def proc(self) -> psutil.Process | None:
        """The engine's process while it runs."""
        if self._pid is None:
            return None
        try:
            return psutil.Process(self._pid)
        except psutil.NoSuchProcess:
            return None

    def log(self) -> str:
        return log_tail(self.log_path) if self.log_path else "(not started)"

    def start(self) -> Self:
        if self.executor is not None:
            return self
        atexit.register(self.stop)
        try:
            for attempt in range(3):
                self.dir = Path(tempfile.mkdtemp(prefix=f"haberkg-{self.name}-"))
                self.log_path = self.dir / "server.log"
                try:
                    lock = port_lock() if self.fixed_ports else contextlib.nullcontext()
                    with lock:
                        self._prepare()
                        self._launch()
                    break
                except _PortClash:
                    if attempt == 2:
                        raise EngineStartError(f"{self.name}: its ports were taken three times "
                                               f"in a row; log tail:\n{self.log()}") from None
                    self._cleanup()  # new dir, new ports
            self._after_start()
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self) -> None:
        assert self.dir is not None
        assert self.log_path is not None
        self._log = self.log_path.open("ab")
        executor = _Executor(self, self._command(), self._log)
        try:
            executor.start()
        except AlreadyRunning:
            raise _PortClash() from None
        except ProcessGone as gone:
            log = self.log()
            if any(w in log.lower() for w in self.port_clash):
                raise _PortClash() from None
            raise EngineStartError(
                f"{self.name} exited with code {gone.code} during start-up "
                f"({' '.join(self._command())}); log tail:\n{log}") from None
        except TimeoutExpired:
            raise EngineStartError(
                f"{self.name} did not answer within {START_TIMEOUT:.0f} s; log tail:\n"
                f"{self.log()}") from None
        assert executor.process is not None
        self.executor = executor
        self._pid = executor.process.pid
        self._pid_file = _register(self._pid, self.name)

    def stop(self) -> None:
        """Stop the server (graceful, then SIGTERM to its group, then SIGKILL) and remove its
        directory. Safe to call more than once, and after a failed start."""
        atexit.unregister(self.stop)
        executor = self.executor
        if executor is not None and executor.running():
            asked = False
            with contextlib.suppress(Exception):
                asked = self._graceful_stop()
            if asked:
                with contextlib.suppress(psutil.TimeoutExpired, psutil.NoSuchProcess):
                    psutil.Process(executor.process.pid).wait(STOP_TIMEOUT)
            with contextlib.suppress(ExecutorError, OSError):
                executor.stop()
        self._cleanup()

    def _cleanup(self) -> None:
        executor, self.executor = self.executor, None
        if executor is not None:
            with contextlib.suppress(ExecutorError, OSError):
                executor.kill()
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._pid, signal.SIGKILL)  # anything left in its group
            self._pid = None
        if self._pid_file is not None:
            self._pid_file.unlink(missing_ok=True)
            self._pid_file = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class OxigraphServer(_Server):
    """``oxigraph serve`` / ``serve-read-only`` on a port the server picks itself.

    With ``data``, the file is first loaded with ``oxigraph load`` (into ``graph``, or the
    default graph). A read-only server without data serves an empty store.
    """

    name = "oxigraph"

    def __init__(self, read_only: bool, data: Path | None = None,
                 graph: str | None = None) -> None:
        super().__init__()
        self.read_only = read_only
        self.data = Path(data) if data is not None else None
        self.graph = graph
        self.binary = require_binary(
            "oxigraph", "pip install oxigraph (the PyPI package ships the server binary)",
            extra_dirs=[Path(sys.executable).parent])
        self.version = oxigraph_version(self.binary)
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        """SPARQL 1.1 Graph Store HTTP Protocol endpoint (``?graph=IRI`` or ``?default``)."""
        return f"{self.base_url}/store"

    @property
    def location(self) -> Path:
        assert self.dir is not None
        return self.dir / "store"

    def _prepare(self) -> None:
        self.port = 0
        if self.data is None and not self.read_only:
            return
        load = [self.binary, "load", "--location", str(self.location)]
        if self.data is not None:
            load += ["--file", str(self.data)]
            if self.graph is not None:
                load += ["--graph", self.graph]
        else:  # serve-read-only needs an existing store: load nothing from stdin
            load += ["--format", "nt"]
        done = subprocess.run(tied(load), input="", capture_output=True, text=True, check=False,
                              timeout=START_TIMEOUT)
        if done.returncode != 0:
            raise EngineStartError(
                f"oxigraph load failed ({' '.join(load)}):\n{done.stderr[-3000:]}")

    def _command(self) -> list[str]:
        verb = "serve-read-only" if self.read_only else "serve"
        return [self.binary, verb, "--location", str(self.location), "--bind", f"{HOST}:0"]

    def _ready(self, pid: int) -> bool:
        ports = listening_ports(pid)
        if len(ports) != 1:
            return False
        self.port = ports.pop()
        return _url_answers(self.query_url, {"query": "ASK {}"})


@functools.cache
def oxigraph_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip().removeprefix("oxigraph").strip()


VIRTUOSO_INI = """\
; Private Virtuoso instance for tests (written by tests/engines.py)
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = {host}:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CaseMode           = 2
DirsAllowed        = ., {dir}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
MaxQueryMem        = 512M
ThreadsPerQuery    = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {dir}/vsp
ServerThreads        = 10
MaxClientConnections = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""

VIRTUOSO_HINT = "apt-get install virtuoso-opensource-7"


class Virtuoso(_Server):
    """A private Virtuoso Open Source 7 server (``virtuoso-t +foreground``).

    ``query_url`` is the public SPARQL endpoint (read-only for anonymous users);
    ``store_url`` is the Graph Store Protocol endpoint that needs HTTP *digest* auth as
    ``user``/``password`` (dba/dba). With ``data``, the file is bulk-loaded with
    ``ld_dir``/``rdf_loader_run`` into ``graph`` (default ``urn:x-haberkg:default``;
    Virtuoso queries the union of all graphs when a query names none).
    """

    name = "virtuoso"
    user = "dba"
    password = "dba"
    default_graph = "urn:x-haberkg:default"
    fixed_ports = True

    def __init__(self, data: Path | None = None, graph: str | None = None) -> None:
        super().__init__()
        self.binary = require_binary("virtuoso-t", VIRTUOSO_HINT)
        self.isql_binary = require_binary("isql-vt", VIRTUOSO_HINT)
        self.version = virtuoso_version(self.binary)
        self.data = Path(data) if data is not None else None
        self.graph = graph
        self.sql_port = 0
        self.http_port = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def store_url(self) -> str:
        """Graph Store Protocol endpoint (``?graph=IRI``); HTTP digest auth as dba/dba."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def auth(self) -> httpx.DigestAuth:
        return httpx.DigestAuth(self.user, self.password)

    @property
    def ini_path(self) -> Path:
        assert self.dir is not None
        return self.dir / "virtuoso.ini"

    def _prepare(self) -> None:
        assert self.dir is not None
        self.sql_port, self.http_port = unused_ports(2)  # under the port lock (start)
        (self.dir / "vsp").mkdir()
        self.ini_path.write_text(VIRTUOSO_INI.format(
            dir=self.dir, host=HOST, sql_port=self.sql_port, http_port=self.http_port),
            encoding="utf-8")

    def _command(self) -> list[str]:
        return [self.binary, "+configfile", str(self.ini_path), "+foreground"]

    def _ports_taken(self) -> bool:
        return port_answers(self.sql_port) or port_answers(self.http_port)

    def _ready(self, pid: int) -> bool:
        # Both listeners must be the process's own (the HTTP one comes up a moment before
        # the SQL one that isql needs).
        if not {self.sql_port, self.http_port} <= listening_ports(pid):
            return False
        return _url_answers(self.query_url, {"query": "ASK {}"})

    def _after_start(self) -> None:
        if self.data is not None:
            self.load(self.data, self.graph or self.default_graph)

    def log(self) -> str:
        """Tails of virtuoso.log and of the process output (errors before the log opens)."""
        if self.dir is None:
            return super().log()
        tails: dict[str, str] = {}
        for path in (self.dir / "virtuoso.log", self.dir / "server.log"):
            if path.exists():
                tail = log_tail(path, 20)
                if tail not in tails.values():  # +foreground repeats virtuoso.log
                    tails[path.name] = tail
        return "\n".join(f"--- {name}:\n{tail}" for name, tail in tails.items())

    def isql(self, sql: str, timeout: float = 120.0) -> str:
        """Run SQL through ``isql-vt`` as dba; raise on ``*** Error`` (exit code stays 0)."""
        done = subprocess.run(
            tied([self.isql_binary, f"{HOST}:{self.sql_port}", self.user, self.password,
                  f"exec={sql}"]),
            capture_output=True, text=True, timeout=timeout, check=False,
            stdin=subprocess.DEVNULL)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql-vt failed (exit {done.returncode}) on {sql!r}:\n{output}")
        return output

    def load(self, path: Path, graph: str) -> None:
        """Bulk-load an RDF file (.ttl, .nt, .nq, .trig, .rdf, .owl, optionally .gz)."""
        assert self.dir is not None
        folder = Path(tempfile.mkdtemp(prefix="load-", dir=self.dir))  # inside DirsAllowed
        shutil.copy(path, folder / Path(path).name)
        self.isql(
            f"ld_dir('{folder}', '{_sql_str(Path(path).name)}', '{_sql_str(graph)}');"
            " rdf_loader_run(); checkpoint;")
        errors = self.isql(
            "select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;")
        if "\n0 Rows." not in errors:
            raise RuntimeError(f"Virtuoso could not load {path}:\n{errors}")

    def _graceful_stop(self) -> bool:
        self.isql("shutdown;", timeout=STOP_TIMEOUT)
        return True


def _sql_str(text: str) -> str:
    return text.replace("'", "''")


@functools.cache
def virtuoso_version(binary: str) -> str:
    done = subprocess.run([binary, "-?"], capture_output=True, text=True, check=False)
    match = re.search(r"Version (\S+?)(?:-pthreads)?\s", done.stdout + done.stderr)
    return match.group(1) if match else "unknown"


# --- Apache Jena command-line tools ----------------------------------------------------

JAVA_DIR = Path("/usr/share/java")
#: Jars for riotcmd.riot, arq.sparql, shacl.shacl from Debian's libapache-jena-java 4.5,
#: with the Debian package providing each. Listed explicitly: '/usr/share/java/*' puts
#: several slf4j bindings on the classpath and the commands fail.
JENA_JARS: dict[str, str] = {
    "jena-cmds.jar": "libapache-jena-java",
    "jena-arq.jar": "libapache-jena-java",
    "jena-core.jar": "libapache-jena-java",
    "jena-base.jar": "libapache-jena-java",
    "jena-iri.jar": "libapache-jena-java",
    "jena-shacl.jar": "libapache-jena-java",
    "commons-compress.jar": "libcommons-compress-java",
    "commons-io.jar": "libcommons-io-java",
    "commons-lang3.jar": "libcommons-lang3-java",
    "commons-codec.jar": "libcommons-codec-java",
    "dexx.collection.jar": "libdexx-java",
    "guava.jar": "libguava-java",
    "httpclient.jar": "libhttpclient-java",
    "httpclient-cache.jar": "libhttpclient-java",  # JSON-LD 1.0 reader/writer
    "httpcore.jar": "libhttpcore-java",
    "jackson-core.jar": "libjackson2-core-java",
    "jackson-databind.jar": "libjackson2-databind-java",
    "jackson-annotations.jar": "libjackson2-annotations-java",
    "jsonld-java.jar": "libjsonld-java",
    "protobuf.jar": "libprotobuf-java",
    "thrift.jar": "libthrift-java",
    "slf4j-api.jar": "libslf4j-java",
    "slf4j-simple.jar": "libslf4j-java",
}
#: Debian's jena-core.jar has the relocated xerces classes in package ``xerces`` but their
#: message bundles under ``org/apache/jena/ext/xerces``: every command fails on the
#: missing ``xerces/impl/xpath/regex/message.properties``, and an ill-typed literal
#: crashes on ``xerces/impl/msg/XMLSchemaMessages``. All bundles are copied back.
XERCES_PREFIX = "org/apache/jena/ext/"

#: Fast JVM start for small inputs (~0.4 s less per command); pass java_opts=() for
#: large files.
FAST_START = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
#: The one-JVM batch of SHACL validations (a Java source file, run by the JDK's launcher).
SHACL_BATCH = ROOT / "tests" / "java" / "ShaclBatch.java"
JDK_HINT = "apt-get install default-jdk-headless"


@functools.cache
def jena_classpath() -> str:
    """The explicit classpath (computed once per process; resources in a temp dir)."""
    missing = sorted({pkg for jar, pkg in JENA_JARS.items() if not (JAVA_DIR / jar).is_file()})
    if missing:
        raise EngineMissingError(
            f"Jena jars are missing from {JAVA_DIR}: apt-get install {' '.join(missing)}")
    resources = Path(tempfile.mkdtemp(prefix="haberkg-jena-"))
    atexit.register(shutil.rmtree, resources, True)
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for member in jar.namelist():
            if member.startswith(XERCES_PREFIX + "xerces/") and member.endswith(".properties"):
                target = resources / member.removeprefix(XERCES_PREFIX)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(member))
    if not (resources / "xerces/impl/xpath/regex/message.properties").is_file():
        raise EngineMissingError("jena-core.jar has no xerces message.properties: "
                                 "apt-get install --reinstall libapache-jena-java")
    return os.pathsep.join([str(resources), *(str(JAVA_DIR / jar) for jar in JENA_JARS)])


@functools.cache
def _has_compiler(java: str) -> bool:
    done = subprocess.run([java, "--list-modules"], capture_output=True, text=True, check=False)
    return "jdk.compiler@" in done.stdout


class Jena:
    """Apache Jena command-line tools, run as ``java -cp <classpath> <class> ...``."""

    def __init__(self, java_opts: Sequence[str] = FAST_START) -> None:
        self.java = require_binary("java", "apt-get install default-jre-headless")
        self.classpath = jena_classpath()
        self.java_opts = list(java_opts)
        self._version: str | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, main_class: str, *args: str | Path, check: bool = False,
            timeout: float = 300.0) -> subprocess.CompletedProcess[str]:
        """Run a Jena command (or a Java source file); killed with this process or on time-out."""
        command = [self.java, *self.java_opts, "-cp", self.classpath, main_class,
                   *(str(a) for a in args)]
        done = subprocess.run(tied(command), capture_output=True, text=True, timeout=timeout,
                              check=False, stdin=subprocess.DEVNULL, encoding="utf-8")
        if check and done.returncode != 0:
            raise RuntimeError(
                f"{main_class} exited with {done.returncode} ({' '.join(map(str, args))[:500]}):"
                f"\n{done.stderr[-3000:]}")
        return done

    @property
    def version(self) -> str:
        if self._version is None:
            out = self.run("arq.sparql", "--version", check=True).stdout
            match = re.search(r"VERSION:\s*(\S+)", out)
            self._version = match.group(1) if match else out.strip()
        return self._version

    def riot(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """``riot`` with the given arguments; the caller reads returncode/stdout/stderr."""
        return self.run("riotcmd.riot", *args)

    def sparql(self, data: Path, query: Path, results: str = "TSV") -> str:
        """Run ``query`` over ``data`` in memory; the results in ``results`` format
        (TSV, CSV, JSON, XML, text...)."""
        done = self.run("arq.sparql", "--data", data, "--query", query,
                        "--results", results.lower(), check=True)
        return done.stdout

    def shacl_validate(self, data: Path, shapes: Path) -> str:
        """The validation report in Turtle. The command exits 0 even when the data does
        not conform: read ``sh:conforms`` in the report."""
        done = self.run("shacl.shacl", "validate", "--shapes", shapes, "--data", data,
                        check=True)
        return done.stdout

    def shacl_batch(self, shapes: Path, ontology: Path, data: Sequence[Path]) -> list[str]:
        """One JVM validates every file of ``data`` (each with ``ontology`` added) against
        ``shapes``, as ``shacl validate`` does; the reports as N-Triples, in order."""
        if not _has_compiler(self.java):
            raise EngineMissingError(f"the Jena SHACL batch ({SHACL_BATCH.name}) needs a JDK "
                                     f"to run a Java source file: {JDK_HINT}")
        done = self.run(str(SHACL_BATCH), shapes, ontology, *data, check=True,
                        timeout=600.0)
        return _split_reports(done.stdout, len(data))


def _split_reports(output: str, count: int) -> list[str]:
    reports: list[list[str]] = []
    ended = False
    for line in output.splitlines():
        if line.startswith("### "):
            mark = line[4:].strip()
            if mark == "end":
                ended = True
                break
            if int(mark) != len(reports) + 1:
                raise RuntimeError(f"ShaclBatch: report {mark} out of order")
            reports.append([])
        elif line.strip():
            if not reports:
                raise RuntimeError(f"ShaclBatch: output before the first report: {line!r}")
            reports[-1].append(line)
    if not ended or len(reports) != count:
        raise RuntimeError(f"ShaclBatch: {len(reports)} reports for {count} data files"
                           f"{'' if ended else ', output cut short'}")
    return ["\n".join(lines) + "\n" for lines in reports]


def engine_processes(pids: Path = PIDS) -> list[dict[str, Any]]:
    """The engines recorded as running (for tests of this module)."""
    out = []
    for path in sorted(pids.glob("*.json")) if pids.is_dir() else []:
        with contextlib.suppress(OSError, ValueError):
            out.append(json.loads(path.read_text(encoding="utf-8")))
    return out
