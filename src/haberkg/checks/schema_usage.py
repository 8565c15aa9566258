"""Domain and range of schema.org properties as used by the data (helper for the tests)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from haberkg.sources.schemaorg import vocabulary

SCHEMA = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SUBPROP = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
LITERAL_RANGES = {SCHEMA + n for n in ("Text", "Date", "DateTime", "Number", "Integer",
                                       "Boolean", "URL", "Time", "Float")}


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def classes(triples: list[ox.Triple]) -> dict[str, set[str]]:
    """Every class of every typed node, super-classes included (schema.org + ontology)."""
    supers: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for t in [*vocabulary(), *triples]:
        if t.predicate.value == SUBCLASS and isinstance(t.object, ox.NamedNode):
            supers[t.subject.value].add(t.object.value)
    for t in triples:
        if t.predicate.value == RDF_TYPE:
            types[t.subject.value].add(t.object.value)
    return {node: _closure(cls, supers) for node, cls in types.items()}


def violations(triples: list[ox.Triple]) -> list[tuple[str, str, str, str]]:
    """(kind, subject, property, value-or-class) for every use outside domain/range."""
    supers: dict[str, set[str]] = defaultdict(set)
    prop_supers: dict[str, set[str]] = defaultdict(set)
    domain: dict[str, set[str]] = defaultdict(set)
    range_: dict[str, set[str]] = defaultdict(set)
    for t in [*vocabulary(), *triples]:
        p, s, o = t.predicate.value, t.subject.value, t.object
        if p == SUBCLASS and isinstance(o, ox.NamedNode):
            supers[s].add(o.value)
        elif p == SUBPROP and isinstance(o, ox.NamedNode):
            prop_supers[s].add(o.value)
        elif p == SCHEMA + "domainIncludes":
            domain[s].add(o.value)
        elif p == SCHEMA + "rangeIncludes":
            range_[s].add(o.value)
    types: dict[str, set[str]] = defaultdict(set)
    for t in triples:
        if t.predicate.value == RDF_TYPE:
            types[t.subject.value].add(t.object.value)

    def classes_of(node: str) -> set[str]:
        return _closure(types.get(node, set()), supers)

    out = []
    for t in triples:
        p = t.predicate.value
        if not p.startswith(SCHEMA) or not t.subject.value.startswith("https://w3id.org/haberkg/id/"):
            continue
        props = _closure({p}, prop_supers)
        doms = set().union(*(domain[q] for q in props))
        rngs = set().union(*(range_[q] for q in props))
        if doms and not classes_of(t.subject.value) & doms:
            out.append(("domain", t.subject.value, p, ""))
        obj = t.object
        if isinstance(obj, ox.Literal):
            if rngs and not rngs & LITERAL_RANGES:
                out.append(("range", t.subject.value, p, "literal"))
        elif rngs and SCHEMA + "URL" not in rngs:
            cls = classes_of(obj.value)
            if not cls & rngs:
                out.append(("range", t.subject.value, p, obj.value))
    return out
