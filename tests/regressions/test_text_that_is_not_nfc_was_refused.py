"""Defect: RDF whose text is not in Unicode NFC (valid RDF) was refused; NFC is a rule of
haberkg's own sources only."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_text_that_is_not_nfc_was_refused(tmp_path: Path) -> None:
    data = tmp_path / "nfd.ttl"
    data.write_text('<urn:a> <urn:b> "Go\u0308kta\u015f" .\n', encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:property [ sh:path <urn:b> ;"
                      " sh:pattern \"^Go\u0308k\" ] .\n", encoding="utf-8")
    assert run("--shapes", str(shapes), str(data))[0] == 0  # the text reached SHACL unchanged
