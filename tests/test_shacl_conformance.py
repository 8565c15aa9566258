"""The SHACL verdict is the same under independent engines (pyshacl, pyrudof, Jena SHACL), on
the release and on every example of tests/shapes/manifest.ttl, or the difference is the
documented engine bug. Jena validates every example in one JVM (tests/java/ShaclBatch.java)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
import rdflib

from haberkg import __version__
from haberkg.sources.project import version_iri

from .conftest import ROOT
from .shacl_engines import Verdict, with_jena, with_jena_batch, with_pyrudof, with_pyshacl

SHAPES = [ROOT / "shapes" / "haberkg-shapes.ttl", ROOT / "shapes" / "ontology-shapes.ttl"]
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SH = "http://www.w3.org/ns/shacl#"
XSD_INTEGER_SUBTYPE_BUG = (
    "pyrudof 0.3.35 cannot compare a value of a datatype derived from xsd:integer with an "
    "xsd:integer bound (sh:minInclusive, sh:lessThan) and reports a false violation")
# Examples where pyrudof reports one extra result because of that bug: the example's
# value is deliberately of the wrong integer subtype (the datatype violation it tests).
PYRUDOF_EXTRA = {
    "EventInSeries-datatype": SH + "MinInclusiveConstraintComponent",
    "MinisterialDeclaration-signatoryCountryCount-datatype": SH + "MinInclusiveConstraintComponent",
    "PersonGroup-memberCount-datatype": SH + "MinInclusiveConstraintComponent",
    "TextSegment-start-datatype": SH + "LessThanConstraintComponent",
    "TextSegment-end-datatype": SH + "LessThanConstraintComponent",
    "TextPositionSelector-start-datatype": SH + "LessThanConstraintComponent",
    "TextPositionSelector-end-datatype": SH + "LessThanConstraintComponent",
}


def _examples() -> list[tuple[str, Path]]:
    manifest = ROOT / "tests" / "shapes" / "manifest.ttl"
    graph = rdflib.Graph().parse(manifest, format="turtle")
    out = []
    for entry in graph.subjects(MF.action, None):
        action = str(graph.value(entry, MF.action)).removeprefix("file://")
        out.append((str(graph.value(entry, MF.name)), Path(action)))
    return sorted(out)


EXAMPLES = _examples()
IDS = [e[0] for e in EXAMPLES]


@functools.cache
def minimal_ontology() -> tuple[Path, ...]:
    """The ontology as released (with its version triples) and the schema.org module."""
    from .engines import STATE

    header = STATE / f"version-triples-{os.getpid()}.ttl"  # one per process: no race
    header.parent.mkdir(parents=True, exist_ok=True)
    header.write_text(
        "<https://w3id.org/haberkg/ontology> <http://www.w3.org/2002/07/owl#versionIRI> "
        f"<{version_iri()}> ;\n"
        f'  <http://www.w3.org/2002/07/owl#versionInfo> "{__version__}" .\n', encoding="utf-8")
    return (ROOT / "ontology" / "haberkg.ttl",
            ROOT / "ontology" / "imports" / "schemaorg-module.ttl", header)


@functools.cache
def pyshacl_verdict(path: Path) -> Verdict:
    return with_pyshacl([path], SHAPES, list(minimal_ontology()))


def test_release_conforms_under_pyshacl_and_pyrudof(release: Path) -> None:
    data = [release / "haberkg.ttl"]
    verdicts = [with_pyshacl(data, SHAPES, []), with_pyrudof(data, SHAPES, [])]
    assert all(v.conforms and not v.results for v in verdicts), verdicts


@pytest.mark.engines
def test_release_conforms_under_jena(release: Path) -> None:
    verdict = with_jena([release / "haberkg.ttl"], SHAPES, [])
    assert verdict.conforms and not verdict.results, verdict


@pytest.mark.parametrize(("name", "path"), EXAMPLES, ids=IDS)
def test_pyshacl_and_pyrudof_agree_on_the_example(name: str, path: Path) -> None:
    a = pyshacl_verdict(path)
    b = with_pyrudof([path], SHAPES, list(minimal_ontology()))
    assert a.conforms == (not a.results)
    if name in PYRUDOF_EXTRA:
        extra = b.results - a.results
        assert a.results <= b.results and {k[2] for k in extra} == {PYRUDOF_EXTRA[name]}, \
            XSD_INTEGER_SUBTYPE_BUG
        return
    assert (b.conforms, b.results) == (a.conforms, a.results)


@pytest.fixture(scope="module")
def jena_verdicts() -> dict[str, Verdict]:
    """Jena SHACL's verdict on every example, from one JVM."""
    verdicts = with_jena_batch([[path] for _, path in EXAMPLES], SHAPES,
                               list(minimal_ontology()))
    return dict(zip(IDS, verdicts, strict=True))


@pytest.mark.engines
@pytest.mark.xdist_group("jena-shacl")  # with --dist loadgroup: one worker, one JVM
@pytest.mark.parametrize(("name", "path"), EXAMPLES, ids=IDS)
def test_jena_agrees_on_the_example(name: str, path: Path,
                                    jena_verdicts: dict[str, Verdict]) -> None:
    a, c = pyshacl_verdict(path), jena_verdicts[name]
    assert (c.conforms, c.results) == (a.conforms, a.results), "Jena SHACL differs"


@pytest.mark.engines
def test_the_batch_gives_what_one_jvm_per_example_gives() -> None:
    """The batch validates each example as `shacl validate` does: the same verdicts, shown on
    a valid example, an invalid one and one with a SPARQL constraint."""
    chosen = [p for n, p in EXAMPLES if n in ("valid-provenance", "Claim-mode-maxCount",
                                             "Claim-inferred-has-rule")]
    assert len(chosen) == 3
    batch = with_jena_batch([[p] for p in chosen], SHAPES, list(minimal_ontology()))
    single = [with_jena([p], SHAPES, list(minimal_ontology())) for p in chosen]
    assert [(v.conforms, v.results) for v in batch] == [(v.conforms, v.results) for v in single]
    # in the order of EXAMPLES: Claim-inferred-has-rule, Claim-mode-maxCount, valid-provenance
    assert [v.conforms for v in single] == [False, False, True]
