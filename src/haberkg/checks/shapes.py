"""SHACL validation with pyshacl, and reports for people and for CI systems."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

from haberkg.errors import InputError
from haberkg.namespaces import PREFIXES, SH, SHAPES, compact
from haberkg.sources.project import Project
from haberkg.sources.read import display_path, parse_file, read_text, to_rdflib

FORMATS = ("text", "json", "junit", "github")


class PreparedQueries:
    """Parse each SPARQL text once while pyshacl runs.

    pyshacl evaluates every SHACL-SPARQL constraint once per focus node, as text, and
    rdflib's SPARQL parser takes ~0.1 s per query: parsing dominated validation time.
    The cache is installed only for the duration of a validation run.
    """

    def __init__(self) -> None:
        self.cache: dict[tuple[object, ...], object] = {}
        self.original = SPARQLProcessor.query

    def __enter__(self) -> None:
        cache, original = self.cache, self.original

        def query(proc, strOrQuery, initBindings=None, initNs=None, base=None,  # type: ignore[no-untyped-def]
                  DEBUG=False):
            if isinstance(strOrQuery, str):
                key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
                prepared = cache.get(key)
                if prepared is None:
                    prepared = translateQuery(parseQuery(strOrQuery), base, initNs)
                    cache[key] = prepared
                strOrQuery = prepared
            return original(proc, strOrQuery, initBindings, initNs, base, DEBUG)

        SPARQLProcessor.query = query  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        SPARQLProcessor.query = self.original  # type: ignore[method-assign]


@dataclass(frozen=True)
class Result:
    focus: str
    label: str
    path: str
    value: str
    message: str
    shape: str
    component: str
    severity: str
    file: str | None = None
    line: int | None = None


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    shapes: int

    def to_dict(self) -> dict[str, object]:
        return {"conforms": self.conforms, "shapes": self.shapes,
                "results": [asdict(r) for r in self.results]}


def _term(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return compact(str(node))
    if isinstance(node, rdflib.BNode):
        return "[]"
    if isinstance(node, rdflib.Literal):
        return node.n3()
    return str(node)


def load_shapes(paths: Iterable[Path]) -> tuple[rdflib.Graph, int]:
    quads = [q for p in paths for q in parse_file(p)]
    graph = to_rdflib(quads)
    sh = rdflib.Namespace(SH)
    shapes = set(graph.subjects(rdflib.RDF.type, sh.NodeShape)) | set(
        graph.subjects(rdflib.RDF.type, sh.PropertyShape))
    if not shapes:
        shown = ", ".join(display_path(p) for p in paths)
        raise InputError("not a SHACL shapes graph: no sh:NodeShape or sh:PropertyShape",
                         path=shown)
    return graph, len(shapes)


def run(data: rdflib.Graph, shapes: rdflib.Graph, shape_count: int,
        ontology: rdflib.Graph | None = None) -> Report:
    merged = rdflib.Graph()
    for graph in (data, ontology):
        if graph is not None:
            for triple in graph:
                merged.add(triple)
    try:
        with PreparedQueries():
            conforms, results_graph, _ = pyshacl_validate(
                merged, shacl_graph=shapes, inference="none",
                abort_on_first=False, allow_infos=True, allow_warnings=True, meta_shacl=False,
                advanced=True, iterate_rules=False)
    except Exception as exc:  # pyshacl reports bad shapes as its own exception types
        raise InputError(f"the shapes cannot be used: {str(exc).splitlines()[0]}") from None
    results = _results(results_graph, merged)
    return Report(conforms=bool(conforms), results=results, shapes=shape_count)


def _label(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    names: dict[str, str] = {}
    for pred in (rdflib.URIRef("https://schema.org/name"), rdflib.RDFS.label):
        for lit in graph.objects(node, pred):
            if isinstance(lit, rdflib.Literal):
                names.setdefault(lit.language or "", str(lit))
    return names.get("en") or names.get("tr") or next(iter(names.values()), "")


def _results(results_graph: rdflib.Graph, data: rdflib.Graph) -> list[Result]:
    sh = rdflib.Namespace(SH)
    out = []
    for r in results_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results_graph.value(r, sh.focusNode)
        messages = sorted(str(m) for m in results_graph.objects(r, sh.resultMessage))
        out.append(Result(
            focus=_term(focus),
            label=_label(data, focus) if focus is not None else "",
            path=_term(results_graph.value(r, sh.resultPath)),
            value=_term(results_graph.value(r, sh.value)),
            message=messages[0] if messages else "",
            shape=_term(results_graph.value(r, sh.sourceShape)),
            component=_term(results_graph.value(r, sh.sourceConstraintComponent)),
            severity=_term(results_graph.value(r, sh.resultSeverity)).removeprefix("sh:"),
        ))
    return sorted(set(out), key=lambda x: (x.focus, x.path, x.shape, x.value, x.message))


# ------------------------------------------------------------------ files of other projects

def validate_files(paths: list[Path], shapes: rdflib.Graph, shape_count: int,
                   ontology: rdflib.Graph) -> Report:
    """Validate other people's files; results say in which file and line the focus is."""
    quads: list[ox.Quad] = []
    texts: dict[Path, str] = {}
    for path in paths:
        quads.extend(parse_file(path))
        texts[path] = read_text(path)
    report = run(to_rdflib(quads), shapes, shape_count, ontology)
    located = []
    for result in report.results:
        file, line = _locate_focus(result.focus, texts)
        located.append(Result(**{**asdict(result), "file": file, "line": line}))
    return Report(report.conforms, located, report.shapes)


