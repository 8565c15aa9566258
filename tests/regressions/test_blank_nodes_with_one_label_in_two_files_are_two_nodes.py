"""Defect: blank nodes with the same label in two input files became one node (the files
were parsed without scoping their labels). Fixed for `haberkg validate` (each file's labels
get their own prefix) and for the project's own sources (haberkg.sources.read.parse_file)."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from click.testing import CliRunner

from haberkg.checks.grounding import ground
from haberkg.checks.validate import Options, load, validate_sources
from haberkg.cli import cli
from haberkg.sources.project import Project

SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:shape> a sh:NodeShape ; sh:targetSubjectsOf <urn:p> ;
    sh:property [ sh:path <urn:q> ; sh:minCount 1 ] .
"""


def test_blank_nodes_with_one_label_in_two_files_are_two_nodes(tmp_path: Path) -> None:
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text("_:b <urn:p> 1 .\n", encoding="utf-8")
    two.write_text("_:b <urn:q> 2 .\n", encoding="utf-8")
    graph = load([one, two], Options()).graph
    assert len(set(graph.subjects())) == 2
    assert all(isinstance(s, rdflib.BNode) for s in graph.subjects())
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    # merged, _:b would have both <urn:p> and <urn:q> and conform; apart, one.ttl's has no q
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--shapes", str(shapes),
                                      str(one), str(two)])
    assert result.exit_code == 1, result.stdout
    report = json.loads(result.stdout)
    assert [(r["file"], r["line"], r["path"]) for r in report["results"]] == [
        (str(one), 1, "<urn:q>")]


def test_blank_nodes_with_one_label_in_two_data_files_of_a_project(scratch: Path) -> None:
    """Two data files that both write a claim as _:claim: two claims, each its own.

    Baku's English name keeps an Editorial claim written ``_:claim`` in entities/places.ttl;
    Istanbul's gets an External one, also written ``_:claim``, in another file. Merged
    into one node, the claim would have two modes (refused by the claim shapes).
    """
    places = scratch / "data" / "entities" / "places.ttl"
    text = places.read_text(encoding="utf-8")
    english = """    [
        hk:covers schema:name ;
        hk:coversLanguage "en" ;
        hk:mode hk:Editorial ] ,
"""
    istanbul, baku = text.index("hkd:istanbul a "), text.index("hkd:baku a ")
    assert istanbul < baku
    assert text.count(english, istanbul, baku) == 1
    at_istanbul = text.index(english, istanbul)
    at_baku = text.index(english, baku)
    text = (text[:at_istanbul] + text[at_istanbul + len(english):at_baku] + "    _:claim ,\n"
            + text[at_baku + len(english):])
    text += ('\n_:claim hk:covers schema:name ;\n    hk:coversLanguage "en" ;\n'
             '    hk:mode hk:Editorial .\n')
    places.write_text(text, encoding="utf-8")
    (scratch / "data" / "entities" / "zz-more.ttl").write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix hk: <https://w3id.org/haberkg/ontology#> .\n"
        "@prefix hkd: <https://w3id.org/haberkg/id/> .\n"
        "@prefix schema: <https://schema.org/> .\n\n"
        "hkd:istanbul hk:evidence _:claim .\n\n"
        '_:claim hk:covers schema:name ;\n    hk:coversLanguage "en" ;\n'
        "    hk:mode hk:External ;\n"
        "    dcterms:source <https://www.wikidata.org/wiki/Q406> .\n", encoding="utf-8")
    project = Project(scratch)
    validate_sources(project)  # each claim has one mode
    claims = {c.subject.value.rsplit("/", 1)[1]: c.mode for c in ground(project).claims
              if c.subject.value.endswith(("/baku", "/istanbul")) and c.language == "en"
              and [p.value for p in c.covers] == ["https://schema.org/name"]}
    assert claims == {"baku": "Editorial", "istanbul": "External"}
