"""Views of the published release for the pages of ``haberkg serve``.

Resource descriptions, labels, grounding spans, the timeline, the graph picture and the
mapping between public IRIs and local URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from haberkg.namespaces import BASE, HKD, OA, ONTOLOGY_IRI, RDF, SCHEMA, compact
from haberkg.release import void
from haberkg.release.reader import PublishedRelease

TYPE = ox.NamedNode(RDF + "type")
NAME = ox.NamedNode(SCHEMA + "name")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
# Where resources are described: the plain graph, and the VoID description (the dataset
# and its class partitions are resources of the dataset's namespace too).
DESCRIBED_IN = (ox.DefaultGraph(), ox.NamedNode(void.GRAPH))


@dataclass
class View:
    """Read-only views of a published release for the pages."""

    release: PublishedRelease

    @property
    def store(self) -> ox.Store:
        return self.release.store

    @property
    def article(self) -> str:
        return self.release.article

    @property
    def files(self) -> dict[str, bytes]:
        return self.release.files

    # ------------------------------------------------------------------ descriptions
    def _triples(self, subject: ox.NamedNode | None, predicate: ox.NamedNode | None,
                 obj: ox.NamedNode | None) -> set[ox.Triple]:
        return {q.triple for graph in DESCRIBED_IN
                for q in self.store.quads_for_pattern(subject, predicate, obj, graph)}

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return any(next(iter(self.store.quads_for_pattern(node, None, None, graph)), None)
                   is not None for graph in DESCRIBED_IN)

    def outgoing(self, iri: str) -> list[ox.Triple]:
        return sorted(self._triples(ox.NamedNode(iri), None, None), key=str)

    def incoming(self, iri: str) -> list[ox.Triple]:
        return sorted(self._triples(None, None, ox.NamedNode(iri)), key=str)

    def resources(self, namespace: str) -> list[str]:
        """Every described resource whose IRI starts with ``namespace``, sorted."""
        return sorted({q.subject.value for graph in DESCRIBED_IN
                       for q in self.store.quads_for_pattern(None, None, None, graph)
                       if isinstance(q.subject, ox.NamedNode)
                       and q.subject.value.startswith(namespace)})

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's own triples, and the triples that point to it."""
        return self.outgoing(iri) + [t for t in self.incoming(iri) if t.subject.value != iri]

    def label(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, lang: str = "en") -> str:
        if isinstance(term, ox.Literal):
            return term.value
        names: dict[str, str] = {}
        for pred in (NAME, LABEL):
            for t in sorted(self._triples(term, pred, None), key=str):  # type: ignore[arg-type]
                if isinstance(t.object, ox.Literal):
                    names.setdefault(t.object.language or "", t.object.value)
        return names.get(lang) or names.get("en") or names.get("tr") or \
            next(iter(names.values()), compact(term.value))

    def mentions(self) -> list[tuple[int, int, str]]:
        """(start, end, resource IRI) of every identifying annotation, by position."""
        query = f"""
            SELECT ?body ?start ?end WHERE {{
              ?a <{OA}motivatedBy> <{OA}identifying> ; <{OA}hasBody> ?body ;
                 <{OA}hasTarget>/<{OA}hasSelector> ?s .
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


# ---------------------------------------------------------------------- the grounding

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
HK = ONTOLOGY_IRI + "#"
PROV_ATTRIBUTED = "http://www.w3.org/ns/prov#wasAttributedTo"
DC_SOURCE = "http://purl.org/dc/terms/source"
# The records that carry the grounding: claims, their statements and the annotations
# (with their targets and selectors). Pages fold them into counts.
PLUMBING_CLASSES = (HK + "Claim", RDF + "Statement", OA + "Annotation",
                    OA + "SpecificResource", OA + "TextQuoteSelector",
                    OA + "TextPositionSelector")
# Predicates that only tie a resource to its records.
PLUMBING_PREDICATES = (HK + "evidence",)
# The modes of knowledge of the ontology (hk:KnowledgeMode), in the order pages show them.
MODES = ("Stated", "ReportedSpeech", "DirectQuote", "Inferred", "External", "Editorial")


@dataclass
class Passage:
    """Supporting words of the article, in their sentence (``before`` + ``exact`` +
    ``after`` is the sentence, or the sentences the words run across)."""

    start: int
    end: int
    before: str
    exact: str
    after: str


@dataclass
class Support:
    """One claim behind a statement: how it is known and what supports it."""

    claim: str
    mode: str  # the local name of an hk:KnowledgeMode
    passages: list[Passage]
    rules: list[str]
    sources: list[str]
    speakers: list[str]


@dataclass
class Value:
    term: ox.NamedNode | ox.BlankNode | ox.Literal
    supports: list[Support]


@dataclass
class Group:
    predicate: str
    values: list[Value]


def _plumbing(view: View, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> bool:
    if not isinstance(term, ox.NamedNode):
        return False
    return any(t.object.value in PLUMBING_CLASSES for t in view._triples(term, TYPE, None))


def _sentences(view: View) -> list[tuple[int, int]]:
    rows = view.store.query(f"""
        SELECT ?start ?end WHERE {{ ?s a <{HK}Sentence> ; <{HK}start> ?start ;
                                       <{HK}end> ?end }}""")
    return sorted((int(r["start"].value), int(r["end"].value)) for r in rows)


def passage(view: View, start: int, end: int) -> Passage:
    """The words ``[start, end)`` of the article in the sentence(s) around them."""
    first, last = start, end
    for s, e in _sentences(view):
        if s <= start < e or (s == start):
            first = s
        if s < end <= e:
            last = e
    text = view.article
    return Passage(start, end, text[first:start], text[start:end], text[end:last])


def supports(view: View, iri: str) -> dict[tuple[str, str], list[Support]]:
    """Every claim behind a statement about ``iri``, by (predicate, object) of the
    statement (the object as the string form of its term)."""
    rows = view.store.query(f"""
        SELECT ?predicate ?object ?claim ?mode WHERE {{
          ?claim <{HK}statement> ?st ; <{HK}mode> ?mode .
          ?st <{RDF}subject> <{iri}> ; <{RDF}predicate> ?predicate ; <{RDF}object> ?object .
        }}""")
    found: dict[tuple[str, str], list[Support]] = {}
    built: dict[str, Support] = {}
    for r in rows:
        claim = r["claim"].value
        if claim not in built:
            built[claim] = _support(view, claim, r["mode"].value.rsplit("#", 1)[-1])
        key = (r["predicate"].value, str(r["object"]))
        if built[claim] not in found.setdefault(key, []):
            found[key].append(built[claim])
    for value in found.values():
        value.sort(key=lambda s: (MODES.index(s.mode) if s.mode in MODES else 99, s.claim))
    return found


def _support(view: View, claim: str, mode: str) -> Support:
    node = ox.NamedNode(claim)
    spans = view.store.query(f"""
        SELECT DISTINCT ?start ?end WHERE {{
          ?a <{OA}hasBody> <{claim}> ; <{OA}hasTarget>/<{OA}hasSelector> ?s .
          ?s a <{OA}TextPositionSelector> ; <{OA}start> ?start ; <{OA}end> ?end .
        }}""")
    passages = [passage(view, int(r["start"].value), int(r["end"].value)) for r in spans]

    def objects(predicate: str) -> list[str]:
        return sorted(t.object.value for t in view._triples(node, ox.NamedNode(predicate), None))

    return Support(claim, mode, sorted(passages, key=lambda p: (p.start, p.end)),
                   objects(HK + "rule"), objects(DC_SOURCE), objects(PROV_ATTRIBUTED))


def _order(predicate: str) -> tuple[int, str]:
    first = {RDF + "type": 0, SCHEMA + "name": 1}
    return first.get(predicate, 2), predicate


def statements(view: View, iri: str) -> list[Group]:
    """The resource's own statements grouped by property, each value with its support
    (the links to its records left out)."""
    found = supports(view, iri)
    groups: dict[str, list[Value]] = {}
    for t in view.outgoing(iri):
        if t.predicate.value in PLUMBING_PREDICATES or isinstance(t.object, ox.Triple):
            continue
        groups.setdefault(t.predicate.value, []).append(
            Value(t.object, found.get((t.predicate.value, str(t.object)), [])))
    for values in groups.values():
        values.sort(key=lambda v: (getattr(v.term, "language", None) or "", str(v.term)))
    return [Group(p, groups[p]) for p in sorted(groups, key=_order)]


@dataclass
class Records:
    """How many grounding records point to a resource, by kind."""

    annotations: int
    claims: int
    statements: int

    @property
    def total(self) -> int:
        return self.annotations + self.claims + self.statements


def incoming(view: View, iri: str) -> tuple[list[tuple[str, list[str]]], Records]:
    """What refers to the resource: (predicate, subjects) without the grounding records,
    and the count of those records."""
    groups: dict[str, set[str]] = {}
    kinds = {"annotations": set(), "claims": set(), "statements": set()}  # type: dict[str, set[str]]
    for t in view.incoming(iri):
        subject = t.subject
        if subject.value == iri or not isinstance(subject, ox.NamedNode):
            continue
        types = {x.object.value for x in view._triples(subject, TYPE, None)}
        if OA + "Annotation" in types:
            kinds["annotations"].add(subject.value)
        elif HK + "Claim" in types:
            kinds["claims"].add(subject.value)
        elif RDF + "Statement" in types:
            kinds["statements"].add(subject.value)
        elif not types & set(PLUMBING_CLASSES):
            groups.setdefault(t.predicate.value, set()).add(subject.value)
    records = Records(len(kinds["annotations"]), len(kinds["claims"]), len(kinds["statements"]))
    return [(p, sorted(groups[p])) for p in sorted(groups)], records


def mentions_of(view: View, iri: str) -> list[Passage]:
    """Every mention of the resource in the article, in its sentence."""
    return [passage(view, s, e) for s, e, body in view.mentions() if body == iri]


# ---------------------------------------------------------------------- the index

def class_index(view: View, namespace: str) -> list[tuple[str, list[str]]]:
    """(class, resources) for every class of the described resources of ``namespace``,
    the article's own classes first (by size), the grounding records last."""
    rows = view.store.query(f"""
        SELECT ?class ?s WHERE {{ ?s a ?class . FILTER STRSTARTS(STR(?s), "{namespace}") }}""")
    classes: dict[str, list[str]] = {}
    for r in rows:
        classes.setdefault(r["class"].value, []).append(r["s"].value)
    return sorted(((c, sorted(m)) for c, m in classes.items()),
                  key=lambda cm: (cm[0] in PLUMBING_CLASSES, -len(cm[1]), cm[0]))


