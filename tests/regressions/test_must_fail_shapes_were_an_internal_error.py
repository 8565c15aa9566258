"""Defect: the W3C "must fail" cases ended in an internal error ('ValidationFailure' object
has no attribute 'subjects'); they exit 2 with pySHACL's reason."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_must_fail_shapes_were_an_internal_error(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + '<urn:s> sh:targetNode <urn:a> ; sh:sparql [ sh:select """'
                      "SELECT $this WHERE { $this ?p ?o . MINUS { $this <urn:x> ?y } }\"\"\" ] .\n",
                      encoding="utf-8")
    code, out, err = run("--shapes", str(shapes), str(data))
    assert (code, out) == (2, "")
    assert "validation failed: " in err and "internal error" not in err
