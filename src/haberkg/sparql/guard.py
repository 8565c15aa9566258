"""A text-level safety check for untrusted SPARQL queries run by pyoxigraph (Oxigraph 0.5).

pyoxigraph executes ``SERVICE`` (outbound HTTP) and exposes no parser, so this module
decides on text what Oxigraph will execute:

1. codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) are expanded once over the whole
   text, as SPARQL 1.1 section 19.2 says; the result must be a fixpoint (it contains no
   further escape), so no engine can expand it differently;
2. that text is lexed with the terminals of section 19.8 (one regex per terminal,
   longest match, keywords case-insensitive, no recursion, linear time);
3. the tokens are checked: no ``SERVICE`` keyword, no update keyword, balanced brackets
   no deeper than a limit, a query form after the prologue, ``FROM`` targets collected;
4. the places where Oxigraph 0.5's parser (a PEG parser without a separate lexer) reads
   the same text differently from the grammar are refused (see ``_oxigraph_hazards``);
5. the caller executes exactly ``Prepared.text``, the expanded text that was checked.

"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from haberkg.errors import QueryRefused

__all__ = [
    "Prepared",
    "QueryRefused",
    "Token",
    "expand_codepoint_escapes",
    "prepare",
    "tokens",
]

MAX_BYTES = 1_000_000
MAX_DEPTH = 64


@dataclass(frozen=True)
class Token:
    kind: str  # 'IRIREF','PNAME_NS','PNAME_LN','BLANK_NODE_LABEL','VAR','LANGTAG','INTEGER',
    #            'DECIMAL','DOUBLE','STRING','NIL','ANON','KEYWORD','PUNCT','OP'
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Prepared:
    text: str  # the text to execute: the escape-expanded query
    form: str  # 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE'
    from_graphs: tuple[str, ...]  # token text of each FROM target, as written (<...> or p:n)
    from_named_graphs: tuple[str, ...]  # likewise for FROM NAMED
    depth: int  # the deepest nesting of ( [ { found


# ----------------------------------------------------------------- §19.2 escapes

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class _PosMap:
    """Maps positions in the expanded text back to the original text."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.expanded_at: list[int] = []  # expanded index of each expanded escape
        self.original_at: list[int] = []  # original index of the same escape
        self.original_len: list[int] = []  # its length in the original (6 or 10)

    def original_pos(self, pos: int) -> int:
        k = bisect.bisect_right(self.expanded_at, pos) - 1
        if k < 0:
            return pos
        if pos == self.expanded_at[k]:
            return self.original_at[k]
        return self.original_at[k] + self.original_len[k] + (pos - self.expanded_at[k] - 1)

    def refuse(self, kind: str, message: str, pos: int | None) -> QueryRefused:
        if pos is None:
            return QueryRefused(kind, message)
        line, column = _line_col(self.original, self.original_pos(pos))
        return QueryRefused(kind, message, line, column)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _expand(text: str) -> tuple[str, _PosMap]:
    pmap = _PosMap(text)
    parts: list[str] = []
    last = out_len = 0
    for m in _ESCAPE.finditer(text):
        parts.append(text[last:m.start()])
        out_len += m.start() - last
        code = int(m.group(1) or m.group(2), 16)
        problem = None
        if code == 0:
            problem = "produces U+0000"
        elif 0xD800 <= code <= 0xDFFF:
            problem = f"produces the surrogate U+{code:04X}, which is not a character"
        elif code > 0x10FFFF:
            problem = f"produces U+{code:X}, above U+10FFFF"
        if problem:
            line, column = _line_col(text, m.start())
            raise QueryRefused("escape", f"the escape {m.group(0)} {problem}", line, column)
        pmap.expanded_at.append(out_len)
        pmap.original_at.append(m.start())
        pmap.original_len.append(m.end() - m.start())
        parts.append(chr(code))
        out_len += 1
        last = m.end()
    parts.append(text[last:])
    expanded = "".join(parts)
    again = _ESCAPE.search(expanded)
    if again:
        raise pmap.refuse(
            "escape", f"expanding the codepoint escapes produced another escape {again.group(0)}"
            " (escapes are expanded exactly once; write the character itself)", again.start())
    return expanded, pmap


