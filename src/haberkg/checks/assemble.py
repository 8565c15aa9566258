"""Assemble the graphs of the release from the sources and their grounding.

The checks run on exactly what will be published, so the assembly is part of the checks
stage; :mod:`haberkg.release` only serialises and writes what they passed.

* the plain graph: ontology, schema.org module, facts, inference rules, the article
  text and its segments, and the provenance as plain RDF (claims, ``rdf:Statement``
  nodes, W3C Web Annotations with TextQuote and TextPosition selectors);
* the grounding dataset (TriG): the same, with every claim's statements in a named
  graph named by the claim's IRI;
* the article dataset: the same statements with every article's own in a named graph named
  by its schema:NewsArticle IRI, the shared entities in the graph ``hkd:entities`` and the
  ontology in the default graph (their union is the plain graph);
* one graph per article that stands alone: its own statements and the shared entities it
  refers to (with what their claims say in that article's scope).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from haberkg.checks.grounding import (
    Claim,
    CorpusGrounding,
    Grounding,
    ground,
    short_hash,
    unique_context,
)
from haberkg.errors import CheckFailed, display_path
from haberkg.namespaces import DCTERMS, HK, HKD, OA, PROV, RDF, SCHEMA, XSD
from haberkg.sources.project import Project
from haberkg.sources.text import Span

TYPE = ox.NamedNode(RDF + "type")
# the shared entities in the article dataset: the graph is named by the VoID subset that
# describes it, so that its name dereferences like every IRI of the namespace
ENTITIES_GRAPH = ox.NamedNode(HKD + "dataset-entities")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def integer(value: int, datatype: str = "nonNegativeInteger") -> ox.Literal:
    return ox.Literal(str(value), datatype=n(XSD + datatype))


def statement_iri(triple: ox.Triple) -> ox.NamedNode:
    return n(f"{HKD}statement-{short_hash(str(triple))}")


@dataclass
class ArticleGraph:
    """One article's part of the release."""

    id: str
    iri: ox.NamedNode
    own: list[ox.Triple]  # its named graph: what its own files, text and claims give
    entities: list[ox.Triple]  # the shared entities it refers to, as its scope sees them

    @property
    def standalone(self) -> list[ox.Triple]:
        """The article on its own (``dist/articles/ID.ttl``)."""
        return [*self.own, *self.entities]


@dataclass
class Release:
    ontology: list[ox.Triple]
    imports: list[ox.Triple]
    facts: list[ox.Triple]
    derived: list[ox.Triple]
    provenance: list[ox.Triple]
    claim_graphs: list[ox.Quad]
    articles: list[ArticleGraph] = field(default_factory=list)
    entity_graph: list[ox.Triple] = field(default_factory=list)

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

    @property
    def article_dataset(self) -> list[ox.Quad]:
        """The vocabulary in the default graph, the shared entities in ``hkd:entities``,
        every article's own statements in the graph named by its NewsArticle IRI."""
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in
                 [*self.ontology, *self.imports]]
        quads += [ox.Quad(t.subject, t.predicate, t.object, ENTITIES_GRAPH)
                  for t in self.entity_graph]
        for article in self.articles:
            quads += [ox.Quad(t.subject, t.predicate, t.object, article.iri) for t in article.own]
        return quads

    def article(self, article_id: str) -> ArticleGraph:
        return next(a for a in self.articles if a.id == article_id)


def assemble(project: Project, grounding: CorpusGrounding) -> Release:
    provenance: list[ox.Triple] = []
    derived: list[ox.Triple] = []
    articles: list[ArticleGraph] = []
    for g in grounding.articles:
        text = _text_and_segments(g)
        own_provenance = _article_provenance(g)
        derived += text
        provenance += own_provenance
        articles.append(_article_graph(g, text, own_provenance))
    entity_provenance = _entity_provenance(grounding.entity_claims, grounding.entity_exempt)
    provenance += entity_provenance
    claim_graphs = [ox.Quad(t.subject, t.predicate, t.object, claim.iri)
                    for claim in grounding.claims for t in claim.triples]
    return Release(
        ontology=[q.triple for q in project.ontology_quads],
        imports=[q.triple for q in project.import_quads],
        facts=[*grounding.facts, *grounding.metadata],
        derived=derived,
        provenance=provenance,
        claim_graphs=claim_graphs,
        articles=articles,
        entity_graph=[*grounding.entity_facts, *grounding.entity_metadata, *entity_provenance],
    )


