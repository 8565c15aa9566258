"""Defect: outside a haberkg project, `haberkg validate their.ttl` applied haberkg's house
rules (every name in @tr and @en, ...) to the user's data. Outside a project the default
is the schemaorg profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_house_rules_were_applied_to_other_peoples_data(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HABERKG_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "their.ttl"
    data.write_text('@prefix schema: <https://schema.org/> .\n<https://example.com/p> a '
                    'schema:Person ;\n  schema:name "Ana" ;\n  schema:birthDate "1990-01-01" .\n',
                    encoding="utf-8")
    code, out, _ = run("--format", "json", str(data))
    assert (code, json.loads(out)["results"]) == (0, [])
    assert json.loads(out)["checked"] > 0
    code, out, _ = run("--profile", "haberkg", str(data))
    assert code == 1  # the house rules are still there when asked for
