"""The test corpus: two fictional articles (tests/corpus/data/articles/) and the fictional
entities they share (tests/corpus/data/entities/), in a project root of their own.

The root is made as a newsroom would make one: the project's ontology, shapes and quality
checks, the test corpus as its data/ and its corpus questions as queries/, and the
schema.org module written by ``haberkg imports`` for that corpus. The articles never enter
the project's own data/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from haberkg.checks.imports import extract_module
from haberkg.sources.project import Project

from ..conftest import ROOT

HERE = Path(__file__).resolve().parent
A = "test-2025-03-10-port-inspection"
B = "test-2025-11-20-pier-visit"


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("newsroom") / "newsroom"
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(ROOT / "queries" / "qc", root / "queries" / "qc")
    shutil.copytree(HERE / "queries", root / "queries", dirs_exist_ok=True)
    shutil.copytree(HERE / "data", root / "data")
    project = Project(root)
    project.import_module.write_bytes(extract_module(project))
    return root


@pytest.fixture
def corpus(corpus_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test corpus's root that a test may change; HABERKG_ROOT points to it."""
    root = tmp_path / "newsroom"
    shutil.copytree(corpus_template, root)
    monkeypatch.setenv("HABERKG_ROOT", str(root))
    monkeypatch.chdir(tmp_path)
    return root
