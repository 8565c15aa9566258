"""Shared fixtures: the project, its checked outcome, and a scratch copy to break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.checks.pipeline import Outcome, run_checks
from haberkg.sources.project import Project

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "article.tr.txt"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def outcome(project: Project) -> Outcome:
    """Every check of the build, run once for the session (HermiT included)."""
    return run_checks(project, lambda _: None)


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the project sources that a test may break; HABERKG_ROOT points to it."""
    root = tmp_path / "project"
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    monkeypatch.setenv("HABERKG_ROOT", str(root))
    monkeypatch.chdir(tmp_path)
    yield root