def expand_codepoint_escapes(text: str) -> str:
    """Expand ``\\uXXXX`` and ``\\UXXXXXXXX`` everywhere, once (SPARQL 1.1 section 19.2).

    Refuses (kind 'escape') escapes that produce U+0000, a surrogate or a code point above
    U+10FFFF, and results that still contain an escape (e.g. from ``\\u005Cu0041``). A
    backslash-u without exactly 4 (or 8) hex digits is left as it is.
    """
    return _expand(text)[0]


# ------------------------------------------------------ §19.8 terminals (one regex each)

# PN_CHARS_BASE without its supplementary range, which Oxigraph 0.5 does not accept.
_BASE_BMP = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
             "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd")
_BASE = _BASE_BMP + "\U00010000-\U000effff"  # [#x10000-#xEFFFF]
_EXTRA = "\u00b7\u0300-\u036f\u203f-\u2040"  # in PN_CHARS and VARNAME beyond PN_CHARS_U
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"  # PERCENT | PN_LOCAL_ESC


@dataclass(frozen=True)
class _Names:
    """The name terminals for one version of PN_CHARS_BASE."""

    pn_prefix: str
    pn_local: str
    varname: str
    blank: str


def _names(base: str) -> _Names:
    u = base + "_"  # PN_CHARS_U
    chars = u + "\\-0-9" + _EXTRA  # PN_CHARS
    # (X|'.')* X  is written  (?:\.*X)*  : the same language, deterministic, linear.
    return _Names(
        pn_prefix=f"[{base}](?:\\.*+[{chars}])*+",
        pn_local=f"(?:[{u}:0-9]|{_PLX})(?:\\.*+(?:[{chars}:]|{_PLX}))*+",
        varname=f"[{u}0-9][{u}0-9{_EXTRA}]*+",
        blank=f"_:[{u}0-9](?:\\.*+[{chars}])*+",
    )


_SPEC = _names(_BASE)
_ECHAR = r"\\[tbnrf\\\"']"
_EXPONENT = r"[eE][+-]?[0-9]+"

IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*+>')
PNAME_NS = re.compile(f"(?:{_SPEC.pn_prefix})?:")
PNAME_LN = re.compile(f"(?:{_SPEC.pn_prefix})?:{_SPEC.pn_local}")
BLANK_NODE_LABEL = re.compile(_SPEC.blank)
VAR1 = re.compile(f"\\?{_SPEC.varname}")
VAR2 = re.compile(f"\\${_SPEC.varname}")
LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*+")
INTEGER = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[0-9]*\.[0-9]+")
DOUBLE = re.compile(f"(?:[0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+){_EXPONENT}")
INTEGER_POSITIVE = re.compile(r"\+[0-9]+")
DECIMAL_POSITIVE = re.compile(r"\+[0-9]*\.[0-9]+")
DOUBLE_POSITIVE = re.compile(f"\\+(?:[0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+){_EXPONENT}")
INTEGER_NEGATIVE = re.compile(r"-[0-9]+")
DECIMAL_NEGATIVE = re.compile(r"-[0-9]*\.[0-9]+")
DOUBLE_NEGATIVE = re.compile(f"-(?:[0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+){_EXPONENT}")
STRING_LITERAL1 = re.compile(f"'(?:[^'\\\\\\n\\r]++|{_ECHAR})*+'")
STRING_LITERAL2 = re.compile(f'"(?:[^"\\\\\\n\\r]++|{_ECHAR})*+"')
STRING_LITERAL_LONG1 = re.compile(f"'''(?:(?:''|')?+(?:[^'\\\\]++|{_ECHAR}))*+'''")
STRING_LITERAL_LONG2 = re.compile(f'"""(?:(?:""|")?+(?:[^"\\\\]++|{_ECHAR}))*+"""')
NIL = re.compile(r"\([ \t\r\n]*+\)")
ANON = re.compile(r"\[[ \t\r\n]*+\]")
WS = re.compile(r"[ \t\r\n]+")
COMMENT = re.compile(r"#[^\r\n]*+")

