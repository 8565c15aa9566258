"""Views of the published release for the pages of ``haberkg serve``.

Resource descriptions, labels, grounding spans, the timeline, the graph picture and the
mapping between public IRIs and local URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from haberkg.namespaces import BASE, HKD, OA, ONTOLOGY_IRI, RDF, SCHEMA, compact
from haberkg.release.reader import PublishedRelease

TYPE = ox.NamedNode(RDF + "type")
NAME = ox.NamedNode(SCHEMA + "name")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@dataclass
class View:
    """Read-only views of a published release for the pages."""

    release: PublishedRelease

    @property
    def store(self) -> ox.Store:
        return self.release.store

    @property
    def articles(self) -> list[tuple[str, str]]:
        """(NewsArticle IRI, text) of every article, by publication date."""
        return self.release.articles

    @property
    def files(self) -> dict[str, bytes]:
        return self.release.files

    # ------------------------------------------------------------------ descriptions
    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return next(iter(self.store.quads_for_pattern(node, None, None, ox.DefaultGraph())),
                    None) is not None

    def outgoing(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        return sorted((q.triple for q in self.store.quads_for_pattern(
            node, None, None, ox.DefaultGraph())), key=str)

    def incoming(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        return sorted((q.triple for q in self.store.quads_for_pattern(
            None, None, node, ox.DefaultGraph())), key=str)

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's own triples, and the triples that point to it."""
        return self.outgoing(iri) + [t for t in self.incoming(iri) if t.subject.value != iri]

    def label(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, lang: str = "en") -> str:
        if isinstance(term, ox.Literal):
            return term.value
        names: dict[str, str] = {}
        for pred in (NAME, LABEL):
            for q in self.store.quads_for_pattern(term, pred, None, ox.DefaultGraph()):
                if isinstance(q.object, ox.Literal):
                    names.setdefault(q.object.language or "", q.object.value)
        return names.get(lang) or names.get("en") or names.get("tr") or \
            next(iter(names.values()), compact(term.value))

    def mentions(self, article: str) -> list[tuple[int, int, str]]:
        """(start, end, resource IRI) of every identifying annotation into the text of
        ``article`` (offsets are the positions in that article's text), by position."""
        query = f"""
            SELECT ?body ?start ?end WHERE {{
              ?a <{OA}motivatedBy> <{OA}identifying> ; <{OA}hasBody> ?body ;
                 <{OA}hasTarget> ?target .
              ?target <{OA}hasSource> <{article}> ; <{OA}hasSelector> ?s .
              ?s a <{OA}TextPositionSelector> ; <{OA}start> ?start ; <{OA}end> ?end .
            }}"""
        rows = [(int(r["start"].value), int(r["end"].value), r["body"].value)
                for r in self.store.query(query)]
        return sorted(rows, key=lambda r: (r[0], -r[1], r[2]))

    def grounding(self, iri: str) -> list[dict[str, str]]:
        """How the resource's statements are known, with the words that support them."""
        query = f"""
            PREFIX hk: <{ONTOLOGY_IRI}#>
            SELECT ?predicate ?object ?mode ?exact ?rule ?source ?speaker WHERE {{
              ?claim hk:statement ?st ; hk:mode ?mode .
              ?st <{RDF}subject> <{iri}> ; <{RDF}predicate> ?predicate ; <{RDF}object> ?object .
              OPTIONAL {{ ?a <{OA}hasBody> ?claim ; <{OA}hasTarget>/<{OA}hasSelector> ?q .
                          ?q a <{OA}TextQuoteSelector> ; <{OA}exact> ?exact }}
              OPTIONAL {{ ?claim hk:rule ?rule }}
              OPTIONAL {{ ?claim <http://purl.org/dc/terms/source> ?source }}
              OPTIONAL {{ ?claim <http://www.w3.org/ns/prov#wasAttributedTo> ?speaker }}
            }}"""
        out = []
        for r in self.store.query(query):
            out.append({k: (r[k].value if r[k] is not None else "")
                        for k in ("predicate", "object", "mode", "exact", "rule", "source",
                                  "speaker")})
        return sorted(out, key=lambda d: (d["predicate"], d["object"], d["mode"], d["exact"]))


