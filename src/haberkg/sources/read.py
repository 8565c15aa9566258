"""The one way to read RDF into the project: strict, located, offline.

Every file goes through :func:`read_text` (exists, readable, UTF-8, NFC, not empty) and
:func:`parse_file` (pyoxigraph's strict parsers, which report line and column). rdflib
is used only downstream, on triples that pyoxigraph has already accepted.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from haberkg.errors import InputError

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def display_path(path: Path) -> str:
    """A path as shown to users: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the cwd, or a symlink loop
        return str(path)


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a code-point index of ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def read_text(path: Path, *, what: str = "file") -> str:
    """Read a UTF-8, NFC, non-empty text file, or raise a located :class:`InputError`."""
    shown = display_path(path)
    if not path.exists():
        raise InputError(f"no such {what}", path=shown)
    if path.is_dir():
        raise InputError(f"is a directory, expected a {what}", path=shown)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", path=shown) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, column = line_col(good, len(good))
        raise InputError(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
            path=shown,
            line=line,
            column=column,
        ) from None
    if text.startswith("\ufeff"):
        raise InputError("starts with a byte-order mark; save as UTF-8 without BOM", path=shown,
                         line=1, column=1)
    if not text.strip():
        raise InputError(f"empty {what}", path=shown)
    if not unicodedata.is_normalized("NFC", text):
        index = _first_non_nfc(text)
        line, column = line_col(text, index)
        raise InputError(
            f"text is not in Unicode NFC (U+{ord(text[index]):04X}); normalise it to NFC",
            path=shown,
            line=line,
            column=column,
        )
    return text


def _first_non_nfc(text: str) -> int:
    for i in range(len(text)):
        # A character and the combining marks after it form the unit to compare.
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        chunk = text[i:j]
        if unicodedata.normalize("NFC", chunk) != chunk:
            return i
    return 0


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown RDF format '{path.suffix or '(none)'}' (known: {known})",
                         path=display_path(path))
    return fmt


def parse_text(text: str, fmt: ox.RdfFormat, *, shown: str, base_iri: str | None = None
               ) -> list[ox.Quad]:
    """Parse RDF text strictly; errors carry file:line:column."""
    try:
        quads = list(ox.parse(text.encode("utf-8"), format=fmt, base_iri=base_iri))
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        message = strip_position(message)
        raise InputError(f"syntax error: {message}", path=shown, line=exc.lineno,
                         column=exc.offset) from None
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot parse: {exc}", path=shown) from None
    if not quads:
        raise InputError("contains no triples", path=shown)
    for q in quads:
        if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
            raise InputError("RDF 1.2 triple terms (<< >>) are not supported", path=shown)
    return quads


def strip_position(message: str) -> str:
    """pyoxigraph's message without its leading position (reported separately)."""
    # "Parser error between line 2 column 11 and line 3 column 1: Unexpected end of file"
    # or "Parser error at line 1 column 5: ..." -> keep what follows the position.
    if message.startswith("Parser error") and ": " in message:
        return message.split(": ", 1)[1]
    return message


def parse_file(path: Path, *, base_iri: str | None = None) -> list[ox.Quad]:
    """Read and parse one RDF file (format from its extension)."""
    fmt = rdf_format(path)
    text = read_text(path, what="RDF file")
    return parse_text(text, fmt, shown=display_path(path), base_iri=base_iri)


def to_rdflib(quads: Iterable[ox.Quad | ox.Triple]) -> rdflib.Graph:
    """The triples of ``quads`` (graph names dropped) as an rdflib graph."""
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def safe(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
             ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        # rdflib's N-Triples reader accepts only ASCII blank node labels
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"b{len(labels)}"))
        return term

    triples = []
    for q in quads:
        t = q.triple if isinstance(q, ox.Quad) else q
        triples.append(ox.Triple(safe(t.subject), t.predicate, safe(t.object)))  # type: ignore[arg-type]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def to_store(quads: Iterable[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(list(quads))
    return store


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def output_folder(path: Path, marker: str, *, protect: list[Path]) -> Path:
    """Check a folder that a command will replace as a whole, before any work is done.

    Refuses a file, a folder that holds (or is) one of ``protect`` or the working
    directory, and a non-empty folder without ``marker`` (a file every output of
    that command contains): haberkg never deletes a folder it did not write.
    """
    shown = display_path(path)
    try:
        target = path.resolve()
        for kept in [Path.cwd(), *protect]:
            kept = kept.resolve()
            if target == kept or target in kept.parents:
                raise InputError("refusing to replace a folder that holds the project or the "
                                 "working directory", path=shown)
        if target.exists():
            if not target.is_dir():
                raise InputError("exists and is not a folder", path=shown)
            if any(target.iterdir()) and not (target / marker).exists():
                raise InputError(f"not empty and not written by haberkg (no {marker}): "
                                 "refusing to replace it", path=shown)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(target.parent, os.W_OK):
            raise InputError("cannot write here", path=str(target.parent))
    except OSError as exc:
        raise InputError(f"cannot use as output folder: {exc.strerror or exc}", path=shown
                         ) from None
    return target