QUERY_KEYWORDS = frozenset({
    "BASE", "PREFIX", "SELECT", "DISTINCT", "REDUCED", "AS", "CONSTRUCT", "WHERE", "DESCRIBE",
    "ASK", "FROM", "NAMED", "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "LIMIT", "OFFSET",
    "VALUES", "OPTIONAL", "GRAPH", "SERVICE", "SILENT", "BIND", "UNDEF", "MINUS", "UNION",
    "FILTER", "NOT", "IN", "EXISTS", "SEPARATOR", "TRUE", "FALSE", "STR", "LANG",
    "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR",
    "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS",
    "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS",
    "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512",
    "COALESCE", "IF", "STRLANG", "STRDT", "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL",
    "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE",
    "GROUP_CONCAT",
})
# Keywords that only occur in SPARQL Update requests.
UPDATE_KEYWORDS = frozenset({
    "INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH",
    "USING", "DATA", "INTO", "TO", "DEFAULT", "ALL",
})
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

# Keywords are literal strings matched case-insensitively (ASCII only, as Oxigraph does);
# the alternation lists longer keywords first so that the match is the longest one.
KEYWORD = re.compile(
    "|".join(sorted(QUERY_KEYWORDS | UPDATE_KEYWORDS, key=lambda k: (-len(k), k))),
    re.IGNORECASE | re.ASCII)
KEYWORD_A = re.compile("a")  # the one case-sensitive keyword, rdf:type
PUNCT_OP = re.compile(r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/^|?]")
_PUNCT = frozenset("{}()[];,.") | {"^^"}

