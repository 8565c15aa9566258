"""Defect: outside a project, `fmt` and `imports` rewrote the files inside site-packages and
`build` wrote into the installed package. Run from a folder outside any project, with
HABERKG_ROOT unset, haberkg finds the copy of the sources it ships (in this checkout: the
source tree, not editable); `fmt` and `imports` refuse to change it and `build` defaults to
./dist."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli
from haberkg.sources.project import Project

REFUSED = ("{what} changes a project's sources, and this is not a project: run it inside a "
           "haberkg project (or set HABERKG_ROOT)")


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("HABERKG_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _state(project: Project) -> dict[str, str]:
    files = [*project.hand_edited_turtle, project.import_module]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_the_shipped_copy_is_not_editable(outside: Path) -> None:
    project = Project.discover()
    assert not project.editable
    assert outside not in (project.root, *project.root.parents)
    assert project.default_dist == outside / "dist"


@pytest.mark.parametrize(("command", "what"), [(["fmt"], "haberkg fmt"),
                                          (["imports"], "haberkg imports")])
def test_fmt_imports_and_build_wrote_into_the_installed_package(
        outside: Path, command: list[str], what: str) -> None:
    project = Project.discover()
    before = _state(project)
    result = CliRunner().invoke(cli, command)
    assert (result.exit_code, result.stderr) == (2, "haberkg: " + REFUSED.format(what=what)
                                                 + "\n")
    assert _state(project) == before


def test_checking_the_shipped_copy_is_allowed(outside: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["fmt", "--check"]).exit_code == 0
    assert runner.invoke(cli, ["imports", "--check"]).exit_code == 0


def test_build_outside_a_project_writes_dist_in_the_working_directory(
        outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's checks are replaced by a stub: only where it writes is at stake."""
    import haberkg.checks.pipeline
    import haberkg.release.write

    written: list[Path] = []
    monkeypatch.setattr(haberkg.checks.pipeline, "run_checks", lambda project, say: None)
    monkeypatch.setattr(haberkg.checks.pipeline, "summary", lambda outcome: [])

    def write(outcome: object, staging: Path) -> dict[str, bytes]:
        written.append(staging)
        return {}

    monkeypatch.setattr(haberkg.release.write, "write_files", write)
    project = Project.discover()
    result = CliRunner().invoke(cli, ["build", "-q"])
    assert result.exit_code == 0, result.stderr
    assert len(written) == 1
    assert written[0].parent == outside.resolve()
    assert (outside / "dist" / ".haberkg-release").is_file()  # and swapped in as ./dist
    assert outside.resolve() not in (project.root.resolve(), *project.root.resolve().parents)
