"""Defect: every exception of pySHACL was reported as "the shapes cannot be used", and a
crash of the reasoner's JVM exited 1, as if the data had violations. Now pySHACL's own
errors are bad input (exit 2) with pySHACL's reason, anything else is an internal error
(exit 3, one line), and --debug or HABERKG_DEBUG=1 shows the traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli

DATA = "<urn:a> a <urn:C> ; <urn:p> 1 .\n"
TWO_MIN_COUNTS = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
    sh:property [ sh:path <urn:p> ; sh:minCount 1 , 2 ] .
"""
MINUS = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this <urn:q> ?x } }" ] .
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.ttl"
    path.write_text(DATA, encoding="utf-8")
    return path


def _shapes(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    (TWO_MIN_COUNTS, "the shapes cannot be used: MinCountConstraintComponent must have at "
                     "most one sh:minCount predicate."),
    (MINUS, "validation failed: A SPARQL Constraint must not contain a MINUS clause."),
])
def test_every_pyshacl_error_was_unusable_shapes_and_a_java_crash_exited_1(
        tmp_path: Path, data: Path, text: str, message: str) -> None:
    shapes = _shapes(tmp_path, text)
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(shapes), str(data)])
    assert (result.exit_code, result.stderr) == (2, f"{shapes}: {message}\n")


def test_an_unexpected_pyshacl_failure_is_an_internal_error(
        tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyshacl

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("no such thing")

    monkeypatch.setattr(pyshacl, "validate", broken)
    shapes = _shapes(tmp_path, TWO_MIN_COUNTS.replace(" , 2", ""))
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "--shapes", str(shapes), str(data)])
    assert result.exit_code == 3
    assert result.stderr == "haberkg: pySHACL failed: KeyError: 'no such thing'\n"
    debug = runner.invoke(cli, ["--debug", "validate", "--shapes", str(shapes), str(data)])
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise KeyError("no such thing")' in debug.stderr


JAVA_CRASH = """#!/bin/sh
echo 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space' >&2
exit 1
"""


@pytest.mark.parametrize("debug", [None, "--debug", "HABERKG_DEBUG=1"])
def test_a_crash_of_the_reasoner_is_an_internal_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, debug: str | None) -> None:
    """A JVM that dies (here a `java` that fails as an out-of-memory JVM does) exits 3."""
    import os

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = bin_dir / "java"
    java.write_text(JAVA_CRASH, encoding="utf-8")
    java.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    args = ["reason"]
    if debug == "--debug":
        args = ["--debug", "reason"]
    elif debug is not None:
        monkeypatch.setenv("HABERKG_DEBUG", "1")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3
    first = result.stderr.splitlines()[0]  # the one line; with debugging, the traceback after
    assert first.startswith("haberkg: the HermiT reasoner (Java) failed: ")
    assert "OutOfMemoryError" in first
    if debug is None:
        assert result.stderr.count("\n") == 1
    else:
        assert "Traceback (most recent call last)" in result.stderr
