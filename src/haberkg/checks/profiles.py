"""Validation profiles: sets of shapes for ``haberkg validate`` besides the user's own.

* ``haberkg``: the project's own rules (its shapes, with its ontology and schema.org module
  mixed into the data for class membership). The default inside a haberkg project.
* ``schemaorg``: schema.org conformance for anyone's markup, offline. The default outside
  a haberkg project. Its shapes are SHACL Core, generated at run time from the vocabulary
  the package ships (:func:`haberkg.sources.schemaorg.terms`) for the schema.org terms the
  data uses (a shape for a term the data does not use could never have a focus node):

  - a type or property that schema.org does not define (a Violation);
  - a property on a node of schema.org types none of which is (a subtype of) one of its
    ``domainIncludes`` (a Violation; nodes without a schema.org type are not judged);
  - a value of a property that is a node of schema.org types none of which is (a subtype
    of) one of its ``rangeIncludes`` (a Warning: schema.org accepts text in place of any
    thing and a ``Role`` in place of any value, and so does the profile);
  - a term superseded by another, or retired to the attic (a Warning).

  Both namespaces are schema.org: ``http://schema.org/`` (what the official JSON-LD
  context produces) and ``https://schema.org/``, and a node may mix them, as schema.org
  itself allows. Nothing is added to the data.
"""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from haberkg.namespaces import SCHEMA
from haberkg.sources import schemaorg

PROFILES = ("haberkg", "schemaorg")
PROFILE_NS = "https://w3id.org/haberkg/shapes/schemaorg#"
PROFILE_PREFIX = "hkso"
NAMESPACES = (SCHEMA, schemaorg.SCHEMA_HTTP)
ROLE = "Role"


