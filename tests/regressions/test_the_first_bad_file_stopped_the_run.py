"""Defect: the first bad file stopped the run; JUnit and JSON output were then empty."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_first_bad_file_stopped_the_run(tmp_path: Path) -> None:
    bad, good = tmp_path / "a-bad.ttl", tmp_path / "b-good.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    good.write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:property [ sh:path <urn:c> ;"
                      " sh:minCount 1 ] .\n", encoding="utf-8")
    code, out, _ = run("--format", "json", "--shapes", str(shapes), str(bad), str(good))
    report = json.loads(out)
    assert code == 2
    assert [e["line"] for e in report["errors"]] == [1]
    assert [r["file"] for r in report["results"]] == [str(good)]
