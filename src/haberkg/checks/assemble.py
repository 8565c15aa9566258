"""Assemble the graphs of the release from the sources and their grounding.

The checks run on exactly what will be published, so the assembly is part of the checks
stage; :mod:`haberkg.release` only serialises and writes what they passed.

* the plain graph: ontology, schema.org module, facts, inference rules, the article
  text and its segments, and the provenance as plain RDF (claims, ``rdf:Statement``
  nodes, W3C Web Annotations with TextQuote and TextPosition selectors);
* the grounding dataset (TriG): the same, with every claim's statements in a named
  graph named by the claim's IRI.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from haberkg.checks.grounding import Claim, Grounding, Span, ground, short_hash, unique_context
from haberkg.errors import CheckFailed
from haberkg.namespaces import DCTERMS, HK, HKD, OA, PROV, RDF, SCHEMA, XSD
from haberkg.sources.project import Project

ARTICLE = ox.NamedNode(HKD + "article")
TYPE = ox.NamedNode(RDF + "type")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def integer(value: int, datatype: str = "nonNegativeInteger") -> ox.Literal:
    return ox.Literal(str(value), datatype=n(XSD + datatype))


def statement_iri(triple: ox.Triple) -> ox.NamedNode:
    return n(f"{HKD}statement-{short_hash(str(triple))}")


@dataclass
class Release:
    ontology: list[ox.Triple]
    imports: list[ox.Triple]
    facts: list[ox.Triple]
    derived: list[ox.Triple]
    provenance: list[ox.Triple]
    claim_graphs: list[ox.Quad]

    @property
    def plain(self) -> list[ox.Triple]:
        return [*self.ontology, *self.imports, *self.facts, *self.derived, *self.provenance]

    @property
    def reasoning_input(self) -> list[ox.Triple]:
        """What the OWL reasoner sees: the world, not the bookkeeping about it."""
        return [*self.ontology, *self.imports, *self.facts]

    def store(self) -> ox.Store:
        """The plain graph in an embedded store (its default graph)."""
        store = ox.Store()
        store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object) for t in self.plain])
        return store

    @property
    def dataset(self) -> list[ox.Quad]:
        in_claims = {q.triple for q in self.claim_graphs}
        rest = [t for t in self.facts if t not in in_claims]  # e.g. the inference rules
        default = [ox.Quad(t.subject, t.predicate, t.object) for t in
                   [*self.ontology, *self.imports, *rest, *self.derived, *self.provenance]]
        return default + self.claim_graphs


def assemble(project: Project, grounding: Grounding) -> Release:
    provenance, claim_graphs = _provenance(grounding)
    return Release(
        ontology=[q.triple for q in project.ontology_quads],
        imports=[q.triple for q in project.import_quads],
        facts=[*grounding.facts, *grounding.metadata],
        derived=_text_and_segments(grounding),
        provenance=provenance,
        claim_graphs=claim_graphs,
    )


def _headings(grounding: Grounding) -> dict[int, ox.NamedNode]:
    """The node of each sub-heading, by its segment number.

    Sub-headings are described in the data (hkd:sub-heading-N, schema:position N) and
    matched to the text by that position (1st, 2nd, ...).
    """
    positions = {t.subject.value: int(t.object.value) for t in grounding.facts
                 if t.predicate == n(SCHEMA + "position") and isinstance(t.object, ox.Literal)}
    heading_nodes = {positions.get(t.subject.value): ox.NamedNode(t.subject.value)
                     for t in grounding.facts
                     if t.predicate == TYPE and t.object == n(HK + "SubHeading")}
    heading_segments = [s for s in grounding.segments if s.heading]
    if set(heading_nodes) != set(range(1, len(heading_segments) + 1)):
        raise CheckFailed(f"the article has {len(heading_segments)} sub-headings; describe each "
                          "as a hk:SubHeading with schema:position 1, 2, ...", path="data")
    return {seg.number: heading_nodes[k] for k, seg in enumerate(heading_segments, start=1)}


def _text_and_segments(grounding: Grounding) -> list[ox.Triple]:
    """The article body, and its sentences and sub-headings with their offsets.

    Sentences are minted here, numbered among the sentences only (sub-headings are not
    counted): hkd:sentence-N, schema:position N.
    """
    text = grounding.text
    derived = [ox.Triple(ARTICLE, n(SCHEMA + "articleBody"), ox.Literal(text, language="tr"))]
    headings = _headings(grounding)
    sentence = 0
    for seg in grounding.segments:
        if seg.heading:
            node = headings[seg.number]
        else:
            sentence += 1
            node = n(f"{HKD}sentence-{sentence}")
        derived += [
            ox.Triple(node, n(HK + "start"), integer(seg.span.start)),
            ox.Triple(node, n(HK + "end"), integer(seg.span.end)),
        ]
        if seg.heading:
            continue
        derived += [
            ox.Triple(node, TYPE, n(HK + "Sentence")),
            ox.Triple(node, n(SCHEMA + "text"), ox.Literal(seg.span.exact(text), language="tr")),
            ox.Triple(node, n(SCHEMA + "isPartOf"), ARTICLE),
            ox.Triple(node, n(SCHEMA + "position"), integer(sentence, "integer")),
            ox.Triple(node, n(SCHEMA + "name"), ox.Literal(f"Cümle {sentence}", language="tr")),
            ox.Triple(node, n(SCHEMA + "name"), ox.Literal(f"Sentence {sentence}",
                                                           language="en")),
        ]
    return derived


def _provenance(grounding: Grounding) -> tuple[list[ox.Triple], list[ox.Quad]]:
    """Claims, statements and annotations as plain triples; each claim's statements in
    the named graph of the claim."""
    text = grounding.text
    provenance: list[ox.Triple] = []
    claim_graphs: list[ox.Quad] = []
    for claim in grounding.claims:
        provenance += _claim(claim)
        for triple in claim.triples:
            claim_graphs.append(ox.Quad(triple.subject, triple.predicate, triple.object,
                                        claim.iri))
        for span in claim.spans:
            provenance += _annotation(text, claim.iri, "describing", span)
    for mention in grounding.mentions:
        provenance += _annotation(text, mention.resource, "identifying", mention.span)
    for resource, reason in sorted(grounding.exempt.items(), key=lambda kv: str(kv[0])):
        provenance.append(ox.Triple(resource, n(HK + "mentionExemption"), reason))
    return provenance, claim_graphs


def _claim(claim: Claim) -> list[ox.Triple]:
    iri = claim.iri
    out = [
        ox.Triple(iri, TYPE, n(HK + "Claim")),
        ox.Triple(iri, n(HK + "mode"), n(HK + claim.mode)),
        ox.Triple(claim.subject, n(HK + "evidence"), iri),
    ]
    if claim.rule is not None:
        out.append(ox.Triple(iri, n(HK + "rule"), claim.rule))
    if claim.source is not None:
        out.append(ox.Triple(iri, n(DCTERMS + "source"), claim.source))
    if claim.speaker is not None:
        out.append(ox.Triple(iri, n(PROV + "wasAttributedTo"), claim.speaker))
    for triple in claim.triples:
        st = statement_iri(triple)
        out += [
            ox.Triple(iri, n(HK + "statement"), st),
            ox.Triple(st, TYPE, n(RDF + "Statement")),
            ox.Triple(st, n(RDF + "subject"), triple.subject),
            ox.Triple(st, n(RDF + "predicate"), triple.predicate),
            ox.Triple(st, n(RDF + "object"), triple.object),
        ]
    return out


def _annotation(text: str, body: ox.NamedNode, motivation: str, span: Span) -> list[ox.Triple]:
    key = short_hash(f"{body.value}|{motivation}|{span.start}|{span.end}")
    ann = n(f"{HKD}annotation-{key}")
    target = n(f"{HKD}annotation-{key}-target")
    quote = n(f"{HKD}annotation-{key}-quote")
    position = n(f"{HKD}annotation-{key}-position")
    prefix, suffix = unique_context(text, span.start, span.end)
    out = [
        ox.Triple(ann, TYPE, n(OA + "Annotation")),
        ox.Triple(ann, n(OA + "motivatedBy"), n(OA + motivation)),
        ox.Triple(ann, n(OA + "hasBody"), body),
        ox.Triple(ann, n(OA + "hasTarget"), target),
        ox.Triple(target, TYPE, n(OA + "SpecificResource")),
        ox.Triple(target, n(OA + "hasSource"), ARTICLE),
        ox.Triple(target, n(OA + "hasSelector"), quote),
        ox.Triple(target, n(OA + "hasSelector"), position),
        ox.Triple(quote, TYPE, n(OA + "TextQuoteSelector")),
        ox.Triple(quote, n(OA + "exact"), ox.Literal(span.exact(text))),
        ox.Triple(position, TYPE, n(OA + "TextPositionSelector")),
        ox.Triple(position, n(OA + "start"), integer(span.start)),
        ox.Triple(position, n(OA + "end"), integer(span.end)),
    ]
    if prefix:
        out.append(ox.Triple(quote, n(OA + "prefix"), ox.Literal(prefix)))
    if suffix:
        out.append(ox.Triple(quote, n(OA + "suffix"), ox.Literal(suffix)))
    return out


def release_of(project: Project) -> Release:
    """The release graphs of a project (grounding checked, no SHACL or reasoning)."""
    return assemble(project, ground(project))
