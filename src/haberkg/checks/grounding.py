"""Grounding: tie every fact of the data to the words of the article that support it.

Authors write facts as plain Turtle and attach *claims* to the resource they describe::

    hkd:x schema:location hkd:y ;
        hk:evidence [ hk:covers schema:location ; hk:mode hk:Stated ; hk:quote "..." ] .

A claim supports the triples of its resource whose predicate it ``hk:covers``, narrowed
by ``hk:coversObject`` (only these values) and ``hk:coversLanguage`` (language-tagged
values only in this language). It says how it is known (``hk:mode``) and, by mode, what backs
it: a quote of the text, a rule, a source URL or a speaker. ``hk:mention`` names the
words of the text that refer to a resource (every occurrence counts);
``hk:mentionSelector`` and ``hk:quoteSelector`` pick one occurrence with ``oa:prefix``
/ ``oa:suffix``.

This module checks all of that against the text and computes the spans (code-point
offsets of the NFC text) from which the release's Web Annotations are made.

The data is a corpus (:mod:`haberkg.sources.corpus`). Each article is grounded in its
*scope*: its own files and the shared entities (``data/entities/``), against its own text;
a claim or a mention written in an article points into that article. The shared entities
carry claims without text (External, Editorial, Inferred without a quote) and no mentions:
an entity is mentioned through the articles, and the corpus checks that each one is
mentioned in some article (or says why not with ``hk:mentionExemption``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import CheckFailed, InputError, display_path, line_col
from haberkg.namespaces import DCTERMS, HK, HKD, OA, PROV, RDF, SCHEMA, XSD, compact
from haberkg.sources.corpus import Article
from haberkg.sources.project import Project
from haberkg.sources.read import parse_file, read_bytes, read_text
from haberkg.sources.text import Segment, Span, occurrences
from haberkg.sources.text import segment as segment  # re-exported
from haberkg.sources.text import unique_context as unique_context  # re-exported

MODES = ("Stated", "ReportedSpeech", "DirectQuote", "Inferred", "External", "Editorial")
TEXT_MODES = {"Stated", "ReportedSpeech", "DirectQuote"}

P_EVIDENCE = ox.NamedNode(HK + "evidence")
P_MENTION = ox.NamedNode(HK + "mention")
P_MENTION_SEL = ox.NamedNode(HK + "mentionSelector")
P_MENTION_EXEMPT = ox.NamedNode(HK + "mentionExemption")
AUTHORING_PREDICATES = {P_EVIDENCE, P_MENTION, P_MENTION_SEL, P_MENTION_EXEMPT}
RDF_TYPE = ox.NamedNode(RDF + "type")
RULE_CLASS = ox.NamedNode(HK + "InferenceRule")
NAME = ox.NamedNode(SCHEMA + "name")
NEWS_ARTICLE = ox.NamedNode(SCHEMA + "NewsArticle")
LEGACY_ARTICLE = ox.NamedNode(HKD + "article")
MINTING = (RDF_TYPE, NAME)  # an article that writes these for a resource describes it

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class Claim:
    subject: ox.NamedNode
    mode: str
    covers: list[ox.NamedNode]
    objects: list[Term]
    language: str | None
    rule: ox.NamedNode | None
    source: ox.NamedNode | None
    speaker: ox.NamedNode | None
    spans: list[Span]
    origin: str
    triples: list[ox.Triple] = field(default_factory=list)
    scope: str = ""  # the article it is written in (see scope_of); "" for the entities
    article: str | None = None  # the id of that article; None for an entity's claim

    @property
    def key(self) -> str:
        parts = [
            str(self.subject), self.mode, *sorted(map(str, self.covers)),
            *sorted(map(str, self.objects)), str(self.language), str(self.rule),
            str(self.source), str(self.speaker),
            *[f"{s.start}-{s.end}" for s in self.spans],
        ]
        if self.scope:
            parts.append(self.scope)
        return short_hash("\n".join(parts))

    @property
    def iri(self) -> ox.NamedNode:
        return ox.NamedNode(f"{HKD}claim-{self.key}")

    def supports(self, triple: ox.Triple) -> bool:
        if triple.subject != self.subject or triple.predicate not in self.covers:
            return False
        obj = triple.object
        if self.objects and obj not in self.objects:
            return False
        if self.language is not None and isinstance(obj, ox.Literal) and obj.language:
            return obj.language == self.language
        return True


@dataclass
class Mention:
    resource: ox.NamedNode
    span: Span


@dataclass(frozen=True)
class ArticleInfo:
    """An article as the grounding sees it: its folder, its NewsArticle, its date."""

    id: str
    iri: ox.NamedNode
    published: datetime.date
    folder: Path

    @property
    def scope(self) -> str:
        return scope_of(self.iri)


def scope_of(article: ox.NamedNode) -> str:
    """What the IRIs minted for an article's claims, annotations and sentences carry of it.

    The article's IRI, except for ``hkd:article``: the first article, whose claim,
    annotation and sentence IRIs were published before the corpus, keeps them unchanged.
    """
    return "" if article == LEGACY_ARTICLE else article.value


@dataclass
class Grounding:
    """One article grounded in its scope (its own files and the shared entities)."""

    text: str
    facts: list[ox.Triple]
    metadata: list[ox.Triple]
    claims: list[Claim]
    mentions: list[Mention]
    segments: list[Segment]
    exempt: dict[ox.NamedNode, ox.Literal]
    article: ArticleInfo | None = None
    own: set[ox.Triple] = field(default_factory=set)  # facts and rules of its own files
    entities: set[ox.NamedNode] = field(default_factory=set)  # described in data/entities/

    @property
    def covered(self) -> int:
        return sum(1 for t in self.facts if any(c.supports(t) for c in self.claims))

    @property
    def coverage(self) -> float:
        return self.covered / len(self.facts) if self.facts else 1.0

    def mode_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for claim in self.claims:
            counts[claim.mode] += 1
        return dict(sorted(counts.items()))


def short_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------- text search

# ---------------------------------------------------------------------- reading claims

class FileCache:
    """Each data file read and parsed once, however many scopes it belongs to."""

    def __init__(self) -> None:
        self.texts: dict[Path, str] = {}
        self.quads: dict[Path, list[ox.Quad]] = {}

    def load(self, path: Path) -> tuple[str, list[ox.Quad]]:
        if path not in self.quads:
            self.texts[path] = read_text(path, what="RDF file")
            self.quads[path] = parse_file(path)
        return self.texts[path], self.quads[path]


class _Sources:
    """The data files of a scope, kept by file so that errors can say where."""

    def __init__(self, files: list[Path], cache: FileCache | None = None,
                 entity_files: set[Path] | None = None) -> None:
        cache = cache or FileCache()
        self.files = files
        self.entity_files = entity_files or set()
        self.texts: dict[Path, str] = {}
        self.by_file: dict[Path, list[ox.Quad]] = {}
        self.quads: list[ox.Quad] = []
        self.origin: dict[Term, Path] = {}
        for path in files:
            self.texts[path], quads = cache.load(path)
            self.by_file[path] = quads
            for q in quads:
                self.quads.append(q)
                self.origin.setdefault(q.subject, path)

    def in_entities(self, path: Path) -> bool:
        return path in self.entity_files

    def locate(self, needle: str | tuple[str, ...], fallback: Term | None = None
               ) -> tuple[str, int | None, int | None]:
        """The first place that holds one of the needles (in order), the file that
        describes ``fallback`` searched first; else where ``fallback`` is described."""
        needles = (needle, needle.replace('"', '\\"')) if isinstance(needle, str) else needle
        home = self.origin.get(fallback) if fallback is not None else None
        files = sorted(self.texts, key=lambda p: p != home)
        for candidate in needles:
            for path in files:
                text = self.texts[path]
                i = text.find(candidate)
                if candidate and i >= 0:
                    line, col = line_col(text, i)
                    return display_path(path), line, col
        if fallback is not None:
            return self.locate_term(fallback)
        return "data", None, None

    def locate_term(self, term: Term, files: list[Path] | None = None
                    ) -> tuple[str, int | None, int | None]:
        path = self.origin.get(term)
        if isinstance(term, ox.NamedNode) and term.value.startswith(HKD):
            for block_only in (True, False):  # a block that describes it, else any use
                for p in files or list(self.texts):
                    found = locate_in(self.texts[p], term, block_only)
                    if found:
                        return display_path(p), found[0], found[1]
        return (display_path(path) if path else "data"), None, None


def locate_in(text: str, term: ox.NamedNode, block_only: bool = False
              ) -> tuple[int, int] | None:
    """Line and column of the block that describes ``term`` in a Turtle text, else (unless
    ``block_only``) of its first use."""
    local = re.escape(term.value[len(HKD):])
    patterns = [rf"^hkd:{local}(?![\w.-])"] + ([] if block_only else [rf"hkd:{local}(?![\w.-])"])
    for pattern in patterns:
        m = re.search(pattern, text, re.M)
        if m:
            return line_col(text, m.start())
    return None


def _written(predicate: str, value: str) -> tuple[str, ...]:
    """How ``predicate "value"`` is written in Turtle, most specific first."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return (f'{predicate} "{value}"', f'{predicate} "{escaped}"', value, escaped)


