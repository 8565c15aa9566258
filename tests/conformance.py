"""Run the competency queries on several SPARQL engines and compare with the expected
results (helpers shared by tests/test_conformance.py and scripts/conformance-table)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.plugins import sparql as rdflib_sparql

from haberkg.sparql import run as sparql

rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never let rdflib load FROM graphs


def rdflib_term(t: rdflib.term.Node | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    if t is None:
        return None
    if isinstance(t, rdflib.URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, rdflib.BNode):
        return ox.BlankNode(str(t))
    assert isinstance(t, rdflib.Literal)
    if t.language:
        return ox.Literal(str(t), language=t.language)
    datatype = str(t.datatype) if t.datatype else "http://www.w3.org/2001/XMLSchema#string"
    return ox.Literal(str(t), datatype=ox.NamedNode(datatype))


def run_rdflib(graph: rdflib.Graph, query: sparql.QueryFile) -> sparql.Table:
    result = graph.query(query.text)
    variables = [str(v) for v in result.vars or []]
    rows = [tuple(rdflib_term(row[v]) for v in variables) for row in result]  # type: ignore[index]
    return sparql.Table(variables, rows)


def parse_tsv(text: str) -> sparql.Table:
    parsed = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    assert not isinstance(parsed, bool)
    variables = [v.value for v in parsed.variables]
    return sparql.Table(variables, [tuple(s[v] for v in variables) for s in parsed])


def rapper_triples(path: Path) -> set[ox.Triple]:
    """Parse with raptor (rapper), an independent C parser; N-Triples out."""
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: apt-get install raptor2-utils"
    out = subprocess.run([rapper, "-q", "-i", "turtle", "-o", "ntriples", str(path)],
                         capture_output=True, check=True).stdout
    return {q.triple for q in ox.parse(out, format=ox.RdfFormat.N_TRIPLES)}
