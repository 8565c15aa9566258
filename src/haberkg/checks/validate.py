"""``haberkg validate``: SHACL validation of anyone's RDF files, as a CI step.

Files are read as the RDF specifications allow (each with its own ``file:`` IRI as
base, blank nodes scoped to their file, lexical forms untouched); a file that cannot
be read is reported and the others are still validated. Results say in which file and
on which line their focus node is described, found through an index of each file
built once (:class:`LineIndex`), so the cost does not grow with the number of results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import rdflib

from haberkg.checks import report as reports
from haberkg.checks.shapes import Report, Result, Shapes, shapes_of
from haberkg.checks.shapes import validate as run_shacl
from haberkg.errors import CheckFailed, InputError, ShapesError, display_path
from haberkg.media import RDF_TYPES
from haberkg.namespaces import HK
from haberkg.sources.project import Project
from haberkg.sources.read import (
    DEFAULT_MAX_BYTES,
    QuadStream,
    ReadOptions,
    decode,
    file_iri,
    rdf_type,
    read_bytes,
    to_rdflib,
)

T = TypeVar("T")
FOLDER_EXTENSIONS = {f".{t.extension}" for t in RDF_TYPES} | {".owl"}


@dataclass
class Options:
    """How ``haberkg validate`` validates: whose shapes (``shapes`` files, a ``profile``),
    what is added to the data (``ontology`` files), and how files are read."""

    shapes: Sequence[Path] = ()
    ontology: Sequence[Path] = ()
    profile: str | None = None  # "haberkg", "schemaorg" or None (the user's shapes alone)
    advanced: bool = False
    fail_on: str = "Violation"
    base_iri: str | None = None
    contexts: Mapping[str, object] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES
    check_shapes: bool = False


# ---------------------------------------------------------------------- line index

# A statement's subject in each syntax: a JSON-LD "@id", an RDF/XML rdf:about, a Turtle or
# N-Triples IRI, prefixed name or blank node label (the first two are tried first).
_TOKEN = re.compile(r'"@id"\s*:\s*"(?P<id>[^"]*)"|rdf:about="(?P<about>[^"]*)"'
                    r'|rdf:nodeID="(?P<nodeid>[^"]*)"'
                    r'|<(?P<iri>[^<>"{}|^`\\\s]*)>'
                    r'|(?<![\w:])(?P<pname>(?:[A-Za-z][\w\-.]*)?:[\w\-.%:]*\w)'
                    r'|(?P<bnode>_:[\w\-.]+)')


class LineIndex:
    """Where each node of one file is described: built at the first lookup (a file with
    no result is never scanned), then looked up in O(1).

    A node's line is the first line where it starts a statement (a Turtle subject, an
    N-Triples line, a JSON-LD ``@id``, an RDF/XML ``rdf:about``); a node that only
    appears as an object falls back to its first occurrence.
    """

    def __init__(self, data: bytes, prefixes: Mapping[str, str], base: str | None,
                 scope: str) -> None:
        self.scope = scope  # the prefix of the file's blank node labels
        # the text as parsed, kept as UTF-8 until needed (half the memory of a str)
        self._source: tuple[bytes, Mapping[str, str], str | None] | None = (
            data, prefixes, base)
        self.subject: dict[str, int] = {}
        self.anywhere: dict[str, int] = {}

    def _build(self) -> None:
        assert self._source is not None
        source, prefixes, base = self._source
        self._source = None
        scope = self.scope
        text = source.decode("utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            for m in _TOKEN.finditer(line):
                iri = self._resolve(m, prefixes, base, scope)
                if iri is None:
                    continue
                self.anywhere.setdefault(iri, number)
                starts = m.start() == len(line) - len(stripped)
                if starts or m.lastgroup in ("id", "about", "nodeid"):
                    self.subject.setdefault(iri, number)

    @staticmethod
    def _resolve(m: re.Match[str], prefixes: Mapping[str, str], base: str | None,
                 scope: str) -> str | None:
        from urllib.parse import urljoin

        kind, value = m.lastgroup, m.group(m.lastgroup or 0)
        if kind == "pname":
            prefix, _, local = value.partition(":")
            ns = prefixes.get(prefix)
            return ns + local if ns is not None else None
        if kind == "bnode":
            return scope + value[2:]
        if kind == "nodeid":
            return scope + value
        if kind == "id" and value.startswith("_:"):
            return scope + value[2:]
        return urljoin(base, value) if base and ":" not in value.split("/")[0] else value

    def line(self, node: rdflib.term.Node | None, *, described: bool = False) -> int | None:
        """The node's line: where it is described, else (unless ``described``) where it
        first appears."""
        if node is None or isinstance(node, rdflib.Literal):
            return None
        if self._source is not None:
            self._build()
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


def blank_node_scope(path: Path) -> str:
    """The prefix of one file's blank node labels: the same for the same file (a file given
    as data and as shapes is one graph, as in the W3C tests), another for every other file."""
    import hashlib

    return "f" + hashlib.sha256(file_iri(path).encode("utf-8")).hexdigest()[:12] + "_"


def load(paths: Sequence[Path], options: Options) -> Loaded:
    graph = rdflib.Graph()
    prefixes: dict[str, str] = {}
    indexes: dict[str, LineIndex] = {}
    errors: list[reports.FileError] = []
    for path in expand_paths(paths):
        shown = display_path(path)
        scope = blank_node_scope(path)
        base = options.base_iri or file_iri(path)
        read = ReadOptions(max_bytes=options.max_bytes, base_iri=base, scope=scope,
                           contexts=options.contexts)
        try:
            kind = rdf_type(path)
            text = decode(read_bytes(path, what="RDF file", max_bytes=options.max_bytes),
                          shown=shown, what="RDF file")
            stream = QuadStream(text, kind, shown=shown, options=read, base_iri=base)
            part = to_rdflib(stream)  # the file's own graph first: a bad file adds nothing
        except InputError as exc:
            errors.append(reports.FileError(exc.path or shown, exc.message, exc.line,
                                            exc.column))
            continue
        for prefix, ns in stream.prefixes.items():
            prefixes.setdefault(prefix, ns)
        if len(graph) == 0:
            graph = part
        else:
            graph.addN((s, p, o, graph) for s, p, o in part)
        del part
        indexes[shown] = LineIndex(stream.data, stream.prefixes, base, scope)
    return Loaded(graph, prefixes, indexes, errors)


def locate(result: Result, indexes: Mapping[str, LineIndex], data: rdflib.Graph) -> Result:
    """The result with the file and line of its focus node (for a blank node without a
    label, the line of the nearest node that refers to it)."""
    from dataclasses import replace

    node = result.focus_node
    order = list(indexes)
    if isinstance(node, rdflib.BNode):  # look first in the file the blank node comes from
        order.sort(key=lambda shown: not str(node).startswith(indexes[shown].scope))
    origin = next((shown for shown in order if isinstance(node, rdflib.BNode)
                   and str(node).startswith(indexes[shown].scope)), None)
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
    # a blank node no line names (JSON-LD without @id): at least the file it comes from
    return replace(result, file=origin) if origin is not None else result


# ---------------------------------------------------------------------- validating

def load_shapes(paths: Sequence[Path], options: Options) -> Shapes:
    loaded = load(paths, Options(base_iri=options.base_iri, max_bytes=options.max_bytes,
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


def shapes_for(options: Options, data: rdflib.Graph, project: Project | None
               ) -> tuple[Shapes | None, rdflib.Graph | None]:
    """The shapes to validate ``data`` with, and the graph to add to it (or None).

    The user's ``--shapes`` files and ``--ontology`` files, and the profile's shapes (the
    haberkg profile adds the project's ontology too); None when there is no shape at all
    (the schemaorg profile on data that uses no schema.org term)."""
    from haberkg.checks.profiles import PROFILE_NS, PROFILE_PREFIX, schemaorg_shapes

    parts: list[Shapes] = []
    ontology = load(list(options.ontology), options).graph if options.ontology else None
    if options.shapes:
        parts.append(load_shapes(list(options.shapes), options))
    if options.profile == "haberkg":
        if project is None:
            raise InputError("--profile haberkg needs the haberkg sources")
        parts.append(project_shapes(project))
        ontology = _union(ontology, ontology_graph(project))
    elif options.profile == "schemaorg":
        generated = schemaorg_shapes(data)
        if len(generated):
            parts.append(shapes_of(generated, shown="the schemaorg profile",
                                   prefixes={PROFILE_PREFIX: PROFILE_NS}))
    if not parts:
        return None, ontology
    if len(parts) == 1:
        return parts[0], ontology
    graph = rdflib.Graph()
    for part in parts:
        graph.addN((s, p, o, graph) for s, p, o in part.graph)
    names = {k: v for part in parts for k, v in part.prefixes.items()}
    return shapes_of(graph, shown=", ".join(p.shown for p in parts),
                     advanced=options.advanced, prefixes=names), ontology


def _union(one: rdflib.Graph | None, two: rdflib.Graph) -> rdflib.Graph:
    if one is None:
        return two
    one.addN((s, p, o, one) for s, p, o in two)
    return one


def validate_files(paths: Sequence[Path], options: Options, project: Project | None = None
                   ) -> reports.Outcome:
    """Validate other people's files; every bad file is reported, the rest validated."""
    loaded = load(paths, options)
    if loaded.errors and not loaded.indexes:  # no file could be read: nothing to validate
        return reports.Outcome(None, loaded.errors, options.fail_on, 0)
    shapes, ontology = shapes_for(options, loaded.graph, project)
    if shapes is None:
        return reports.Outcome(Report([], 0), loaded.errors, options.fail_on, 0,
                               names=dict(loaded.prefixes))
    return _validate(loaded, shapes, options, ontology)


def validate_with(paths: Sequence[Path], shapes: Shapes, options: Options,
                  ontology: rdflib.Graph | None = None) -> reports.Outcome:
    """Validate files with shapes already loaded (and an ontology added to the data)."""
    loaded = load(paths, options)
    if loaded.errors and not loaded.indexes:
        return reports.Outcome(None, loaded.errors, options.fail_on, 0)
    return _validate(loaded, shapes, options, ontology)


def _validate(loaded: Loaded, shapes: Shapes, options: Options,
              ontology: rdflib.Graph | None) -> reports.Outcome:
    if options.check_shapes:
        check_shapes(shapes)
    names = {**shapes.prefixes, **loaded.prefixes}
    if "schema" not in names and _uses_http_schema(loaded.graph):
        names["schema"] = "http://schema.org/"  # what the schema.org context gives
    # the nodes of the files themselves (validation mixes the ontology into the graph)
    own = {node for triple in loaded.graph for node in triple} if ontology is not None else None
    report = run_shacl(loaded.graph, shapes, ontology=ontology, advanced=options.advanced,
                       names=names)
    report.results = [locate(r, loaded.indexes, loaded.graph) for r in report.results]
    checked = 1
    if not report.results:
        targeted = _focus_nodes(loaded.graph, shapes.graph)
        checked = len(targeted & own if own is not None else targeted)
    return reports.Outcome(report, loaded.errors, options.fail_on, checked, names=names)


def _uses_http_schema(graph: rdflib.Graph) -> bool:
    return any(str(p).startswith("http://schema.org/") for p in graph.predicates(unique=True))


SHACL_SHACL = Path(__file__).resolve().parent / "w3c" / "shacl-shacl.ttl"


def check_shapes(shapes: Shapes) -> None:
    """The shapes graph validated against the W3C SHACL-SHACL shapes (exit 2 if not)."""
    from haberkg.sources.read import ReadOptions as Read
    from haberkg.sources.read import parse_file

    meta = shapes_of(to_rdflib(parse_file(SHACL_SHACL, Read(own_base=False))),
                     shown="SHACL-SHACL")
    data = rdflib.Graph()
    data.addN((s, p, o, data) for s, p, o in shapes.graph)
    report = run_shacl(data, meta, names=shapes.prefixes)
    if report.results:
        first = report.results[0]
        more = f" (and {len(report.results) - 1} more)" if len(report.results) > 1 else ""
        raise ShapesError(f"not a valid SHACL shapes graph (SHACL-SHACL): {first.focus} "
                          f"{first.path or ''}: {first.message}{more}".replace("  ", " "),
                          path=shapes.shown)


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


# ---------------------------------------------------------------------- time limit

def bounded(seconds: float | None, work: Callable[[], T]) -> T:
    """``work()`` with a time limit enforced while it runs: it runs in a forked child that
    is killed (SIGKILL) at the limit; the parent then raises :class:`LimitExceeded`.

    The child inherits the parent's network confinement and dies with it; its answer (or
    its :class:`HaberkgError`) comes back pickled through a pipe.
    """
    if seconds is None:
        return work()
    import os
    import pickle
    import select
    import signal
    import time

    from haberkg.errors import HaberkgError, InternalError, LimitExceeded
    from haberkg.procs import die_with_parent

    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the answer, leave without cleanup
        os.close(read_end)
        code = 0
        try:
            die_with_parent(parent)
            try:
                answer: tuple[str, object] = ("ok", work())
            except HaberkgError as exc:
                answer = ("error", exc)
            except RecursionError:
                answer = ("error", InputError("input nested too deeply to process"))
            except Exception as exc:  # noqa: BLE001 - reported by the parent as internal
                answer = ("error", InternalError(f"{type(exc).__name__}: {exc}"))
            data = pickle.dumps(answer)
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view):]
        except BaseException:  # noqa: BLE001 - a child never returns into the caller
            code = 3
        finally:
            os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                raise LimitExceeded(f"validation stopped after {seconds:g} s (--timeout "
                                    f"{seconds:g}): the shapes or the data take longer "
                                    "(a backtracking sh:pattern?)")
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if not chunks:
        raise InternalError("the validation process ended without an answer")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        assert isinstance(value, HaberkgError)
        raise value
    return value  # type: ignore[no-any-return]
