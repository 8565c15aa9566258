"""Grounding: every fact traceable to the text, checked independently of the builder.

The first tests read the release as built (the shared ``release_store``) and the grounding
of the sources; the last ones break the sources, one edit at a time, as listed in
tests/cases/grounding.toml, and check the error and where it points.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from haberkg.checks.grounding import CorpusGrounding, ground, unique_context
from haberkg.cli import cli
from haberkg.errors import CheckFailed, HaberkgError, InputError
from haberkg.sources.project import Project

from .conftest import ROOT, select

OA = "http://www.w3.org/ns/oa#"
HK = "https://w3id.org/haberkg/ontology#"
HKD = "https://w3id.org/haberkg/id/"
SCHEMA = "https://schema.org/"


def test_grounding_coverage_is_complete(grounding: CorpusGrounding) -> None:
    g = grounding
    assert len(g.facts) > 300
    assert g.covered == len(g.facts)
    assert g.coverage == 1.0


def test_every_selector_matches_the_article(release_store: ox.Store, article: str) -> None:
    rows = select(release_store, (f"""
        SELECT ?exact ?prefix ?suffix ?start ?end WHERE {{
          ?t <{OA}hasSelector> ?q , ?p .
          ?q a <{OA}TextQuoteSelector> ; <{OA}exact> ?exact .
          OPTIONAL {{ ?q <{OA}prefix> ?prefix }} OPTIONAL {{ ?q <{OA}suffix> ?suffix }}
          ?p a <{OA}TextPositionSelector> ; <{OA}start> ?start ; <{OA}end> ?end .
        }}"""))
    assert len(rows) > 150
    for row in rows:
        exact = row["exact"].value
        start, end = int(row["start"].value), int(row["end"].value)
        assert article[start:end] == exact
        prefix = row["prefix"].value if row["prefix"] else ""
        suffix = row["suffix"].value if row["suffix"] else ""
        assert article[start - len(prefix):start] == prefix
        assert article[end:end + len(suffix)] == suffix
        # exact + context occurs exactly once: the selector is unambiguous
        assert article.count(prefix + exact + suffix) == 1


def test_quotations_are_verbatim_and_there_are_three(release_store: ox.Store,
                                                     article: str) -> None:
    rows = select(release_store, (
        f"SELECT ?text WHERE {{ ?q a <{SCHEMA}Quotation> ; <{SCHEMA}text> ?text }}"))
    assert len(rows) == 3
    for row in rows:
        assert f'"{row["text"].value}"' in article


def test_text_modes_have_quotes_and_other_modes_their_backing(grounding: CorpusGrounding) -> None:
    for claim in grounding.claims:
        if claim.mode in {"Stated", "ReportedSpeech", "DirectQuote"}:
            assert claim.spans, claim
        if claim.mode == "Inferred":
            assert claim.rule is not None
        if claim.mode == "External":
            assert claim.source is not None
            assert claim.source.value.startswith("https://")


def test_relative_dates_are_inferred_with_their_rule(grounding: CorpusGrounding) -> None:
    g = grounding
    visit = ox.NamedNode(HKD + "visit-of-children-of-martyrs-to-baku")
    claims = [c for c in g.claims if c.subject == visit and
              ox.NamedNode(SCHEMA + "startDate") in c.covers]
    assert [(c.mode, c.rule.value if c.rule else None) for c in claims] == \
        [("Inferred", HKD + "rule-last-month")]


def test_facts_match_the_article(release_store: ox.Store) -> None:
    """A reviewer's reading of the article, written down by hand."""
    store = release_store

    def ask(pattern: str) -> bool:
        result = store.query(f"PREFIX schema: <{SCHEMA}> PREFIX hk: <{HK}> PREFIX hkd: <{HKD}> "
                             f"PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ASK {{ {pattern} }}")
        return bool(result)

    assert ask("hkd:meeting-of-goktas-and-aliyev hk:host hkd:mahinur-ozdemir-goktas ; "
               "hk:guest hkd:anar-aliyev , hkd:azerbaijani-delegation ; "
               "schema:attendee hkd:mahinur-ozdemir-goktas , hkd:anar-aliyev")
    assert ask("hkd:signing-of-the-declaration-by-aliyev hk:onBehalfOf hkd:azerbaijan ; "
               "hk:document hkd:foster-family-ministerial-declaration")
    assert ask("hkd:foster-family-ministerial-declaration hk:signatoryCountryCount 14")
    # a count of signatory countries, not a signing at the forum
    assert not ask("?signing a hk:Signing ; schema:superEvent hkd:international-family-forum-2025")
    assert ask('hkd:international-family-forum-2025 schema:startDate "2025-05-22"^^xsd:date ; '
               'schema:endDate "2025-05-23"^^xsd:date ; schema:location hkd:istanbul')
    assert ask('hkd:first-turkic-world-social-policy-ministers-meeting '
               'schema:startDate "2024-05"^^xsd:gYearMonth ; schema:location hkd:istanbul')
    assert ask("hkd:children-of-martyrs-from-turkiye hk:memberCount 18")
    assert ask("hkd:gonul-elcileri-project hk:ledBy hkd:emine-erdogan")
    assert ask("hkd:emine-erdogan schema:spouse hkd:recep-tayyip-erdogan")
    assert ask('hkd:anar-aliyev schema:name "Anar Əliyev"@az')
    assert ask('hkd:article schema:datePublished "2025-09-04"^^xsd:date')
    # the ministry building: the text names no city for it
    assert not ask("hkd:place-of-the-ministry-of-family-and-social-services "
                   "schema:containedInPlace ?city")
    # no Wikidata identity for anything but the four verified places
    assert not ask("?person a schema:Person ; schema:sameAs ?id")


