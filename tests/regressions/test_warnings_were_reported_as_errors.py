"""Defect: warnings and infos printed "Conforms", showed as ::error in GitHub output and
counted as failures in JUnit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_warnings_were_reported_as_errors(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:severity sh:Warning ;\n"
                      "  sh:property [ sh:path <urn:c> ; sh:minCount 1 ;\n"
                      "    sh:severity sh:Warning ] .\n",
                      encoding="utf-8")
    code, out, _ = run("--shapes", str(shapes), str(data))
    assert code == 0 and out.startswith("Conforms: 1 warning") and "Warning: <urn:c>" in out
    code, out, _ = run("--format", "github", "--shapes", str(shapes), str(data))
    assert code == 0 and out.startswith("::warning ") and "::error" not in out
    code, out, _ = run("--format", "junit", "--shapes", str(shapes), str(data))
    assert code == 0 and 'failures="0"' in out and "<failure" not in out
    assert run("--fail-on", "warning", "--shapes", str(shapes), str(data))[0] == 1
