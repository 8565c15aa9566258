"""The one way to read RDF into haberkg: strict, located, offline, bounded.

Every file goes through :func:`read_bytes` (a regular file, at most ``max_bytes``),
:func:`decode` (UTF-8; NFC and non-empty only where :class:`ReadOptions` asks for it,
as it does for haberkg's own sources) and :func:`parse_text` (pyoxigraph's strict
parsers, which report line and column). Before a parser sees the text, the things a
parser could be made to misbehave on are checked in linear time: RDF/XML DTDs
(internal entities are expanded here, under a budget; external ones are refused) and
JSON-LD nesting depth and remote contexts (refused unless mapped to a local file).
rdflib is used only downstream, on terms pyoxigraph has already accepted.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
import rdflib

from haberkg.errors import InputError, LimitExceeded, display_path, line_col
from haberkg.media import RdfType, rdf_by_extension, readable_extensions
from haberkg.sources import schemaorg

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_JSON_DEPTH = 128
MAX_ENTITY_DEPTH = 16
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class ReadOptions:
    """How strictly a file is read.

    ``nfc`` and ``allow_empty=False`` are rules of haberkg's own sources, not of RDF:
    other people's data is read as the RDF specifications allow. ``base_iri`` None
    means the file's own ``file:`` IRI for other people's data (``own_base``), or no
    base at all (a relative IRI is an error) for haberkg's sources. ``scope`` prefixes
    every blank node label, so that ``_:b`` in two files are two nodes.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    nfc: bool = False
    allow_empty: bool = True
    base_iri: str | None = None
    own_base: bool = True
    scope: str | None = None
    contexts: Mapping[str, object] = field(default_factory=dict)


SOURCE = ReadOptions(nfc=True, allow_empty=False, own_base=False)


# ---------------------------------------------------------------------- bytes and text