def triples_in_void(view: View) -> int:
    """``void:triples`` of the dataset, as the VoID description states it (the triples of
    the plain graph, ``haberkg.nt``)."""
    found = list(view.store.quads_for_pattern(void.DATASET, ox.NamedNode(
        "http://rdfs.org/ns/void#triples"), None, ox.NamedNode(void.GRAPH)))
    return int(found[0].object.value) if found else 0


# ---------------------------------------------------------------------- the ontology

@dataclass
class Term:
    iri: str
    kind: str  # class, object, datatype, annotation, individual
    labels: dict[str, str]
    definitions: dict[str, str]
    parents: list[str]
    domain: list[str]
    range: list[str]
    types: list[str]
    children: list[str]
    used_by: list[str]  # properties with this class as domain or range


KINDS = {"http://www.w3.org/2002/07/owl#Class": "class",
         "http://www.w3.org/2002/07/owl#ObjectProperty": "object",
         "http://www.w3.org/2002/07/owl#DatatypeProperty": "datatype",
         "http://www.w3.org/2002/07/owl#AnnotationProperty": "annotation",
         "http://www.w3.org/2002/07/owl#NamedIndividual": "individual"}


def ontology_terms(view: View) -> list[Term]:  # noqa: C901 - one case per documented field
    """The ontology's terms with what documentation needs, sorted by kind and label."""
    terms: dict[str, Term] = {}
    default = ox.DefaultGraph()
    for q in view.store.quads_for_pattern(None, TYPE, None, default):
        s = q.subject.value
        if s.startswith(HK) and q.object.value in KINDS:
            kind = KINDS[q.object.value]
            if s in terms and terms[s].kind != "individual":
                continue
            terms[s] = Term(s, kind, {}, {}, [], [], [], [], [], [])
    for iri, term in terms.items():
        for q in view.store.quads_for_pattern(ox.NamedNode(iri), None, None, default):
            p, o = q.predicate.value, q.object
            if p == LABEL.value and isinstance(o, ox.Literal):
                term.labels[o.language or ""] = o.value
            elif p == SKOS_DEFINITION and isinstance(o, ox.Literal):
                term.definitions[o.language or ""] = o.value
            elif p in (RDFS + "subClassOf", RDFS + "subPropertyOf") and \
                    isinstance(o, ox.NamedNode):
                term.parents.append(o.value)
            elif p in (RDFS + "domain", SCHEMA + "domainIncludes") and \
                    isinstance(o, ox.NamedNode):
                term.domain.append(o.value)
            elif p in (RDFS + "range", SCHEMA + "rangeIncludes") and \
                    isinstance(o, ox.NamedNode):
                term.range.append(o.value)
            elif p == TYPE.value and o.value not in KINDS:
                term.types.append(o.value)
    for iri, term in terms.items():
        for parent in term.parents:
            if parent in terms:
                terms[parent].children.append(iri)
        for cls in term.domain + term.range:
            if cls in terms and iri not in terms[cls].used_by:
                terms[cls].used_by.append(iri)
    for term in terms.values():
        for field in (term.parents, term.domain, term.range, term.types, term.children,
                      term.used_by):
            field.sort()
    order = ("class", "object", "datatype", "annotation", "individual")
    return sorted(terms.values(), key=lambda t: (order.index(t.kind),
                                                 t.labels.get("en", t.iri).lower()))


