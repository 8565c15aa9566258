"""A built release, read back: its files (checked against SHA256SUMS) and its graphs.

The read model that the web server, the static site and ``haberkg load`` share: the
plain graph in an embedded store's default graph, each claim's statements in the
named graph of the claim (from the TriG file), the VoID description in the named graph
:data:`haberkg.release.void.GRAPH`, and the files by name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError, display_path
from haberkg.namespaces import HKD, SCHEMA
from haberkg.release import void
from haberkg.release.write import SUMS
from haberkg.sources.read import DEFAULT_MAX_BYTES, ReadOptions, parse_file

RELEASE_READ = ReadOptions(max_bytes=4 * DEFAULT_MAX_BYTES, own_base=False)


@dataclass
class PublishedRelease:
    dist: Path
    store: ox.Store
    articles: list[tuple[str, str]]  # (NewsArticle IRI, text), by publication date
    files: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, dist: Path) -> PublishedRelease:
        shown = display_path(dist)
        plain, trig, sums = dist / "haberkg.nt", dist / "haberkg.trig", dist / SUMS
        if not plain.is_file() or not trig.is_file() or not sums.is_file():
            raise InputError("no release here: run `haberkg build` first", path=shown)
        files = {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*"))
                 if p.is_file() and not p.name.startswith(".")}
        for line in files[SUMS].decode("ascii", "replace").splitlines():
            digest, _, name = line.partition("  ")
            if name not in files or hashlib.sha256(files[name]).hexdigest() != digest:
                raise InputError(f"the release is damaged: {name} does not match {SUMS}; "
                                 "run `haberkg build` again", path=shown)
        store = ox.Store()
        store.bulk_extend(parse_file(plain, RELEASE_READ))
        store.bulk_extend([q for q in parse_file(trig, RELEASE_READ)
                           if q.graph_name != ox.DefaultGraph()])
        if "void.ttl" in files:
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(void.GRAPH))
                              for q in parse_file(dist / "void.ttl", RELEASE_READ))
        return cls(dist, store, _articles(store), files)

    def shapes(self) -> list[ox.Triple]:
        """The SHACL shapes of the release (``shapes.ttl``)."""
        return [q.triple for q in parse_file(self.dist / "shapes.ttl", RELEASE_READ)]

    def graphs(self) -> list[str]:
        """The named graphs of the store (one per claim, and the VoID description's)."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))


def _articles(store: ox.Store) -> list[tuple[str, str]]:
    """Every article of the corpus with its text, by publication date, then IRI."""
    published = ox.NamedNode(SCHEMA + "datePublished")
    out = []
    for q in store.quads_for_pattern(None, ox.NamedNode(SCHEMA + "articleBody"), None,
                                     ox.DefaultGraph()):
        if not isinstance(q.subject, ox.NamedNode) or not q.subject.value.startswith(HKD):
            continue
        dates = [d.object.value for d in store.quads_for_pattern(
            q.subject, published, None, ox.DefaultGraph())]
        out.append((min(dates) if dates else "", q.subject.value, q.object.value))
    return [(iri, body) for _, iri, body in sorted(out)]