def read_bytes(path: Path, *, what: str = "file", max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a located InputError.

    FIFOs, devices and sockets are refused before they are opened for reading (the
    file is opened non-blocking and checked with ``fstat``, so a path swapped for a FIFO
    cannot make haberkg wait), and no more than ``max_bytes + 1`` bytes are read.
    """
    shown = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _open_error(exc, path, shown, what) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"is a directory, expected a {what}", path=shown)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(info.st_mode) else
                    "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
            raise InputError(f"is {kind}, not a regular file: haberkg reads only regular files",
                             path=shown)
        if info.st_size > max_bytes:
            raise _too_big(shown, what, max_bytes)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise _too_big(shown, what, max_bytes)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", path=shown) from None
    finally:
        os.close(fd)


def _open_error(exc: OSError, path: Path, shown: str, what: str) -> InputError:
    if exc.errno == errno.ENOENT:
        return InputError(f"no such {what}" + (" (a broken symbolic link)"
                                               if path.is_symlink() else ""), path=shown)
    if exc.errno == errno.ELOOP:
        return InputError("symbolic link loop", path=shown)
    if exc.errno == errno.EISDIR:
        return InputError(f"is a directory, expected a {what}", path=shown)
    return InputError(f"cannot read {what}: {exc.strerror or exc}", path=shown)


def _too_big(shown: str, what: str, max_bytes: int) -> LimitExceeded:
    return LimitExceeded(f"{what} larger than the limit of {max_bytes:,} bytes "
                         "(raise it with --max-bytes or HABERKG_MAX_BYTES)", path=shown)


def decode(raw: bytes, *, shown: str, what: str = "file", nfc: bool = False,
           allow_empty: bool = True) -> str:
    """UTF-8 text; a byte-order mark is dropped, or refused under ``nfc`` (house style)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, column = line_col(good, len(good))
        raise InputError(f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                         path=shown, line=line, column=column) from None
    if text.startswith("\ufeff"):
        if nfc:
            raise InputError("starts with a byte-order mark; save as UTF-8 without BOM",
                             path=shown, line=1, column=1)
        text = text[1:]
    if not allow_empty and (not text or text.isspace()):
        raise InputError(f"empty {what}", path=shown)
    if nfc and not unicodedata.is_normalized("NFC", text):
        index = _first_non_nfc(text)
        line, column = line_col(text, index)
        raise InputError(
            f"text is not in Unicode NFC (U+{ord(text[index]):04X}); normalise it to NFC",
            path=shown, line=line, column=column)
    return text


def read_text(path: Path, *, what: str = "file", nfc: bool = True, allow_empty: bool = False,
              max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A text file of haberkg's own sources (UTF-8, NFC, not empty, by default)."""
    raw = read_bytes(path, what=what, max_bytes=max_bytes)
    return decode(raw, shown=display_path(path), what=what, nfc=nfc, allow_empty=allow_empty)


def _first_non_nfc(text: str) -> int:
    """The first code point where ``text`` is not NFC, in linear time."""
    start = 0
    for i, ch in enumerate(text):
        if not unicodedata.combining(ch):
            start = i  # a starter: the unit to compare begins here
        if not unicodedata.is_normalized("NFC", text[start:i + 1]):
            return start
    return 0


# ---------------------------------------------------------------------- parsing

def rdf_type(path: Path) -> RdfType:
    kind = rdf_by_extension(path.suffix)
    if kind is None:
        raise InputError(f"unknown RDF format '{path.suffix or '(none)'}' (known: "
                         f"{', '.join(readable_extensions())})", path=display_path(path))
    return kind


class QuadStream:
    """The quads of one RDF text, parsed strictly as they are read (not held in memory).

    Iterate it once; afterwards ``prefixes`` holds the prefixes the text declared and
    ``count`` the number of quads. Errors carry file:line:column.
    """

    def __init__(self, text: str, kind: RdfType, *, shown: str, options: ReadOptions = SOURCE,
                 base_iri: str | None = None, encoded: bytes | None = None) -> None:
        """``encoded``: the UTF-8 bytes of ``text``, where the caller has them."""
        if kind.format == ox.RdfFormat.RDF_XML:
            text = expand_internal_entities(text, shown=shown, max_chars=options.max_bytes)
            encoded = None
        elif kind.format == ox.RdfFormat.JSON_LD:
            text = resolve_contexts(text, shown=shown, contexts=options.contexts)
            encoded = None
        self.text = text  # as parsed (RDF/XML with its entities expanded, JSON-LD contexts)
        self.data = encoded if encoded is not None else text.encode("utf-8")
        self.kind, self.shown, self.options, self.base_iri = kind, shown, options, base_iri
        self.prefixes: dict[str, str] = {}
        self.count = 0

    def __iter__(self) -> Iterator[ox.Quad]:
        shown, options = self.shown, self.options
        renamed: dict[ox.BlankNode, ox.BlankNode] = {}
        scope = options.scope

        def term(t: Term) -> Term:
            if isinstance(t, ox.BlankNode) and scope is not None:
                node = renamed.get(t)
                if node is None:
                    node = renamed[t] = ox.BlankNode(f"{scope}{t.value}")
                return node
            if isinstance(t, ox.Triple):
                raise InputError("RDF 1.2 triple terms (<< >>) are not supported", path=shown)
            return t

        # a quad with no blank node (nor triple term) is passed on as parsed: each term
        # read from a quad is a new Python object, so they are read once and compared by
        # type (a third of the time the stream took on 600,000 triples)
        plain = (ox.NamedNode, ox.Literal, ox.DefaultGraph)
        count = 0
        with self._located():
            parser = ox.parse(self.data, format=self.kind.format, base_iri=self.base_iri)
            try:
                for q in parser:
                    count += 1
                    subject, obj, graph = q.subject, q.object, q.graph_name
                    if type(subject) is ox.NamedNode and type(obj) in plain and \
                            type(graph) in plain:
                        yield q
                        continue
                    if scope is None and not isinstance(subject, ox.Triple) and \
                            not isinstance(obj, ox.Triple):
                        yield q
                        continue
                    if isinstance(graph, ox.BlankNode):
                        graph = term(graph)
                    yield ox.Quad(term(subject), q.predicate, term(obj), graph)  # type: ignore[arg-type]
            finally:
                self.count = count
        self._finish(parser)

    def collect(self) -> list[ox.Quad]:
        """Every quad, in a list (as iterating gives them, without a step per quad where
        no blank node needs its file's scope and no triple term its refusal)."""
        if not self._no_blank_nodes():
            return list(self)
        with self._located():
            parser = ox.parse(self.data, format=self.kind.format, base_iri=self.base_iri)
            quads = list(parser)
        self.count = len(quads)
        self._finish(parser)
        return quads

    @contextmanager
    def _located(self) -> Iterator[None]:
        """pyoxigraph's errors as one located line."""
        try:
            yield
        except SyntaxError as exc:
            raise self._syntax_error(exc) from None
        except (ValueError, OSError) as exc:
            raise InputError(f"cannot parse: {exc}", path=self.shown) from None

    def _finish(self, parser: ox.QuadParser) -> None:
        if self.count == 0 and not self.options.allow_empty:
            raise InputError("contains no triples", path=self.shown)
        if self.kind.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            self.prefixes = dict(parser.prefixes)

    def _no_blank_nodes(self) -> bool:
        """Whether the text surely has no blank node and no triple term: every syntax of
        these formats that writes one leaves a trace (``_:``, ``<<``; in Turtle and TriG
        also ``[``, a collection's ``(``, and RDF 1.2's annotation ``{|`` and reifier
        ``~``); a text that merely contains one of them (in a literal, an IRI) only takes
        the slower way."""
        data = self.data
        if self.kind.format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            return b"_:" not in data and b"<<" not in data
        if self.kind.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            return not any(mark in data for mark in (b"_:", b"[", b"(", b"<<", b"{|", b"~"))
        return False

    def _syntax_error(self, exc: SyntaxError) -> InputError:
        """pyoxigraph's syntax error as one located line."""
        shown = self.shown
        message = strip_position(str(exc.msg if hasattr(exc, "msg") else exc))
        if "LoadDocumentCallback" in message:
            message = "a remote JSON-LD context cannot be loaded (haberkg never fetches)"
        if "No base IRI" in message or "without a base IRI" in message:
            message += " (give --base IRI)"
        column, line = exc.offset, exc.lineno
        if line is None:  # pyoxigraph's RDF/XML parser gives no position: find the line
            line, column = self._failing_line(), None
        if exc.lineno is not None and column is not None and self.kind.format in (
                ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3):
            column = local_name_column(self.text, exc.lineno, column, message)
        return InputError(f"syntax error: {message}", path=shown, line=line,
                          column=column)

    def _failing_line(self) -> int | None:
        """The line where the parser stops, found by parsing again one line per read."""
        reader = _LineReader(self.data)
        try:
            for _ in ox.parse(reader, format=self.kind.format,  # type: ignore[arg-type]
                              base_iri=self.base_iri):
                pass
        except (SyntaxError, ValueError, OSError):
            return max(reader.index, 1)
        return None


class _LineReader(io.RawIOBase):
    """The bytes of a text, handed to a parser one line per read: where the parser stops
    with an error is then the line it was reading."""

    def __init__(self, data: bytes) -> None:
        self.lines = data.splitlines(keepends=True)
        self.index = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.index >= len(self.lines):
            return 0
        line = self.lines[self.index]
        if len(line) > len(buffer):
            buffer[:len(buffer)] = line[:len(buffer)]
            self.lines[self.index] = line[len(buffer):]
            return len(buffer)
        buffer[:len(line)] = line
        self.index += 1
        return len(line)


def parse_document(text: str, kind: RdfType, *, shown: str, options: ReadOptions = SOURCE,
                   base_iri: str | None = None) -> tuple[list[ox.Quad], dict[str, str]]:
    """Parse RDF text strictly: the quads, and the prefixes the text declares."""
    stream = QuadStream(text, kind, shown=shown, options=options, base_iri=base_iri)
    return stream.collect(), stream.prefixes


def parse_text(text: str, kind: RdfType, *, shown: str, options: ReadOptions = SOURCE,
               base_iri: str | None = None) -> list[ox.Quad]:
    """Parse RDF text strictly; errors carry file:line:column."""
    return parse_document(text, kind, shown=shown, options=options, base_iri=base_iri)[0]


def file_iri(path: Path) -> str:
    """The ``file:`` IRI of a path (its own base IRI), even for a broken path."""
    try:
        return path.resolve().as_uri()
    except (RuntimeError, OSError):  # a symbolic link loop
        return path.absolute().as_uri()


def parse_file(path: Path, options: ReadOptions = SOURCE) -> list[ox.Quad]:
    """Read and parse one RDF file (format from its extension)."""
    kind = rdf_type(path)
    shown = display_path(path)
    raw = read_bytes(path, what="RDF file", max_bytes=options.max_bytes)
    text = decode(raw, shown=shown, what="RDF file", nfc=options.nfc,
                  allow_empty=options.allow_empty)
    base = options.base_iri
    if base is None and options.own_base:
        base = file_iri(path)
    if options.scope is None:
        # A blank node label is local to its document: ``_:b`` in two files are two nodes.
        digest = hashlib.sha256(file_iri(path).encode("utf-8")).hexdigest()[:12]
        options = replace(options, scope=f"f{digest}_")
    encoded = None if raw.startswith(b"\xef\xbb\xbf") else raw  # decoded without a BOM
    return QuadStream(text, kind, shown=shown, options=options, base_iri=base,
                      encoded=encoded).collect()


_LOCAL_ESCAPE_ERRORS = ("The character that are allowed to be escaped in IRIs are",
                        "escapes in IRIs should be % followed by two hexadecimal characters")
_PNAME = re.compile(r"(?<![\w:.\-\\%])((?:[^\W\d_][\w.\-]*)?:)((?:[\w\-.:]|\\.|%)*)")


def local_name_column(text: str, line: int, column: int, message: str) -> int:
    """The true column of a bad escape in the local part of a prefixed name.

    pyoxigraph 0.5 reports such an error (``hkd:a\\gb``, ``hkd:a%2Gb``) at the column of
    the character after the backslash (or of the ``%``) minus the length of the prefix and
    its colon. The column of the backslash (or ``%``) is recomputed from the text; any
    other error keeps the column pyoxigraph gives.
    """
    if not message.startswith(_LOCAL_ESCAPE_ERRORS):
        return column
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return column
    row = lines[line - 1]
    backslash = message.startswith(_LOCAL_ESCAPE_ERRORS[0])
    for match in _PNAME.finditer(row):
        candidate = column + len(match.group(1)) - (1 if backslash else 0)
        if match.start(2) < candidate <= match.end(2) and \
                row[candidate - 1] == ("\\" if backslash else "%"):
            return candidate
    return column


def strip_position(message: str) -> str:
    """pyoxigraph's message without its leading position (reported separately)."""
    # "Parser error between line 2 column 11 and line 3 column 1: Unexpected end of file"
    # or "Parser error at line 1 column 5: ..." -> keep what follows the position.
    if message.startswith("Parser error") and ": " in message:
        return message.split(": ", 1)[1]
    return message


def scope_blank_nodes(quads: Iterable[ox.Quad], scope: str) -> list[ox.Quad]:
    """The quads with every blank node label prefixed by ``scope``."""
    renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def term(t: Term) -> Term:
        if isinstance(t, ox.BlankNode):
            node = renamed.get(t)
            if node is None:
                node = renamed[t] = ox.BlankNode(f"{scope}{t.value}")
            return node
        return t

    out = []
    for q in quads:
        graph = q.graph_name
        if isinstance(graph, ox.BlankNode):
            graph = term(graph)  # type: ignore[assignment]
        out.append(ox.Quad(term(q.subject), q.predicate, term(q.object), graph))  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------------- RDF/XML DTDs

_DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\s\[>]+\s*")
_ENTITY = re.compile(r"""<!ENTITY\s+(%\s+)?([A-Za-z_:][\w.\-:]*)\s+(?:"([^"]*)"|'([^']*)'|"""
                     r"""(SYSTEM|PUBLIC)\b[^>]*)\s*>""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PI = re.compile(r"<\?.*?\?>", re.S)
_ENTITY_REF = re.compile(r"&([A-Za-z_:][\w.\-:]*);")
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")
_PROTECTED = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
PREDEFINED = {"lt", "gt", "amp", "apos", "quot"}


def expand_internal_entities(text: str, *, shown: str, max_chars: int) -> str:
    """RDF/XML without its DTD: internal entities expanded here, under a budget.

    RDF/XML often abbreviates namespaces with internal entities (``&owl;``), which
    XML parsers expand without limit (an 800-byte "billion laughs" file asks for
    gigabytes). Here the DTD may declare only internal general entities (and
    comments); external entities, parameter entities and other declarations are
    refused, and the expansion stops with an error once the text would grow past
    ``max(1 MiB, 10 x its size)`` or ``max_chars``. The DOCTYPE is replaced by as many
    newlines as it spanned, so that the parser's line numbers stay right.
    """
    doctype = _DOCTYPE.search(text)
    root = re.search(r"<[A-Za-z_]", text)
    if doctype is None or (root is not None and root.start() < doctype.start()):
        return text
    line, column = line_col(text, doctype.start())
    pos = doctype.end()
    if text.startswith(("SYSTEM", "PUBLIC"), pos):
        raise InputError("external DTD: haberkg never loads external documents", path=shown,
                         line=line, column=column)
    entities: dict[str, str] = {}
    if text.startswith("[", pos):
        pos = _internal_subset(text, pos + 1, entities, shown)
    close = text.find(">", pos)
    if close < 0 or text[pos:close].strip():
        raise InputError("malformed DOCTYPE", path=shown, line=line, column=column)
    head = text[:doctype.start()] + "\n" * text.count("\n", doctype.start(), close + 1)
    budget = [min(max(1 << 20, 10 * len(text)), max(max_chars, len(text)))]
    body = _expand_protected(text[close + 1:], entities, budget, shown, 0)
    return head + body


def _internal_subset(text: str, pos: int, entities: dict[str, str], shown: str) -> int:
    """Read the declarations of a DTD's internal subset; the index after its ``]``."""
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        line, column = line_col(text, pos)
        if text.startswith("]", pos):
            return pos + 1
        piece = _COMMENT.match(text, pos) or _PI.match(text, pos)
        if piece is not None:
            pos = piece.end()
            continue
        match = _ENTITY.match(text, pos)
        if match is None:
            what = "unterminated DTD" if pos >= len(text) else (
                "the DTD declares more than internal entities (ELEMENT, ATTLIST, NOTATION or "
                "parameter references are not supported)")
            raise InputError(what, path=shown, line=line, column=column)
        if match.group(1) or match.group(5):
            kind = "parameter" if match.group(1) else "external"
            raise InputError(f"{kind} entity '{match.group(2)}' in the DTD: haberkg reads only "
                             "internal entities and never loads external documents",
                             path=shown, line=line, column=column)
        value = match.group(3) if match.group(3) is not None else match.group(4) or ""
        entities.setdefault(match.group(2), _CHAR_REF.sub(_char, value))
        pos = match.end()


def _char(match: re.Match[str]) -> str:
    ref = match.group(1)
    return chr(int(ref[1:], 16) if ref.startswith("x") else int(ref))


def _expand_protected(body: str, entities: dict[str, str], budget: list[int], shown: str,
                      depth: int) -> str:
    """Expand references outside comments, CDATA sections and processing instructions."""
    out, last = [], 0
    for match in _PROTECTED.finditer(body):
        out.append(_expand(body[last:match.start()], entities, budget, shown, depth))
        out.append(match.group())
        last = match.end()
    out.append(_expand(body[last:], entities, budget, shown, depth))
    return "".join(out)


def _expand(text: str, entities: dict[str, str], budget: list[int], shown: str,
            depth: int) -> str:
    if "&" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in PREDEFINED or name not in entities:
            return match.group()  # the parser handles (or rejects) it
        if depth >= MAX_ENTITY_DEPTH:
            raise LimitExceeded(f"entity '{name}' nested deeper than {MAX_ENTITY_DEPTH} levels "
                                "(a recursive or exploding DTD)", path=shown)
        value = _expand_protected(entities[name], entities, budget, shown, depth + 1)
        budget[0] -= len(value)
        if budget[0] < 0:
            raise LimitExceeded("the DTD's entities expand past the limit (an entity "
                                "expansion bomb?)", path=shown)
        return value

    return _ENTITY_REF.sub(one, text)


# ---------------------------------------------------------------------- JSON-LD

def json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, in linear time."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _local_context(url: str, contexts: Mapping[str, object]) -> object | None:
    """The local copy of the context at ``url``: given with --context, or the schema.org
    context shipped with the vocabulary; None if there is none."""
    if url in contexts:
        return contexts[url]
    if url in schemaorg.CONTEXT_URLS:
        return schemaorg.context()
    return None


def resolve_contexts(text: str, *, shown: str, contexts: Mapping[str, object]) -> str:
    """JSON-LD with every remote ``@context`` replaced by its mapped local copy.

    A context named by URL is replaced by the context that ``contexts`` maps it to, and
    the schema.org context (``https://schema.org``, ``http://schema.org/``,
    ``…/docs/jsonldcontext.json``) by the one shipped with the vocabulary; any other URL
    is refused with its name,
    since haberkg never fetches anything. The nesting depth is bounded first.
    """
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise LimitExceeded(f"JSON nested {depth} levels deep; the limit is {MAX_JSON_DEPTH}",
                            path=shown)
    if '"@context"' not in text:
        return text
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"syntax error: {exc.msg}", path=shown, line=exc.lineno,
                         column=exc.colno) from None
    changed = [False]

    def remote(value: str) -> object:
        local = _local_context(value, contexts)
        if local is not None:
            changed[0] = True
            return local
        if re.match(r"(?i)[a-z][a-z0-9+.\-]*:", value):
            raise InputError(f"remote JSON-LD context {value}: haberkg never fetches; map "
                             "it to a local file with --context URL=FILE", path=shown)
        return value  # a relative reference: the parser reports it

    def context(value: object) -> object:
        if isinstance(value, str):
            return remote(value)
        if isinstance(value, list):
            return [context(v) for v in value]
        return walk(value)

    def walk(node: object) -> object:
        if isinstance(node, list):
            return [walk(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: (context(v) if k == "@context" else walk(v)) for k, v in node.items()
               if k != "@import"}
        if isinstance(node.get("@import"), str):  # JSON-LD 1.1: merge an imported context
            imported = remote(node["@import"])
            if not isinstance(imported, dict):
                raise InputError(f"@import {node['@import']} is not a context object",
                                 path=shown)
            out = {**imported, **out}
        return out

    resolved = walk(document)
    return json.dumps(resolved, ensure_ascii=False) if changed[0] else text


# ---------------------------------------------------------------------- other views

def to_rdflib(quads: Iterable[ox.Quad | ox.Triple], graph: rdflib.Graph | None = None
              ) -> rdflib.Graph:
    """The triples of ``quads`` (graph names dropped) in an rdflib graph.

    Terms are converted one by one, with lexical forms exactly as parsed (rdflib's
    literal normalisation is off, so ``"1"^^xsd:boolean`` stays ``"1"``).
    """
    target = rdflib.Graph() if graph is None else graph
    cache: dict[Term, rdflib.term.Node] = {}

    def conv(t: Term) -> rdflib.term.Node:
        node = cache.get(t)
        if node is not None:
            return node
        if isinstance(t, ox.NamedNode):
            node = rdflib.URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            node = rdflib.BNode(t.value)
        elif isinstance(t, ox.Literal):
            datatype = None if t.language or t.datatype.value == XSD_STRING else t.datatype.value
            node = rdflib.Literal(t.value, lang=t.language, datatype=datatype, normalize=False)
        else:
            raise InputError("RDF 1.2 triple terms (<< >>) are not supported")
        if not isinstance(t, ox.Literal) or len(t.value) < 256:
            cache[t] = node
        return node

    batch: list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node, rdflib.Graph]] = []
    for q in quads:
        t = q.triple if isinstance(q, ox.Quad) else q
        batch.append((conv(t.subject), conv(t.predicate), conv(t.object), target))
        if len(batch) >= 10_000:
            target.addN(batch)
            batch = []
    if batch:
        target.addN(batch)
    return target


def to_store(quads: Iterable[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(quads if isinstance(quads, list) else list(quads))
    return store
