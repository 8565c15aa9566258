"""The SHACL shapes against hand-written examples (tests/shapes/manifest.ttl).

The manifest lists test cases as data, in the style of the W3C data-shapes test suite: each
entry validates one Turtle file with the project's shapes and ontology and gives every
validation result expected, as (focus node, result path, source shape, constraint component).
Files under tests/shapes/valid/ conform; each file under tests/shapes/invalid/ violates exactly
one constraint. A coverage test checks that every (shape, constraint component) pair of
shapes/*.ttl has an invalid example, or a reasoned exemption in tests/shapes/uncovered.ttl.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection

from haberkg.checks import validate as shacl
from haberkg.checks.shapes import Shapes
from haberkg.namespaces import compact
from haberkg.sources.project import Project

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "shapes"
MANIFEST = HERE / "manifest.ttl"
UNCOVERED = HERE / "uncovered.ttl"

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")

# SHACL Core constraint parameters and the component each one belongs to (sh:property is left
# out: a property shape is a shape of its own here). sh:qualifiedValueShape, sh:flags and
# sh:ignoredProperties are not listed: they only qualify another parameter.
PARAMETERS = {
    "minCount": "MinCount", "maxCount": "MaxCount", "class": "Class", "datatype": "Datatype",
    "nodeKind": "NodeKind", "pattern": "Pattern", "languageIn": "LanguageIn",
    "uniqueLang": "UniqueLang", "in": "In", "or": "Or", "and": "And", "not": "Not", "xone": "Xone",
    "node": "Node", "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals",
    "equals": "Equals", "disjoint": "Disjoint", "minInclusive": "MinInclusive",
    "maxInclusive": "MaxInclusive", "minExclusive": "MinExclusive", "maxExclusive": "MaxExclusive",
    "minLength": "MinLength", "maxLength": "MaxLength", "hasValue": "HasValue",
    "qualifiedMinCount": "QualifiedMinCount", "qualifiedMaxCount": "QualifiedMaxCount",
    "closed": "Closed", "sparql": "SPARQL",
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

Key = tuple[str, str, str, str]  # focus, path, shape, component (as haberkg.shacl.Result has them)


def term(node: rdflib.term.Node | None) -> str:
    """A manifest term in the compact form of haberkg.shacl.Result."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, BNode):
        return "[]"
    if isinstance(node, Literal):  # a typed literal's datatype by its prefixed name
        if node.datatype is not None and not node.language:
            return f"{Literal(str(node)).n3()}^^{compact(str(node.datatype))}"
        return node.n3()
    raise TypeError(node)


@dataclass(frozen=True)
class Case:
    name: str
    comment: str
    action: Path
    conforms: bool
    expected: frozenset[Key]
    constraints: tuple[tuple[Key, str], ...]  # expected result -> its sh:sourceConstraint

    def __str__(self) -> str:
        return self.name


@cache
def manifest() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    return graph


def _path(iri: URIRef) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


@cache
def cases() -> tuple[Case, ...]:
    graph = manifest()
    root = URIRef(MANIFEST.as_uri())
    out = []
    entries = graph.value(root, MF.entries)
    assert entries is not None, f"{MANIFEST}: no mf:entries list"
    for entry in Collection(graph, entries):
        result = graph.value(entry, MF.result)
        action = graph.value(entry, MF.action)
        conforms = graph.value(result, SH.conforms)
        assert isinstance(action, URIRef) and isinstance(conforms, Literal), entry
        expected, constraints = set(), []
        for r in graph.objects(result, SH.result):
            key = (term(graph.value(r, SH.focusNode)), term(graph.value(r, SH.resultPath)),
                   term(graph.value(r, SH.sourceShape)),
                   term(graph.value(r, SH.sourceConstraintComponent)))
            expected.add(key)
            constraint = graph.value(r, SH.sourceConstraint)
            if constraint is not None:
                constraints.append((key, term(constraint)))
        out.append(Case(
            name=str(graph.value(entry, MF.name)),
            comment=str(graph.value(entry, RDFS.comment) or ""),
            action=_path(action),
            conforms=conforms.toPython(),
            expected=frozenset(expected),
            constraints=tuple(sorted(constraints)),
        ))
    return tuple(out)


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.discover(ROOT)


@pytest.fixture(scope="module")
def shapes(project: Project) -> Shapes:
    return shacl.project_shapes(project)


@pytest.fixture(scope="module")
def ontology(project: Project) -> rdflib.Graph:
    return shacl.ontology_graph(project)


# ------------------------------------------------------------------ the manifest itself

def test_manifest_lists_every_example_once() -> None:
    graph = manifest()
    listed = [c.name for c in cases()]
    assert len(listed) == len(set(listed)), "mf:name is not unique"
    typed = set(graph.subjects(RDF.type, SHT.Validate))
    assert len(typed) == len(listed), "every sht:Validate entry is in mf:entries, and only those"
    actions = sorted(c.action for c in cases())
    files = sorted([*HERE.glob("valid/*.ttl"), *HERE.glob("invalid/*.ttl")])
    assert actions == files, "every file under valid/ and invalid/ is the action of one entry"


@pytest.mark.parametrize("case", cases(), ids=str)
def test_manifest_entry_is_well_formed(case: Case) -> None:
    assert case.comment, "say what the example shows (rdfs:comment)"
    if case.conforms:
        assert case.action.parent.name == "valid"
        assert case.name == f"valid-{case.action.stem}"
        assert not case.expected
        return
    assert case.action.parent.name == "invalid"
    assert case.name == case.action.stem
    violated = {(shape, component, path) for _, path, shape, component in case.expected}
    assert len(violated) == 1, f"an invalid example violates exactly one constraint: {violated}"
    (_, component, _), = violated
    sparql = component == "sh:SPARQLConstraintComponent"
    assert len(case.constraints) == (len(case.expected) if sparql else 0), \
        "sh:sourceConstraint names the sh:sparql constraint, for SPARQL results only"


