"""Run the competency queries on other SPARQL engines (helpers shared by
tests/test_conformance.py and scripts/conformance-table). Each helper is an engine for
haberkg's one suite runner (haberkg.checks.suite.run_suite): a function from a query file
to its answer."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.plugins import sparql as rdflib_sparql

from haberkg.serialise import term_from_rdflib
from haberkg.sparql.files import QueryFile
from haberkg.sparql.results import Table
from haberkg.sparql.run import Result, run_remote

rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never let rdflib load FROM graphs

Engine = Callable[[QueryFile], Result]


def rdflib_term(t: rdflib.term.Node | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    return None if t is None else term_from_rdflib(t)


def run_rdflib(graph: rdflib.Graph, query: QueryFile) -> Table:
    result = graph.query(query.text)
    variables = [str(v) for v in result.vars or []]
    rows: list[tuple[object, ...]] = [tuple(rdflib_term(row[v]) for v in variables)  # type: ignore[call-overload, index]
                                      for row in result]
    return Table(variables, rows)  # type: ignore[arg-type]


def parse_tsv(text: str) -> Table:
    parsed = ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    variables = [v.value for v in parsed.variables]
    return Table(variables, [tuple(s[v] for v in variables) for s in parsed])


def rdflib_engine(graph: rdflib.Graph) -> Engine:
    return lambda query: run_rdflib(graph, query)


def remote_engine(endpoint: str, graph: str | None) -> Engine:
    """A SPARQL 1.1 Protocol endpoint; ``graph``: the named graph holding the release."""
    return lambda query: run_remote(endpoint, query, graph)


def jena_engine(jena: object, data: Path) -> Engine:
    """Jena ARQ over ``data`` in memory (one JVM per query)."""
    from .engines import Jena

    assert isinstance(jena, Jena)
    return lambda query: parse_tsv(jena.sparql(data, query.path, results="TSV"))


def rapper_triples(path: Path) -> set[ox.Triple]:
    """Parse with raptor (rapper), an independent C parser; N-Triples out."""
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: apt-get install raptor2-utils"
    out = subprocess.run([rapper, "-q", "-i", "turtle", "-o", "ntriples", str(path)],
                         capture_output=True, check=True).stdout
    return {q.triple for q in ox.parse(out, format=ox.RdfFormat.N_TRIPLES)}
