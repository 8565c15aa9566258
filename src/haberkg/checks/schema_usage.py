"""schema.org properties used within their domain and range, with exemptions as data.

schema.org's ``domainIncludes`` / ``rangeIncludes`` are advice, not OWL axioms, so
no reasoner checks them. This check does: every schema.org property on a data
resource has a subject of one of its domain classes and a value of one of its range
classes (super-properties and super-classes included, as the import module holds
them). A use outside them passes only with an exemption in
``ontology/qa/exemptions.ttl`` that says why (gist's "exemptions as data").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError, display_path
from haberkg.namespaces import HKD, RDF, RDFS, SCHEMA
from haberkg.sources.read import parse_file

HKQ = "https://w3id.org/haberkg/qa#"
LITERAL_RANGES = {SCHEMA + n for n in ("Text", "Date", "DateTime", "Number", "Integer",
                                       "Boolean", "URL", "Time", "Float")}


@dataclass(frozen=True)
class Use:
    kind: str  # "domain" or "range"
    subject: str
    property: str
    value: str  # the value's IRI, "literal", or "" for a domain violation


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


class Vocabulary:
    """Class and property hierarchy, domains and ranges, of the given triples."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.supers: dict[str, set[str]] = defaultdict(set)
        self.prop_supers: dict[str, set[str]] = defaultdict(set)
        self.domain: dict[str, set[str]] = defaultdict(set)
        self.range: dict[str, set[str]] = defaultdict(set)
        self.types: dict[str, set[str]] = defaultdict(set)
        for t in triples:
            p, s, o = t.predicate.value, t.subject.value, t.object
            if p == RDFS + "subClassOf" and isinstance(o, ox.NamedNode):
                self.supers[s].add(o.value)
            elif p == RDFS + "subPropertyOf" and isinstance(o, ox.NamedNode):
                self.prop_supers[s].add(o.value)
            elif p == SCHEMA + "domainIncludes":
                self.domain[s].add(o.value)
            elif p == SCHEMA + "rangeIncludes":
                self.range[s].add(o.value)
            elif p == RDF + "type" and isinstance(o, ox.NamedNode):
                self.types[s].add(o.value)

    def classes_of(self, node: str) -> set[str]:
        return _closure(self.types.get(node, set()), self.supers)


def uses(triples: list[ox.Triple]) -> list[Use]:
    """Every use of a schema.org property on a data resource outside domain/range."""
    vocab = Vocabulary(triples)
    out = []
    for t in triples:
        p = t.predicate.value
        if not p.startswith(SCHEMA) or not t.subject.value.startswith(HKD):
            continue
        props = _closure({p}, vocab.prop_supers)
        domains = set().union(*(vocab.domain[q] for q in props))
        ranges = set().union(*(vocab.range[q] for q in props))
        if domains and not vocab.classes_of(t.subject.value) & domains:
            out.append(Use("domain", t.subject.value, p, ""))
        obj = t.object
        if isinstance(obj, ox.Literal):
            if ranges and not ranges & LITERAL_RANGES:
                out.append(Use("range", t.subject.value, p, "literal"))
        elif ranges and SCHEMA + "URL" not in ranges and \
                not vocab.classes_of(obj.value) & ranges:
            out.append(Use("range", t.subject.value, p, obj.value))
    return out


def exemptions(path: Path) -> set[tuple[str, str, str]]:
    """(kind, property, class) of every exemption; each must say why."""
    if not path.exists():
        return set()
    by: dict[str, dict[str, str]] = defaultdict(dict)
    for q in parse_file(path):
        by[q.subject.value][q.predicate.value] = q.object.value
    out = set()
    for subject, props in sorted(by.items()):
        if not props.get(RDFS + "comment"):
            raise InputError(f"exemption <{subject}> needs rdfs:comment: why it is allowed",
                             path=display_path(path))
        try:
            out.add((props[HKQ + "kind"], props[HKQ + "property"], props[HKQ + "class"]))
        except KeyError as missing:
            raise InputError(f"exemption <{subject}> lacks {missing.args[0]}",
                             path=display_path(path)) from None
    return out


def unexempted(triples: list[ox.Triple], exempt: set[tuple[str, str, str]]) -> list[Use]:
    vocab = Vocabulary(triples)
    left = []
    for use in uses(triples):
        node = use.subject if use.kind == "domain" else use.value
        if not any((use.kind, use.property, cls) in exempt for cls in vocab.classes_of(node)):
            left.append(use)
    return left
