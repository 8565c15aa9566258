"""Builds that are killed, raced or pointed at the wrong folder (security review)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .support import ROOT, haberkg

pytestmark = pytest.mark.serial


def _project(tmp: Path) -> Path:
    root = tmp / "project"
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def _hermit_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"org.semanticweb.HermiT" in cmdline:
            found.append(int(entry.name))
    return found


def _verify(dist: Path) -> None:
    done = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=dist,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _build(root: Path, dist: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "haberkg", "build", "-q", "--dist", str(dist)],
                            cwd=root, env={**os.environ, "HABERKG_ROOT": str(root)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_kill_minus_9_during_build_leaves_a_whole_release_and_no_jvm(tmp_path: Path) -> None:
    root = _project(tmp_path)
    dist = tmp_path / "out" / "dist"
    first = _build(root, dist)
    assert first.wait(180) == 0, first.stderr.read() if first.stderr else ""
    _verify(dist)
    rng = random.Random(20251201)
    # five kills at random moments, and one while HermiT is known to run
    for delay in [*sorted(rng.uniform(0.3, 7.0) for _ in range(5)), None]:
        build = _build(root, dist)
        if delay is None:
            deadline = time.monotonic() + 60
            while not _hermit_processes():
                assert time.monotonic() < deadline and build.poll() is None, \
                    "the build never started HermiT"
                time.sleep(0.02)
        else:
            time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait(30)
        # Killed with its parent, the JVM is gone at once; orphaned, it would run on for
        # the second or more that HermiT still needs.
        deadline = time.monotonic() + (0.5 if delay is None else 5)
        while _hermit_processes() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _hermit_processes() == [], f"a HermiT JVM outlived a build killed at {delay} s"
        _verify(dist)  # the old release or the new one, whole
    last = _build(root, dist)
    assert last.wait(180) == 0
    _verify(dist)
    leftovers = sorted(p.name for p in dist.parent.iterdir() if p.name != "dist")
    assert leftovers == [], leftovers


def test_two_concurrent_builds_one_waits_its_turn_with_a_message(tmp_path: Path) -> None:
    root = _project(tmp_path)
    dist = tmp_path / "dist"
    first = _build(root, dist)
    deadline = time.monotonic() + 30  # until the first build holds the lock (its staging)
    while not list(tmp_path.glob(".dist.new-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = haberkg("build", "-q", "--dist", dist, cwd=root, env={"HABERKG_ROOT": str(root)})
    assert second.returncode == 2
    assert "another haberkg process" in second.stderr
    assert second.stderr.count("\n") == 1
    assert first.wait(180) == 0
    _verify(dist)


def test_a_users_folder_with_its_own_sha256sums_is_not_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "SHA256SUMS").write_text("0" * 64 + "  notes.txt\n")
    (folder / "notes.txt").write_text("my notes")
    (folder / "thesis.tex").write_text("my thesis")
    done = haberkg("build", "-q", "--dist", folder)
    assert done.returncode == 2
    assert "not written by haberkg" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "notes.txt", "thesis.tex"]
    assert (folder / "thesis.tex").read_text() == "my thesis"


def test_stale_staging_folders_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    dist = tmp_path / "dist"
    stale = tmp_path / ".dist.new-999999-abcdef"  # a pid that does not exist
    stale.mkdir()
    (stale / "haberkg.ttl").write_text("half written")
    done = haberkg("build", "-q", "--dist", dist, cwd=root, env={"HABERKG_ROOT": str(root)})
    assert done.returncode == 0, done.stderr
    assert not stale.exists()
    _verify(dist)