def _fail(sources: _Sources, message: str, needle: str | tuple[str, ...] | None = None,
          term: Term | None = None, cls: type[InputError] | type[CheckFailed] = CheckFailed
          ) -> CheckFailed | InputError:
    if needle is not None:
        path, line, col = sources.locate(needle, term)
    elif term is not None:
        path, line, col = sources.locate_term(term)
    else:
        path, line, col = "data", None, None
    return cls(message, path=path, line=line, column=col)


def _local(term: Term) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else str(term)


class _Reader:
    """The data files as quads by subject, and the checks that match them to the text."""

    def __init__(self, sources: _Sources, text: str, article: ArticleInfo | None) -> None:
        self.text = text
        self.article = article
        self.sources = sources
        self.by_subject: dict[Term, list[tuple[ox.NamedNode, Term]]] = defaultdict(list)
        for q in self.sources.quads:
            if q.graph_name != ox.DefaultGraph():
                raise self.fail("named graphs are not allowed in data files", term=q.subject,
                                cls=InputError)
            self.by_subject[q.subject].append((q.predicate, q.object))
        self.rules = {q.subject for q in self.sources.quads
                      if q.predicate == RDF_TYPE and q.object == RULE_CLASS}

    def fail(self, message: str, needle: str | tuple[str, ...] | None = None,
             term: Term | None = None,
             cls: type[InputError] | type[CheckFailed] = CheckFailed
             ) -> CheckFailed | InputError:
        return _fail(self.sources, message, needle, term, cls)

    def values(self, node: Term, pred: str) -> list[Term]:
        p = ox.NamedNode(pred)
        return [o for (pp, o) in self.by_subject.get(node, []) if pp == p]

    # ------------------------------------------------------------------ steps
    def split(self) -> tuple[list[ox.Triple], list[ox.Triple]]:
        """The facts (what the data says about the world) and the inference rules."""
        prov_nodes: set[Term] = set()
        for q in self.sources.quads:
            if q.predicate in (P_EVIDENCE, P_MENTION_SEL):
                prov_nodes.add(q.object)
        for node in list(prov_nodes):
            prov_nodes.update(self.values(node, HK + "quoteSelector"))
        facts: list[ox.Triple] = []
        metadata: list[ox.Triple] = []
        for q in self.sources.quads:
            if q.subject in prov_nodes or q.predicate in AUTHORING_PREDICATES:
                continue
            if q.subject in self.rules:
                metadata.append(q.triple)
                continue
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                owner: Term | None = q.subject
                if isinstance(owner, ox.BlankNode):  # located where its resource refers to it
                    owner = next((o.subject for o in self.sources.quads if o.object == owner
                                  and isinstance(o.subject, ox.NamedNode)), None)
                raise self.fail("blank node in the facts: give the resource an IRI under "
                                f"{HKD}", term=owner, cls=InputError)
            facts.append(q.triple)
        return sorted(set(facts), key=str), sorted(set(metadata), key=str)

    def selector_span(self, node: Term, what: str, owner: Term) -> Span:
        exact = [v for v in self.values(node, OA + "exact") if isinstance(v, ox.Literal)]
        if len(exact) != 1:
            raise self.fail(f"{what} of {_local(owner)} needs exactly one oa:exact", term=owner)
        ex = exact[0].value
        prefix = "".join(v.value for v in self.values(node, OA + "prefix"))
        suffix = "".join(v.value for v in self.values(node, OA + "suffix"))
        text = self.text
        hits = [i for i in occurrences(text, ex)
                if text[:i].endswith(prefix) and text[i + len(ex):].startswith(suffix)]
        if len(hits) != 1:
            raise self.fail(f"{what} \"{ex}\" with prefix \"{prefix}\" and suffix "
                            f"\"{suffix}\" matches {len(hits)} places in the article, expected 1",
                            needle=_written("oa:exact", ex), term=owner)
        return Span(hits[0], hits[0] + len(ex))

    def quote_span(self, lit: Term, what: str, owner: Term) -> Span:
        if not isinstance(lit, ox.Literal):
            raise self.fail(f"{what} of {_local(owner)} must be a literal", term=owner)
        hits = occurrences(self.text, lit.value)
        if len(hits) != 1:
            hint = "" if not hits else "; use a selector with oa:prefix or oa:suffix"
            raise self.fail(f"{what} \"{lit.value}\" occurs {len(hits)} times in the "
                            f"article, expected 1{hint}", needle=_written(what, lit.value),
                            term=owner)
        return Span(hits[0], hits[0] + len(lit.value))

    def claims(self, facts: list[ox.Triple]) -> list[Claim]:
        """Every claim, its quotes matched to the text and its triples found.

        The structure of a claim (one mode; a rule, a source or a speaker where the
        mode needs one; a quote for the text-based modes) is checked by the claim
        shapes (``hks:Evidence``) before this runs: that is the one home of those rules.
        """
        claims: list[Claim] = []
        for path, quads in self.sources.by_file.items():
            in_entities = self.sources.in_entities(path)
            for q in quads:
                if q.predicate == P_EVIDENCE:
                    claims.append(self.claim(q, facts, in_entities))
        return sorted(claims, key=lambda c: c.key)

    def claim(self, q: ox.Quad, facts: list[ox.Triple], in_entities: bool) -> Claim:
        subject, node = q.subject, q.object
        if not isinstance(subject, ox.NamedNode):
            raise self.fail("hk:evidence on a blank node", cls=InputError)
        modes = [m.value[len(HK):] for m in self.values(node, HK + "mode")
                 if isinstance(m, ox.NamedNode) and m.value.startswith(HK)]
        mode = modes[0] if len(modes) == 1 and modes[0] in MODES else "?"
        if in_entities and (mode in TEXT_MODES or self.values(node, HK + "quote")
                            or self.values(node, HK + "quoteSelector")):
            raise self.fail(f"a claim on {_local(subject)} in data/entities/ quotes a text: "
                            "entity claims have no text (External, Editorial, or Inferred "
                            "without a quote); put the quote in the article that says it",
                            term=subject, cls=InputError)
        covers = [c for c in self.values(node, HK + "covers") if isinstance(c, ox.NamedNode)]
        spans = [self.quote_span(v, "hk:quote", subject)
                 for v in self.values(node, HK + "quote")]
        spans += [self.selector_span(v, "hk:quoteSelector", subject)
                  for v in self.values(node, HK + "quoteSelector")]
        langs = self.values(node, HK + "coversLanguage")
        rules = self.values(node, HK + "rule")
        srcs = self.values(node, DCTERMS + "source")
        speakers = self.values(node, PROV + "wasAttributedTo")
        claim = Claim(
            subject=subject, mode=mode, covers=covers,
            objects=self.values(node, HK + "coversObject"),
            language=langs[0].value if langs else None,
            rule=rules[0] if rules else None,  # type: ignore[arg-type]
            source=srcs[0] if srcs else None,  # type: ignore[arg-type]
            speaker=speakers[0] if speakers else None,  # type: ignore[arg-type]
            spans=sorted(spans, key=lambda s: (s.start, s.end)),
            origin=display_path(self.sources.origin.get(subject, Path("data"))),
            scope="" if in_entities or self.article is None else self.article.scope,
            article=None if in_entities or self.article is None else self.article.id,
        )
        claim.triples = [t for t in facts if claim.supports(t)]
        if not claim.triples:
            what = (f"a {mode} claim on {_local(subject)} covering "
                    f"{', '.join(map(_local, covers)) or 'nothing'}")
            raise self.fail(f"{what} supports no triple (check hk:covers, "
                            "hk:coversObject and hk:coversLanguage)", term=subject)
        return claim

    def mentions(self) -> tuple[list[Mention], dict[ox.NamedNode, ox.Literal]]:
        """Every mention of a resource in the text, and the resources exempt from one."""
        text = self.text
        raw: dict[ox.NamedNode, list[Span]] = defaultdict(list)
        exempt: dict[ox.NamedNode, ox.Literal] = {}
        for q, in_entities in ((q, self.sources.in_entities(path))
                               for path, quads in self.sources.by_file.items() for q in quads):
            subject = q.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            if q.predicate in (P_MENTION, P_MENTION_SEL) and in_entities:
                raise self.fail(f"{_local(subject)} has a mention in data/entities/: an entity "
                                "is mentioned by the articles that name it (move the "
                                "hk:mention into the article)", term=subject, cls=InputError)
            if q.predicate == P_MENTION:
                if not isinstance(q.object, ox.Literal):
                    raise self.fail("hk:mention must be a literal", term=subject)
                hits = [i for i in occurrences(text, q.object.value)
                        if i == 0 or not text[i - 1].isalnum()]
                if not hits:
                    raise self.fail(f"hk:mention \"{q.object.value}\" of {_local(subject)} is "
                                    "not in the article",
                                    needle=_written("hk:mention", q.object.value), term=subject)
                raw[subject] += [Span(i, i + len(q.object.value)) for i in hits]
            elif q.predicate == P_MENTION_SEL:
                raw[subject].append(self.selector_span(q.object, "hk:mentionSelector", subject))
            elif q.predicate == P_MENTION_EXEMPT:
                if not isinstance(q.object, ox.Literal):
                    raise self.fail("hk:mentionExemption must be a literal", term=subject)
                exempt[subject] = q.object
        mentions: list[Mention] = []
        for resource, spans in raw.items():
            unique = sorted(set(spans), key=lambda s: (s.start, -s.end))
            for span in unique:
                if any(o != span and o.start <= span.start and span.end <= o.end
                       for o in unique):
                    continue  # "Göktaş" inside "Mahinur Özdemir Göktaş"
                mentions.append(Mention(resource, span))
        mentions.sort(key=lambda m: (m.span.start, m.span.end, m.resource.value))
        return mentions, exempt

    def check_described(self, facts: list[ox.Triple], mentioned: set[ox.NamedNode],
                        exempt: dict[ox.NamedNode, ox.Literal]) -> None:
        """Every described resource is mentioned (or exempt); every one referred to is
        described."""
        described = {t.subject for t in facts if isinstance(t.subject, ox.NamedNode)}
        entities = self.entities()
        for resource in sorted(described - entities, key=str):
            if resource.value.startswith(HKD) and resource not in mentioned and \
                    resource not in exempt:
                raise self.fail(f"{_local(resource)} has no hk:mention in the article (add one, "
                                "or hk:mentionExemption with the reason)", term=resource)
        for t in facts:
            obj = t.object
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(HKD) and \
                    obj not in described and obj not in self.rules:
                raise self.fail(f"{_local(obj)} is used but never described (typo?)",
                                term=t.subject)

    def entities(self) -> set[ox.NamedNode]:
        """The resources the shared entity files describe."""
        return {q.subject for path, quads in self.sources.by_file.items()
                if self.sources.in_entities(path) for q in quads
                if isinstance(q.subject, ox.NamedNode) and q.predicate not in AUTHORING_PREDICATES}

    def own(self, facts: list[ox.Triple], metadata: list[ox.Triple]) -> set[ox.Triple]:
        """The facts and rules written in the article's own files."""
        mine = {q.triple for path, quads in self.sources.by_file.items()
                if not self.sources.in_entities(path) for q in quads}
        return {t for t in [*facts, *metadata] if t in mine}

    def check_described_once(self) -> None:
        """An article does not describe (type or name) a resource of data/entities/."""
        entities = self.entities()
        for path, quads in self.sources.by_file.items():
            if self.sources.in_entities(path):
                continue
            for q in quads:
                if q.predicate in MINTING and q.subject in entities:
                    assert isinstance(q.subject, ox.NamedNode)
                    home = next(p for p in self.sources.entity_files
                                if any(e.subject == q.subject for e in self.sources.by_file[p]))
                    there = locate_in(self.sources.texts[home], q.subject)
                    here = locate_in(self.sources.texts[path], q.subject) or (None, None)
                    raise CheckFailed(
                        f"{_local(q.subject)} is a shared entity, described in "
                        f"{display_path(home)}:{there[0] if there else '?'}, and this article "
                        f"describes it again ({_local(q.predicate)}): describe it once, in "
                        "data/entities/, and keep in the article only what the article says "
                        "about it", path=display_path(path), line=here[0], column=here[1])

    def check_coverage(self, facts: list[ox.Triple], claims: list[Claim]) -> None:
        uncovered = [t for t in facts if not any(c.supports(t) for c in claims)]
        if uncovered:
            first = uncovered[0]
            more = f" (and {len(uncovered) - 1} more)" if len(uncovered) > 1 else ""
            raise self.fail(f"ungrounded statement: {_local(first.subject)} "
                            f"{_local(first.predicate)} {_local(first.object)}{more}; add a "
                            "claim (hk:evidence) that covers it", term=first.subject)


