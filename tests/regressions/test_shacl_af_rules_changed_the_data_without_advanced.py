"""Defect: SHACL-AF was always on: an sh:TripleRule silently changed the data."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_shacl_af_rules_changed_the_data_without_advanced(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> a <urn:C> .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetClass <urn:C> ;\n"
                      "  sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate <urn:p> ;"
                      " sh:object 1 ] ;\n  sh:property [ sh:path <urn:p> ; sh:maxCount 0 ] .\n",
                      encoding="utf-8")
    assert run("--shapes", str(shapes), str(data))[0] == 0  # no rule ran: no <urn:p>
    assert run("--advanced", "--shapes", str(shapes), str(data))[0] == 1
