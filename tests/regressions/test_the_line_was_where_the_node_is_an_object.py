"""Defect: a result's line was the first line where its focus node appeared (as an object),
not where it is described."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_line_was_where_the_node_is_an_object(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:x> <urn:knows> <urn:a> .\n\n<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:property [ sh:path <urn:c> ;"
                      " sh:minCount 1 ] .\n", encoding="utf-8")
    code, out, _ = run("--format", "json", "--shapes", str(shapes), str(data))
    assert code == 1 and json.loads(out)["results"][0]["line"] == 3