# ---------------------------------------------------------------------- relative times

def _month(year: int, month: int) -> tuple[int, int]:
    year, month = divmod(year * 12 + month - 1, 12)
    return year, month + 1


def resolve(expression: str, published: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """A relative time expression against a publication date: its precision (the xsd
    datatype of a value at that precision) and its first and last day."""
    day = datetime.timedelta(days=1)
    days = {"bugün": 0, "dün": -1, "yarın": 1}
    months = {"bu ay": 0, "geçen ay": -1, "gelecek ay": 1}
    years = {"bu yıl": 0, "geçen yıl": -1, "gelecek yıl": 1}
    if expression in days:
        d = published + days[expression] * day
        return "date", d, d
    if expression in months:
        y, m = _month(published.year, published.month + months[expression])
        first = datetime.date(y, m, 1)
        ny, nm = _month(y, m + 1)
        return "gYearMonth", first, datetime.date(ny, nm, 1) - day
    if expression in years:
        y = published.year + years[expression]
        return "gYear", datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    known = ", ".join(f'"{e}"' for e in [*days, *months, *years])
    raise InputError(f'hk:relativeTime "{expression}" is not an expression haberkg resolves '
                     f"(known: {known})")


def expected_value(predicate: ox.NamedNode, expression: str, published: datetime.date
                   ) -> ox.Literal:
    """The value a statement following a relative-time rule must have in an article
    published on ``published``: a bound is the first or last day, any other date the
    period at its precision."""
    precision, first, last = resolve(expression, published)
    if predicate.value == HK + "notBefore":
        return ox.Literal(first.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if predicate.value == HK + "notAfter":
        return ox.Literal(last.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    lexical = {"date": first.isoformat(), "gYearMonth": first.isoformat()[:7],
               "gYear": first.isoformat()[:4]}[precision]
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + precision))


def _check_relative_times(reader: _Reader, claims: list[Claim]) -> None:
    article = reader.article
    if article is None:
        return
    for claim in claims:
        if claim.rule is None or claim.article is None:
            continue
        for expression in reader.values(claim.rule, HK + "relativeTime"):
            for triple in claim.triples:
                obj = triple.object
                if not isinstance(obj, ox.Literal) or not obj.datatype.value.startswith(XSD):
                    continue
                want = expected_value(triple.predicate, expression.value, article.published)
                if obj != want:
                    raise reader.fail(
                        f"{_local(triple.subject)} {_local(triple.predicate)} \"{obj.value}\" "
                        f"follows {_local(claim.rule)} (\"{expression.value}\"), which in an "
                        f"article published on {article.published.isoformat()} gives "
                        f"\"{want.value}\"^^xsd:{want.datatype.value[len(XSD):]}",
                        term=triple.subject)


# ---------------------------------------------------------------------- an article's metadata

def article_info(article: Article, sources: _Sources, text_bytes: bytes) -> ArticleInfo:
    """The article's NewsArticle (in its article.ttl), its date, and its text's SHA-256."""
    shown = display_path(article.metadata_path)
    quads = sources.by_file.get(article.metadata_path)
    if quads is None:
        raise InputError("an article describes itself in article.ttl (haberkg new-article "
                         "writes it)", path=shown)
    iris = sorted({q.subject for q in quads if q.predicate == RDF_TYPE
                   and q.object == NEWS_ARTICLE and isinstance(q.subject, ox.NamedNode)}, key=str)
    if len(iris) != 1:
        raise CheckFailed(f"article.ttl describes {len(iris)} schema:NewsArticle, expected 1",
                          path=shown)
    iri = iris[0]
    assert isinstance(iri, ox.NamedNode)

    def value(local: str, namespace: str = SCHEMA) -> ox.Literal | None:
        found = [q.object for q in quads if q.subject == iri
                 and q.predicate.value == namespace + local and isinstance(q.object, ox.Literal)]
        return found[0] if len(found) == 1 else None

    where = locate_in(sources.texts[article.metadata_path], iri) or (None, None)
    date = value("datePublished")
    if date is None or date.datatype.value != XSD + "date":
        raise CheckFailed(f"{_local(iri)} needs one schema:datePublished (xsd:date): relative "
                          "times resolve against it", path=shown, line=where[0], column=where[1])
    digest = value("textSha256", HK)
    actual = hashlib.sha256(text_bytes).hexdigest()
    if digest is None:
        raise CheckFailed(f"{_local(iri)} records no SHA-256 of its text: add hk:textSha256 "
                          f'"{actual}"', path=shown, line=where[0], column=where[1])
    if digest.value != actual:
        raise CheckFailed(f"the text {display_path(article.text_path)} is not the one recorded "
                          f"in hk:textSha256 (its SHA-256 is {actual}): an article's text is "
                          "never edited", path=shown, line=where[0], column=where[1])
    try:
        published = datetime.date.fromisoformat(date.value)
    except ValueError:
        raise InputError(f"schema:datePublished \"{date.value}\" is not a date", path=shown,
                         line=where[0], column=where[1]) from None
    return ArticleInfo(article.id, iri, published, article.folder)


# ---------------------------------------------------------------------- entry points

def ground_article(project: Project, article: Article, cache: FileCache | None = None
                   ) -> Grounding:
    """One article in its scope: its own files and the shared entities, against its text."""
    entity_files = project.corpus.entity_files
    sources = _Sources([*entity_files, *article.files], cache, set(entity_files))
    raw = read_bytes(article.text_path, what="article text")
    text = read_text(article.text_path, what="article text")
    info = article_info(article, sources, raw)
    reader = _Reader(sources, text, info)
    reader.check_described_once()
    facts, metadata = reader.split()
    claims = reader.claims(facts)
    mentions, exempt = reader.mentions()
    reader.check_described(facts, {m.resource for m in mentions}, exempt)
    reader.check_coverage(facts, claims)
    _check_relative_times(reader, claims)
    return Grounding(text=text, facts=facts, metadata=metadata, claims=claims,
                     mentions=mentions, segments=segment(text), exempt=exempt, article=info,
                     own=reader.own(facts, metadata), entities=reader.entities())


@dataclass
class CorpusGrounding:
    """Every article grounded in its scope, and the merged view the release publishes."""

    articles: list[Grounding]
    entity_facts: list[ox.Triple]
    entity_metadata: list[ox.Triple]
    entity_claims: list[Claim]
    entity_exempt: dict[ox.NamedNode, ox.Literal]

    @property
    def facts(self) -> list[ox.Triple]:
        return sorted({t for g in self.articles for t in g.facts}, key=str)

    @property
    def metadata(self) -> list[ox.Triple]:
        return sorted({t for g in self.articles for t in g.metadata}, key=str)

    @property
    def claims(self) -> list[Claim]:
        """The articles' claims and the entities' (these against every fact about them)."""
        own = [c for g in self.articles for c in g.claims if c.article is not None]
        return sorted([*own, *self.entity_claims], key=lambda c: c.key)

    @property
    def mentions(self) -> list[Mention]:
        return [m for g in self.articles for m in g.mentions]

    @property
    def covered(self) -> int:
        facts, claims = self.facts, self.claims
        return sum(1 for t in facts if any(c.supports(t) for c in claims))

    @property
    def coverage(self) -> float:
        facts = self.facts
        return self.covered / len(facts) if facts else 1.0

    def mode_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for claim in self.claims:
            counts[claim.mode] += 1
        return dict(sorted(counts.items()))


def ground(project: Project) -> CorpusGrounding:
    """Every article of the corpus, and the corpus checks: no IRI minted in two articles,
    no article using another's resources, every entity mentioned. A project seen from one
    article (``Project.scoped``) is that article with the entities, without the corpus
    checks."""
    corpus = project.require_articles()
    cache = FileCache()
    whole = project.only is None
    if whole:  # first: a collision explains the errors it would cause in an article
        _check_minted_once(project, cache)
    groundings = [ground_article(project, a, cache) for a in corpus.articles]
    entity_files = corpus.entity_files
    entity_sources = _Sources(entity_files, cache, set(entity_files))
    facts = sorted({t for g in groundings for t in g.facts}, key=str)
    entity_reader = _Reader(entity_sources, "", None)
    entity_facts, entity_metadata = entity_reader.split()
    entity_claims = []
    for claim in entity_reader.claims(entity_facts):
        claim.triples = [t for t in facts if claim.supports(t)]
        entity_claims.append(claim)
    _, entity_exempt = entity_reader.mentions()
    if whole:
        mentioned = {m.resource for g in groundings for m in g.mentions}
        for resource in sorted(entity_reader.entities() - mentioned, key=str):
            if resource.value.startswith(HKD) and resource not in entity_exempt and \
                    resource not in entity_reader.rules:
                raise entity_reader.fail(
                    f"{_local(resource)} is mentioned in no article (add a hk:mention in an "
                    "article that names it, or hk:mentionExemption with the reason)",
                    term=resource)
    return CorpusGrounding(groundings, entity_facts, entity_metadata, entity_claims,
                           entity_exempt)


def _check_minted_once(project: Project, cache: FileCache) -> None:
    """An IRI is minted (typed or named) by one article; a resource two articles use is
    a shared entity."""
    minted: dict[ox.NamedNode, tuple[str, Path]] = {}
    used: list[tuple[ox.NamedNode, str, Path]] = []
    for article in project.corpus.articles:
        for path in article.files:
            for q in cache.load(path)[1]:
                if q.predicate in MINTING and isinstance(q.subject, ox.NamedNode):
                    other = minted.get(q.subject)
                    if other is not None and other[0] != article.id:
                        raise _two_places(q.subject, other[1], path,
                                          "is minted in two articles: if they mean one thing, "
                                          "describe it once in data/entities/; if not, rename "
                                          "one")
                    minted.setdefault(q.subject, (article.id, path))
                for term in (q.subject, q.object):
                    if isinstance(term, ox.NamedNode) and term.value.startswith(HKD):
                        used.append((term, article.id, path))
    for term, article_id, path in used:
        home = minted.get(term)
        if home is not None and home[0] != article_id:
            raise _two_places(term, home[1], path,
                              "is minted in one article and used in another: a resource two "
                              "articles share is described once, in data/entities/")


def _two_places(term: ox.NamedNode, first: Path, second: Path, what: str) -> CheckFailed:
    def where(path: Path) -> str:
        found = locate_in(read_text(path, what="RDF file"), term)
        return f"{display_path(path)}:{found[0]}" if found else display_path(path)

    here = locate_in(read_text(second, what="RDF file"), term) or (None, None)
    return CheckFailed(f"{_local(term)} {what} (also at {where(first)})",
                       path=display_path(second), line=here[0], column=here[1])
