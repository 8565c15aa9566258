"""Defect: the data was re-parsed by rdflib, so "1"^^xsd:boolean reached pySHACL as "true"."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_lexical_forms_were_changed_before_validation(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text('<urn:a> <urn:b> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n',
                    encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:property [ sh:path <urn:b> ;"
                      ' sh:in ( "true"^^<http://www.w3.org/2001/XMLSchema#boolean> ) ] .\n',
                      encoding="utf-8")
    # "1" and "true" are two literals (RDF term equality): sh:in fails on "1"
    code, out, _ = run("--format", "json", "--shapes", str(shapes), str(data))
    assert code == 1 and json.loads(out)["results"][0]["value"] == '"1"^^xsd:boolean'
