"""The W3C RDF 1.1 syntax suites (Turtle, TriG, N-Triples, N-Quads, RDF/XML), run from their
manifests through haberkg validate, each test with its manifest's base IRI (``--base``).

* negative syntax tests: exit 2, with one located error line (the suites give no line, so
  the test asks for ``file:line[:column]: error: ...`` wherever the parser stopped);
* positive syntax and evaluation tests: accepted (exit 0: the shapes target nothing);
* evaluation tests: the statements haberkg reads are the expected ones (the suite's
  N-Triples or N-Quads file, read by rdflib), compared as datasets up to blank node
  renaming (RDFC-1.0 canonical form); for the triple syntaxes the graph handed to the
  validator is also isomorphic to the expected graph (rdflib.compare).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from haberkg.checks import validate as v
from haberkg.cli import cli
from haberkg.media import rdf_by_extension
from haberkg.serialise import term_from_rdflib
from haberkg.sources.read import QuadStream, ReadOptions

from .w3c_manifests import RDF_SUITES, W3C, SyntaxCase, syntax_cases

CASES = syntax_cases()
KNOWN = {c["name"]: c["reason"] for c in tomllib.loads(
    (W3C / "syntax-known-failures.toml").read_text(encoding="utf-8"))["case"]}
SHAPES = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:shape> sh:targetClass <urn:none> .\n"
LOCATED = re.compile(r"(?P<file>[^\n]+?):(?P<line>\d+)(?::(?P<col>\d+))?: error: \S[^\n]*\n")


def _id(case: SyntaxCase) -> str:
    return str(case.action.relative_to(RDF_SUITES))


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("w3c") / "none.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    return path


def test_the_known_deviations_are_evaluation_tests() -> None:
    assert set(KNOWN) <= {_id(c) for c in CASES if c.eval}


def test_every_suite_is_there() -> None:
    counts = {(c.suite, c.negative) for c in CASES}
    assert len(counts) == 10  # five syntaxes, positive and negative tests of each
    turtle = [c for c in CASES if c.suite == "rdf-turtle"]
    assert (sum(c.negative for c in turtle), sum(not c.negative for c in turtle)) == (94, 219)
    assert len(CASES) == 992


@pytest.mark.parametrize("case", [c for c in CASES if c.negative], ids=_id)
def test_bad_syntax_exits_2_with_a_located_line(case: SyntaxCase, shapes: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(shapes), "--base", case.base,
                                      str(case.action)])
    assert result.exit_code == 2, result.output
    match = LOCATED.fullmatch(result.stdout)
    assert match is not None, result.stdout
    assert match["file"].endswith(case.action.name)
    lines = case.action.read_bytes().count(b"\n") + 1
    assert 1 <= int(match["line"]) <= lines


@pytest.mark.parametrize("case", [c for c in CASES if not c.negative], ids=_id)
def test_good_syntax_is_accepted(case: SyntaxCase, shapes: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(shapes), "--base", case.base,
                                      str(case.action)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Nothing was checked"), result.stdout


def _rdflib_quads(path: Path) -> list[tuple[rdflib.term.Node, rdflib.term.Node,
                                            rdflib.term.Node, rdflib.term.Node | None]]:
    """The suite's expected statements, read by rdflib (another parser than haberkg's),
    lexical forms as written."""
    dataset = rdflib.Dataset()
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False  # lexical forms
    try:
        dataset.parse(path, format="nquads" if path.suffix == ".nq" else "nt")
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    return list(dataset.quads())


def _expected(path: Path) -> list[ox.Quad]:
    term = term_from_rdflib  # a term-for-term copy: rdflib, not haberkg, read the file
    out = []
    for s, p, o, g in _rdflib_quads(path):
        name = ox.DefaultGraph() if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID \
            else term(g)
        out.append(ox.Quad(term(s), term(p), term(o), name))  # type: ignore[arg-type]
    return out


def _canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's Dataset default graph
@pytest.mark.parametrize("case", [c for c in CASES if c.eval], ids=_id)
def test_evaluation_gives_the_expected_statements(case: SyntaxCase) -> None:
    assert case.result is not None
    kind = rdf_by_extension(case.action.suffix)
    assert kind is not None
    text = case.action.read_bytes().decode("utf-8").removeprefix("\ufeff")
    read = list(QuadStream(text, kind, shown=case.action.name, base_iri=case.base,
                           options=ReadOptions(base_iri=case.base, scope="x")))
    expected = _expected(case.result)
    if _id(case) in KNOWN:  # the parser's known deviation: still there, as recorded
        assert _canonical(read) != _canonical(expected), f"fixed? {KNOWN[_id(case)]}"
        assert len(read) == len(expected)
        return
    assert _canonical(read) == _canonical(expected)
    if not kind.format.supports_datasets:  # the graph the validator is given
        graph = v.load([case.action], v.Options(base_iri=case.base)).graph
        reference = rdflib.Graph()
        reference.addN((s, p, o, reference) for s, p, o, _ in
                       _rdflib_quads(case.result))
        assert isomorphic(_lower_tags(graph), _lower_tags(reference))


def _lower_tags(graph: rdflib.Graph) -> rdflib.Graph:
    """Language tags in lower case (RDF 1.1 Concepts 3.3: they compare case-insensitively)."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out
