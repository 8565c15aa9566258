"""The ontology: schema.org reuse, header, import module, OWL 2 DL consistency."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest

from haberkg.checks.assemble import release_of
from haberkg.checks.imports import check_imports, extract_module
from haberkg.checks.schema_usage import exemptions, unexempted, uses
from haberkg.sources import schemaorg
from haberkg.sources.project import Project, version_iri

from .conftest import ROOT

TEXT_SUFFIXES = {".ttl", ".rq", ".tsv", ".md", ".py", ".trig", ".jsonld", ".yml", ".yaml"}
HKQ = "https://w3id.org/haberkg/qa#"


# Files whose schema.org names are not this project's use of schema.org: the vocabulary
# itself (schema.org's own release, which annotates its terms with a "source" property of
# its own, not in its term list), and the examples of other people's data that misspell
# terms on purpose.
NOT_OUR_USE = {
    Path("src/haberkg/sources/vocabulary"),
    Path("tests/test_ci_examples.py"),
}


def _repo_files() -> list[Path]:
    skip = {".git", "dist", ".venv", "node_modules", "__pycache__", ".pytest_cache"}
    files = []
    for p in ROOT.rglob("*"):
        rel = p.relative_to(ROOT)
        if (p.is_file() and p.suffix in TEXT_SUFFIXES and not skip & set(rel.parts)
                and "fixtures" not in rel.parts
                and not any(rel == n or n in rel.parents for n in NOT_OUR_USE)):
            files.append(p)
    return files


def test_every_schema_org_term_used_in_the_repo_exists() -> None:
    defined = schemaorg.defined_terms()
    unknown = []
    for path in _repo_files():
        text = path.read_text(encoding="utf-8")
        for m in schemaorg.TERM_RE.finditer(text):
            if m.group(1) not in defined:
                line = text.count("\n", 0, m.start()) + 1
                unknown.append(f"{path.relative_to(ROOT)}:{line}: schema:{m.group(1)}")
    assert not unknown, "unknown schema.org terms:\n" + "\n".join(unknown)


def test_the_term_check_catches_a_typo() -> None:
    assert "Persn" not in schemaorg.defined_terms()
    assert {"Person", "spokenByCharacter", "EventSeries"} <= schemaorg.defined_terms()


def test_no_http_schema_org_in_the_sources() -> None:
    sources = [p for folder in ("ontology", "data", "shapes", "queries")
               for p in (ROOT / folder).rglob("*") if p.suffix in {".ttl", ".rq", ".tsv"}]
    offenders = [str(p.relative_to(ROOT)) for p in sources
                 if p.name != "http-schema-org-violation.rq"  # the check that looks for it
                 and "http://schema.org/" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _exemptions(project: Project) -> set[tuple[str, str, str]]:
    """The exemptions file read here with pyoxigraph, independently of schema_usage."""
    quads = ox.parse(path=str(project.exemptions_file), format=ox.RdfFormat.TURTLE)
    by: dict[str, dict[str, str]] = {}
    for q in quads:
        by.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    out = set()
    for props in by.values():
        assert props.get("http://www.w3.org/2000/01/rdf-schema#comment"), "exemption needs a why"
        out.add((props[HKQ + "kind"], props[HKQ + "property"], props[HKQ + "class"]))
    return out


def _plain(release: Path) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(path=str(release / "haberkg.nt"),
                                       format=ox.RdfFormat.N_TRIPLES)]


def test_the_exemptions_are_read_as_written(project: Project) -> None:
    assert exemptions(project.exemptions_file) == _exemptions(project)


def test_schema_org_properties_are_used_within_domain_and_range(
        release: Path, project: Project) -> None:
    assert unexempted(_plain(release), _exemptions(project)) == []


def test_domain_range_check_can_fail(project: Project) -> None:
    hkd = "https://w3id.org/haberkg/id/"
    triples = [*(q.triple for q in project.import_quads),
        ox.Triple(ox.NamedNode(hkd + "x"),
                  ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("https://schema.org/Place")),
        ox.Triple(ox.NamedNode(hkd + "x"), ox.NamedNode("https://schema.org/spouse"),
                  ox.NamedNode(hkd + "y")),
    ]
    # schema:spouse: domainIncludes and rangeIncludes schema:Person (the schema.org module);
    # x is a Place, and y is no Person either
    assert sorted(u.kind for u in uses(triples)) == ["domain", "range"]
    assert sorted(u.kind for u in unexempted(triples, set())) == ["domain", "range"]


def test_ontology_header(project: Project) -> None:
    header = {(q.predicate.value, str(q.object)) for q in project.ontology_quads
              if q.subject.value == "https://w3id.org/haberkg/ontology"}
    preds = {p for p, _ in header}
    for needed in ("http://purl.org/dc/terms/title", "http://purl.org/dc/terms/description",
                   "http://purl.org/dc/terms/license", "http://purl.org/dc/terms/creator",
                   "http://purl.org/dc/terms/created", "http://purl.org/dc/terms/modified",
                   "http://www.w3.org/2002/07/owl#versionIRI",
                   "http://www.w3.org/2002/07/owl#versionInfo",
                   "http://purl.org/vocab/vann/preferredNamespacePrefix",
                   "http://purl.org/vocab/vann/preferredNamespaceUri"):
        assert needed in preds, needed
    assert ("http://www.w3.org/2002/07/owl#versionIRI", f"<{version_iri()}>") in header


def test_version_has_one_source(project: Project) -> None:
    """The version is the package's; the ontology source must not carry its own."""
    text = (ROOT / "ontology" / "haberkg.ttl").read_text(encoding="utf-8")
    assert "owl:versionIRI" not in text.split("<https://w3id.org/haberkg/ontology> a")[1][:2000]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["dynamic"] == ["version"]  # not written twice
    source = ROOT / pyproject["tool"]["hatch"]["version"]["path"]
    version = re.search(r'^__version__ = "([^"]+)"$', source.read_text(encoding="utf-8"), re.M)
    assert version
    assert version_iri().endswith("/" + version.group(1))


