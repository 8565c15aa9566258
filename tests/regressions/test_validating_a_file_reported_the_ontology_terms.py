"""Defect (found while the tests were rewritten): `haberkg validate their.ttl` with the
haberkg shapes reported 113 violations on haberkg's own ontology terms for any file
("hk:BilateralRelation needs an English skos:definition"): the ontology went to pySHACL as
ont_graph=, which copies only class and property axioms, so the terms became focus nodes of
the ontology shapes without their labels and definitions. The ontology is now mixed in
whole."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

PLACE = """\
@prefix schema: <https://schema.org/> .
<https://w3id.org/haberkg/id/x> a schema:Place ;
    schema:name "Yer"@tr , "Place"@en .
"""


def test_validating_a_file_reported_the_ontology_terms(tmp_path: Path) -> None:
    path = tmp_path / "place.ttl"
    path.write_text(PLACE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    report = json.loads(result.stdout)
    assert (result.exit_code, report["results"], report["errors"]) == (0, [], [])
    assert report["conforms"] is True
    assert report["checked"] > 0