# ------------------------------------------------------------------ each example

@pytest.mark.parametrize("case", cases(), ids=str)
def test_example(case: Case, shapes: Shapes, ontology: rdflib.Graph) -> None:
    graph = shapes.graph
    outcome = shacl.validate_with([case.action], shapes, shacl.Options(), ontology)
    assert outcome.errors == []
    assert outcome.report is not None
    report = outcome.report
    got = {(r.focus, r.path, r.shape, r.component) for r in report.results}
    shown = "\n".join(f"  {r.focus} {r.path or '(node)'} {r.shape} {r.component} "
                      f"value {r.value}: {r.message}" for r in report.results) or "  (none)"
    assert outcome.conforms is case.conforms, f"{case.comment}; results:\n{shown}"
    assert got == case.expected, (
        f"{case.comment}\nunexpected: {sorted(got - case.expected)}\n"
        f"missing: {sorted(case.expected - got)}\nresults:\n{shown}")
    # Several sh:sparql constraints of one node shape report the same (shape, component):
    # the message tells which one fired.
    for key, constraint in case.constraints:
        node = URIRef(constraint_iri(constraint))
        messages = {str(m) for m in graph.objects(node, SH.message)}
        assert messages, f"{constraint} has no sh:message"
        fired = {r.message for r in report.results
                 if (r.focus, r.path, r.shape, r.component) == key}
        assert fired <= messages, f"{key} came from another constraint than {constraint}: {fired}"


def constraint_iri(compact: str) -> str:
    assert compact.startswith("hks:"), compact
    return "https://w3id.org/haberkg/shapes#" + compact[4:]


# ------------------------------------------------------------------ coverage

Pair = tuple[str, str, str]  # shape, component, sh:sparql constraint ("" for other components)


def shape_nodes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """Shapes that are shapes of their own: not those nested in sh:or or sh:qualifiedValueShape."""
    nodes = set(graph.subjects(RDF.type, SH.NodeShape))
    nodes |= set(graph.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(graph.objects(None, SH.property))
    for target in TARGETS:
        nodes |= set(graph.subjects(target, None))
    return nodes


def constraint_pairs(graph: rdflib.Graph) -> set[Pair]:
    pairs = set()
    for node in shape_nodes(graph):
        assert isinstance(node, URIRef), f"name every shape so an example can cover it: {node!r}"
        for parameter, component in PARAMETERS.items():
            for value in graph.objects(node, SH[parameter]):
                constraint = term(value) if parameter == "sparql" else ""
                pairs.add((term(node), f"sh:{component}ConstraintComponent", constraint))
    return pairs


def covered_pairs() -> set[Pair]:
    pairs = set()
    for case in cases():
        if case.conforms:
            continue
        constraints = dict(case.constraints)
        for key in case.expected:
            _, _, shape, component = key
            pairs.add((shape, component, constraints.get(key, "")))
    return pairs


def exempt_pairs() -> dict[Pair, str]:
    graph = rdflib.Graph()
    graph.parse(UNCOVERED, format="turtle", publicID=UNCOVERED.as_uri())
    out = {}
    for node in graph.subjects(SH.sourceShape, None):
        pair = (term(graph.value(node, SH.sourceShape)),
                term(graph.value(node, SH.sourceConstraintComponent)),
                term(graph.value(node, SH.sourceConstraint)))
        reason = graph.value(node, RDFS.comment)
        assert reason, f"{node}: say why the pair cannot be exercised (rdfs:comment)"
        out[pair] = str(reason)
    return out


def _lines(pairs: Iterator[Pair] | set[Pair]) -> str:
    return "\n".join(f"  {s} {c}" + (f" {x}" if x else "") for s, c, x in sorted(pairs))


def test_every_constraint_has_an_invalid_example(shapes: Shapes) -> None:
    graph = shapes.graph
    pairs = constraint_pairs(graph)
    covered, exempt = covered_pairs(), exempt_pairs()
    missing = pairs - covered - set(exempt)
    assert not missing, "no invalid example under tests/shapes/invalid/ for:\n" + _lines(missing)
    stale = set(exempt) & covered
    assert not stale, "covered by an example, remove from uncovered.ttl:\n" + _lines(stale)
    unknown = (set(exempt) | covered) - pairs
    assert not unknown, "not a constraint of shapes/*.ttl:\n" + _lines(unknown)


# ------------------------------------------------------------------ the valid examples

def focus_nodes(shapes: rdflib.Graph, shape: rdflib.term.Node,
                data: rdflib.Graph) -> set[rdflib.term.Node]:
    out: set[rdflib.term.Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            out |= set(data.subjects(RDF.type, sub))
    out |= set(shapes.objects(shape, SH.targetNode))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        out |= set(data.subjects(prop, None))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        out |= set(data.objects(None, prop))
    return out


def test_valid_examples_reach_every_node_shape(shapes: Shapes,
                                               ontology: rdflib.Graph) -> None:
    graph = shapes.graph
    valid = rdflib.Graph()
    for case in cases():
        if case.conforms:
            valid.parse(case.action, format="turtle")
    terms = set(valid.subjects()) | set(valid.objects())
    merged = valid + ontology
    unreached = [term(s) for s in graph.subjects(RDF.type, SH.NodeShape)
                 if not focus_nodes(graph, s, merged) & terms]
    assert not unreached, f"no focus node in tests/shapes/valid/ for: {sorted(unreached)}"
