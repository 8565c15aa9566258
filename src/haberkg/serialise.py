"""Deterministic serialisation of triples and quads, used by every stage.

The same statements always give the same bytes: blank nodes are relabelled by
RDFC-1.0, statements sorted, prefix lines sorted, JSON-LD keys sorted. The release is
byte-reproducible because it is written through here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox
from pyld import jsonld

from haberkg.namespaces import PREFIXES

Statement = ox.Triple | ox.Quad


def _refuse_remote(url: str, options: object = None) -> dict[str, object]:
    raise jsonld.JsonLdError(f"haberkg never fetches remote JSON-LD documents: {url}",
                             "loading document failed", code="loading document failed")


jsonld.set_document_loader(_refuse_remote)


def canonical(statements: Iterable[Statement]) -> list[ox.Quad]:
    """Quads with blank nodes relabelled by RDFC-1.0, in a stable order."""
    quads = [s if isinstance(s, ox.Quad) else ox.Quad(s.subject, s.predicate, s.object)
             for s in statements]
    if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    return sorted(set(quads), key=_sort_key)


def _sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    graph = "" if q.graph_name == ox.DefaultGraph() else str(q.graph_name)
    return (graph, str(q.subject), str(q.predicate), str(q.object))


def triples_of(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    return [q.triple for q in quads]


def to_bytes(statements: Iterable[Statement], fmt: ox.RdfFormat,
             prefixes: dict[str, str] | None = None) -> bytes:
    quads = canonical(statements)
    prefixes = PREFIXES if prefixes is None else prefixes
    if fmt == ox.RdfFormat.JSON_LD:
        return to_jsonld(quads, prefixes)
    if fmt.supports_datasets:
        data = ox.serialize(quads, format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG
                            else None)
    else:
        triples = triples_of(quads)
        data = ox.serialize(triples, format=fmt,
                            prefixes=prefixes if fmt != ox.RdfFormat.N_TRIPLES else None)
    return _sort_prefix_lines(data or b"")


def _sort_prefix_lines(data: bytes) -> bytes:
    """Put the @prefix lines the serializer wrote first in a fixed (sorted) order."""
    lines = data.split(b"\n")
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix "):
        head += 1
    if head == 0:
        return data
    return b"\n".join(sorted(lines[:head]) + lines[head:])


def term_from_rdflib(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib IRI, blank node or literal as a pyoxigraph term (lexical form kept)."""
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    assert isinstance(node, rdflib.Literal)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def from_rdflib(graph: object) -> list[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples (lexical forms kept)."""
    import rdflib

    assert isinstance(graph, rdflib.Graph)
    term = term_from_rdflib
    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]  # type: ignore[arg-type]


def graph_to_turtle(graph: object, prefixes: dict[str, str] | None = None) -> bytes:
    """An rdflib graph as deterministic Turtle."""
    from haberkg.namespaces import SH

    names = {"sh": SH, **PREFIXES} if prefixes is None else prefixes
    return to_bytes(from_rdflib(graph), ox.RdfFormat.TURTLE, names)


def jsonld_context(prefixes: dict[str, str] | None = None) -> dict[str, object]:
    return {"@context": dict(sorted((prefixes or PREFIXES).items()))}


def to_jsonld(quads: list[ox.Quad], prefixes: dict[str, str]) -> bytes:
    """Compacted JSON-LD with the context inline (no remote context)."""
    expanded = json.loads(ox.serialize(triples_of(quads), format=ox.RdfFormat.JSON_LD) or b"[]")
    context = jsonld_context(prefixes)
    compacted = jsonld.compact(expanded, context, options={"documentLoader": _refuse_remote})
    graph = compacted.get("@graph")
    if isinstance(graph, list):
        graph.sort(key=lambda node: str(node.get("@id", "")))
    return (json.dumps(compacted, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()
