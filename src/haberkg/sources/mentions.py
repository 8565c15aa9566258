"""Find the known entities in a Turkish text: proposed mentions with exact offsets.

The names come from the shared entities (``schema:name`` and ``schema:alternateName`` in
Turkish, proper names only). Turkish is matched by rules, written here and tested on
hand-written sentences (``tests/mentions/``); the morphology libraries on PyPI were
measured on the same sentences and did not help (``bench/README.md``):

* **Case folding** by Turkish rules (``I`` -> ``ı``, ``İ`` -> ``i``), word by word, so
  the offsets stay those of the NFC text; a word of a name that is capitalised must be
  capitalised in the text ("Aydın" the city is not "aydın", enlightened).
* **Inflection after an apostrophe**: a proper name takes its suffixes after ``'`` or
  ``’`` ("Göktaş'ın", "Bakü'deki", "Türkiye'den", "Aliyev'le"); the mention is the name,
  without the suffix.
* **Institutions without an apostrophe**: the names of organisations, projects,
  documents and events whose last word ends in the compound marker take the case
  suffixes directly after a buffer ``n`` or ``y`` ("Bakanlığının", "Bildirisiyle").
* **Multi-word names**: every word in order, separated by spaces only.
* **A person's surname alone**, or a shorter form of the name that keeps its words in
  order and ends with the surname ("Göktaş", "Mahinur Göktaş"); a surname two known
  people share ("Erdoğan") is *ambiguous* and never mapped.
* **Precision over recall**: a name right after a capitalised word that is not a title
  ("Ahmet Göktaş"), or right before one ("Türkiye Büyük Millet Meclisi"), is part of a
  longer name and not mapped; a one-word name at the start of a sentence that is also
  used as a common word (seen in lower case in the corpus's texts) is not mapped.
  Capitalised names that match nothing are listed as *candidates* for new entities
  (without the first word of a sentence where the texts also write it in lower case:
  "Toplantıya Kazakistan'dan ..." gives the candidate "Kazakistan").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import pyoxigraph as ox

from haberkg.namespaces import RDF, SCHEMA
from haberkg.sources.text import tr_lower, unique_context

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
APOSTROPHES = "'’"
PERSON = {SCHEMA + "Person"}
PLACE = {SCHEMA + t for t in ("Place", "City", "Country", "AdministrativeArea", "State")}
# titles that stand before a name ("Bakan Göktaş", "Cumhurbaşkanı Erdoğan")
TITLES = {"bakan", "başkan", "başbakan", "cumhurbaşkanı", "sayın", "vali", "büyükelçi",
          "milletvekili", "kaymakam", "general", "dr", "prof", "doç", "hanım", "bey",
          "eşi", "oğlu", "kızı"}
TITLE_ENDINGS = ("bakanı", "başkanı", "müdürü", "valisi", "yardımcısı", "sözcüsü",
                 "elçisi", "üyesi", "temsilcisi", "sekreteri", "komutanı", "kaymakamı")
# the case suffixes an institution's name takes without an apostrophe, after the
# compound marker (Bakanlığı-n-ın, Bildirisi-y-le)
BUFFERED = {"nın", "nin", "nun", "nün", "na", "ne", "nı", "ni", "nu", "nü", "nda", "nde",
            "ndan", "nden", "ndaki", "ndeki", "nca", "nce", "yla", "yle", "yken"}
VOWELS = set("aeıioöuü")
CONNECTORS = {"ve"}  # lower-case words inside a longer capitalised name
# capitalised words that are not names of entities: months and days
NOT_NAMES = {"ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos",
             "eylül", "ekim", "kasım", "aralık", "pazartesi", "salı", "çarşamba", "perşembe",
             "cuma", "cumartesi", "pazar"}


@dataclass(frozen=True)
class Token:
    start: int
    end: int  # end of the word, before any apostrophe suffix
    stop: int  # end of the word with its apostrophe suffix
    word: str
    suffix: str  # after the apostrophe, "" if none
    sentence_start: bool

    @property
    def folded(self) -> str:
        return tr_lower(self.word)

    @property
    def capitalised(self) -> bool:
        return self.word[:1].isupper()


@dataclass(frozen=True)
class Name:
    entity: str
    words: tuple[str, ...]  # as written in the name
    institution: bool  # takes suffixes without an apostrophe
    person: bool
    partial: bool  # a shorter form of a person's name (the surname, ...)

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(tr_lower(w) for w in self.words)


@dataclass(frozen=True)
class Found:
    """A proposed mention, an ambiguous name, or a candidate for a new entity."""

    kind: str  # "mention", "ambiguous" or "candidate"
    start: int
    end: int
    exact: str
    entities: tuple[str, ...]
    prefix: str
    suffix: str
    why: str = ""

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "entity": self.entities[0] if self.kind == "mention" else None,
                "entities": list(self.entities), "exact": self.exact, "start": self.start,
                "end": self.end, "prefix": self.prefix, "suffix": self.suffix,
                **({"why": self.why} if self.why else {})}


# ---------------------------------------------------------------------- names

def names_of(quads: list[ox.Quad]) -> list[Name]:
    """Every proper name (Turkish) of the described resources, with a person's shorter
    forms."""
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        if q.predicate.value == RDF + "type":
            types[q.subject.value].add(q.object.value)
        elif q.predicate.value in (SCHEMA + "name", SCHEMA + "alternateName") and \
                isinstance(q.object, ox.Literal) and q.object.language == "tr":
            labels[q.subject.value].add(q.object.value)
    names: list[Name] = []
    for entity, values in sorted(labels.items()):
        person = bool(types[entity] & PERSON)
        institution = not person and not types[entity] & PLACE
        for value in sorted(values):
            words = tuple(WORD.findall(value))
            if not words or not words[0][:1].isupper() or any(
                    ch in APOSTROPHES for w in words for ch in w):
                continue  # a common noun, or a name that is itself inflected
            names.append(Name(entity, words, institution, person, False))
            if person and len(words) > 1:
                *given, surname = words
                for size in range(len(given)):
                    for kept in combinations(given, size):
                        names.append(Name(entity, (*kept, surname), False, True, True))
    return names


# ---------------------------------------------------------------------- the text

def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in WORD.finditer(text):
        word, suffix = m.group(), ""
        for mark in APOSTROPHES:
            if mark in word:
                word, _, suffix = word.partition(mark)
        before = text[:m.start()].rstrip(" \t")
        opening = m.start() > 0 and text[m.start() - 1] in "\"“«("  # quoted speech begins
        sentence_start = not before or before[-1] in ".!?:\n" or opening
        out.append(Token(m.start(), m.start() + len(word), m.end(), word, suffix,
                         sentence_start))
    return out


def common_words(*texts: str) -> set[str]:
    """The words the texts use in lower case (so they are also common words)."""
    return {tr_lower(t.word) for text in texts for t in tokens(text) if t.word[:1].islower()}


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """b follows a, separated by one space only (no punctuation, no line break)."""
    return a.suffix == "" and text[a.stop:b.start] == " "


def _is_title(token: Token) -> bool:
    folded = token.folded
    return folded in TITLES or folded.endswith(TITLE_ENDINGS)


def _matches_last(name: Name, token: Token) -> tuple[bool, int]:
    """Whether the token is the name's last word (inflected or not), and the end of the
    mention in the text."""
    want = name.folded[-1]
    folded = token.folded
    if folded == want:
        return True, token.end
    if name.institution and not token.suffix and folded.startswith(want) and \
            want[-1:] in VOWELS and folded[len(want):] in BUFFERED:
        return True, token.start + len(name.words[-1])
    return False, 0


def _match(text: str, toks: list[Token], i: int, name: Name) -> int | None:
    """The end of the mention of ``name`` starting at token ``i``, or None."""
    words = name.words
    if i + len(words) > len(toks):
        return None
    for k, word in enumerate(words):
        tok = toks[i + k]
        if word[:1].isupper() and not tok.capitalised:
            return None
        if k > 0 and not _adjacent(text, toks[i + k - 1], tok):
            return None
        if k < len(words) - 1:
            if tok.suffix or tok.folded != tr_lower(word):
                return None
        else:
            ok, end = _matches_last(name, tok)
            if not ok:
                return None
            return end
    return None  # pragma: no cover - the loop returns at the last word


def find(text: str, names: list[Name], common: set[str] | None = None) -> list[Found]:
    """The proposed mentions in ``text`` (NFC), the ambiguous names and the candidates."""
    toks = tokens(text)
    common = common if common is not None else common_words(text)
    by_first: dict[str, list[Name]] = defaultdict(list)
    for name in names:
        by_first[name.folded[0]].append(name)
    found: list[Found] = []
    covered: set[int] = set()  # tokens taken by a mention or a refused name
    i = 0
    while i < len(toks):
        hits: list[tuple[int, int, Name]] = []  # (end, words, name)
        for name in by_first.get(toks[i].folded, ()):
            end = _match(text, toks, i, name)
            if end is not None:
                hits.append((end, len(name.words), name))
        if not hits:
            i += 1
            continue
        longest = max(h[1] for h in hits)
        best = [h for h in hits if h[1] == longest]
        entities = tuple(sorted({h[2].entity for h in best}))
        first = toks[i]
        end = best[0][0]
        refusal = _refusal(text, toks, i, i + longest - 1, best[0][2], common)
        if len(entities) > 1:
            found.append(_found(text, "ambiguous", first.start, end, entities,
                                "a name more than one known entity has"))
        elif refusal:
            found.append(_found(text, "ambiguous", first.start, end, entities, refusal))
        else:
            found.append(_found(text, "mention", first.start, end, entities))
        covered.update(range(i, i + longest))
        i += longest
    found += _candidates(text, toks, covered, common)
    return sorted(found, key=lambda f: (f.start, f.end, f.kind))


def _refusal(text: str, toks: list[Token], i: int, j: int, name: Name, common: set[str]
             ) -> str:
    """Why a match is not a mention (precision over recall), or ""."""
    if i > 0 and _adjacent(text, toks[i - 1], toks[i]) and toks[i - 1].capitalised and \
            not _is_title(toks[i - 1]):
        before = toks[i - 1]
        seen_lower = before.folded in common
        if not before.sentence_start or (name.person and not seen_lower):
            return "part of a longer name (after a capitalised word that is not a title)"
    if j + 1 < len(toks) and _adjacent(text, toks[j], toks[j + 1]) and \
            toks[j + 1].capitalised:
        return "part of a longer name (before a capitalised word)"
    if i == j and toks[i].sentence_start and toks[i].folded in common and not toks[i].suffix:
        return "a word the texts also use in lower case, at the start of a sentence"
    return ""


def _candidates(text: str, toks: list[Token], covered: set[int], common: set[str]
                ) -> list[Found]:
    """Runs of capitalised words that no known name took: candidates for new entities."""
    out: list[Found] = []
    k = 0
    while k < len(toks):
        if k in covered or not toks[k].capitalised:
            k += 1
            continue
        run = [k]
        while run[-1] + 1 < len(toks) and run[-1] + 1 not in covered:
            nxt = toks[run[-1] + 1]
            if not _adjacent(text, toks[run[-1]], nxt):
                break
            if nxt.capitalised:
                run.append(run[-1] + 1)
            elif nxt.folded in CONNECTORS and run[-1] + 2 < len(toks) and \
                    toks[run[-1] + 2].capitalised and run[-1] + 2 not in covered and \
                    _adjacent(text, nxt, toks[run[-1] + 2]):
                run += [run[-1] + 1, run[-1] + 2]
            else:
                break
        k = run[-1] + 1
        first, last = toks[run[0]], toks[run[-1]]
        if len(run) > 1 and first.sentence_start and not first.suffix and \
                first.folded in common and toks[run[1]].folded not in CONNECTORS:
            # "Toplantıya Kazakistan'dan ...": the sentence's first word is a common word
            # (the texts write it in lower case), capitalised only by its place
            run = run[1:]
            first = toks[run[0]]
        if len(run) == 1 and first.sentence_start and not first.suffix:
            continue  # a capitalised word at the start of a sentence says nothing
        if len(run) == 1 and (first.folded in common or _is_title(first)
                              or first.folded in NOT_NAMES):
            continue
        out.append(_found(text, "candidate", first.start, last.end, (),
                          "capitalised, matches no known entity"))
    return out


def _found(text: str, kind: str, start: int, end: int, entities: tuple[str, ...],
           why: str = "") -> Found:
    prefix, suffix = unique_context(text, start, end)
    return Found(kind, start, end, text[start:end], entities, prefix, suffix, why)


# ---------------------------------------------------------------------- output

def _turtle_string(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def to_turtle(found: list[Found], compact: dict[str, str]) -> str:
    """``hk:mentionSelector`` blocks, one per entity, ready to paste into the article's
    facts (prefixes hk:, hkd:, oa:); the list for the article's ``schema:mentions``, the
    candidates and the ambiguous names as comments."""
    blocks: dict[str, list[Found]] = defaultdict(list)
    for f in found:
        if f.kind == "mention":
            blocks[f.entities[0]].append(f)
    out: list[str] = []
    for entity in sorted(blocks):
        selectors = []
        for f in blocks[entity]:
            parts = [f"oa:exact {_turtle_string(f.exact)}"]
            if f.prefix:
                parts.append(f"oa:prefix {_turtle_string(f.prefix)}")
            if f.suffix:
                parts.append(f"oa:suffix {_turtle_string(f.suffix)}")
            selectors.append("[ " + " ; ".join(parts) + " ]")
        out.append(f"{compact.get(entity, '<' + entity + '>')}\n    hk:mentionSelector "
                   + " ,\n        ".join(selectors) + " .\n")
    if blocks:
        listed = " , ".join(compact.get(e, "<" + e + ">") for e in sorted(blocks))
        out.append(f"# the article's schema:mentions (article.ttl) lists them: {listed}\n")
    for f in found:
        if f.kind != "mention":
            who = ", ".join(compact.get(e, e) for e in f.entities)
            out.append(f"# {f.kind} {f.start}-{f.end} {_turtle_string(f.exact)}"
                       + (f" ({who})" if who else "") + f": {f.why}\n")
    return "\n".join(out)


def to_text(found: list[Found], compact: dict[str, str]) -> str:
    lines = []
    for f in found:
        who = ", ".join(compact.get(e, e) for e in f.entities)
        lines.append(f"{f.start:>6}-{f.end:<6} {f.kind:<9} {f.exact!r:<36} {who}"
                     + (f"  ({f.why})" if f.why and f.kind != "mention" else ""))
    return "\n".join(lines) + ("\n" if lines else "")
