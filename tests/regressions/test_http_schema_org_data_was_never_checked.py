"""Defect: data in the http://schema.org/ namespace (what the official JSON-LD context
gives) got "Conforms" with nothing checked."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_http_schema_org_data_was_never_checked(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("@prefix s: <http://schema.org/> .\n<https://example.com/a> a s:Person ;\n"
                    '  s:headline "x" .\n', encoding="utf-8")
    code, out, _ = run("--profile", "schemaorg", "--format", "json", str(data))
    results = json.loads(out)["results"]
    assert code == 1 and [r["shape"] for r in results] == ["hkso:headline-domain-http"]
