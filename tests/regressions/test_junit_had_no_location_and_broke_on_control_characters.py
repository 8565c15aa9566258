"""Defect: JUnit output had no file or line, and control characters in a literal made it
ill-formed XML."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_junit_had_no_location_and_broke_on_control_characters(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    data = tmp_path / "d.ttl"
    data.write_text('<urn:a> <urn:b> "x\\u0001\\u0008y" .\n', encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:property [ sh:path <urn:b> ;"
                      " sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ] .\n",
                      encoding="utf-8")
    code, out, _ = run("--format", "junit", "--shapes", str(shapes), str(data))
    assert code == 1
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None and suite.get("file") == str(data)
    case = suite.find("testcase")
    assert case is not None and case.get("name", "").startswith(f"{data}:1: ")