def _used(data: rdflib.Graph) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The schema.org (namespace, local name) pairs used as properties and as types."""
    def split(iri: str) -> tuple[str, str] | None:
        for ns in NAMESPACES:
            if iri.startswith(ns) and len(iri) > len(ns) and "/" not in iri[len(ns):]:
                return ns, iri[len(ns):]
        return None

    props = {pair for p in set(data.predicates()) if (pair := split(str(p)))}
    types = {pair for o in set(data.objects(None, RDF.type))
             if isinstance(o, rdflib.URIRef) and (pair := split(str(o)))}
    return props, types


def _list(graph: rdflib.Graph, items: Iterable[rdflib.term.Node]) -> rdflib.BNode:
    head = rdflib.BNode()
    Collection(graph, head, list(items))
    return head


def _shape(graph: rdflib.Graph, ns: str, name: str, what: str) -> rdflib.URIRef:
    http = "-http" if ns != SCHEMA else ""
    shape = rdflib.URIRef(f"{PROFILE_NS}{name}-{what}{http}")
    graph.add((shape, RDF.type, SH.NodeShape))
    return shape


def _types_branch(graph: rdflib.Graph, allowed: list[rdflib.URIRef], *, at_least_one: bool
                  ) -> rdflib.BNode:
    """A shape: the node has at least one type of ``allowed`` (or, with ``at_least_one``
    False, none of them)."""
    node, values = rdflib.BNode(), rdflib.BNode()
    graph.add((node, SH.path, RDF.type))
    graph.add((values, SH["in"], _list(graph, allowed)))
    graph.add((node, SH.qualifiedValueShape, values))
    graph.add((node, SH.qualifiedMinCount if at_least_one else SH.qualifiedMaxCount,
               rdflib.Literal(1 if at_least_one else 0)))
    return node


def _names(names: Iterable[str]) -> str:
    shown = sorted(names)
    text = ", ".join(f"schema:{n}" for n in shown[:6])
    return text + (f" and {len(shown) - 6} more" if len(shown) > 6 else "")


def schemaorg_shapes(data: rdflib.Graph) -> rdflib.Graph:
    """The schemaorg profile's shapes for the schema.org terms ``data`` uses."""
    vocab = schemaorg.terms()
    props, types = _used(data)
    graph = rdflib.Graph()
    release = schemaorg.RELEASE
    known_types = sorted(rdflib.URIRef(ns + n) for ns, n in types if n in vocab.types)

    def accepting(wanted: frozenset[str]) -> list[rdflib.URIRef]:
        return [t for t in known_types if vocab.types[_local(t)] & wanted]

    for ns, name in sorted(types):
        term = rdflib.URIRef(ns + name)
        if name in vocab.types and name not in vocab.superseded and name not in vocab.attic:
            continue
        if name in vocab.types:
            problem, severity = _retired(vocab, name), SH.Warning
        else:
            problem, severity = f"is not a schema.org {release} type", SH.Violation
        shape = _shape(graph, ns, name, "type")
        check = rdflib.URIRef(f"{shape}-value")
        graph.add((shape, SH.targetClass, term))
        graph.add((shape, SH.property, check))
        graph.add((check, SH.path, RDF.type))
        graph.add((check, SH["not"], _has_value(graph, term)))
        graph.add((check, SH.severity, severity))
        graph.add((check, SH.message, rdflib.Literal(f"schema:{name} {problem}")))
    for ns, name in sorted(props):
        term = rdflib.URIRef(ns + name)
        if name not in vocab.properties or name in vocab.superseded or name in vocab.attic:
            known = name in vocab.properties
            shape = _shape(graph, ns, name, "term")
            check = rdflib.URIRef(f"{shape}-value")
            graph.add((shape, SH.targetSubjectsOf, term))
            graph.add((shape, SH.property, check))
            graph.add((check, SH.path, term))
            graph.add((check, SH.maxCount, rdflib.Literal(0)))
            graph.add((check, SH.severity, SH.Warning if known else SH.Violation))
            graph.add((check, SH.message, rdflib.Literal(
                f"schema:{name} " + (_retired(vocab, name) if known else
                                     f"is not a schema.org {release} property"))))
            if not known:
                continue
        domain, rng = vocab.properties[name]
        if domain and known_types:
            shape = _shape(graph, ns, name, "domain")
            graph.add((shape, SH.targetSubjectsOf, term))
            ok = accepting(domain)
            branches = [_types_branch(graph, ok, at_least_one=True)] if ok else []
            branches.append(_types_branch(graph, known_types, at_least_one=False))
            graph.add((shape, SH["or"], _list(graph, branches)))
            graph.add((shape, SH.message, rdflib.Literal(
                f"schema:{name} is used on a node of none of its domainIncludes types "
                f"({_names(domain)})")))
        classes = rng - vocab.datatypes
        if rng and known_types:
            shape = _shape(graph, ns, name, "range")
            check = rdflib.URIRef(f"{shape}-value")
            graph.add((shape, SH.targetSubjectsOf, term))
            graph.add((shape, SH.property, check))
            graph.add((check, SH.path, term))
            graph.add((check, SH.severity, SH.Warning))
            literal = rdflib.BNode()
            graph.add((literal, SH.nodeKind, SH.Literal))
            branches = [literal]
            if "URL" in rng:  # a URL: any IRI will do
                iri = rdflib.BNode()
                graph.add((iri, SH.nodeKind, SH.IRI))
                branches.append(iri)
            ok = accepting(classes | {ROLE})
            if ok:
                branches.append(_types_branch(graph, ok, at_least_one=True))
            branches.append(_types_branch(graph, known_types, at_least_one=False))
            graph.add((check, SH["or"], _list(graph, branches)))
            graph.add((check, SH.message, rdflib.Literal(
                f"the value of schema:{name} is a node of none of its rangeIncludes types "
                f"({_names(rng)})")))
    return graph


def _local(term: rdflib.URIRef) -> str:
    iri = str(term)
    for ns in NAMESPACES:
        if iri.startswith(ns):
            return iri[len(ns):]
    return iri


def _retired(vocab: schemaorg.Terms, name: str) -> str:
    if name in vocab.superseded:
        return f"is superseded by schema:{vocab.superseded[name]}"
    return "is retired to the schema.org attic"


def _has_value(graph: rdflib.Graph, term: rdflib.URIRef) -> rdflib.BNode:
    node = rdflib.BNode()
    graph.add((node, SH.hasValue, term))
    return node
