"""Docs kept in step with the code."""

from __future__ import annotations

import re

from haberkg.cli import cli_reference
from haberkg.sources.project import Project

from .conftest import ROOT


def test_cli_reference_matches_help() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(), \
        "docs/cli.md is stale: run `python scripts/cli-docs.py`"


def test_readme_names_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("build", "check", "validate", "query", "reason", "fmt", "imports", "serve"):
        assert re.search(rf"^haberkg {command}\b", readme, re.M), command


def test_readme_quick_start_scripts_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for script in ("scripts/run", "scripts/test"):
        assert script in readme
        assert (ROOT / script).stat().st_mode & 0o111
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in ci


def test_changelog_mentions_the_version() -> None:
    from haberkg import __version__

    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_conformance_table_covers_every_query_and_example() -> None:
    table = (ROOT / "docs" / "conformance.md").read_text(encoding="utf-8")
    for query in Project(ROOT).query_files:  # the corpus's questions and each article's
        assert f"| `{query.stem}` |" in table, f"regenerate: scripts/conformance-table ({query})"
    for example in sorted((ROOT / "tests" / "shapes").glob("*/*.ttl")):
        # the manifest names valid examples valid-NAME, invalid ones by their file name
        name = f"valid-{example.stem}" if example.parent.name == "valid" else example.stem
        assert f"| {name} |" in table, f"regenerate: scripts/conformance-table ({example.name})"
    assert "FAIL" not in table
    assert "DIFFERENT" not in table


def test_the_markers_and_the_split_run_are_documented() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = [m.split(":", 1)[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]]
    assert markers == ["engines", "browser", "serial"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running the tests", 1)[1].split("\n## ", 1)[0]
    for marker in markers:
        assert f"| `{marker}` |" in section, marker
    assert '-m "not engines and not browser"' in section
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert 'pytest -n auto --dist loadgroup -m "$parallel"' in script
    assert 'pytest -m "$serial"' in script