# ---------------------------------------------------------------------- the graph

# Colour of each kind of node in the graph picture (colour-blind safe, Okabe-Ito).
KIND_COLOURS = (
    ("person", SCHEMA + "Person", "#0072B2"),
    ("group", ONTOLOGY_IRI + "#PersonGroup", "#56B4E9"),
    ("organisation", SCHEMA + "Organization", "#009E73"),
    ("place", SCHEMA + "Place", "#E69F00"),
    ("event", SCHEMA + "Event", "#D55E00"),
    ("document", SCHEMA + "CreativeWork", "#CC79A7"),
    ("other", "", "#777777"),
)


def node_kind(data: View, iri: str) -> str:
    """The legend entry of a node: the first kind of KIND_COLOURS its class falls under."""
    query = f"""
        PREFIX rdfs: <{RDFS}>
        SELECT ?root WHERE {{ <{iri}> a/rdfs:subClassOf* ?root }}"""
    roots = {r["root"].value for r in data.store.query(query)}
    for kind, root, _ in KIND_COLOURS:
        if root in roots:
            return kind
    return "other"


def graph_data(data: View, lang: str = "en") -> dict[str, list[dict[str, str]]]:
    """The main entities and events and the statements between them, as nodes and edges
    (for the graph page and the SVG picture), in a fixed order."""
    edges = sorted({(r["s"].value, r["p"].value, r["o"].value)
                    for r in data.store.query(GRAPH_QUERY)})
    nodes = sorted({n for s, _, o in edges for n in (s, o)})
    return {
        "nodes": [{"id": n, "label": data.label(ox.NamedNode(n), lang),
                   "kind": node_kind(data, n)} for n in nodes],
        "edges": [{"id": f"e{i}", "source": s, "target": o, "predicate": p}
                  for i, (s, p, o) in enumerate(edges)],
    }


