"""Defect: files with relative IRIs (<>, <#me>, <class-001>) were refused with exit 2:
they were parsed without a base IRI. Each file now has its own file: IRI as base, or --base."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_relative_iris_did_not_resolve_without_a_base(tmp_path: Path) -> None:
    data = tmp_path / "me.ttl"
    data.write_text("<#me> <http://xmlns.com/foaf/0.1/name> \"Me\" .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <http://xmlns.com/foaf/0.1/name> ;\n"
                      "  sh:nodeKind sh:IRI .\n", encoding="utf-8")
    code, out, _ = run("--format", "json", "--shapes", str(shapes), str(data))
    assert (code, json.loads(out)["errors"]) == (0, [])
    code, out, _ = run("--format", "shacl", "--shapes", str(shapes), "--base",
                       "https://example.org/doc", str(data))
    assert code == 0
