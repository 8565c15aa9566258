"""Defect: an empty file, or one with only prefixes and comments (valid Turtle), was refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("text", ["", "# nothing\n@prefix a: <urn:a#> .\n"])
def test_empty_and_triple_less_files_were_refused(tmp_path: Path, text: str) -> None:
    data = tmp_path / "empty.ttl"
    data.write_text(text, encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetClass <urn:C> ; sh:closed true .\n", encoding="utf-8")
    code, out, _ = run("--shapes", str(shapes), str(data))
    assert (code, out.startswith("Nothing was checked")) == (0, True)
