"""SHACL validation through independent engines, with one normalised result (test helper).

Each function validates Turtle data files, merged with ontology files (class membership for
sh:class and sh:targetClass is defined by the rdfs:subClassOf triples of the *data* graph), against
SHACL shapes files, and returns a :class:`Verdict` whose results can be compared across engines:

* :func:`with_pyshacl` -- pyshacl (Python, on rdflib), SHACL Core and SHACL-SPARQL;
* :func:`with_pyrudof` -- pyrudof (Python bindings of rudof, Rust), native engine;
* :func:`with_jena` / :func:`with_jena_batch` -- Apache Jena SHACL, one JVM per call (the
  batch validates many data graphs in that one JVM, each as ``shacl validate`` would).

Both engines read exactly the same triples: every file is parsed once by pyoxigraph (strict,
blank nodes renamed so that files cannot share one) and handed over as N-Triples. No engine
touches the network: rdflib and rudof read the merged graphs from memory or a local file, and no
input is a URL.

A result is the key ``(focus node, result path, constraint component)``:

* focus node: the full IRI; ``'_:bnode'`` for any blank node (labels cannot be compared across
  engines); a literal focus node in N-Triples form (``'"x"@en'``);
* result path: ``''`` for a node-level result; the full IRI for a predicate path; a complex path
  in SPARQL property path syntax with full IRIs, parenthesised the same way by both engines
  (``'(^<http://ex/p> / <http://ex/q>)'``, ``'(<http://ex/p> | <http://ex/q>)'``,
  ``'(<http://ex/p>)*'``), read from the report graph, not from engine-specific strings;
* constraint component: the full IRI (``http://www.w3.org/ns/shacl#MinCountConstraintComponent``).

Severity, message, value and source shape are left out on purpose: engines word messages
differently and name blank-node shapes differently. ``Verdict.seconds`` is the time of the
validation call alone (parsing excluded).

``Verdict.unsupported`` lists what the shapes use and the engine silently ignores, as IRIs (see
:func:`unsupported_by`): for pyrudof 0.3.35, SPARQL-based constraint components (the IRIs of the
shapes graph's own sh:ConstraintComponent declarations) and SPARQL-based targets (sh:target,
recorded as ``sh:SPARQLTarget``). :meth:`Verdict.comparable` drops results of such components.
SHACL Core and sh:sparql constraints are supported by both engines.

Known differences of pyrudof 0.3.35 from pyshacl 0.40 (and from SHACL) that are not a missing
feature, and so are not in ``unsupported``:

* order comparisons (sh:minInclusive, sh:maxInclusive, sh:minExclusive, sh:maxExclusive,
  sh:lessThan, sh:lessThanOrEquals) of two numbers fail when one is of a datatype derived
  from xsd:integer (xsd:int, xsd:long, xsd:short, xsd:byte, xsd:nonNegativeInteger,
  xsd:positiveInteger, xsd:unsigned*, xsd:nonPositiveInteger, xsd:negativeInteger) and the other
  of another numeric datatype (xsd:integer, xsd:decimal, another derived one): pyrudof reports
  a violation although the values are in order (``"2"^^xsd:positiveInteger`` fails
  ``sh:minInclusive 1``); two values of the same derived datatype compare fine;
* an sh:sparql query that binds ``?failure`` to true makes pyrudof raise ``ShaclError``
  (pyshacl reports a result of SPARQLConstraintComponent for the focus node);
* a query the spec forbids under pre-binding (MINUS) is run by pyrudof; pyshacl returns a
  ``ValidationFailure``, raised here;
* a shape with two values of a single-valued parameter (two sh:minCount) is used by pyrudof
  (one of them); pyshacl refuses the shapes graph (``ConstraintLoadError``).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

Key = tuple[str, str, str]  # (focus node, result path, constraint component); '' for no path

SH = "http://www.w3.org/ns/shacl#"
BNODE = "_:bnode"

_SH = rdflib.Namespace(SH)

# What each engine ignores silently, besides SPARQL-based constraint components, which
# pyrudof 0.3.35 ignores as well (their IRIs are the shapes graph's own: see unsupported_by).
# sh:SPARQLTarget stands for the SHACL-AF SPARQL-based targets (sh:target): pyrudof never
# validates their focus nodes.
PYRUDOF_UNSUPPORTED: frozenset[str] = frozenset({SH + "SPARQLTarget"})
PYSHACL_UNSUPPORTED: frozenset[str] = frozenset()

# Parameters that make a shape use a component (SHACL Core + SHACL-SPARQL, sh:property and
# qualifier-only parameters such as sh:flags left out).
_PARAMETERS: dict[str, str] = {
    "class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind", "minCount": "MinCount",
    "maxCount": "MaxCount", "minExclusive": "MinExclusive", "minInclusive": "MinInclusive",
    "maxExclusive": "MaxExclusive", "maxInclusive": "MaxInclusive", "minLength": "MinLength",
    "maxLength": "MaxLength", "pattern": "Pattern", "languageIn": "LanguageIn",
    "uniqueLang": "UniqueLang", "equals": "Equals", "disjoint": "Disjoint",
    "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals", "not": "Not", "and": "And",
    "or": "Or", "xone": "Xone", "node": "Node", "qualifiedMinCount": "QualifiedMinCount",
    "qualifiedMaxCount": "QualifiedMaxCount", "closed": "Closed", "hasValue": "HasValue",
    "in": "In", "sparql": "SPARQL",
}


@dataclass(frozen=True)
class Verdict:
    """What one engine said about one validation, normalised for comparison."""

    conforms: bool
    results: frozenset[Key]
    engine: str
    version: str
    # what the shapes use and this engine ignores (component IRIs, sh:SPARQLTarget)
    unsupported: frozenset[str] = frozenset()
    seconds: float = field(default=0.0, compare=False)

    def comparable(self, ignore: Iterable[str] = ()) -> frozenset[Key]:
        """The results whose component is in neither ``ignore`` nor :attr:`unsupported`."""
        skip = self.unsupported | frozenset(ignore)
        return frozenset(k for k in self.results if k[2] not in skip)


# ------------------------------------------------------------------ input

def _ntriples(paths: Sequence[Path]) -> bytes:
    """The triples of all ``paths`` (Turtle), merged, as N-Triples (blank nodes kept apart)."""
    triples: list[ox.Triple] = []
    for path in paths:
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE,
                             base_iri=path.resolve().as_uri(), rename_blank_nodes=True):
            triples.append(quad.triple)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _graph(ntriples: bytes) -> rdflib.Graph:
    graph = rdflib.Graph()
    if ntriples:
        graph.parse(data=ntriples.decode("utf-8"), format="nt")
    return graph


def _declared_components(shapes: rdflib.Graph) -> set[str]:
    """SPARQL-based constraint components declared by the shapes graph."""
    return {str(c) for c in shapes.subjects(rdflib.RDF.type, _SH.ConstraintComponent)
            if isinstance(c, rdflib.URIRef)}


def used_features(shapes: rdflib.Graph) -> frozenset[str]:
    """What the shapes graph uses, as IRIs: the SHACL Core and SHACL-SPARQL components whose
    parameters occur, the SPARQL-based constraint components it declares, and sh:SPARQLTarget
    if a shape has an sh:target."""
    used = {f"{SH}{component}ConstraintComponent" for parameter, component in _PARAMETERS.items()
            if (None, _SH[parameter], None) in shapes}
    used |= _declared_components(shapes)
    if (None, _SH.target, None) in shapes:
        used.add(SH + "SPARQLTarget")
    return frozenset(used)


def unsupported_by(engine: str, shapes: rdflib.Graph) -> frozenset[str]:
    """The features of :func:`used_features` that ``engine`` ignores silently."""
    if engine == "pyshacl":
        return used_features(shapes) & PYSHACL_UNSUPPORTED
    if engine == "pyrudof":
        return used_features(shapes) & (PYRUDOF_UNSUPPORTED | _declared_components(shapes))
    raise ValueError(f"unknown engine {engine!r}")


# ------------------------------------------------------------------ report normalisation

def _node(term: rdflib.term.Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.BNode):
        return BNODE
    return term.n3()


def _path(graph: rdflib.Graph, term: rdflib.term.Node | None) -> str:
    """A result path as a string: the IRI for a predicate path, else SPARQL path syntax."""
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return str(term)
    return _complex_path(graph, term)


def _complex_path(graph: rdflib.Graph, term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if (term, rdflib.RDF.first, None) in graph:
        return "(" + " / ".join(_complex_path(graph, t) for t in Collection(graph, term)) + ")"
    alternatives = graph.value(term, _SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(_complex_path(graph, t)
                                for t in Collection(graph, alternatives)) + ")"
    inverse = graph.value(term, _SH.inversePath)
    if inverse is not None:
        return "^" + _complex_path(graph, inverse)
    for predicate, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"),
                              ("zeroOrOnePath", "?")):
        inner = graph.value(term, _SH[predicate])
        if inner is not None:
            return f"({_complex_path(graph, inner)}){suffix}"
    raise ValueError(f"not a SHACL property path: {term!r}")


def _report_node(report: rdflib.Graph) -> rdflib.term.Node:
    nodes = set(report.subjects(rdflib.RDF.type, _SH.ValidationReport))
    if len(nodes) != 1:
        raise ValueError(f"a report graph has one sh:ValidationReport, found {len(nodes)}")
    return nodes.pop()


def _results(report: rdflib.Graph) -> frozenset[Key]:
    """(focus, path, component) of each sh:result of the report.

    Only the report's own results: the nested ones under sh:detail (both engines give them
    for sh:node, sh:or and the like) explain a result and are not results of the validation.
    """
    keys = set()
    for result in report.objects(_report_node(report), _SH.result):
        keys.add((_node(report.value(result, _SH.focusNode)),
                  _path(report, report.value(result, _SH.resultPath)),
                  _node(report.value(result, _SH.sourceConstraintComponent))))
    return frozenset(keys)


def _conforms(report: rdflib.Graph) -> bool:
    values = list(report.objects(_report_node(report), _SH.conforms))
    if len(values) != 1 or not isinstance(values[0], rdflib.Literal):
        raise ValueError(f"a validation report has one sh:conforms, found {values}")
    return bool(values[0].toPython())


# ------------------------------------------------------------------ pyshacl

@contextlib.contextmanager
def _parse_once() -> Iterator[None]:
    """Parse each SPARQL text once while pyshacl runs (27 s -> 2 s on the examples).

    pyshacl (0.40 and older) parses a SHACL-SPARQL constraint's text again for every focus
    node, and rdflib's parser takes ~0.1 s per query. Results are unchanged: the same text
    always gives the same algebra.
    """
    import pyshacl
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    version = tuple(int(p) for p in re.findall(r"\d+", pyshacl.__version__)[:2])
    if version > (0, 40):
        yield
        return
    cache: dict[tuple[object, ...], Any] = {}
    original = SPARQLProcessor.query

    def query(proc: Any, text: Any, initBindings: Any = None, initNs: Any = None,  # noqa: N803
              base: Any = None, DEBUG: bool = False) -> Any:  # noqa: N803
        if isinstance(text, str):
            key = (text, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(text), base, initNs)
            text = cache[key]
        return original(proc, text, initBindings, initNs, base, DEBUG)

    SPARQLProcessor.query = query  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]


def with_pyshacl(data: list[Path], shapes: list[Path], ontology: list[Path]) -> Verdict:
    """Validate with pyshacl: no inference, SHACL Advanced Features on, all results kept."""
    import pyshacl

    data_graph = _graph(_ntriples([*data, *ontology]))
    shapes_graph = _graph(_ntriples(shapes))
    start = time.perf_counter()
    # allow_warnings / allow_infos stay off: sh:conforms is false for results of any severity,
    # as SHACL defines it (and as rudof does)
    with _parse_once():
        conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph,
                                               inference="none", advanced=True)
    seconds = time.perf_counter() - start
    if isinstance(report, Exception):  # a ValidationFailure is returned, not raised
        raise report
    if not isinstance(report, rdflib.Graph):
        raise TypeError(f"pyshacl returned a {type(report).__name__} report")
    if _conforms(report) is not bool(conforms):
        raise AssertionError("pyshacl: sh:conforms differs from the returned flag")
    return Verdict(conforms=bool(conforms), results=_results(report), engine="pyshacl",
                   version=pyshacl.__version__,
                   unsupported=unsupported_by("pyshacl", shapes_graph),
                   seconds=seconds)


# ------------------------------------------------------------------ pyrudof

def with_pyrudof(data: list[Path], shapes: list[Path], ontology: list[Path]) -> Verdict:
    """Validate with pyrudof's native SHACL engine.

    The merged data and shapes are written to local N-Triples files and read with
    ``Rudof.read_data`` / ``Rudof.read_shacl`` (a path, never a string that could be taken for a
    URL); ``Rudof.validate_shacl(mode=ShaclValidationMode.Native)`` validates in memory (the
    fetch strategy only concerns SPARQL endpoints). The report is taken as an RDF graph
    (``serialize_shacl_validation_results`` in N-Triples) so that paths and literals are read
    structurally; the entries' strings compact IRIs with default prefixes and print paths in
    rudof's own syntax.
    """
    import pyrudof

    shapes_nt = _ntriples(shapes)
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    with tempfile.TemporaryDirectory(prefix="shacl-engines-") as tmp:
        data_file, shapes_file = Path(tmp, "data.nt"), Path(tmp, "shapes.nt")
        data_file.write_bytes(_ntriples([*data, *ontology]))
        shapes_file.write_bytes(shapes_nt)
        rudof.read_data(data_file, format=pyrudof.RDFFormat.NTriples,
                        reader_mode=pyrudof.ReaderMode.Strict)
        rudof.read_shacl(shapes_file, format=pyrudof.ShaclFormat.NTriples,
                         reader_mode=pyrudof.ReaderMode.Strict)
        start = time.perf_counter()
        report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
        seconds = time.perf_counter() - start
    graph = _graph(rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.NTriples).encode("utf-8"))
    if _conforms(graph) is not bool(report.conforms):
        raise AssertionError("pyrudof: sh:conforms differs from ShaclValidationReport.conforms")
    results = _results(graph)
    entries = {(e.constraint_component, e.focus_node.startswith("_:")) for e in report}
    if entries != {(k[2], k[0] == BNODE) for k in results}:
        raise AssertionError("pyrudof: the report graph and the report entries differ")
    return Verdict(conforms=bool(report.conforms), results=results, engine="pyrudof",
                   version=rudof.get_version(),
                   unsupported=unsupported_by("pyrudof", _graph(shapes_nt)),
                   seconds=seconds)


# ------------------------------------------------------------------ Jena SHACL

def _jena_verdict(report_text: str, version: str, seconds: float, fmt: str) -> Verdict:
    report = rdflib.Graph().parse(data=report_text, format=fmt)
    return Verdict(conforms=_conforms(report), results=_results(report), engine="jena",
                   version=version, unsupported=frozenset(), seconds=seconds)


def with_jena(data: list[Path], shapes: list[Path], ontology: list[Path]) -> Verdict:
    """Validate with Apache Jena SHACL (``shacl validate``, one JVM), through tests/engines.py."""
    from .engines import Jena

    jena = Jena()
    with tempfile.TemporaryDirectory(prefix="haberkg-jena-shacl-") as tmp:
        data_file = Path(tmp) / "data.nt"
        shapes_file = Path(tmp) / "shapes.nt"
        data_file.write_bytes(_ntriples([*data, *ontology]))
        shapes_file.write_bytes(_ntriples(shapes))
        start = time.perf_counter()
        report_text = jena.shacl_validate(data_file, shapes_file)
        seconds = time.perf_counter() - start
    return _jena_verdict(report_text, jena.version, seconds, "turtle")


def with_jena_batch(datasets: Sequence[list[Path]], shapes: list[Path],
                    ontology: list[Path]) -> list[Verdict]:
    """Validate each of ``datasets`` (each with ``ontology`` added) with Jena SHACL, all in
    one JVM (tests/java/ShaclBatch.java): the same validation as :func:`with_jena` per data
    set, without a JVM start for each. ``Verdict.seconds`` is the batch's time divided
    evenly."""
    from .engines import Jena

    jena = Jena()
    with tempfile.TemporaryDirectory(prefix="haberkg-jena-batch-") as tmp:
        folder = Path(tmp)
        shapes_file, ontology_file = folder / "shapes.nt", folder / "ontology.nt"
        shapes_file.write_bytes(_ntriples(shapes))
        ontology_file.write_bytes(_ntriples(ontology))
        files = []
        for number, data in enumerate(datasets):
            path = folder / f"data-{number}.nt"
            path.write_bytes(_ntriples(data))
            files.append(path)
        start = time.perf_counter()
        reports = jena.shacl_batch(shapes_file, ontology_file, files)
        seconds = (time.perf_counter() - start) / max(1, len(files))
    return [_jena_verdict(r, jena.version, seconds, "nt") for r in reports]
