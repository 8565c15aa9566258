"""Deterministic serialisation of triples and quads (the release is byte-reproducible)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox
from pyld import jsonld  # type: ignore[import-untyped]

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