def test_own_terms_reuse_schema_org_where_they_can(project: Project) -> None:
    """Every own event or work class hangs under schema.org."""
    sub = {(q.subject.value, q.object.value) for q in project.ontology_quads
           if q.predicate.value.endswith("#subClassOf")}
    hk = "https://w3id.org/haberkg/ontology#"
    assert (hk + "Signing", "https://schema.org/Event") in sub
    assert (hk + "MinisterialDeclaration", "https://schema.org/CreativeWork") in sub
    assert (hk + "SpeechAct", "https://schema.org/CommunicateAction") in sub


def test_import_module_is_current(project: Project) -> None:
    check_imports(project)


def test_import_module_has_the_hierarchy(project: Project) -> None:
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in project.import_quads}
    s = "https://schema.org/"
    assert (s + "GovernmentOrganization", "http://www.w3.org/2000/01/rdf-schema#subClassOf",
            s + "Organization") in triples
    assert (s + "Person", "http://www.w3.org/2000/01/rdf-schema#label", "Person") in triples
    assert (s + "attendee", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "http://www.w3.org/2002/07/owl#ObjectProperty") in triples


def test_unknown_schema_term_in_data_stops_the_import_command(scratch: Path) -> None:
    from haberkg.errors import InputError

    path = scratch / "data" / "entities" / "places.ttl"
    typo = "schema:" + "Cty"  # built here so that the repo-wide term check does not see it
    path.write_text(path.read_text(encoding="utf-8").replace("schema:City", typo, 1),
                    encoding="utf-8")
    with pytest.raises(InputError, match=typo + " is not a schema.org"):
        extract_module(Project(scratch))


def test_hermit_finds_the_graph_consistent(release: Path) -> None:
    """The build ran HermiT (it refuses an inconsistent graph) and published what it
    inferred: haberkg-inferred.ttl is the plain graph plus the inferences."""
    plain = {q.triple for q in ox.parse(path=str(release / "haberkg.ttl"),
                                        format=ox.RdfFormat.TURTLE)}
    both = {q.triple for q in ox.parse(path=str(release / "haberkg-inferred.ttl"),
                                       format=ox.RdfFormat.TURTLE)}
    assert plain < both
    inferred = {(t.subject.value, t.predicate.value, t.object.value) for t in both - plain}
    hkd = "https://w3id.org/haberkg/id/"
    # hk:guest is a sub-property of schema:attendee; a signing is an event
    assert (hkd + "meeting-of-goktas-and-aliyev", "https://schema.org/attendee",
            hkd + "azerbaijani-delegation") in inferred
    assert (hkd + "signing-of-the-declaration-by-aliyev",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "https://schema.org/Event") in inferred


def test_hermit_detects_an_inconsistency(project: Project) -> None:
    from haberkg.checks.reasoning import reason

    owl = "http://www.w3.org/2002/07/owl#"
    bad = [*release_of(project).reasoning_input,
           ox.Triple(ox.NamedNode("https://schema.org/Person"), ox.NamedNode(owl + "disjointWith"),
                     ox.NamedNode("https://schema.org/Organization")),
           ox.Triple(ox.NamedNode("https://w3id.org/haberkg/id/anar-aliyev"),
                     ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("https://schema.org/Organization"))]
    assert not reason(bad).consistent
