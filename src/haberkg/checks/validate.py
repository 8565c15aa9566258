"""``haberkg validate``: SHACL validation of anyone's RDF files, as a CI step.

Files are read as the RDF specifications allow (each with its own ``file:`` IRI as
base, blank nodes scoped to their file, lexical forms untouched); a file that cannot
be read is reported and the others are still validated. Results say in which file and
on which line their focus node is described, found through an index of each file
built once (:class:`LineIndex`), so the cost does not grow with the number of results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from haberkg.checks import report as reports
from haberkg.checks.shapes import Result, Shapes, shapes_of
from haberkg.checks.shapes import validate as run_shacl
from haberkg.errors import CheckFailed, InputError
from haberkg.media import RDF_TYPES
from haberkg.namespaces import HK
from haberkg.sources.project import Project
from haberkg.sources.read import (
    DEFAULT_MAX_BYTES,
    ReadOptions,
    decode,
    display_path,
    parse_document,
    rdf_type,
    read_bytes,
    to_rdflib,
)

FOLDER_EXTENSIONS = {f".{t.extension}" for t in RDF_TYPES} | {".owl"}


@dataclass
class Options:
    shapes: Sequence[Path] = ()
    ontology: Sequence[Path] = ()
    advanced: bool = False
    fail_on: str = "Violation"
    base_iri: str | None = None
    contexts: Mapping[str, object] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES


# ---------------------------------------------------------------------- line index

_TOKEN = re.compile(r'<([^<>"{}|^`\\\s]*)>|(?<![\w:])((?:[A-Za-z][\w\-.]*)?:[\w\-.%:]*\w)'
                    r'|(_:[\w\-.]+)|"@id"\s*:\s*"([^"]*)"|rdf:(?:about|nodeID)="([^"]*)"')


class LineIndex:
    """Where each node of one file is described: built once, looked up in O(1).

    A node's line is the first line where it starts a statement (a Turtle subject, an
    N-Triples line, a JSON-LD ``@id``, an RDF/XML ``rdf:about``); a node that only
    appears as an object falls back to its first occurrence.
    """

    def __init__(self, text: str, prefixes: Mapping[str, str], base: str | None,
                 scope: str) -> None:
        self.scope = scope  # the prefix of the file's blank node labels
        self.subject: dict[str, int] = {}
        self.anywhere: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            for m in _TOKEN.finditer(line):
                iri = self._resolve(m, prefixes, base, scope)
                if iri is None:
                    continue
                self.anywhere.setdefault(iri, number)
                if m.start() == len(line) - len(stripped) or m.lastindex in (4, 5):
                    self.subject.setdefault(iri, number)

    @staticmethod
    def _resolve(m: re.Match[str], prefixes: Mapping[str, str], base: str | None,
                 scope: str) -> str | None:
        from urllib.parse import urljoin

        if m.group(1) is not None:
            ref = m.group(1)
            return urljoin(base, ref) if base and ":" not in ref.split("/")[0] else ref
        if m.group(2) is not None:
            prefix, _, local = m.group(2).partition(":")
            ns = prefixes.get(prefix)
            return ns + local if ns is not None else None
        if m.group(3) is not None:
            return scope + m.group(3)[2:]
        ref = m.group(4) if m.group(4) is not None else m.group(5)
        return urljoin(base, ref) if base else ref

    def line(self, node: rdflib.term.Node | None, *, described: bool = False) -> int | None:
        """The node's line: where it is described, else (unless ``described``) where it
        first appears."""
        if node is None or isinstance(node, rdflib.Literal):
            return None
        key = str(node)
        found = self.subject.get(key)
        return found if found is not None or described else self.anywhere.get(key)


# ---------------------------------------------------------------------- reading

@dataclass
class Loaded:
    graph: rdflib.Graph
    prefixes: dict[str, str]
    indexes: dict[str, LineIndex]
    errors: list[reports.FileError]


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder means the RDF files in it (recursively, sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*")
                          if p.is_file() and p.suffix.lower() in FOLDER_EXTENSIONS)
        else:
            out.append(path)
    return out


def load(paths: Sequence[Path], options: Options) -> Loaded:
    graph = rdflib.Graph()
    prefixes: dict[str, str] = {}
    indexes: dict[str, LineIndex] = {}
    errors: list[reports.FileError] = []
    for number, path in enumerate(expand_paths(paths)):
        shown = display_path(path)
        scope = f"f{number}_"
        try:
            base = options.base_iri or path.resolve().as_uri()
        except (OSError, RuntimeError):  # a symbolic link loop: read_bytes reports it
            base = options.base_iri or path.absolute().as_uri()
        read = ReadOptions(max_bytes=options.max_bytes, base_iri=base, scope=scope,
                           contexts=options.contexts)
        try:
            kind = rdf_type(path)
            text = decode(read_bytes(path, what="RDF file", max_bytes=options.max_bytes),
                          shown=shown, what="RDF file")
            quads, file_prefixes = parse_document(text, kind, shown=shown, options=read,
                                                  base_iri=base)
        except InputError as exc:
            errors.append(reports.FileError(exc.path or shown, exc.message, exc.line,
                                            exc.column))
            continue
        for prefix, ns in file_prefixes.items():
            prefixes.setdefault(prefix, ns)
        to_rdflib(quads, graph)
        indexes[shown] = LineIndex(text, file_prefixes, base, scope)
    return Loaded(graph, prefixes, indexes, errors)


def locate(result: Result, indexes: Mapping[str, LineIndex], data: rdflib.Graph) -> Result:
    """The result with the file and line of its focus node (for a blank node without a
    label, the line of the nearest node that refers to it)."""
    from dataclasses import replace

    node = result.focus_node
    order = list(indexes)
    if isinstance(node, rdflib.BNode):  # look first in the file the blank node comes from
        order.sort(key=lambda shown: not str(node).startswith(indexes[shown].scope))
    for _ in range(4):
        for described in (True, False):
            for shown in order:
                index = indexes[shown]
                line = index.line(node, described=described)
                if line is not None:
                    return replace(result, file=shown, line=line)
        if not isinstance(node, rdflib.BNode):
            break
        node = next(iter(data.subjects(None, node)), None)
        if node is None:
            break
    return result


# ---------------------------------------------------------------------- validating

def load_shapes(paths: Sequence[Path], options: Options) -> Shapes:
    loaded = load(paths, Options(base_iri=None, max_bytes=options.max_bytes,
                                 contexts=options.contexts))
    if loaded.errors:
        first = loaded.errors[0]
        raise InputError(first.message, path=first.file, line=first.line, column=first.column)
    shown = ", ".join(display_path(p) for p in paths)
    return shapes_of(loaded.graph, shown=shown, advanced=options.advanced,
                     prefixes=loaded.prefixes)


def project_shapes(project: Project) -> Shapes:
    return shapes_of(to_rdflib(project.shapes_quads), shown="shapes/")


def ontology_graph(project: Project) -> rdflib.Graph:
    """The ontology and the schema.org module: class membership for sh:class/targetClass."""
    return to_rdflib([*project.ontology_quads, *project.import_quads])


def validate_files(paths: Sequence[Path], shapes: Shapes, options: Options,
                   ontology: rdflib.Graph | None = None) -> reports.Outcome:
    """Validate other people's files; every bad file is reported, the rest validated."""
    loaded = load(paths, options)
    names = {**shapes.prefixes, **loaded.prefixes}
    # the nodes of the files themselves (validation mixes the ontology into the graph)
    own = {node for triple in loaded.graph for node in triple}
    report = run_shacl(loaded.graph, shapes, ontology=ontology, advanced=options.advanced,
                       names=names)
    report.results = [locate(r, loaded.indexes, loaded.graph) for r in report.results]
    checked = len(_focus_nodes(loaded.graph, shapes.graph) & own) if not report.results else 1
    return reports.Outcome(report, loaded.errors, options.fail_on, checked)