def term_name(data: View, iri: str, lang: str) -> str:
    """What a page calls a class or a property: the ontology's label in ``lang``, the
    catalogue's name of a schema.org, RDF or annotation term, else a short IRI."""
    from haberkg.web.i18n import TERM_NAMES, gettext_for

    if iri.startswith(HK):
        labels = {t.object.language: t.object.value
                  for t in data._triples(ox.NamedNode(iri), LABEL, None)
                  if isinstance(t.object, ox.Literal)}
        if lang in labels or "en" in labels:
            return labels.get(lang) or labels["en"]
    if iri in TERM_NAMES:
        return gettext_for(lang, TERM_NAMES[iri])
    return compact(iri)


def graph_dot(data: View, lang: str = "en") -> str:
    """The graph picture in Graphviz's DOT language (for a static SVG: ``dot -Tsvg``),
    with the colours and the legend of the graph page, in a fixed order."""
    graph = graph_data(data, lang)
    colours = {kind: colour for kind, _, colour in KIND_COLOURS}

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph haberkg {",
             '  graph [layout=neato, overlap=false, splines=true, sep="+12", '
             'fontname="DejaVu Sans", bgcolor="white", pad=0.3];',
             '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", '
             'fontsize=11, fontcolor="white", penwidth=0, margin="0.12,0.06"];',
             '  edge [fontname="DejaVu Sans", fontsize=9, color="#8a9bb0", '
             'fontcolor="#334455", arrowsize=0.6];']
    for node in graph["nodes"]:
        label = node["label"]
        if len(label) > 28:  # wrap long names on two lines at a space near the middle
            cut = label.rfind(" ", 0, len(label) // 2 + 6)
            label = label[:cut] + "\n" + label[cut + 1:] if cut > 0 else label
        lines.append(f'  {quoted(node["id"])} [label={quoted(label)}, '
                     f'fillcolor="{colours[node["kind"]]}"];')
    for edge in graph["edges"]:
        lines.append(f'  {quoted(edge["source"])} -> {quoted(edge["target"])} '
                     f'[label={quoted(term_name(data, edge["predicate"], lang))}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph_svg_file(dist: object, dot: str = "dot") -> bytes:
    """The static SVG of the graph picture (English), rendered by Graphviz ``dot`` from
    :func:`graph_dot` (the README shows it; tests check that it is up to date)."""
    import subprocess
    from pathlib import Path

    release = PublishedRelease.open(Path(str(dist)))
    source = graph_dot(View(release))
    done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                          check=True, timeout=120)
    return done.stdout
