"""Shared fixtures: one built release for the whole run, the project, scratch copies to break.

The release is built once per run and shared by every test and every xdist worker: it is
built with ``python -m haberkg build`` (as a user would run it) into a folder named by a
hash of everything the build reads (the sources, the package, the pinned versions), under a
file lock, so that parallel workers wait for the one that builds instead of building again,
and a later pytest run with the same sources (the serial part of ``scripts/test``) reuses
it. The folder is ``$HABERKG_TEST_CACHE`` (``scripts/test`` gives each run a fresh one) or a
folder in the system's temporary directory. Tests never change the shared release: a test
that needs a broken or changed release or project works on its own copy
(``scratch_release``, ``scratch``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from filelock import FileLock

from haberkg.checks.grounding import CorpusGrounding, ground
from haberkg.sources.project import Project

ROOT = Path(__file__).resolve().parents[1]


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    """The solutions of a SELECT query on a store (a test's own, fixed query)."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)
ARTICLE_ID = "2025-09-04-goktas-aliyev"  # the real article, the first of the corpus
ARTICLE_DIR = ROOT / "data" / "articles" / ARTICLE_ID
ARTICLE = ARTICLE_DIR / "article.tr.txt"
SOURCES = ("ontology", "shapes", "data", "queries")
BUILD_TIMEOUT = 1200.0  # seconds a worker waits for another one's build
_STARTED = pytest.StashKey[float]()


# ---------------------------------------------------------------------- the session


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Engines left behind by a killed test run are stopped before anything starts."""
    session.config.stash[_STARTED] = time.time()
    if _is_controller(session.config):
        from .engines import sweep_orphans

        for engine in sweep_orphans():
            print(f"\nstopped {engine}, left running by a killed test run", file=sys.stderr)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say whether this run built the shared release or reused one (builds per run)."""
    marker = cache_dir() / f"release-{sources_key()}" / "built"
    if marker.is_file():
        started = terminalreporter.config.stash.get(_STARTED, 0.0)
        how = "built by this run" if marker.stat().st_mtime >= started else "reused"
        terminalreporter.write_line(
            f"shared release ({how}): {marker.read_text(encoding='utf-8')}")


# ---------------------------------------------------------------------- the release


def cache_dir() -> Path:
    folder = os.environ.get("HABERKG_TEST_CACHE")
    if folder:
        return Path(folder)
    return Path(tempfile.gettempdir()) / f"haberkg-tests-{os.getuid()}"


def sources_key() -> str:
    """A hash of everything ``haberkg build`` reads: a different input, a different folder."""
    digest = hashlib.sha256()
    for folder in (*SOURCES, "src/haberkg"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def _intact(dist: Path) -> bool:
    """The release is complete and no file differs from its SHA256SUMS."""
    sums = dist / "SHA256SUMS"
    if not sums.is_file():
        return False
    for line in sums.read_text(encoding="ascii").splitlines():
        digest, _, name = line.partition("  ")
        path = dist / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False
    return True


@dataclass(frozen=True)
class BuiltRelease:
    dist: Path
    log: str  # what `haberkg build` printed on stderr


def build_release(folder: Path) -> BuiltRelease:
    """The release in ``folder/dist``: built now, or reused if an intact one is there."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    dist, log, built = folder / "dist", folder / "build.log", folder / "built"
    with FileLock(str(folder) + ".lock", timeout=BUILD_TIMEOUT):
        if built.is_file() and _intact(dist):
            return BuiltRelease(dist, log.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "HABERKG_ROOT"}
        env["PYTHONHASHSEED"] = "1"  # test_cli builds again with another seed: same bytes
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "haberkg", "build", "--dist", str(dist)],
                              cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT, check=False)
        if done.returncode != 0:
            pytest.fail(f"haberkg build failed (exit {done.returncode}):\n{done.stderr}",
                        pytrace=False)
        log.write_text(done.stderr, encoding="utf-8")
        built.write_text(f"{dist}, built in {time.monotonic() - start:.1f} s at "
                         f"{time.strftime('%H:%M:%S')} by pid {os.getpid()}", encoding="utf-8")
        return BuiltRelease(dist, done.stderr)


@pytest.fixture(scope="session")
def built_release() -> BuiltRelease:
    return build_release(cache_dir() / f"release-{sources_key()}")


@pytest.fixture(scope="session")
def release(built_release: BuiltRelease) -> Path:
    """The built release (``dist/``), shared: never write into it."""
    return built_release.dist


@dataclass(frozen=True)
class StaticExport:
    folder: Path  # DIR of `haberkg publish --static DIR`: site/, nginx.conf, nginx-http.conf
    log: str  # what `haberkg publish` printed on stderr


def build_static(folder: Path, dist: Path) -> StaticExport:
    """The static export of the shared release, written once per run (like the release)."""
    out, log, built = folder / "export", folder / "publish.log", folder / "built"
    with FileLock(str(folder) + ".lock", timeout=BUILD_TIMEOUT):
        if built.is_file() and (out / "site" / "index.html").is_file():
            return StaticExport(out, log.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if k != "HABERKG_ROOT"}
        done = subprocess.run([sys.executable, "-m", "haberkg", "publish", "--dist", str(dist),
                               "--static", str(out)], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=BUILD_TIMEOUT, check=False)
        if done.returncode != 0:
            pytest.fail(f"haberkg publish failed (exit {done.returncode}):\n{done.stderr}",
                        pytrace=False)
        log.write_text(done.stderr, encoding="utf-8")
        built.write_text("", encoding="utf-8")
        return StaticExport(out, done.stderr)


@pytest.fixture(scope="session")
def static_built(release: Path) -> StaticExport:
    return build_static(cache_dir() / f"static-{sources_key()}", release)


@pytest.fixture(scope="session")
def static_export(static_built: StaticExport) -> Path:
    """``haberkg publish --static`` of the shared release (shared: never write into it)."""
    return static_built.folder


@pytest.fixture(scope="session")
def release_store(release: Path) -> ox.Store:
    """The plain graph of the release (``haberkg.nt``) in an embedded store's default graph."""
    store = ox.Store()
    store.bulk_extend(ox.parse(path=str(release / "haberkg.nt"), format=ox.RdfFormat.N_TRIPLES))
    return store


@pytest.fixture
def scratch_release(release: Path, tmp_path: Path) -> Path:
    """A copy of the release that a test may change or break."""
    copy = tmp_path / "dist"
    shutil.copytree(release, copy)
    return copy


# ---------------------------------------------------------------------- the sources


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def grounding(project: Project) -> CorpusGrounding:
    """The grounding of the project's sources (what the build publishes as provenance)."""
    return ground(project)


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project sources that a test may break; HABERKG_ROOT points to it."""
    root = tmp_path / "project"
    for folder in SOURCES:
        shutil.copytree(ROOT / folder, root / folder)
    monkeypatch.setenv("HABERKG_ROOT", str(root))
    monkeypatch.chdir(tmp_path)
    return root


# ---------------------------------------------------------------------- no leaked processes


def query_workers() -> list[psutil.Process]:
    """Query worker processes of haberkg serve started by this process and still alive."""
    out = []
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            if "spawn_main" in " ".join(child.cmdline()) and child.status() != "zombie":
                out.append(child)
    return out


@pytest.fixture(autouse=True, scope="module")
def _no_leaked_workers() -> Iterator[None]:
    """Every module stops the query workers it started (TestClient only with ``with``)."""
    before = {p.pid for p in query_workers()}
    yield
    deadline = time.monotonic() + 10
    left = [p for p in query_workers() if p.pid not in before]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [p for p in query_workers() if p.pid not in before and p.is_running()]
    assert not left, f"query workers left running: {[p.pid for p in left]}"
