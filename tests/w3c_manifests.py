"""The W3C test manifests (tests/w3c/), read as the suites define them (test helper).

Manifests are parsed with pyoxigraph, each with its own base IRI: the RDF syntax suites'
``mf:assumedTestBase`` plus the file name, the SHACL suite's files their ``file:`` IRI.
``mf:include`` is followed; the entries are those of ``mf:entries``.

SHACL reports are compared as the SHACL test suite compares them: ``sh:conforms`` and the
set of results, each reduced to (focus node, result path, value, source shape, source
constraint component, severity), messages and ``sh:detail`` left out. A result path that is
a blank node is compared by its structure (in SPARQL path syntax); other blank nodes by
label: the expected report is written in the same file as the data and shapes, and haberkg
gives one file's labels one scope wherever the file is read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
W3C = ROOT / "tests" / "w3c"
SHACL_SUITE = W3C / "data-shapes-test-suite" / "tests"
RDF_SUITES = W3C / "rdf-tests" / "rdf11"

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def parse(path: Path, base: str | None = None) -> ox.Store:
    """A manifest in a store, blank node labels as written (the expected reports name the
    blank nodes of the data and shapes by label)."""
    store = ox.Store()
    store.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE,
                          base_iri=base or path.resolve().as_uri()))
    return store


def value(store: ox.Store, subject: object, predicate: str) -> ox.NamedNode | ox.BlankNode | \
        ox.Literal | None:
    for q in store.quads_for_pattern(subject, _n(predicate), None, None):  # type: ignore[arg-type]
        return q.object  # type: ignore[return-value]
    return None


def values(store: ox.Store, subject: object, predicate: str) -> list[object]:
    return [q.object for q in store.quads_for_pattern(subject, _n(predicate), None, None)]  # type: ignore[arg-type]


def collection(store: ox.Store, head: object) -> list[object]:
    out: list[object] = []
    while head is not None and head != _n(RDF + "nil"):
        first = value(store, head, RDF + "first")
        if first is None:
            break
        out.append(first)
        head = value(store, head, RDF + "rest")
    return out


def local_path(iri: str) -> Path:
    assert iri.startswith("file://"), iri
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(iri).path))


# ---------------------------------------------------------------------- SHACL


@dataclass(frozen=True)
class ShaclCase:
    name: str  # the test file's path under tests/w3c/data-shapes-test-suite/tests, no .ttl
    label: str
    data: Path
    shapes: Path
    failure: bool  # mf:result sht:Failure: the validator must refuse to validate
    conforms: bool | None
    results: frozenset[tuple[str, ...]]


# In the suite's folders but in no manifest (the 121st file): run as well, by its own entries.
NOT_IN_A_MANIFEST = ("sparql/component/nodeValidator-001.ttl",)


def shacl_cases() -> list[ShaclCase]:
    cases: list[ShaclCase] = []
    _shacl_manifest(SHACL_SUITE / "manifest.ttl", cases)
    for extra in NOT_IN_A_MANIFEST:
        _shacl_manifest(SHACL_SUITE / extra, cases)
    return sorted(cases, key=lambda c: c.name)


def _shacl_manifest(path: Path, cases: list[ShaclCase]) -> None:
    store = parse(path)
    me = _n(path.resolve().as_uri())
    for include in values(store, me, MF + "include"):
        _shacl_manifest(local_path(include.value), cases)  # type: ignore[attr-defined]
    for head in values(store, me, MF + "entries"):
        for entry in collection(store, head):
            action = value(store, entry, MF + "action")
            result = value(store, entry, MF + "result")
            data, shapes = (value(store, action, SHT + g) for g in ("dataGraph", "shapesGraph"))
            assert isinstance(data, ox.NamedNode) and isinstance(shapes, ox.NamedNode)
            name = str(path.relative_to(SHACL_SUITE).with_suffix(""))
            if path.name == "manifest.ttl":
                name = str(local_path(data.value).relative_to(SHACL_SUITE).with_suffix(""))
            label = value(store, entry, RDFS + "label")
            failure = result == _n(SHT + "Failure")
            conforms = None if failure else value(store, result, SH + "conforms")
            cases.append(ShaclCase(
                name=name, label=label.value if label is not None else "",
                data=local_path(data.value), shapes=local_path(shapes.value), failure=failure,
                conforms=None if conforms is None else conforms.value == "true",
                results=frozenset() if failure else results_of(store, result)))


def report_of(turtle_or_ntriples: bytes) -> tuple[bool | None, frozenset[tuple[str, ...]]]:
    """``sh:conforms`` and the normalised results of a validation report (an engine's).

    Blank node labels lose the per-file prefix haberkg gives them (``f<12 hex>_``)."""
    import re

    text = re.sub(rb"_:f[0-9a-f]{12}_", b"_:", turtle_or_ntriples)
    store = ox.Store()
    store.extend(ox.parse(text, format=ox.RdfFormat.TURTLE))
    reports = [q.subject for q in store.quads_for_pattern(
        None, _n(RDF + "type"), _n(SH + "ValidationReport"), None)]
    assert len(reports) == 1, f"{len(reports)} validation reports"
    conforms = value(store, reports[0], SH + "conforms")
    return (None if conforms is None else conforms.value in ("true", "1"),
            results_of(store, reports[0]))


def results_of(store: ox.Store, report: object) -> frozenset[tuple[str, ...]]:
    """The results of a validation report, each as the normalised 6-tuple."""
    out = set()
    for result in values(store, report, SH + "result"):
        out.add(tuple(_norm(store, value(store, result, SH + p)) for p in (
            "focusNode", "resultPath", "value", "sourceShape", "sourceConstraintComponent",
            "resultSeverity")))
    return frozenset(out)


def _norm(store: ox.Store, node: object, depth: int = 0) -> str:
    """A term for comparison: IRIs and literals as in N-Triples (lexical form kept), a blank
    node that is a SHACL path by its structure, any other blank node by its label."""
    if node is None:
        return ""
    if isinstance(node, ox.BlankNode):
        if depth > 10:
            return "..."
        for pred, mark in (("inversePath", "^"), ("zeroOrMorePath", "*"),
                           ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = value(store, node, SH + pred)
            if inner is not None:
                return f"{mark}({_norm(store, inner, depth + 1)})"
        alternatives = value(store, node, SH + "alternativePath")
        if alternatives is not None:
            return "(" + "|".join(_norm(store, i, depth + 1)
                                  for i in collection(store, alternatives)) + ")"
        if value(store, node, RDF + "first") is not None:
            return "(" + "/".join(_norm(store, i, depth + 1)
                                  for i in collection(store, node)) + ")"
        return "_:" + node.value
    return str(node)


@dataclass(frozen=True)
class KnownFailure:
    name: str
    reason: str


def known_shacl_failures() -> dict[str, str]:
    """What pySHACL cannot do (tests/w3c/shacl-known-failures.toml): name -> reason."""
    data = tomllib.loads((W3C / "shacl-known-failures.toml").read_text(encoding="utf-8"))
    return {c["name"]: c["reason"] for c in data["case"]}


# ---------------------------------------------------------------------- RDF syntax


@dataclass(frozen=True)
class SyntaxCase:
    suite: str  # rdf-turtle, rdf-trig, ...
    name: str
    kind: str  # rdft:TestTurtlePositiveSyntax, ...NegativeSyntax, ...Eval, ...NegativeEval
    action: Path
    base: str
    result: Path | None

    @property
    def negative(self) -> bool:
        return "Negative" in self.kind

    @property
    def eval(self) -> bool:
        return self.kind.endswith("Eval") and not self.negative


SYNTAX_SUITES = ("rdf-turtle", "rdf-trig", "rdf-n-triples", "rdf-n-quads", "rdf-xml")


def syntax_cases() -> list[SyntaxCase]:
    cases: list[SyntaxCase] = []
    for suite in SYNTAX_SUITES:
        manifest = RDF_SUITES / suite / "manifest.ttl"
        store = parse(manifest)
        me = _n(manifest.resolve().as_uri())
        given = value(store, me, MF + "assumedTestBase")
        # N-Triples and N-Quads have no relative IRIs; their manifests give no base
        base = given.value if isinstance(given, ox.NamedNode) else (
            f"https://w3c.github.io/rdf-tests/rdf/rdf11/{suite}/")
        folder = manifest.parent.resolve().as_uri() + "/"
        for head in values(store, me, MF + "entries"):
            for entry in collection(store, head):
                kind = value(store, entry, RDF + "type")
                action = value(store, entry, MF + "action")
                result = value(store, entry, MF + "result")
                name = value(store, entry, MF + "name")
                assert isinstance(action, ox.NamedNode) and kind is not None
                relative = action.value.removeprefix(folder)
                cases.append(SyntaxCase(
                    suite=suite, name=name.value if name is not None else relative,
                    kind=kind.value.removeprefix(RDFT), action=local_path(action.value),
                    base=base + relative,
                    result=local_path(result.value) if isinstance(result, ox.NamedNode)
                    else None))
    return cases
