"""Grounding: every fact traceable to the text, checked independently of the builder."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from haberkg.checks.grounding import ground, unique_context
from haberkg.checks.pipeline import Outcome
from haberkg.errors import CheckFailed, InputError
from haberkg.sources.project import Project

OA = "http://www.w3.org/ns/oa#"
HK = "https://w3id.org/haberkg/ontology#"
HKD = "https://w3id.org/haberkg/id/"
SCHEMA = "https://schema.org/"


def _store(outcome: Outcome) -> ox.Store:
    assert outcome.release is not None
    store = ox.Store()
    store.extend([ox.Quad(t.subject, t.predicate, t.object) for t in outcome.release.plain])
    return store


def test_grounding_coverage_is_complete(outcome: Outcome) -> None:
    g = outcome.grounding
    assert g is not None
    assert len(g.facts) > 300
    assert g.covered == len(g.facts)
    assert g.coverage == 1.0


def test_every_selector_matches_the_article(outcome: Outcome, article: str) -> None:
    rows = list(_store(outcome).query(f"""
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


def test_quotations_are_verbatim_and_there_are_three(outcome: Outcome, article: str) -> None:
    rows = list(_store(outcome).query(
        f"SELECT ?text WHERE {{ ?q a <{SCHEMA}Quotation> ; <{SCHEMA}text> ?text }}"))
    assert len(rows) == 3
    for row in rows:
        assert f'"{row["text"].value}"' in article


def test_text_modes_have_quotes_and_other_modes_their_backing(outcome: Outcome) -> None:
    g = outcome.grounding
    assert g is not None
    for claim in g.claims:
        if claim.mode in {"Stated", "ReportedSpeech", "DirectQuote"}:
            assert claim.spans, claim
        if claim.mode == "Inferred":
            assert claim.rule is not None
        if claim.mode == "External":
            assert claim.source is not None and claim.source.value.startswith("https://")


def test_relative_dates_are_inferred_with_their_rule(outcome: Outcome) -> None:
    g = outcome.grounding
    assert g is not None
    visit = ox.NamedNode(HKD + "visit-of-children-of-martyrs-to-baku")
    claims = [c for c in g.claims if c.subject == visit and
              ox.NamedNode(SCHEMA + "startDate") in c.covers]
    assert [(c.mode, c.rule.value if c.rule else None) for c in claims] == \
        [("Inferred", HKD + "rule-last-month")]


def test_facts_match_the_article(outcome: Outcome) -> None:
    """A reviewer's reading of the article, written down by hand."""
    store = _store(outcome)

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


def test_sentences_are_numbered_apart_from_sub_headings(outcome: Outcome, article: str) -> None:
    """Sentence N is the N-th sentence; the two sub-headings are not counted (by hand)."""
    rows = list(_store(outcome).query(f"""
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

def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "data" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_ungrounded_statement_is_refused(scratch: Path) -> None:
    _edit(scratch, "places.ttl", "schema:name \"Bakü\"@tr , \"Baku\"@en ;",
          "schema:name \"Bakü\"@tr , \"Baku\"@en ;\n    schema:alternateName \"Baku city\"@en ;")
    with pytest.raises(CheckFailed, match=r"ungrounded statement: hkd:baku .*alternateName") as e:
        ground(Project(scratch))
    assert e.value.path == "project/data/places.ttl" and e.value.line is not None


def test_quote_not_in_the_text_is_refused_with_its_line(scratch: Path) -> None:
    _edit(scratch, "places.ttl", 'hk:quote "Türkiye adına"', 'hk:quote "Türkiye namına"')
    with pytest.raises(CheckFailed, match="occurs 0 times") as e:
        ground(Project(scratch))
    text = (scratch / "data" / "places.ttl").read_text(encoding="utf-8").splitlines()
    assert e.value.line is not None and "Türkiye namına" in text[e.value.line - 1]


def test_ambiguous_quote_is_refused(scratch: Path) -> None:
    _edit(scratch, "places.ttl", 'hk:quote "Türkiye adına"', 'hk:quote "Türkiye"')
    with pytest.raises(CheckFailed, match=r"occurs \d+ times .* use a selector"):
        ground(Project(scratch))


def test_inferred_claim_without_rule_is_refused(scratch: Path) -> None:
    _edit(scratch, "meeting.ttl",
          "hk:mode hk:Inferred ;\n        hk:rule hkd:rule-publication-date-bound ]",
          "hk:mode hk:Inferred ]")
    with pytest.raises(CheckFailed, match="needs hk:rule"):
        ground(Project(scratch))


def test_claim_that_supports_nothing_is_refused(scratch: Path) -> None:
    # the Wikidata claim of Türkiye covers schema:url instead of schema:sameAs
    _edit(scratch, "places.ttl", "hk:covers schema:sameAs ;\n        hk:mode hk:External ;\n"
          "        dcterms:source <https://www.wikidata.org/wiki/Q43>",
          "hk:covers schema:url ;\n        hk:mode hk:External ;\n"
          "        dcterms:source <https://www.wikidata.org/wiki/Q43>")
    with pytest.raises(CheckFailed, match="supports no triple"):
        ground(Project(scratch))


def test_blank_node_in_facts_is_refused(scratch: Path) -> None:
    _edit(scratch, "places.ttl", "schema:containedInPlace hkd:turkiye ;",
          "schema:containedInPlace [ a schema:Country ] ;")
    with pytest.raises(InputError, match="blank node in the facts"):
        ground(Project(scratch))


def test_resource_without_mention_is_refused(scratch: Path) -> None:
    _edit(scratch, "places.ttl", '    hk:mention "Bakü" ;\n', "")
    with pytest.raises(CheckFailed, match="hkd:baku has no hk:mention"):
        ground(Project(scratch))


def test_typo_in_a_resource_iri_is_refused(scratch: Path) -> None:
    _edit(scratch, "places.ttl", "schema:containedInPlace hkd:turkiye ;",
          "schema:containedInPlace hkd:turkey ;")
    with pytest.raises(CheckFailed, match="hkd:turkey is used but never described"):
        ground(Project(scratch))