def _article_provenance(g: Grounding) -> list[ox.Triple]:
    """The article's own claims, its mentions and the exemptions of its own resources."""
    assert g.article is not None
    article, scope = g.article.iri, g.article.scope
    out: list[ox.Triple] = []
    for claim in g.claims:
        if claim.article is None:
            continue
        out += _claim(claim)
        for span in claim.spans:
            out += _annotation(g.text, claim.iri, "describing", span, article, scope)
    for mention in g.mentions:
        out += _annotation(g.text, mention.resource, "identifying", mention.span, article, scope)
    for resource, reason in sorted(g.exempt.items(), key=lambda kv: str(kv[0])):
        if resource not in g.entities:
            out.append(ox.Triple(resource, n(HK + "mentionExemption"), reason))
    return out


def _entity_provenance(claims: list[Claim], exempt: dict[ox.NamedNode, ox.Literal]
                       ) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for claim in claims:
        out += _claim(claim)
    for resource, reason in sorted(exempt.items(), key=lambda kv: str(kv[0])):
        out.append(ox.Triple(resource, n(HK + "mentionExemption"), reason))
    return out


def _article_graph(g: Grounding, text: list[ox.Triple], provenance: list[ox.Triple]
                   ) -> ArticleGraph:
    """The article's own graph, and the shared entities it refers to (closed over the
    entities' references to each other, with the rules their claims follow)."""
    assert g.article is not None
    own = sorted({*g.own, *text, *provenance}, key=str)
    entity_facts = [t for t in [*g.facts, *g.metadata] if t not in g.own]
    entity_claims = [c for c in g.claims if c.article is None]
    wanted: set[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = set()
    for t in own:
        wanted.update((t.subject, t.object))
    wanted &= set(g.entities)
    todo = list(wanted)
    while todo:
        node = todo.pop()
        for t in entity_facts:
            if t.subject == node and t.object in g.entities and t.object not in wanted:
                wanted.add(t.object)
                todo.append(t.object)
    claims = [c for c in entity_claims if c.subject in wanted]
    rules = {c.rule for c in [*g.claims] if c.rule is not None
             and (c.article is not None or c.subject in wanted)}
    entities = [t for t in entity_facts if t.subject in wanted or t.subject in rules]
    for claim in claims:
        entities += _claim(claim)
    for resource, reason in sorted(g.exempt.items(), key=lambda kv: str(kv[0])):
        if resource in wanted:
            entities.append(ox.Triple(resource, n(HK + "mentionExemption"), reason))
    return ArticleGraph(g.article.id, g.article.iri, own,
                        sorted(set(entities) - set(own), key=str))


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
        where = display_path(grounding.article.folder) if grounding.article else "data"
        raise CheckFailed(f"the article has {len(heading_segments)} sub-headings; describe each "
                          "as a hk:SubHeading with schema:position 1, 2, ...", path=where)
    return {seg.number: heading_nodes[k] for k, seg in enumerate(heading_segments, start=1)}


def _text_and_segments(grounding: Grounding) -> list[ox.Triple]:
    """The article body, and its sentences and sub-headings with their offsets.

    Sentences are minted here, numbered among the sentences only (sub-headings are not
    counted): hkd:sentence-N, schema:position N.
    """
    text = grounding.text
    assert grounding.article is not None
    article = grounding.article.iri
    prefix = f"{article.value}-sentence-" if grounding.article.scope else f"{HKD}sentence-"
    derived = [ox.Triple(article, n(SCHEMA + "articleBody"), ox.Literal(text, language="tr"))]
    headings = _headings(grounding)
    sentence = 0
    for seg in grounding.segments:
        if seg.heading:
            node = headings[seg.number]
        else:
            sentence += 1
            node = n(f"{prefix}{sentence}")
        derived += [
            ox.Triple(node, n(HK + "start"), integer(seg.span.start)),
            ox.Triple(node, n(HK + "end"), integer(seg.span.end)),
        ]
        if seg.heading:
            continue
        derived += [
            ox.Triple(node, TYPE, n(HK + "Sentence")),
            ox.Triple(node, n(SCHEMA + "text"), ox.Literal(seg.span.exact(text), language="tr")),
            ox.Triple(node, n(SCHEMA + "isPartOf"), article),
            ox.Triple(node, n(SCHEMA + "position"), integer(sentence, "integer")),
            ox.Triple(node, n(SCHEMA + "name"), ox.Literal(f"Cümle {sentence}", language="tr")),
            ox.Triple(node, n(SCHEMA + "name"), ox.Literal(f"Sentence {sentence}",
                                                           language="en")),
        ]
    return derived


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


def _annotation(text: str, body: ox.NamedNode, motivation: str, span: Span,
                article: ox.NamedNode, scope: str) -> list[ox.Triple]:
    key = short_hash(f"{body.value}|{motivation}|{span.start}|{span.end}"
                     + (f"|{scope}" if scope else ""))
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
        ox.Triple(target, n(OA + "hasSource"), article),
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