_Rx = tuple[str, re.Pattern[str]]
_NUMBERS: tuple[_Rx, ...] = (("DOUBLE", DOUBLE), ("DECIMAL", DECIMAL), ("INTEGER", INTEGER))
_NAMES: tuple[_Rx, ...] = (("PNAME_LN", PNAME_LN), ("PNAME_NS", PNAME_NS))
_DISPATCH: dict[str, tuple[_Rx, ...]] = {
    **{c: (("KEYWORD", KEYWORD), ("KEYWORD", KEYWORD_A), *_NAMES)
       for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
    **{c: _NUMBERS for c in "0123456789"},
    ".": (*_NUMBERS, ("PUNCT", PUNCT_OP)),
    "+": (("DOUBLE", DOUBLE_POSITIVE), ("DECIMAL", DECIMAL_POSITIVE),
          ("INTEGER", INTEGER_POSITIVE), ("OP", PUNCT_OP)),
    "-": (("DOUBLE", DOUBLE_NEGATIVE), ("DECIMAL", DECIMAL_NEGATIVE),
          ("INTEGER", INTEGER_NEGATIVE), ("OP", PUNCT_OP)),
    ":": _NAMES,
    "_": (("BLANK_NODE_LABEL", BLANK_NODE_LABEL),),
    "?": (("VAR", VAR1), ("OP", PUNCT_OP)),
    "$": (("VAR", VAR2),),
    "@": (("LANGTAG", LANGTAG),),
    '"': (("STRING", STRING_LITERAL_LONG2), ("STRING", STRING_LITERAL2)),
    "'": (("STRING", STRING_LITERAL_LONG1), ("STRING", STRING_LITERAL1)),
    "<": (("IRIREF", IRIREF), ("OP", PUNCT_OP)),
    "(": (("NIL", NIL), ("PUNCT", PUNCT_OP)),
    "[": (("ANON", ANON), ("PUNCT", PUNCT_OP)),
    **{c: (("OP", PUNCT_OP),) for c in "{})];,=>!*/^|&"},
}

# Characters refused anywhere, even inside strings and comments where the grammar allows
# them: C0 controls but TAB, LF and CR; DEL; lone surrogates. (C1 controls stay allowed in
# strings: the W3C suite has U+0080 in one; the grammar allows them nowhere else but IRIs.)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Line separators some tools end a line at (NEL, LS, PS); a comment containing one is refused.
_COMMENT_FORBIDDEN = re.compile("[\x85\u2028\u2029]")


class _LexError(Exception):
    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


def _lex(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (kind, start, end) for each token and comment ('COMMENT'); whitespace is skipped.

    At each position the longest match among the terminals that can start with that
    character wins (ties: the first listed). Raises _LexError where nothing matches.
    """
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            m = WS.match(text, i)
            assert m is not None
            i = m.end()
            continue
        if c == "#":
            m = COMMENT.match(text, i)
            assert m is not None
            bad = _COMMENT_FORBIDDEN.search(text, i, m.end())
            if bad:
                raise _LexError(bad.start(), f"{_show(bad.group())} inside a comment")
            yield "COMMENT", i, m.end()
            i = m.end()
            continue
        best_kind, best_end = "", i
        for kind, rx in _DISPATCH.get(c, _NAMES):
            m = rx.match(text, i)
            if m is not None and m.end() > best_end:
                best_kind, best_end = kind, m.end()
        if not best_kind:
            raise _LexError(*_diagnose(text, i))
        if best_kind == "OP" and text[i:best_end] in _PUNCT:
            best_kind = "PUNCT"
        yield best_kind, i, best_end
        i = best_end


def _show(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    return code if not ch.isprintable() or ch.isspace() else f"'{ch}' ({code})"


# What remains of a string terminal up to where it fails: used to explain the failure.
_STRING_PREFIX = {
    '"': re.compile(f'"(?:[^"\\\\\\n\\r]++|{_ECHAR})*+'),
    "'": re.compile(f"'(?:[^'\\\\\\n\\r]++|{_ECHAR})*+"),
    '"""': re.compile(f'"""(?:(?:""|")?+(?:[^"\\\\]++|{_ECHAR}))*+'),
    "'''": re.compile(f"'''(?:(?:''|')?+(?:[^'\\\\]++|{_ECHAR}))*+"),
}
_ECHARS = "only \\t \\b \\n \\r \\f \\\" \\' \\\\ are allowed"


def _diagnose(text: str, i: int) -> tuple[int, str]:
    c = text[i]
    if c in "\"'":
        # After a long string that failed, '' or "" was taken as an empty string.
        start = i - 2 if i >= 2 and text.startswith(c * 3, i - 2) else i
        opener = c * 3 if start < i else c
        m = _STRING_PREFIX[opener].match(text, start)
        assert m is not None
        j = m.end()
        if j < len(text) and text[j] == "\\":
            return j, f"invalid escape {text[j:j + 2]!r} in a string: {_ECHARS}"
        if start < i:
            return start, f"unterminated string {opener}"
        return i, "unterminated string (a string in quotes cannot span lines; use ''' or \"\"\")"
    if c == "\\":
        return i, "a backslash outside a string or a prefixed name's local part"
    if c == "$":
        return i, "'$' must start a variable name"
    if c == "@":
        return i, "'@' must start a language tag"
    if c == "_":
        return i, "'_' must start a blank node label '_:name'"
    if c.isalpha():
        return i, "a word that is not a SPARQL keyword (a prefixed name needs ':')"
    return i, f"unexpected character {_show(c)}"


def tokens(text: str) -> list[Token]:
    """Lex ``text`` (already escape-expanded) with the SPARQL 1.1 terminals.

    Comments and whitespace are dropped. Raises QueryRefused('syntax') at the first
    position no terminal matches; positions are 1-based in ``text`` (code points).
    """
    out: list[Token] = []
    line, line_start, pos = 1, 0, 0
    try:
        for kind, start, end in _lex(text):
            newlines = text.count("\n", pos, start)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", pos, start) + 1
            pos = start
            if kind != "COMMENT":
                out.append(Token(kind, text[start:end], line, start - line_start + 1))
    except _LexError as err:
        line, column = _line_col(text, err.pos)
        raise QueryRefused("syntax", err.message, line, column) from None
    return out


# ------------------------------------------------------------------ Oxigraph's reading

# Oxigraph 0.5's parser has no lexer: it matches terminals as the grammar rule it is in
# asks for, and backtracks when a rule's action fails. Where that reads a text otherwise
# than the section 19.8 lexer, an attacker can hide a SERVICE from a spec-exact check.
# Each rule below names the divergence it closes; all were confirmed against 0.5.13.

_OXI = _names(_BASE_BMP)
# Oxigraph's PN_LOCAL allows one '.'-separated group only: ex:a.b.c is read as ex:a.b .c
OXI_PN_LOCAL = (f"(?:[{_BASE_BMP}_:0-9]|{_PLX})(?:[{_BASE_BMP}_\\-0-9{_EXTRA}:]|{_PLX})*+"
                f"(?:\\.++(?:[{_BASE_BMP}_\\-0-9{_EXTRA}:]|{_PLX})++)?+")
_OXI_READS: dict[str, re.Pattern[str]] = {
    "PNAME_LN": re.compile(f"(?:{_OXI.pn_prefix})?:{OXI_PN_LOCAL}"),
    "PNAME_NS": re.compile(f"(?:{_OXI.pn_prefix})?:"),
    "VAR": re.compile(f"[?$]{_OXI.varname}"),
    "BLANK_NODE_LABEL": re.compile(_OXI.blank),
}
_SERVICE = re.compile("service", re.IGNORECASE | re.ASCII)
_IRI_HAZARD = re.compile(r"['#()\[\]]")
_KEYWORDS_IN_LOCAL = re.compile("service|from|named", re.IGNORECASE | re.ASCII)
_FROM_PREFIX = re.compile("from|named", re.IGNORECASE | re.ASCII)
_OPERAND_END = frozenset({"VAR", "STRING", "INTEGER", "DECIMAL", "DOUBLE", "LANGTAG", "IRIREF",
                          "PNAME_LN", "PNAME_NS", "NIL"})

# An absolute IRI Oxigraph surely accepts (a conservative subset of RFC 3987).
_UCS = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
_IPCHAR = f"(?:[A-Za-z0-9\\-._~{_UCS}!$&'()*+,;=:@]|%[0-9A-Fa-f]{{2}})"
SAFE_IRI = re.compile(
    "[A-Za-z][A-Za-z0-9+\\-.]*+:"
    f"(?://[A-Za-z0-9\\-._~]++(?::[0-9]++)?+(?:/{_IPCHAR}*+)*+"
    f"|/?+(?:{_IPCHAR}++(?:/{_IPCHAR}*+)*+)?+)"
    f"(?:\\?(?:{_IPCHAR}|[/?])*+)?+"
    f"(?:#(?:{_IPCHAR}|[/?])*+)?+")


@dataclass
class _Prologue:
    end: int = 0  # index of the first token after the prologue
    prefixes: dict[str, str | None] | None = None  # prefix -> IRI Oxigraph surely keeps
    error: tuple[int, str] | None = None


def _prologue(text: str, toks: list[tuple[str, int, int]]) -> _Prologue:
    result = _Prologue(prefixes={})
    assert result.prefixes is not None
    has_base = False
    i = 0
    while i < len(toks) and toks[i][0] == "KEYWORD" and \
            text[toks[i][1]:toks[i][2]].upper() in ("BASE", "PREFIX"):
        word = text[toks[i][1]:toks[i][2]].upper()
        if word == "BASE":
            if i + 1 >= len(toks) or toks[i + 1][0] != "IRIREF":
                result.error = (toks[i][1], "BASE must be followed by an IRI <...>")
                break
            has_base = True
            i += 2
            continue
        if i + 2 >= len(toks) or toks[i + 1][0] != "PNAME_NS" or toks[i + 2][0] != "IRIREF":
            result.error = (toks[i][1], "PREFIX must be followed by 'name:' and an IRI <...>")
            break
        iri = text[toks[i + 2][1] + 1:toks[i + 2][2] - 1]
        known = SAFE_IRI.fullmatch(iri) is not None and not (has_base and "/." in iri)
        result.prefixes[text[toks[i + 1][1]:toks[i + 1][2] - 1]] = iri if known else None
        i += 3
    result.end = i
    return result


def _oxigraph_hazards(text: str, scan: _Scan,
                      prologue: _Prologue) -> Iterator[tuple[str, int, str]]:
    """Yield (kind, pos, message) for each place Oxigraph would read otherwise than §19.8."""
    toks = scan.toks
    prefixes = prologue.prefixes or {}
    last_service = max((m.start() for m in _SERVICE.finditer(text)), default=-1)
    for idx, (kind, start, end) in enumerate(toks):
        word = text[start:end]
        oxi = _OXI_READS.get(kind)
        if oxi is not None:
            m = oxi.match(text, start)
            if m is None or m.end() != end:
                stop = m.end() if m is not None else start
                rest = text[stop:end]
                message = (f"Oxigraph 0.5 ends {word!r} before {rest!r} and reads the rest as "
                           "more query text (it allows one '.' group in a local name and no "
                           "character above U+FFFF in names)")
                yield ("network" if _SERVICE.search(rest) else "syntax"), stop, message
                continue
        if kind in ("PNAME_LN", "PNAME_NS"):
            yield from _prefixed_name_hazards(word, start, prefixes)
        elif kind == "IRIREF" and scan.context[idx] == "(" and idx > 0:
            hazard = _iri_after_operand(text, toks, idx)
            if hazard:
                message = (f"the IRI {word} follows an operand inside parentheses, where "
                           f"Oxigraph 0.5 reads '<' as less-than; it {hazard}")
                yield ("network" if last_service >= start else "syntax"), start, message
        elif kind == "OP" and word == "<" and idx + 1 < len(toks) \
                and toks[idx + 1][1] == end and text.startswith("<", end):
            message = ("'<<' is read by Oxigraph 0.5 as the start of an RDF 1.2 triple term; "
                       "write '< <' if two tokens are meant")
            yield "syntax", start, message


def _prefixed_name_hazards(word: str, start: int,
                           prefixes: dict[str, str | None]) -> Iterator[tuple[str, int, str]]:
    colon = word.index(":")
    prefix, local = word[:colon], word[colon + 1:]
    if _SERVICE.search(prefix):
        # 'SERVICEex:foo' is read as SERVICE ex:foo; 'trueSERVICE:x' as true SERVICE :x
        yield "network", start, (f"the prefixed name {word!r}: Oxigraph 0.5 may read the word "
                                 "SERVICE in a prefix as the SERVICE keyword")
        return
    if _FROM_PREFIX.match(prefix):
        # 'SELECT * FROMex:g {}' is read as SELECT * FROM ex:g {}
        yield "syntax", start, (f"the prefixed name {word!r}: Oxigraph 0.5 reads a prefix that "
                                "begins with FROM or NAMED as that keyword")
        return
    found = _KEYWORDS_IN_LOCAL.search(local)
    if found is None:
        return
    iri = prefixes.get(prefix)
    if iri is not None and SAFE_IRI.fullmatch(iri + local.replace("\\", "")):
        return
    # If 'prefix IRI + local part' is not an IRI Oxigraph accepts, it reads 'prefix:' alone
    # and the local part as more query text: 'ex:SERVICE:x {}' becomes ex: SERVICE :x {}.
    keyword = found.group().upper()
    yield ("network" if keyword == "SERVICE" else "syntax"), start, (
        f"the prefixed name {word!r} contains {found.group()!r} and may not expand to an IRI "
        f"Oxigraph accepts; Oxigraph 0.5 would then read '{prefix}:' and a {keyword} keyword")


def _iri_after_operand(text: str, toks: list[tuple[str, int, int]], idx: int) -> str | None:
    """Why Oxigraph could read IRI ``toks[idx]`` as '<' and query text, or None.

    In an expression (always inside parentheses) Oxigraph reads '<' after an operand as
    less-than without trying an IRI, and the IRI's content as query text. That is harmless
    unless the content changes how the rest is read: a quote starts a string, '#' a comment,
    and a bracket changes which brackets are open (so this check's view of the context).
    """
    pkind, pstart, pend = toks[idx - 1]
    previous = text[pstart:pend]
    if not (pkind in _OPERAND_END or previous == ")" or previous.lower() in ("true", "false")):
        return None
    inner = text[toks[idx][1] + 1:toks[idx][2] - 1]
    found = _IRI_HAZARD.search(inner)
    if found is None:
        return None
    return {"'": "contains ' which would start a string",
            "#": "contains '#' which would start a comment"}.get(
        found.group(), f"contains '{found.group()}' which would open or close a bracket")


# -------------------------------------------------------------------------- prepare

_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")": "(", "]": "[", "}": "{"}
_NAME_CHAR = re.compile(f"[{_BASE}_\\-0-9{_EXTRA}:]")


@dataclass
class _Scan:
    """The tokens of an expanded query, with what the brackets around each one are."""

    toks: list[tuple[str, int, int]]
    # For each token, the innermost open bracket: '' (none), '{', '[', '(' , or 'values'
    # for the parentheses and braces of a VALUES block (which hold no expression).
    context: list[str]
    depth: int
    stop: tuple[str, int, str] | None  # (kind, pos, message) of the first error, if any


def _scan(x: str, max_depth: int, pmap: _PosMap) -> _Scan:
    """Lex ``x`` and track brackets in one pass; stop at the first error or at max_depth."""
    scan = _Scan([], [], 0, None)
    stack: list[tuple[str, int, str]] = []  # (bracket, pos, context it opens)
    closed = ""  # the context closed by the previous token, if it was a closing bracket
    try:
        for kind, start, end in _lex(x):
            if kind == "COMMENT":
                continue
            c = x[start]
            inner = stack[-1][2] if stack else ""
            just_closed = ""
            if kind == "PUNCT" and c in _OPEN:
                # VALUES ?x { ... }, VALUES () { ... }, VALUES (?x ?y) { (...) ... }
                prev = [x[s:e].upper() for _, s, e in scan.toks[-2:]]
                values = (c == "(" and (inner == "values" or prev[-1:] == ["VALUES"])) or \
                    (c == "{" and (prev[:1] == ["VALUES"] and len(prev) == 2
                                   or closed == "values"))
                stack.append((c, start, "values" if values else c))
            elif kind == "PUNCT" and c in _CLOSE:
                if not stack or stack[-1][0] != _CLOSE[c]:
                    opened = (f"'{stack[-1][0]}' opened at {_where(pmap, stack[-1][1])}"
                              if stack else "nothing open")
                    scan.stop = ("syntax", start, f"'{c}' does not match: {opened}")
                    return scan
                just_closed = stack.pop()[2]
            closed = just_closed
            level = len(stack) + (kind in ("NIL", "ANON"))
            if level > max_depth:
                scan.stop = ("depth", start, f"brackets are nested deeper than {max_depth}")
                return scan
            scan.depth = max(scan.depth, level)
            scan.toks.append((kind, start, end))
            scan.context.append(inner)
    except _LexError as err:
        scan.stop = ("syntax", err.pos, err.message)
        return scan
    if stack:
        scan.stop = ("syntax", stack[-1][1], f"'{stack[-1][0]}' is never closed")
    return scan


def prepare(text: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Prepared:
    """Check an untrusted SPARQL query; return what to execute, or raise QueryRefused.

    Execute ``Prepared.text`` (never ``text``) with ``Store.query`` and no ``prefixes``
    argument.
    """
    # 1. size
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise QueryRefused("size", f"the query is larger than {max_bytes} bytes")
    # 2. escapes, and characters refused everywhere
    x, pmap = _expand(text)
    bad = _FORBIDDEN.search(x)
    if bad:
        surrogate = "\ud800" <= bad.group() <= "\udfff"
        what = "a lone surrogate" if surrogate else "the control character"
        raise pmap.refuse("syntax", f"{what} {_show(bad.group())} is not allowed", bad.start())
    # 3. lex and track brackets (errors are reported after 4 and 5, which say more)
    scan = _scan(x, max_depth, pmap)
    prologue = _prologue(x, scan.toks)
    hazards = list(_oxigraph_hazards(x, scan, prologue))
    _refuse_network(x, scan.toks, hazards, pmap)  # 4.
    _refuse_update(x, scan.toks, pmap)  # 5.
    if scan.stop is not None:
        kind, pos, message = scan.stop
        raise pmap.refuse(kind, message, pos)
    for hkind, pos, message in hazards:
        raise pmap.refuse(hkind, message, pos)
    form = _form(x, scan.toks, prologue, pmap)  # 6.
    graphs, named = _dataset(x, scan.toks, prologue, pmap)  # 7.
    return Prepared(x, form, graphs, named, scan.depth)


def _refuse_network(x: str, toks: list[tuple[str, int, int]],
                    hazards: list[tuple[str, int, str]], pmap: _PosMap) -> None:
    """4. the SERVICE keyword anywhere, or a place where Oxigraph would read one."""
    for kind, start, end in toks:
        if kind == "KEYWORD" and x[start:end].upper() == "SERVICE":
            raise pmap.refuse("network", "SERVICE is not allowed: queries never leave this "
                              "process", start)
    for hkind, pos, message in hazards:
        if hkind == "network":
            raise pmap.refuse("network", message, pos)


def _refuse_update(x: str, toks: list[tuple[str, int, int]], pmap: _PosMap) -> None:
    """5. update keywords (whole words)."""
    for kind, start, end in toks:
        if kind != "KEYWORD":
            continue
        word = x[start:end].upper()
        if word in UPDATE_KEYWORDS and not _NAME_CHAR.match(x, end):
            raise pmap.refuse("update", f"{word} belongs to SPARQL Update: this endpoint is "
                              "read-only", start)


def _form(x: str, toks: list[tuple[str, int, int]], prologue: _Prologue, pmap: _PosMap) -> str:
    """6. the query form, right after the prologue."""
    if prologue.error:
        raise pmap.refuse("syntax", prologue.error[1], prologue.error[0])
    if prologue.end >= len(toks):
        raise pmap.refuse("syntax", "no query form: expected SELECT, ASK, CONSTRUCT or DESCRIBE",
                          toks[-1][2] if toks else None)
    kind, start, end = toks[prologue.end]
    form = x[start:end].upper()
    if kind != "KEYWORD" or form not in FORMS:
        raise pmap.refuse("syntax", f"expected SELECT, ASK, CONSTRUCT or DESCRIBE, found "
                          f"{x[start:end]!r}", start)
    return form


def _dataset(x: str, toks: list[tuple[str, int, int]], prologue: _Prologue, pmap: _PosMap
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """7. the targets of FROM and FROM NAMED, as written."""
    graphs: list[str] = []
    named: list[str] = []
    for i in range(prologue.end + 1, len(toks)):
        kind, start, end = toks[i]
        if kind != "KEYWORD":
            continue
        word = x[start:end].upper()
        if word in ("BASE", "PREFIX"):
            raise pmap.refuse("syntax", f"{word} is only allowed before the query form", start)
        if word != "FROM":
            continue
        j, target = i + 1, graphs
        if j < len(toks) and x[toks[j][1]:toks[j][2]].upper() == "NAMED":
            j, target = j + 1, named
        if j >= len(toks) or toks[j][0] not in ("IRIREF", "PNAME_LN", "PNAME_NS"):
            raise pmap.refuse("syntax", "FROM must be followed by an IRI or a prefixed name",
                              toks[j][1] if j < len(toks) else end)
        target.append(x[toks[j][1]:toks[j][2]])
    return tuple(graphs), tuple(named)


def _where(pmap: _PosMap, pos: int) -> str:
    line, column = _line_col(pmap.original, pmap.original_pos(pos))
    return f"line {line}, column {column}"
