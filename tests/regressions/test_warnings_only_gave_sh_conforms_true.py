"""Defect (found with the W3C suite, core/misc/severity-001): a report with only warnings
said sh:conforms true; SHACL says a report conforms only without any result."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_warnings_only_gave_sh_conforms_true(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetNode <urn:a> ; sh:severity sh:Warning ;"
                      " sh:nodeKind sh:BlankNode .\n", encoding="utf-8")
    code, out, _ = run("--format", "shacl", "--shapes", str(shapes), str(data))
    assert code == 0 and "sh:conforms false" in out