def test_sentences_are_numbered_apart_from_sub_headings(release_store: ox.Store) -> None:
    """Sentence N is the N-th sentence; the two sub-headings are not counted (by hand)."""
    rows = select(release_store, (f"""
        SELECT ?sentence ?position ?text WHERE {{
          ?sentence a <{HK}Sentence> ; <{SCHEMA}position> ?position ; <{SCHEMA}text> ?text }}"""))
    by_position = {int(r["position"].value): (r["sentence"].value, r["text"].value) for r in rows}
    assert sorted(by_position) == list(range(1, 13))
    assert all(iri == f"{HKD}sentence-{n}" for n, (iri, _) in by_position.items())
    assert by_position[9][1].startswith("Bakan Aliyev ise göreve geldikten sonra")
    assert by_position[10][1].startswith("Görüşmede Aliyev, korunmaya ihtiyacı olan")
    assert by_position[12][1].endswith("14 ülkenin temsilcisi tarafından imzalanmıştı.")


def test_unique_context_is_minimal() -> None:
    text = "ab ab abc"
    assert unique_context(text, 6, 9) == ("", "")
    prefix, suffix = unique_context(text, 0, 2)
    assert text.count(prefix + "ab" + suffix) == 1


# ---------------------------------------------------------------------- errors, located

CASES: list[dict[str, Any]] = tomllib.loads(
    (ROOT / "tests" / "cases" / "grounding.toml").read_text(encoding="utf-8"))["case"]
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
HKS = "https://w3id.org/haberkg/shapes#"


def _shape_message(shape: str) -> str:
    """The sh:message of a shape, as written in shapes/ (where the claim rules live)."""
    graph = rdflib.Graph()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    messages = [str(m) for m in graph.objects(rdflib.URIRef(HKS + shape.removeprefix("hks:")),
                                              SH.message)]
    assert len(messages) == 1, f"{shape} has no single sh:message in shapes/"
    return messages[0]


def _edit(root: Path, case: dict[str, Any]) -> tuple[Path, int, int]:
    """Make the case's edit; the line and column of ``at`` in the edited file."""
    path = root / "data" / case["file"]
    text = path.read_text(encoding="utf-8")
    assert text.count(case["old"]) == 1, \
        f"{case['name']}: `old` is not in data/{case['file']} exactly once: update the case"
    text = text.replace(case["old"], case["new"])
    path.write_text(text, encoding="utf-8")
    index = text.find(case["at"])
    assert index >= 0, f"{case['name']}: `at` is not in the edited file"
    line = text.count("\n", 0, index) + 1
    return path, line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_every_case_is_well_formed() -> None:
    assert len(CASES) >= 14
    assert len({c["name"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert case["check"] in ("grounding", "claims") and \
            case["error"] in ("CheckFailed", "InputError"), case["name"]
        assert ("shape" in case and "owner" in case) if case["check"] == "claims" else \
            "message" in case, case["name"]
    # every rule of a claim's structure (hks:Claim) has a case
    shapes = {c["shape"] for c in CASES if c["check"] == "claims"}
    assert shapes == {"hks:Claim-mode", "hks:Claim-inferred-has-rule",
                      "hks:Claim-external-has-source", "hks:Claim-speech-has-speaker",
                      "hks:Claim-text-has-quote"}


@pytest.mark.parametrize("case", [c for c in CASES if c["check"] == "grounding"],
                         ids=lambda c: c["name"])
def test_grounding_refuses(case: dict[str, Any], scratch: Path) -> None:
    _, line, column = _edit(scratch, case)
    with pytest.raises(HaberkgError) as raised:
        ground(Project(scratch))
    error = raised.value
    assert type(error).__name__ == case["error"]
    assert re.fullmatch(case["message"], error.message), error.message
    assert (error.path, error.line) == (f"project/data/{case['file']}", line)
    if error.column is not None:
        assert error.column == column


@pytest.mark.parametrize("case", [c for c in CASES if c["check"] == "claims"],
                         ids=lambda c: c["name"])
def test_claim_structure_is_refused_on_the_sources(case: dict[str, Any], scratch: Path,
                                                   runner: CliRunner) -> None:
    _, line, _ = _edit(scratch, case)
    result = runner.invoke(cli, ["build", "-q", "--dist", str(scratch / "dist")])
    expected = f"a claim on {case['owner']}: {_shape_message(case['shape'])}"
    assert (result.exit_code, result.stderr) == (
        1, f"project/data/{case['file']}:{line}: {expected}\n")
    assert not (scratch / "dist").exists()


def test_the_claim_check_comes_before_grounding(scratch: Path) -> None:
    """The claim shapes, not the grounding, refuse a claim's structure (one home per rule):
    grounding alone accepts an inferred claim without a rule."""
    case = next(c for c in CASES if c["name"] == "inferred-claim-without-rule")
    _edit(scratch, case)
    ground(Project(scratch))  # no error: the rule is not grounding's to check
    from haberkg.checks.validate import validate_sources

    with pytest.raises(CheckFailed, match=re.escape(_shape_message(case["shape"]))):
        validate_sources(Project(scratch))


def test_input_errors_and_check_failures_keep_their_classes() -> None:
    assert issubclass(CheckFailed, HaberkgError)
    assert issubclass(InputError, HaberkgError)
    assert CheckFailed("x").exit_code == 1
    assert InputError("x").exit_code == 2
