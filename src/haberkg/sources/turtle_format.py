"""A deterministic, comment-preserving Turtle formatter (``haberkg fmt``).

:func:`format_turtle` rewrites a Turtle 1.1 document into one canonical layout, the
hand-written style of ``data/`` and ``ontology/``. Terms are never rewritten: IRIs,
prefixed names, blank node labels, strings (long ones with their newlines), numbers,
booleans, language tags and datatypes are copied exactly as written. Only whitespace,
the position of comments, redundant ``;`` and the form of directives change.

Layout rules (``WIDTH`` is 100 characters, one indentation level is 4 spaces):

* **File header.** Full-line comments before the first statement are kept as they are
  (runs of blank lines between them become one blank line), then one blank line.
* **Directives.** ``PREFIX``/``BASE`` become ``@prefix p: <iri> .``/``@base <iri> .``.
  A run of consecutive directives is written one per line, ``@base`` first, then the
  prefixes sorted by prefix name (stable, so a redeclared prefix keeps its meaning; if a
  prefix IRI is relative, ``@base`` stays in place and only the prefixes around it are
  sorted). Directives that appear between triples stay where they are.
* **Statements** keep their order and are separated by exactly one blank line. The
  subject starts the line and is followed by the first predicate and its objects; each
  further predicate starts a new line indented one level. ``a`` stays ``a``; redundant
  ``;`` are dropped.
* **Object lists.** If all objects of a predicate fit on its line (``o1 , o2 , o3``
  followed by the ``;``, ``.`` or ``]`` that ends the line), they stay on one line.
  Otherwise the first object stays on the predicate's line and every further object
  starts a new line after `` ,``: indented one level deeper than the predicate, except a
  multi-line blank node, whose ``[`` is aligned with the predicate so that the bodies
  of all blank nodes of the list line up (the ``hk:evidence`` style of ``data/``).
* **Blank nodes** ``[ ... ]``. A blank node is written inline, ``[ p o ; q r ]``, when
  it fits within 100 characters on its line (including what follows it on that line)
  and contains no comment and no multi-line string. In an object list the blank-node
  objects are laid out alike: if one of them must be broken, all are. A broken blank
  node ends its line with ``[``, puts each predicate on its own line one level deeper
  than the predicate it is an object of (one level deeper than its own line for a
  subject or a collection item), and closes with `` ]`` right after its last object::

      hk:evidence [
          hk:covers schema:name ;
          hk:mode hk:Stated ] ,
      [
          hk:covers schema:jobTitle ;
          hk:mode hk:Editorial ] .

* **Collections** ``( ... )`` follow the same rule: inline when they fit, otherwise
  ``(`` ends the line, each item gets its own line one level deeper (as for a blank
  node), and `` )`` follows the last item. The first predicate of a statement sits on the
  subject's line but counts as indented one level, so its further objects and broken
  blank nodes are indented exactly as those of the following predicates.
* **Comments.** A full-line comment stays on its own line, at the indentation of the
  token that follows it, which then starts a new line. A trailing comment stays at the
  end of the line of the token it followed; when punctuation (``,`` ``;`` ``.`` ``]``
  ``)``) follows that token, the comment moves after the punctuation on the same line.
  Between statements, a comment block separated from the next statement by a blank line
  keeps that blank line. Comments after the last statement stay at the end.
* No line has trailing spaces (except inside long strings, which are verbatim) and the
  output ends with exactly one newline.

The result is idempotent. As a safety net, the input and the output are parsed with
pyoxigraph and compared after RDFC-1.0 canonicalisation; if the graphs differ (or a
comment went missing) :class:`~haberkg.errors.InputError` is raised instead of
returning a changed graph. Nesting of blank nodes and collections deeper than
``MAX_DEPTH`` levels is refused with an :class:`~haberkg.errors.InputError`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from haberkg.errors import InputError

__all__ = ["MAX_DEPTH", "WIDTH", "format_turtle"]

WIDTH = 100
INDENT = 4
MAX_DEPTH = 64
# Used only to parse relative IRIs when checking the graph; both sides use the same one.
_CHECK_BASE = "http://haberkg.invalid/fmt/"

# ----------------------------------------------------------------------------- tokens

IRI = "iri"
PNAME = "pname"
BNODE = "bnode"
ANON = "anon"
STRING = "string"
LITERAL = "literal"
LANG = "lang"
DTYPE = "^^"
NUMBER = "number"
BOOL = "bool"
A = "a"
AT_PREFIX = "@prefix"
AT_BASE = "@base"
SPARQL_PREFIX = "PREFIX"
SPARQL_BASE = "BASE"

CLOSERS = frozenset({"]", ")", ",", ";", "."})
DIRECTIVES = frozenset({AT_PREFIX, AT_BASE, SPARQL_PREFIX, SPARQL_BASE})
VERBS = frozenset({IRI, PNAME, A})
SUBJECT_TERMS = frozenset({IRI, PNAME, BNODE, ANON})
OBJECT_TERMS = frozenset({IRI, PNAME, BNODE, ANON, NUMBER, BOOL})

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
    f"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_ESC = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""

_PNAME_RE = re.compile(f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?")
_PNAME_NS_RE = re.compile(f"(?:{_PN_PREFIX})?:")
_BNODE_RE = re.compile(f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
_IRI_RE = re.compile(r'<(?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_LONG_DQ_RE = re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|' + _ESC + r'))*"""')
_LONG_SQ_RE = re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|" + _ESC + r"))*'''")
_SHORT_DQ_RE = re.compile(r'"(?:[^"\\\n\r]|' + _ESC + r')*"')
_SHORT_SQ_RE = re.compile(r"'(?:[^'\\\n\r]|" + _ESC + r")*'")
_NUMBER_RE = re.compile(
    r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)"
)
_AT_RE = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_ANON_RE = re.compile(r"\[[ \t\r\n]*\]")
_WS_RE = re.compile(r"[ \t\r\n]+")
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_COMMENT_RE = re.compile(r"#[^\r\n]*")
_WORD_RE = re.compile(r"[A-Za-z]+")


@dataclass(slots=True)
class Comment:
    """A full-line comment; ``blank_before`` records an empty line just above it."""

    text: str
    blank_before: bool = False


@dataclass(slots=True)
class Atom:
    """A token that is written as one piece, with the comments attached to it."""

    kind: str
    text: str
    offset: int
    leading: list[Comment] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)
    blank_before: bool = False


class _Lexer:
    """Splits Turtle text into atoms and attaches every comment to an atom (or the end)."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.line_starts = [0] + [m.end() for m in _NEWLINE_RE.finditer(text)]
        self.comments: list[str] = []

    def error(self, message: str, offset: int) -> InputError:
        line = bisect.bisect_right(self.line_starts, offset)
        column = offset - self.line_starts[line - 1] + 1
        return InputError(message, path=self.source, line=line, column=column)

    def tokenize(self) -> tuple[list[Atom], list[Comment]]:
        """All atoms in order, and the comments that follow the last one."""
        atoms: list[Atom] = []
        pending: list[Comment] = []
        pos, newlines, size = 0, 0, len(self.text)
        while pos < size:
            space = _WS_RE.match(self.text, pos)
            if space:
                newlines += len(_NEWLINE_RE.findall(space.group()))
                pos = space.end()
                continue
            if self.text[pos] == "#":
                pos = self._comment(pos, atoms, pending, newlines)
                newlines = 0
                continue
            atom, pos = self._token(pos, atoms[-1] if atoms else None)
            atom.leading, pending = pending, []
            atom.blank_before = newlines >= 2
            newlines = 0
            atoms.append(atom)
        return atoms, pending

    def _comment(self, pos: int, atoms: list[Atom], pending: list[Comment], newlines: int) -> int:
        match = _COMMENT_RE.match(self.text, pos)
        assert match is not None  # '#' always matches
        text = match.group().rstrip()
        self.comments.append(text)
        if atoms and newlines == 0:
            atoms[-1].trailing.append(text)
        else:
            pending.append(Comment(text, newlines >= 2))
        return match.end()

    def _token(self, pos: int, previous: Atom | None) -> tuple[Atom, int]:
        char = self.text[pos]
        if char == "<":
            return self._match(_IRI_RE, IRI, pos, "an IRI")
        if char in "\"'":
            return self._string(pos)
        if char == "@":
            return self._at(pos, previous)
        if char == "_":
            return self._match(_BNODE_RE, BNODE, pos, "a blank node label")
        if char == "[":
            anon = _ANON_RE.match(self.text, pos)
            if anon:
                return Atom(ANON, "[]", pos), anon.end()
            return Atom("[", "[", pos), pos + 1
        if char in "]();,":
            return Atom(char, char, pos), pos + 1
        if char == "^":
            if self.text.startswith("^^", pos):
                return Atom(DTYPE, "^^", pos), pos + 2
            raise self.error("expected '^^' before a datatype", pos)
        if char in "+-0123456789" or (char == "." and self._digit_at(pos + 1)):
            return self._match(_NUMBER_RE, NUMBER, pos, "a number")
        if char == ".":
            return Atom(".", ".", pos), pos + 1
        return self._name(pos)

    def _digit_at(self, pos: int) -> bool:
        return pos < len(self.text) and self.text[pos] in "0123456789"

    def _match(self, pattern: re.Pattern[str], kind: str, pos: int, what: str) -> tuple[Atom, int]:
        match = pattern.match(self.text, pos)
        if match is None:
            raise self.error(f"cannot read {what} here", pos)
        return Atom(kind, match.group(), pos), match.end()

    def _string(self, pos: int) -> tuple[Atom, int]:
        quote = self.text[pos]
        if self.text.startswith(quote * 3, pos):
            pattern = _LONG_DQ_RE if quote == '"' else _LONG_SQ_RE
        else:
            pattern = _SHORT_DQ_RE if quote == '"' else _SHORT_SQ_RE
        return self._match(pattern, STRING, pos, "a string (unterminated or bad escape?)")

    def _at(self, pos: int, previous: Atom | None) -> tuple[Atom, int]:
        atom, end = self._match(_AT_RE, LANG, pos, "a language tag or directive")
        if previous is not None and previous.kind == STRING:
            return atom, end
        if atom.text in (AT_PREFIX, AT_BASE):
            atom.kind = atom.text
            return atom, end
        raise self.error(f"unexpected {atom.text!r}", pos)

    def _name(self, pos: int) -> tuple[Atom, int]:
        pname = _PNAME_RE.match(self.text, pos)
        if pname:
            return Atom(PNAME, pname.group(), pos), pname.end()
        word = _WORD_RE.match(self.text, pos)
        if word:
            kind = _keyword(word.group())
            if kind is not None:
                return Atom(kind, word.group(), pos), word.end()
            raise self.error(f"unexpected word {word.group()!r}", pos)
        raise self.error(f"unexpected character {self.text[pos]!r}", pos)


def _keyword(word: str) -> str | None:
    if word == "a":
        return A
    if word in ("true", "false"):
        return BOOL
    upper = word.upper()
    if upper == "PREFIX":
        return SPARQL_PREFIX
    if upper == "BASE":
        return SPARQL_BASE
    return None


def _normalize_comments(atoms: list[Atom], eof: list[Comment]) -> None:
    """Move comments off punctuation, so that their place in the output is well defined.

    A full-line comment before ``, ; . ] )`` belongs to the next atom (or the end of the
    file); a trailing comment followed by such punctuation moves past it, to the end of
    the line the punctuation is written on.
    """
    for index, atom in enumerate(atoms):
        if atom.kind in CLOSERS and atom.leading:
            target = atoms[index + 1].leading if index + 1 < len(atoms) else eof
            target[:0] = atom.leading
            atom.leading = []
    for index in range(len(atoms) - 1):
        atom, following = atoms[index], atoms[index + 1]
        if atom.trailing and following.kind in CLOSERS:
            following.trailing[:0] = atom.trailing
            atom.trailing = []


# ----------------------------------------------------------------------------- syntax tree


@dataclass(slots=True)
class Term:
    """An IRI, prefixed name, blank node label, ``[]`` or literal: one atom."""

    atom: Atom


@dataclass(slots=True)
class PredicateObjects:
    verb: Atom
    objects: list[Node]
    commas: list[Atom]
    semicolon: Atom | None = None


@dataclass(slots=True)
class BlankNode:
    """A blank node property list ``[ ... ]``."""

    open: Atom
    predicates: list[PredicateObjects]
    close: Atom


@dataclass(slots=True)
class Collection:
    open: Atom
    items: list[Node]
    close: Atom


Node = Term | BlankNode | Collection


@dataclass(slots=True)
class Directive:
    kind: str  # "prefix" or "base"
    name: str
    iri: str
    leading: list[Comment]
    blank_before: bool
    inner: list[str]
    trailing: list[str]

    def line(self) -> str:
        if self.kind == "base":
            return f"@base {self.iri} ."
        return f"@prefix {self.name} {self.iri} ."


@dataclass(slots=True)
class Triples:
    subject: Node
    predicates: list[PredicateObjects]
    dot: Atom


Statement = Directive | Triples


def _first(node: Node) -> Atom:
    return node.atom if isinstance(node, Term) else node.open


def _last(node: Node) -> Atom:
    return node.atom if isinstance(node, Term) else node.close


def _merge(parts: list[Atom], kind: str) -> Atom:
    """One atom from several tokens; comments inside become full-line comments before it."""
    leading = list(parts[0].leading)
    for index, part in enumerate(parts):
        if index:
            leading.extend(part.leading)
        if index < len(parts) - 1:
            leading.extend(Comment(text) for text in part.trailing)
    text = "".join(part.text for part in parts)
    return Atom(kind, text, parts[0].offset, leading, list(parts[-1].trailing),
                parts[0].blank_before)


class _Parser:
    """Recursive descent over the atoms; nesting is capped at ``MAX_DEPTH``."""

    def __init__(self, atoms: list[Atom], lexer: _Lexer) -> None:
        self.atoms = atoms
        self.lexer = lexer
        self.pos = 0
        self.depth = 0

    def _peek(self) -> str | None:
        return self.atoms[self.pos].kind if self.pos < len(self.atoms) else None

    def _take(self) -> Atom:
        atom = self.atoms[self.pos]
        self.pos += 1
        return atom

    def _fail(self, expected: str) -> InputError:
        if self.pos >= len(self.atoms):
            return self.lexer.error(f"expected {expected}, found the end of the file",
                                    len(self.lexer.text))
        atom = self.atoms[self.pos]
        return self.lexer.error(f"expected {expected}, found {atom.text[:30]!r}", atom.offset)

    def _expect(self, kinds: frozenset[str] | set[str], expected: str) -> Atom:
        if self._peek() not in kinds:
            raise self._fail(expected)
        return self._take()

    def statements(self) -> list[Statement]:
        result: list[Statement] = []
        while self.pos < len(self.atoms):
            if self._peek() in DIRECTIVES:
                result.append(self._directive())
            else:
                result.append(self._triples())
        return result

    def _directive(self) -> Directive:
        keyword = self._take()
        parts = [keyword]
        name = ""
        if keyword.kind in (AT_PREFIX, SPARQL_PREFIX):
            atom = self._expect({PNAME}, "a prefix name such as ex:")
            if not _PNAME_NS_RE.fullmatch(atom.text):
                raise self.lexer.error(f"expected a prefix name such as ex:, found {atom.text!r}",
                                       atom.offset)
            name = atom.text
            parts.append(atom)
        iri = self._expect({IRI}, "an IRI in <...>")
        parts.append(iri)
        if keyword.kind in (AT_PREFIX, AT_BASE):
            parts.append(self._expect({"."}, "'.' after the directive"))
        inner = _merge(parts, "directive").leading[len(keyword.leading):]
        return Directive(
            kind="prefix" if name else "base",
            name=name,
            iri=iri.text,
            leading=keyword.leading,
            blank_before=keyword.blank_before,
            inner=[comment.text for comment in inner],
            trailing=parts[-1].trailing,
        )

    def _triples(self) -> Triples:
        predicates: list[PredicateObjects] = []
        if self._peek() == "[":
            subject: Node = self._blank_node()
            if self._peek() != ".":
                predicates = self._predicate_list()
        else:
            subject = self._subject()
            predicates = self._predicate_list()
        dot = self._expect({"."}, "'.' to end the statement")
        return Triples(subject, predicates, dot)

    def _subject(self) -> Node:
        kind = self._peek()
        if kind in SUBJECT_TERMS:
            return Term(self._take())
        if kind == "(":
            return self._collection()
        raise self._fail("a subject (IRI, prefixed name, blank node or collection)")

    def _predicate_list(self) -> list[PredicateObjects]:
        predicates = [self._predicate_objects()]
        while self._peek() == ";":
            semicolon = self._take()
            while self._peek() == ";":
                semicolon = self._take()
            if self._peek() not in VERBS:
                break
            predicates[-1].semicolon = semicolon
            predicates.append(self._predicate_objects())
        return predicates

    def _predicate_objects(self) -> PredicateObjects:
        verb = self._expect(VERBS, "a predicate")
        objects = [self._object()]
        commas: list[Atom] = []
        while self._peek() == ",":
            commas.append(self._take())
            objects.append(self._object())
        return PredicateObjects(verb, objects, commas)

    def _object(self) -> Node:
        kind = self._peek()
        if kind in OBJECT_TERMS:
            return Term(self._take())
        if kind == STRING:
            return Term(self._literal())
        if kind == "[":
            return self._blank_node()
        if kind == "(":
            return self._collection()
        raise self._fail("an object")

    def _literal(self) -> Atom:
        parts = [self._take()]
        if self._peek() == LANG:
            parts.append(self._take())
        elif self._peek() == DTYPE:
            parts.append(self._take())
            parts.append(self._expect({IRI, PNAME}, "a datatype IRI after '^^'"))
        return _merge(parts, LITERAL)

    def _enter(self, atom: Atom) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.lexer.error(
                f"nesting deeper than {MAX_DEPTH} levels of blank nodes and collections",
                atom.offset,
            )

    def _blank_node(self) -> BlankNode:
        opening = self._take()
        self._enter(opening)
        predicates = self._predicate_list()
        close = self._expect({"]"}, "']' to close the blank node")
        self.depth -= 1
        return BlankNode(opening, predicates, close)

    def _collection(self) -> Collection:
        opening = self._take()
        self._enter(opening)
        items: list[Node] = []
        while self._peek() != ")":
            if self._peek() is None:
                raise self._fail("')' to close the collection")
            items.append(self._object())
        close = self._take()
        self.depth -= 1
        return Collection(opening, items, close)


# ----------------------------------------------------------------------------- layout


class _Renderer:
    """Writes statements line by line; see the module docstring for the rules."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current = ""
        self.notes: list[str] = []
        self._inline_cache: dict[int, str | None] = {}

    # -- the line buffer

    @property
    def column(self) -> int:
        return len(self.current) - (self.current.rfind("\n") + 1)

    def flush(self) -> None:
        line = self.current.rstrip(" ")
        if self.notes:
            line = f"{line} {' '.join(self.notes)}" if line.strip() else " ".join(self.notes)
        if line.strip():
            self.lines.append(line)
        self.current, self.notes = "", []

    def start_line(self, indent: int, comments: list[Comment]) -> None:
        self.flush()
        self.lines.extend(" " * indent + comment.text for comment in comments)
        self.current = " " * indent

    def put(self, text: str, atom: Atom | None = None) -> None:
        self.current += text
        if atom is not None:
            self.notes.extend(atom.trailing)

    def blank(self) -> None:
        self.flush()
        self.lines.append("")

    def comment_blocks(self, comments: list[Comment], *, detached: bool) -> None:
        """Statement-level comments: blank lines between blocks kept (one at most)."""
        self.flush()
        for index, comment in enumerate(comments):
            if index and comment.blank_before:
                self.lines.append("")
            self.lines.append(comment.text)
        if comments and detached:
            self.lines.append("")

    # -- inline forms

    def inline(self, node: Node) -> str | None:
        """The one-line form of a node, or None when it must not be written on one line."""
        key = id(node)
        if key not in self._inline_cache:
            self._inline_cache[key] = self._compute_inline(node)
        return self._inline_cache[key]

    def _compute_inline(self, node: Node) -> str | None:
        if isinstance(node, Term):
            text = node.atom.text
            return None if "\n" in text or "\r" in text else text
        if isinstance(node, Collection) and not node.items:
            return "()"
        if node.open.trailing or node.close.leading:
            return None
        if isinstance(node, Collection):
            items = self._inline_items(node.items, [])
            return None if items is None else f"( {' '.join(items)} )"
        parts: list[str] = []
        for entry in node.predicates:
            part = self._inline_entry(entry)
            if part is None:
                return None
            parts.append(part)
        return f"[ {' ; '.join(parts)} ]"

    def _inline_entry(self, entry: PredicateObjects) -> str | None:
        separators = entry.commas + ([entry.semicolon] if entry.semicolon else [])
        if entry.verb.leading or entry.verb.trailing:
            return None
        objects = self._inline_items(entry.objects, separators)
        return None if objects is None else f"{entry.verb.text} {' , '.join(objects)}"

    def _inline_items(self, nodes: list[Node], separators: list[Atom]) -> list[str] | None:
        if any(atom.leading or atom.trailing for atom in separators):
            return None
        texts: list[str] = []
        for node in nodes:
            text = self.inline(node)
            if text is None or _first(node).leading or _last(node).trailing:
                return None
            texts.append(text)
        return texts

    def fits(self, node: Node, column: int, tail: str) -> bool:
        text = self.inline(node)
        return text is not None and column + len(text) + len(tail) <= WIDTH

    # -- nodes

    def node(self, node: Node, tail: str, base: int, *, allow_inline: bool = True) -> None:
        """Write a node from the current position.

        ``tail`` is what follows the node on its last line; ``base`` is the indentation
        the node belongs to (its predicate's, or its own line's): a broken node indents
        its content one level deeper than ``base``.
        """
        if isinstance(node, Term):
            self.put(node.atom.text, node.atom)
            return
        if allow_inline and self.fits(node, self.column, tail):
            self.put(self.inline(node) or "", node.close)
        elif isinstance(node, BlankNode):
            self.broken_blank_node(node, tail, base)
        elif not node.items:
            self.put("()", node.close)
        else:
            self.broken_collection(node, tail, base)

    def broken_blank_node(self, node: BlankNode, tail: str, base: int) -> None:
        self.put("[", node.open)
        self.predicates(node.predicates, base + INDENT, first_inline=False, tail=" ]" + tail)
        self.put(" ]", node.close)

    def broken_collection(self, node: Collection, tail: str, base: int) -> None:
        self.put("(", node.open)
        indent = base + INDENT
        for index, item in enumerate(node.items):
            last = index == len(node.items) - 1
            self.start_line(indent, _first(item).leading)
            self.node(item, " )" + tail if last else "", indent)
        self.put(" )", node.close)

    def predicates(self, entries: list[PredicateObjects], indent: int, *, first_inline: bool,
                   tail: str) -> None:
        """A predicate-object list whose predicates (after the first, if inline) start
        lines at ``indent``."""
        for index, entry in enumerate(entries):
            last = index == len(entries) - 1
            if index == 0 and first_inline and not entry.verb.leading:
                self.put(" ")
            else:
                self.start_line(indent, entry.verb.leading)
            self.put(entry.verb.text, entry.verb)
            self.objects(entry, tail if last else " ;", indent)
            if not last:
                self.put(" ;", entry.semicolon)

    def objects(self, entry: PredicateObjects, tail: str, verb_indent: int) -> None:
        if self._objects_on_one_line(entry, tail):
            return
        objects = entry.objects
        tails = [" ,"] * (len(objects) - 1) + [tail]
        new_line = [index > 0 or bool(entry.verb.trailing or _first(item).leading)
                    for index, item in enumerate(objects)]
        columns = [verb_indent + INDENT if new else self.column + 1 for new in new_line]
        break_blank_nodes = any(
            isinstance(item, BlankNode) and not self.fits(item, columns[index], tails[index])
            for index, item in enumerate(objects)
        )
        for index, item in enumerate(objects):
            broken = break_blank_nodes and isinstance(item, BlankNode)
            if new_line[index]:
                indent = verb_indent if broken else verb_indent + INDENT
                self.start_line(indent, _first(item).leading)
            else:
                self.put(" ")
            self.node(item, tails[index], verb_indent, allow_inline=not broken)
            if index < len(objects) - 1:
                self.put(" ,", entry.commas[index])

    def _objects_on_one_line(self, entry: PredicateObjects, tail: str) -> bool:
        if entry.verb.trailing:
            return False
        texts = self._inline_items(entry.objects, entry.commas)
        if texts is None:
            return False
        joined = " " + " , ".join(texts)
        if self.column + len(joined) + len(tail) > WIDTH:
            return False
        self.put(joined, _last(entry.objects[-1]))
        return True

    # -- statements

    def triples(self, statement: Triples, *, opens_file: bool) -> None:
        first = _first(statement.subject)
        self.comment_blocks(first.leading, detached=first.blank_before or opens_file)
        self.start_line(0, [])
        entries = statement.predicates
        self.node(statement.subject, " " + entries[0].verb.text if entries else " .", 0)
        if entries:
            first_inline = not _last(statement.subject).trailing
            self.predicates(entries, INDENT, first_inline=first_inline, tail=" .")
        self.put(" .", statement.dot)
        self.flush()

    def directives(self, run: list[Directive], *, opens_file: bool) -> None:
        head = run[0]
        self.comment_blocks(head.leading, detached=head.blank_before or opens_file)
        for directive in _ordered_directives(run):
            self.flush()
            if directive is not head:
                self.lines.extend(comment.text for comment in directive.leading)
            self.lines.extend(directive.inner)
            self.start_line(0, [])
            self.put(directive.line())
            self.notes.extend(directive.trailing)
        self.flush()

    def end_comments(self, comments: list[Comment], *, after_statements: bool) -> None:
        self.flush()
        for index, comment in enumerate(comments):
            if comment.blank_before and (index or after_statements):
                self.lines.append("")
            self.lines.append(comment.text)


_ABSOLUTE_IRI_RE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")


def _ordered_directives(run: list[Directive]) -> list[Directive]:
    """``@base`` first, then prefixes by name (stable, so a redeclaration still wins).

    When a prefix IRI is relative, moving ``@base`` would change its meaning: then each
    ``@base`` stays where it is and only the prefixes between them are sorted.
    """
    if all(d.kind == "base" or _ABSOLUTE_IRI_RE.match(d.iri) for d in run):
        bases = [d for d in run if d.kind == "base"]
        return bases + sorted((d for d in run if d.kind != "base"), key=lambda d: d.name)
    ordered: list[Directive] = []
    segment: list[Directive] = []
    for directive in run:
        if directive.kind == "base":
            ordered += sorted(segment, key=lambda d: d.name) + [directive]
            segment = []
        else:
            segment.append(directive)
    return ordered + sorted(segment, key=lambda d: d.name)


def _sections(statements: list[Statement]) -> list[list[Directive] | Triples]:
    """Statements with consecutive directives grouped into runs."""
    sections: list[list[Directive] | Triples] = []
    for statement in statements:
        if isinstance(statement, Directive):
            if sections and isinstance(sections[-1], list):
                sections[-1].append(statement)
            else:
                sections.append([statement])
        else:
            sections.append(statement)
    return sections


def _separate_header(lines: list[str]) -> None:
    """Put one blank line between the file's leading comments and its first statement."""
    index = 0
    while index < len(lines) and (not lines[index] or lines[index].startswith("#")):
        index += 1
    if 0 < index < len(lines) and lines[index - 1]:
        lines.insert(index, "")


def _render(statements: list[Statement], eof: list[Comment]) -> str:
    renderer = _Renderer()
    sections = _sections(statements)
    for index, section in enumerate(sections):
        if index:
            renderer.blank()
        if isinstance(section, list):
            renderer.directives(section, opens_file=index == 0)
        else:
            renderer.triples(section, opens_file=index == 0)
    renderer.end_comments(eof, after_statements=bool(sections))
    renderer.flush()
    lines = renderer.lines
    _separate_header(lines)
    return "\n".join(lines) + "\n" if lines else ""


# ----------------------------------------------------------------------------- checks


def _canonical_graph(text: str) -> set[ox.Quad]:
    dataset = ox.Dataset(
        ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=_CHECK_BASE)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _check_graph(original: str, formatted: str, source: str) -> None:
    try:
        before = _canonical_graph(original)
    except SyntaxError as exc:
        raise InputError(f"not valid Turtle: {exc.msg}", path=source, line=exc.lineno,
                         column=exc.offset) from None
    try:
        after = _canonical_graph(formatted)
    except SyntaxError:
        after = None
    if after != before:
        raise InputError("formatting would change the graph; please report this", path=source)


def _comment_words(comments: list[str]) -> Counter[str]:
    return Counter(word for comment in comments for word in comment.split())


def _check_comments(lexer: _Lexer, formatted: str, source: str) -> None:
    again = _Lexer(formatted, source)
    again.tokenize()
    if _comment_words(again.comments) != _comment_words(lexer.comments):
        raise InputError("formatting would lose a comment; please report this", path=source)


# ----------------------------------------------------------------------------- entry point


def format_turtle(text: str, *, source: str = "<string>") -> str:
    """Return ``text`` (a Turtle document) in the canonical layout.

    Raises :class:`~haberkg.errors.InputError` (located at ``source``) for text the
    tokenizer cannot read, for nesting deeper than ``MAX_DEPTH``, and when the formatted
    text would not describe exactly the same graph as the input.
    """
    lexer = _Lexer(text, source)
    atoms, eof = lexer.tokenize()
    _normalize_comments(atoms, eof)
    statements = _Parser(atoms, lexer).statements()
    formatted = _render(statements, eof)
    _check_comments(lexer, formatted, source)
    _check_graph(text, formatted, source)
    return formatted
