"""Defect: with --shapes, haberkg's ontology was still mixed into the user's data (68
spurious violations about haberkg and schema.org terms)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_user_shapes_got_the_haberkg_ontology_mixed_in(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> <urn:b> 1 .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <http://www.w3.org/2000/01/rdf-schema#label>"
                      " ; sh:maxCount 0 ; sh:path <http://www.w3.org/2000/01/rdf-schema#label> .\n",
                      encoding="utf-8")
    code, out, _ = run("--format", "json", "--shapes", str(shapes), str(data))
    assert (code, json.loads(out)["results"]) == (0, [])  # no ontology term has a label here
