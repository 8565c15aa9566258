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
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import CheckFailed, InputError, display_path, line_col
from haberkg.namespaces import DCTERMS, HK, HKD, OA, PROV, RDF, compact
from haberkg.sources.project import Project
from haberkg.sources.read import parse_file, read_text

MODES = ("Stated", "ReportedSpeech", "DirectQuote", "Inferred", "External", "Editorial")
TEXT_MODES = {"Stated", "ReportedSpeech", "DirectQuote"}

P_EVIDENCE = ox.NamedNode(HK + "evidence")
P_MENTION = ox.NamedNode(HK + "mention")
P_MENTION_SEL = ox.NamedNode(HK + "mentionSelector")
P_MENTION_EXEMPT = ox.NamedNode(HK + "mentionExemption")
AUTHORING_PREDICATES = {P_EVIDENCE, P_MENTION, P_MENTION_SEL, P_MENTION_EXEMPT}
RDF_TYPE = ox.NamedNode(RDF + "type")
RULE_CLASS = ox.NamedNode(HK + "InferenceRule")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def exact(self, text: str) -> str:
        return text[self.start : self.end]


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

    @property
    def key(self) -> str:
        parts = [
            str(self.subject), self.mode, *sorted(map(str, self.covers)),
            *sorted(map(str, self.objects)), str(self.language), str(self.rule),
            str(self.source), str(self.speaker),
            *[f"{s.start}-{s.end}" for s in self.spans],
        ]
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


@dataclass
class Segment:
    """A sentence or a sub-heading of the article."""

    number: int
    span: Span
    heading: bool


@dataclass
class Grounding:
    text: str
    facts: list[ox.Triple]
    metadata: list[ox.Triple]
    claims: list[Claim]
    mentions: list[Mention]
    segments: list[Segment]
    exempt: dict[ox.NamedNode, ox.Literal]

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

def occurrences(text: str, exact: str) -> list[int]:
    found, i = [], text.find(exact)
    while i >= 0:
        found.append(i)
        i = text.find(exact, i + 1)
    return found


def unique_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The shortest prefix/suffix that make ``text[start:end]`` unique ("" if it already is)."""
    exact = text[start:end]
    if len(occurrences(text, exact)) == 1:
        return "", ""
    for width in range(1, len(text) + 1):
        prefix = text[max(0, start - width) : start]
        suffix = text[end : end + width]
        if len(occurrences(text, prefix + exact + suffix)) == 1:
            return prefix, suffix
    return text[:start], text[end:]  # pragma: no cover - the whole text is unique


def segment(text: str) -> list[Segment]:
    """Split the article into sub-headings and sentences, never inside quotation marks.

    Paragraphs are separated by blank lines; a paragraph that does not end with
    sentence punctuation is a sub-heading.
    """
    segments: list[Segment] = []
    for match in re.finditer(r"[^\n]+", text):
        para_start, para = match.start(), match.group()
        if not re.search(r"[.!?]\"?$", para):
            start, end = para_start, match.end()
            if para.startswith('"') and para.endswith('"'):
                start, end = start + 1, end - 1  # a quoted sub-heading: the words only
            segments.append(Segment(len(segments) + 1, Span(start, end), True))
            continue
        inside, start = False, 0
        for i, ch in enumerate(para):
            if ch == '"':
                inside = not inside
            elif ch in ".!?" and not inside and (i + 1 == len(para) or para[i + 1] == " "):
                segments.append(
                    Segment(len(segments) + 1, Span(para_start + start, para_start + i + 1), False))
                start = i + 2
    return segments


# ---------------------------------------------------------------------- reading claims

class _Sources:
    """The data files, kept by file so that errors can say where."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.texts = {p: read_text(p, what="RDF file") for p in files}
        self.quads: list[ox.Quad] = []
        self.origin: dict[Term, Path] = {}
        for path in files:
            for q in parse_file(path):
                self.quads.append(q)
                self.origin.setdefault(q.subject, path)

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

    def locate_term(self, term: Term) -> tuple[str, int | None, int | None]:
        path = self.origin.get(term)
        if isinstance(term, ox.NamedNode) and term.value.startswith(HKD):
            local = term.value[len(HKD):]
            for p, text in self.texts.items():
                m = re.search(rf"^hkd:{re.escape(local)}\b", text, re.M)
                if m:
                    line, col = line_col(text, m.start())
                    return display_path(p), line, col
        return (display_path(path) if path else "data"), None, None


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

    def __init__(self, project: Project) -> None:
        self.text = project.article_text
        self.sources = _Sources(project.data_files)
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
        for q in self.sources.quads:
            if q.predicate != P_EVIDENCE:
                continue
            subject, node = q.subject, q.object
            if not isinstance(subject, ox.NamedNode):
                raise self.fail("hk:evidence on a blank node", cls=InputError)
            modes = [m.value[len(HK):] for m in self.values(node, HK + "mode")
                     if isinstance(m, ox.NamedNode) and m.value.startswith(HK)]
            mode = modes[0] if len(modes) == 1 and modes[0] in MODES else "?"
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
            )
            claim.triples = [t for t in facts if claim.supports(t)]
            if not claim.triples:
                what = (f"a {mode} claim on {_local(subject)} covering "
                        f"{', '.join(map(_local, covers)) or 'nothing'}")
                raise self.fail(f"{what} supports no triple (check hk:covers, "
                                "hk:coversObject and hk:coversLanguage)", term=subject)
            claims.append(claim)
        return sorted(claims, key=lambda c: c.key)

    def mentions(self) -> tuple[list[Mention], dict[ox.NamedNode, ox.Literal]]:
        """Every mention of a resource in the text, and the resources exempt from one."""
        text = self.text
        raw: dict[ox.NamedNode, list[Span]] = defaultdict(list)
        exempt: dict[ox.NamedNode, ox.Literal] = {}
        for q in self.sources.quads:
            subject = q.subject
            if not isinstance(subject, ox.NamedNode):
                continue
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
        for resource in sorted(described, key=str):
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

    def check_coverage(self, facts: list[ox.Triple], claims: list[Claim]) -> None:
        uncovered = [t for t in facts if not any(c.supports(t) for c in claims)]
        if uncovered:
            first = uncovered[0]
            more = f" (and {len(uncovered) - 1} more)" if len(uncovered) > 1 else ""
            raise self.fail(f"ungrounded statement: {_local(first.subject)} "
                            f"{_local(first.predicate)} {_local(first.object)}{more}; add a "
                            "claim (hk:evidence) that covers it", term=first.subject)


def ground(project: Project) -> Grounding:
    """Read the data files, match every claim and mention to the text."""
    reader = _Reader(project)
    facts, metadata = reader.split()
    claims = reader.claims(facts)
    mentions, exempt = reader.mentions()
    reader.check_described(facts, {m.resource for m in mentions}, exempt)
    reader.check_coverage(facts, claims)
    return Grounding(text=reader.text, facts=facts, metadata=metadata, claims=claims,
                     mentions=mentions, segments=segment(reader.text), exempt=exempt)
