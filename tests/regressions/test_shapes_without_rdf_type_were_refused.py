"""Defect: shapes without rdf:type (allowed by SHACL, section 2.1) were refused."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_shapes_without_rdf_type_were_refused(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetNode <urn:a> ; sh:property [ sh:path <urn:c> ;"
                      " sh:minCount 1 ] .\n", encoding="utf-8")
    code, out, _ = run("--format", "json", "--shapes", str(shapes), str(data))
    assert code == 1 and json.loads(out)["results"][0]["path"] == "<urn:c>"