PRECISION = {"date": "day", "gYearMonth": "month", "gYear": "year"}


def timeline(data: View, lang: str = "en") -> list[dict[str, str]]:
    """Every event with a date or date bounds, in time order, with its precision."""
    query = f"""
        PREFIX schema: <{SCHEMA}>
        PREFIX hk: <{ONTOLOGY_IRI}#>
        SELECT ?event ?start ?end ?from ?to WHERE {{
          ?event a ?type .
          {{ ?event schema:startDate ?start }} UNION {{ ?event hk:notBefore ?from }}
          OPTIONAL {{ ?event schema:endDate ?end }}
          OPTIONAL {{ ?event hk:notBefore ?from }}
          OPTIONAL {{ ?event hk:notAfter ?to }}
        }}"""
    rows: dict[str, dict[str, str]] = {}
    for r in data.store.query(query):
        iri = r["event"].value
        row = rows.setdefault(iri, {"iri": iri, "name": data.label(r["event"], lang)})
        for key in ("start", "end", "from", "to"):
            term = r[key]
            if term is not None:
                row[key] = term.value
                if key == "start":
                    row["precision"] = PRECISION.get(term.datatype.value.split("#")[-1], "")
    out = list(rows.values())
    for row in out:
        row["sort"] = row.get("start") or row.get("from", "")
    return sorted(out, key=lambda r: (r["sort"], r["iri"]))


MAIN_CLASSES = " ".join(f"<{c}>" for c in (
    SCHEMA + "Person", SCHEMA + "Organization", SCHEMA + "Place", SCHEMA + "Event",
    SCHEMA + "Project", ONTOLOGY_IRI + "#MinisterialDeclaration",
    ONTOLOGY_IRI + "#PolicyModel", ONTOLOGY_IRI + "#PersonGroup"))
GRAPH_QUERY = f"""
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?s ?p ?o WHERE {{
      VALUES ?root {{ {MAIN_CLASSES} }}
      VALUES ?root2 {{ {MAIN_CLASSES} }}
      ?s a/rdfs:subClassOf* ?root .
      ?o a/rdfs:subClassOf* ?root2 .
      ?s ?p ?o .
      FILTER (STRSTARTS(STR(?s), "{HKD}") && STRSTARTS(STR(?o), "{HKD}"))
    }}"""


def graph_svg(data: View, lang: str = "en", width: int = 1300, height: int = 860) -> str:
    """The main entities and events of the article as an SVG picture (circle layout)."""
    import math
    from xml.sax.saxutils import escape

    edges = sorted({(r["s"].value, r["p"].value, r["o"].value)
                    for r in data.store.query(GRAPH_QUERY)})
    nodes = sorted({n for s, _, o in edges for n in (s, o)})
    centre, rx, ry = width / 2, width / 2 - 330, height / 2 - 40
    pos = {n: (centre + rx * math.cos(2 * math.pi * i / len(nodes)),
               height / 2 + ry * math.sin(2 * math.pi * i / len(nodes)))
           for i, n in enumerate(nodes)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="The main entities and events of the article">',
           '<title>The main entities and events of the article</title>']
    for s, p, o in edges:
        (x1, y1), (x2, y2) = pos[s], pos[o]
        out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                   f'stroke="#8a9bb0" stroke-width="1"><title>{escape(compact(s))} '
                   f'{escape(compact(p))} {escape(compact(o))}</title></line>')
    for n, (x, y) in pos.items():
        label = escape(data.label(ox.NamedNode(n), lang))
        anchor = "start" if x >= centre else "end"
        dx = 8 if x >= centre else -8
        href = escape(local_path(n) or n)
        out.append(f'<a href="{href}"><circle cx="{x:.0f}" cy="{y:.0f}" r="6" fill="#0b4f9c"/>'
                   f'<text x="{x + dx:.0f}" y="{y + 4:.0f}" font-size="13" '
                   f'text-anchor="{anchor}" fill="#1a1a1a">{label}</text></a>')
    out.append("</svg>")
    return "\n".join(out)


def local_path(iri: str, base: str = BASE) -> str | None:
    """The local URL path of a dataset IRI (``BASE + X`` is served at ``/X``), or None."""
    if iri.startswith(base):
        return "/" + iri[len(base):]
    return None