def _locate_focus(focus: str, texts: dict[Path, str]) -> tuple[str | None, int | None]:
    if not focus or focus == "[]":
        return None, None
    iri = focus[1:-1] if focus.startswith("<") else None
    if iri is None and ":" in focus:
        prefix, local = focus.split(":", 1)
        iri = {**PREFIXES, "hks": SHAPES}.get(prefix, "") + local
    for path, text in texts.items():
        candidates = [f"<{iri}>", f'"{iri}"']
        for decl in re.finditer(r"(?i)@?prefix\s+([\w\-]*):\s*<([^>]*)>", text):
            if iri and iri.startswith(decl.group(2)):
                candidates.append(f"{decl.group(1)}:{iri[len(decl.group(2)):]}")
        best = None
        for cand in candidates:
            found = re.search(rf"(?m)^\s*{re.escape(cand)}(?=[\s;,.\]]|$)", text) or \
                re.search(rf"{re.escape(cand)}(?=[\s;,.\]\"]|$)", text)
            if found and (best is None or found.start() < best):
                best = found.start()
        if best is not None:
            start = best + len(text[best:]) - len(text[best:].lstrip())
            return display_path(path), text.count("\n", 0, start) + 1
    return (display_path(next(iter(texts))) if texts else None), None


# ------------------------------------------------------------------ output formats

def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "junit":
        return _junit(report)
    if fmt == "github":
        return _github(report)
    return _text(report)


def _text(report: Report) -> str:
    if report.conforms:
        return f"Conforms ({report.shapes} shapes).\n"
    lines = [f"Does not conform: {len(report.results)} result(s) from {report.shapes} shapes.", ""]
    current = None
    for r in report.results:
        if r.focus != current:
            current = r.focus
            where = f" [{r.file}:{r.line}]" if r.file and r.line else ""
            lines.append(f"{r.focus}" + (f" ({r.label})" if r.label else "") + where)
        value = f" value {r.value}" if r.value else ""
        path = r.path or "(node)"
        lines.append(f"  {r.severity}: {path}{value}: {r.message}")
        lines.append(f"    shape {r.shape}, {r.component}")
    return "\n".join(lines) + "\n"


def _junit(report: Report) -> str:
    cases = []
    for r in report.results:
        name = quoteattr(f"{r.focus} {r.path}".strip())
        cases.append(f'  <testcase classname={quoteattr(r.shape)} name={name}>\n'
                     f'    <failure type={quoteattr(r.component)} message={quoteattr(r.message)}>'
                     f'{_xml_text(f"value: {r.value}")}</failure>\n  </testcase>')
    if report.conforms:
        cases.append('  <testcase classname="haberkg.shacl" name="conforms"/>')
    failures = len(report.results)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name="haberkg validate" tests={quoteattr(str(max(failures, 1)))} '
            f'failures={quoteattr(str(failures))}>\n' + "\n".join(cases) + "\n</testsuite>\n")


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _github(report: Report) -> str:
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={_gh_prop(r.file)}")
        if r.line:
            props.append(f"line={r.line}")
        props.append(f"title={_gh_prop('SHACL ' + r.shape)}")
        message = f"{r.focus} {r.path}: {r.message}" + (f" (value {r.value})" if r.value else "")
        lines.append(f"::error {','.join(props)}::{_gh_data(message)}")
    if report.conforms:
        lines.append(f"::notice title=SHACL::Conforms ({report.shapes} shapes)")
    return "\n".join(lines) + "\n"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


# ------------------------------------------------------------------ the project's own shapes

def project_shapes(project: Project) -> tuple[rdflib.Graph, int]:
    return load_shapes(project.shapes_files)


def ontology_graph(project: Project) -> rdflib.Graph:
    """The ontology and the schema.org module: class membership for sh:class/targetClass."""
    return to_rdflib([*project.ontology_quads, *project.import_quads])