def _focus_nodes(data: rdflib.Graph, shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    """Nodes some target of the shapes reaches (for "nothing was checked")."""
    from rdflib.namespace import RDF, RDFS, SH

    found: set[rdflib.term.Node] = set()
    for node in shapes.objects(None, SH.targetNode):
        found.add(node)
    for cls in [*shapes.objects(None, SH.targetClass),
                *(s for s in shapes.subjects(RDF.type, RDFS.Class)
                  if (s, RDF.type, SH.NodeShape) in shapes)]:
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            found |= set(data.subjects(RDF.type, sub))
    for pred in shapes.objects(None, SH.targetSubjectsOf):
        found |= set(data.subjects(pred, None))
    for pred in shapes.objects(None, SH.targetObjectsOf):
        found |= set(data.objects(None, pred))
    if any(shapes.objects(None, SH.target)):
        found.add(rdflib.BNode("advanced-target"))
    return found


def validate_sources(project: Project) -> None:
    """The claim shapes on the source data files: claim structure, with file:line."""
    from haberkg.namespaces import SH, SHAPES

    shapes = project_shapes(project)
    options = Options(base_iri="https://w3id.org/haberkg/")
    loaded = load(project.data_files, options)
    if loaded.errors:
        first = loaded.errors[0]
        raise InputError(first.message, path=first.file, line=first.line, column=first.column)
    # pySHACL's use_shapes leaves out the named property shapes of a listed node shape
    claim = rdflib.URIRef(SHAPES + "Claim")
    parts = sorted(str(p) for p in shapes.graph.objects(claim, rdflib.URIRef(SH + "property"))
                   if isinstance(p, rdflib.URIRef))
    report = run_shacl(loaded.graph, shapes, ontology=ontology_graph(project),
                       use_shapes=[str(claim), *parts])
    if not report.conforms():
        located = [locate(r, loaded.indexes, loaded.graph) for r in report.results]
        first_result = located[0]
        more = f" (and {len(located) - 1} more)" if len(located) > 1 else ""
        owner = next(iter(loaded.graph.subjects(None, first_result.focus_node)), None)
        about = f"a claim on {_compact_node(owner)}" if owner is not None else "a claim"
        raise CheckFailed(f"{about}: {first_result.message}{more}", path=first_result.file,
                          line=first_result.line)


def _compact_node(node: rdflib.term.Node) -> str:
    from haberkg.namespaces import compact

    return compact(str(node)) if isinstance(node, rdflib.URIRef) else "[]"


__all__ = ["HK", "LineIndex", "Options", "load", "load_shapes", "validate_files",
           "validate_sources"]
