"""SHACL validation with pySHACL: shapes as given, reports as SHACL says.

* Shapes need no ``rdf:type`` (SHACL allows that); a graph with nothing SHACL would
  treat as a shape is refused as "not a shapes graph".
* Every SPARQL text in the shapes (SHACL-SPARQL constraints, and with ``advanced``
  the SHACL-AF targets, rules and functions) is checked by the same guard as every
  query (:mod:`haberkg.sparql.guard`) before pySHACL runs: no ``SERVICE``, no update,
  no ``FROM``; rdflib's loading of graphs named in a query is switched off.
* SHACL-AF (rules, SPARQL targets) only when asked for with ``advanced``.
* pySHACL's own errors are reported as unusable shapes (exit 2) with pySHACL's
  reason; anything else is an internal error (exit 3).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import rdflib
import rdflib.plugins.sparql
from rdflib.namespace import RDF, SH

from haberkg.checks.shacl_sparql import on_oxigraph
from haberkg.errors import InternalError, QueryRefused, ShapesError
from haberkg.namespaces import compact
from haberkg.sparql.run import deep_stack

SEVERITIES = ("Violation", "Warning", "Info")
SPARQL_TEXTS = (SH.select, SH.ask, SH.construct, SH.update)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# The parameters of the SHACL core (and SPARQL-based) constraint components.
PARAMETERS = (SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount,
              SH.minExclusive, SH.minInclusive, SH.maxExclusive, SH.maxInclusive,
              SH.minLength, SH.maxLength, SH.pattern, SH.languageIn, SH.uniqueLang, SH.equals,
              SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH["not"], SH["and"], SH["or"],
              SH.xone, SH.node, SH.property, SH.qualifiedValueShape, SH.closed, SH.hasValue,
              SH["in"], SH.sparql, SH.path)
SHAPE_VALUES = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
IRIREF_BODY = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')

# rdflib's SPARQL engine would read any graph named in FROM (files and URLs alike).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def _only_when_debugging(record: logging.LogRecord) -> bool:
    return logging.getLogger("haberkg").isEnabledFor(logging.DEBUG)


# pySHACL logs its errors to stderr itself (and again through the root logger); haberkg
# reports them as one line. A filter on the logger survives pySHACL resetting its handlers.
logging.getLogger("pyshacl-validate").addFilter(_only_when_debugging)
# rdflib logs a traceback (and warns) for every ill-formed literal it is asked for the value
# of ("aldi"^^xsd:integer): such literals are the data's to fix, and SHACL reports them
# (sh:datatype); they are not errors of haberkg.
logging.getLogger("rdflib.term").addFilter(_only_when_debugging)
warnings.filterwarnings("ignore", category=UserWarning, module="rdflib.term")


@dataclass
class Shapes:
    """A shapes graph, ready for pySHACL."""

    graph: rdflib.Graph
    count: int
    prefixes: dict[str, str] = field(default_factory=dict)
    shown: str = "shapes"


def shape_nodes(graph: rdflib.Graph, *, advanced: bool = False) -> set[rdflib.term.Node]:
    """The nodes SHACL calls shapes (section 2.1): typed ones, subjects of targets or of
    constraint parameters, and values of shape-expecting parameters (lists included)."""
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(RDF.type, SH.PropertyShape))
    for pred in (*TARGETS, *PARAMETERS):
        shapes |= set(graph.subjects(pred, None))
    for pred in SHAPE_VALUES:
        shapes |= set(graph.objects(None, pred))
    for pred in SHAPE_LISTS:
        for head in graph.objects(None, pred):
            shapes |= set(rdflib.collection.Collection(graph, head))
    if advanced:
        shapes |= set(graph.subjects(SH.rule, None)) | set(graph.subjects(SH.target, None))
    return {s for s in shapes if not isinstance(s, rdflib.Literal)}


def shapes_of(graph: rdflib.Graph, *, shown: str, advanced: bool = False,
              prefixes: dict[str, str] | None = None) -> Shapes:
    """Check a shapes graph (its SPARQL above all) and count its shapes."""
    shapes = shape_nodes(graph, advanced=advanced)
    if not shapes:
        raise ShapesError("not a SHACL shapes graph: nothing in it is a shape (no targets, "
                          "no constraints, no sh:NodeShape or sh:PropertyShape)", path=shown)
    check_sparql(graph, shown=shown)
    _as_specified(graph)
    return Shapes(graph, len(shapes), dict(prefixes or {}), shown)


def _as_specified(graph: rdflib.Graph) -> None:
    """Two readings of the shapes graph that SHACL specifies and pySHACL does not make.

    * ``sh:uniqueLang`` is active only with the value ``true``: ``"1"^^xsd:boolean`` is
      another literal and leaves the constraint off (W3C test core/property/uniqueLang-002);
      pySHACL reads the value, so such a triple is dropped here.
    * The prefixes of ``sh:prefixes P`` are the ``sh:declare`` of P and of every ontology P
      imports (``owl:imports``, transitively) in the shapes graph (section 5.2.1; W3C test
      sparql/node/prefixes-001); pySHACL reads only P's own, so the imported declarations
      are added to P.
    """
    from rdflib.namespace import OWL

    for node, lit in list(graph.subject_objects(SH.uniqueLang)):
        if not (isinstance(lit, rdflib.Literal) and str(lit) == "true"):
            graph.remove((node, SH.uniqueLang, lit))
    for holder in set(graph.objects(None, SH.prefixes)):
        seen = {holder}
        todo = list(graph.objects(holder, OWL.imports))
        while todo:
            ontology = todo.pop()
            if ontology in seen:
                continue
            seen.add(ontology)
            for declaration in list(graph.objects(ontology, SH.declare)):
                graph.add((holder, SH.declare, declaration))
            todo += graph.objects(ontology, OWL.imports)


def check_sparql(graph: rdflib.Graph, *, shown: str) -> None:
    """Every SPARQL text pySHACL would run: checked as the guard checks every query."""
    for namespace in graph.objects(None, SH.namespace):
        if not IRIREF_BODY.fullmatch(str(namespace)):
            raise ShapesError(f"sh:namespace {str(namespace)!r} is not an IRI", path=shown)
    for pred in SPARQL_TEXTS:
        for node, text in graph.subject_objects(pred):
            if pred == SH.update:
                raise ShapesError(f"{compact(str(node))}: sh:update is not allowed: "
                                  "validation never changes data", path=shown)
            from haberkg.sparql import guard  # here: compiling its lexer costs start-up

            try:
                prepared = guard.prepare(str(text))
            except QueryRefused as exc:
                where = f" (line {exc.line} of the query)" if exc.line else ""
                raise ShapesError(f"{_name(node)}: {exc.message}{where}", path=shown) from None
            if prepared.from_graphs or prepared.from_named_graphs:
                raise ShapesError(f"{_name(node)}: FROM / FROM NAMED in a SHACL query would "
                                  "load graphs from elsewhere", path=shown)


def _name(node: rdflib.term.Node) -> str:
    return "a SPARQL query" if isinstance(node, rdflib.BNode) else compact(str(node))


# ---------------------------------------------------------------------- results

@dataclass(frozen=True)
class Result:
    """One validation result, as the SHACL report gives it (``details``: sh:detail)."""

    focus: str
    path: str
    value: str
    message: str
    shape: str
    component: str
    severity: str
    label: str = ""
    details: tuple[Result, ...] = ()
    file: str | None = None
    line: int | None = None
    focus_node: Any = field(default=None, compare=False, repr=False)


@dataclass
class Report:
    results: list[Result]
    shapes: int
    graph: rdflib.Graph | None = None  # the W3C validation report
    focus_nodes: int = 0  # how many nodes any shape targets

    def worst(self) -> str | None:
        found = {r.severity for r in self.results}
        return next((s for s in SEVERITIES if s in found), None)

    def conforms(self, fail_on: str = "Violation") -> bool:
        """No result of ``fail_on`` severity or a worse one (a severity of the shapes' own,
        neither sh:Violation, sh:Warning nor sh:Info, counts as a violation)."""
        return not any(fails(r.severity, fail_on) for r in self.results)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.results if r.severity == s) for s in SEVERITIES}


def fails(severity: str, fail_on: str) -> bool:
    """Whether a result of ``severity`` fails validation under ``--fail-on fail_on``."""
    rank = SEVERITIES.index(severity) if severity in SEVERITIES else 0
    return rank <= SEVERITIES.index(fail_on)


def _term(node: rdflib.term.Node | None, names: dict[str, str] | None = None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return compact(str(node), names)
    if isinstance(node, rdflib.BNode):
        return "[]"
    if isinstance(node, rdflib.Literal):
        if node.datatype is not None and not node.language:
            plain = rdflib.Literal(str(node), normalize=False).n3()
            return f"{plain}^^{compact(str(node.datatype), names)}"
        return node.n3()
    return str(node)


def path_text(graph: rdflib.Graph, node: rdflib.term.Node | None,
              names: dict[str, str] | None = None, depth: int = 0) -> str:
    """A SHACL property path in SPARQL property path syntax."""
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef) or depth > 8:
        return _term(node, names)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse, names, depth + 1)
    for pred, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                       (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, pred)
        if inner is not None:
            return f"({path_text(graph, inner, names, depth + 1)}){mark}"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        items = list(rdflib.collection.Collection(graph, alternatives))
        return "(" + "|".join(path_text(graph, i, names, depth + 1) for i in items) + ")"
    if graph.value(node, RDF.first) is not None:
        items = list(rdflib.collection.Collection(graph, node))
        return "/".join(path_text(graph, i, names, depth + 1) for i in items)
    return "[]"


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    names: dict[str, str] = {}
    for pred in (rdflib.URIRef("https://schema.org/name"), rdflib.URIRef("http://schema.org/name"),
                 rdflib.RDFS.label):
        for lit in graph.objects(node, pred):
            if isinstance(lit, rdflib.Literal):
                names.setdefault(lit.language or "", str(lit))
    return names.get("en") or names.get("") or next(iter(sorted(names.values())), "")


def read_results(report: rdflib.Graph, data: rdflib.Graph,
                 names: dict[str, str] | None = None) -> list[Result]:
    """The results of a W3C validation report, nested ``sh:detail`` kept nested."""
    nested = set(report.objects(None, SH.detail))
    top = [r for r in report.subjects(RDF.type, SH.ValidationResult) if r not in nested]
    return sorted({_result(report, data, r, names, 0) for r in top},
                  key=lambda x: (x.focus, x.path, x.shape, x.value, x.message))


def _result(report: rdflib.Graph, data: rdflib.Graph, node: rdflib.term.Node,
            names: dict[str, str] | None, depth: int) -> Result:
    focus = report.value(node, SH.focusNode)
    messages = sorted((m for m in report.objects(node, SH.resultMessage)
                       if isinstance(m, rdflib.Literal)),
                      key=lambda m: (m.language not in (None, "en"), str(m)))
    details = tuple(sorted(
        (_result(report, data, d, names, depth + 1) for d in report.objects(node, SH.detail))
        if depth < 8 else (), key=lambda x: (x.focus, x.path, x.shape, x.message)))
    return Result(
        focus=_term(focus, names),
        label=_label(data, focus) if focus is not None else "",
        path=path_text(report, report.value(node, SH.resultPath), names),
        value=_term(report.value(node, SH.value), names),
        message=str(messages[0]) if messages else "",
        shape=_shape_name(report, report.value(node, SH.sourceShape), names),
        component=_term(report.value(node, SH.sourceConstraintComponent), names),
        severity=_term(report.value(node, SH.resultSeverity)).removeprefix("sh:"),
        details=details,
        focus_node=focus,
    )


def _shape_name(report: rdflib.Graph, shape: rdflib.term.Node | None,
                names: dict[str, str] | None) -> str:
    """A shape by its IRI, or a blank property shape by its path (never ``[]``)."""
    if shape is None or not isinstance(shape, rdflib.BNode):
        return _term(shape, names)
    path = report.value(shape, SH.path)
    return f"[sh:path {path_text(report, path, names)}]" if path is not None else "[]"


# ---------------------------------------------------------------------- validation

@contextmanager
def _parse_once() -> Iterator[None]:
    """Parse and check each SPARQL text once while pySHACL runs (pySHACL 0.40 and older).

    pySHACL evaluates a SHACL-SPARQL constraint once per focus node, from its text, and
    rdflib's SPARQL parser takes about 0.1 s per query: parsing dominated validation
    (40 s on haberkg's release, 3 s with this cache). It also runs its checks of the text
    (no MINUS, VALUES, SERVICE, re-bound pre-bound variables) per focus node: 3.8 s of
    13 s on 10 articles. The caches live only for one validation run, and only for
    pySHACL versions known to repeat this work per focus node.
    """
    import pyshacl
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    version = tuple(int(p) for p in re.findall(r"\d+", pyshacl.__version__)[:2])
    if version > (0, 40):
        yield
        return
    cache: dict[tuple[object, ...], object] = {}
    original = SPARQLProcessor.query

    def query(proc, strOrQuery, initBindings=None, initNs=None, base=None,  # type: ignore[no-untyped-def]
              DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            prepared = cache.get(key)
            if prepared is None:
                prepared = cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared
        return original(proc, strOrQuery, initBindings, initNs, base, DEBUG)

    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    checked: set[tuple[object, ...]] = set()
    original_check = SPARQLQueryHelper.check_invalid_sparql

    def check_invalid_sparql(helper, sparql_text, valuenode=None,  # type: ignore[no-untyped-def]
                             extravars=None):
        # a function of the text and of which variables may be pre-bound: a text that
        # passed once passes again (one that fails raises every time)
        key = (sparql_text, valuenode is not None, tuple(sorted(extravars or ())))
        if key not in checked:
            original_check(helper, sparql_text, valuenode, extravars)  # type: ignore[no-untyped-call]
            checked.add(key)
        return True

    SPARQLProcessor.query = query  # type: ignore[method-assign]
    SPARQLQueryHelper.check_invalid_sparql = check_invalid_sparql  # type: ignore[method-assign]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]
        SPARQLQueryHelper.check_invalid_sparql = original_check  # type: ignore[method-assign]


class _Parameters(list[Any]):
    """pySHACL's list of constraint parameters, with a set's membership test."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def copy(self) -> list[Any]:
        return list(self)


@contextmanager
def _constraints_built_once() -> Iterator[None]:
    """Build each constraint of a shape once while pySHACL runs (pySHACL 0.40 and older).

    pySHACL validates a property shape once per focus node, and each time looks for its
    constraint parameters in a list (7.5 million term comparisons on 10 articles) and
    builds its constraint components again from the shapes graph (a third of the
    validation). The shapes graph does not change while it validates, so one component
    per shape and parameter, built the first time, serves every focus node; a component
    that fails to build fails every time.
    """
    import pyshacl
    import pyshacl.shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP

    version = tuple(int(p) for p in re.findall(r"\d+", pyshacl.__version__)[:2])
    if version > (0, 40):
        yield
        return
    built: dict[tuple[object, int], tuple[object, object]] = {}

    def once(component: Any) -> Any:
        def build(shape: object) -> object:
            key = (component, id(shape))
            if key not in built:
                try:
                    built[key] = (shape, component(shape))
                except Exception as exc:  # noqa: BLE001 - raised again below, each time
                    built[key] = (shape, exc)
            made = built[key][1]
            if isinstance(made, Exception):
                raise made
            return made
        return build

    factories = {c: once(c) for c in set(CONSTRAINT_PARAMETERS_MAP.values())}
    previous = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    pyshacl.shape.CONSTRAINT_PARAMS = (  # type: ignore[attr-defined]
        _Parameters(ALL_CONSTRAINT_PARAMETERS),
        {p: factories[c] for p, c in CONSTRAINT_PARAMETERS_MAP.items()})
    try:
        yield
    finally:
        if previous is None:
            del pyshacl.shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        else:
            pyshacl.shape.CONSTRAINT_PARAMS = previous  # type: ignore[attr-defined]


def validate(data: rdflib.Graph, shapes: Shapes, *, ontology: rdflib.Graph | None = None,
             advanced: bool = False, names: dict[str, str] | None = None,
             use_shapes: Sequence[str] | None = None) -> Report:
    """Validate ``data`` (changed in place: the ontology is mixed into it).

    ``use_shapes``: only these node shapes (IRIs), e.g. the claim shapes on the sources.
    """
    from pyshacl import validate as pyshacl_validate
    from pyshacl.errors import (
        ConstraintLoadError,
        ReportableRuntimeError,
        RuleLoadError,
        ShapeLoadError,
        ValidationFailure,
    )

    if ontology is not None:
        # The whole ontology, as the docstring says: pySHACL's ont_graph= copies only its
        # class and property axioms, so the ontology's own terms became focus nodes of the
        # ontology shapes without their labels and definitions (spurious violations).
        data.addN((s, p, o, data) for s, p, o in ontology)
    def run() -> tuple[object, object, object]:
        with _parse_once(), _constraints_built_once(), \
                (nullcontext() if advanced else on_oxigraph(data)):
            return pyshacl_validate(  # type: ignore[no-any-return]
                data, shacl_graph=shapes.graph, inference="none",
                abort_on_first=False,
                meta_shacl=False, advanced=advanced, iterate_rules=False, inplace=True,
                use_shapes=list(use_shapes) if use_shapes else None)

    try:
        _, report_graph, _ = deep_stack(run)
    except (ShapeLoadError, ConstraintLoadError, RuleLoadError) as exc:
        raise ShapesError(f"the shapes cannot be used: {_first_line(exc)}", path=shapes.shown
                          ) from None
    except (ValidationFailure, ReportableRuntimeError) as exc:
        raise ShapesError(f"validation failed: {_first_line(exc)}", path=shapes.shown) from None
    except NotImplementedError as exc:  # e.g. $shapesGraph in a SHACL-SPARQL query
        raise ShapesError(f"pySHACL cannot validate with these shapes: {_first_line(exc)}",
                          path=shapes.shown) from None
    except RecursionError:
        raise ShapesError("the shapes or the data are nested too deeply to validate",
                          path=shapes.shown) from None
    except QueryRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - anything else is pySHACL's or ours to fix
        raise InternalError(f"pySHACL failed: {type(exc).__name__}: {_first_line(exc)}"
                            ) from exc
    if isinstance(report_graph, (ValidationFailure, ReportableRuntimeError)):
        # pySHACL returns some failures (a query SHACL forbids, such as MINUS) as the report
        raise ShapesError(f"validation failed: {_first_line(report_graph)}", path=shapes.shown)
    if not isinstance(report_graph, rdflib.Graph):
        raise InternalError(f"pySHACL returned a {type(report_graph).__name__}, not a report")
    return Report(read_results(report_graph, data, names), shapes.count, report_graph)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "message", "") or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def merged(graphs: Iterable[rdflib.Graph]) -> rdflib.Graph:
    out = rdflib.Graph()
    for g in graphs:
        for t in g:
            out.add(t)
    return out
