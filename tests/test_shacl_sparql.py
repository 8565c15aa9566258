"""SHACL-SPARQL on pyoxigraph (haberkg.checks.shacl_sparql): the same answers as SHACL's
pre-binding, and the data's own terms in the report.

The W3C SHACL suite (tests/test_w3c_shacl.py) runs every SPARQL case through this path
too; pre-binding-003 to 005 are the ones pyoxigraph's substitutions alone get wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.checks.shacl_sparql import same_under_substitution
from haberkg.cli import cli

THIS = frozenset({"this"})
P = "PREFIX ex: <http://example.org/> "

# (query, whether substitution and a join agree), from SPARQL 1.1's bottom-up evaluation:
# a nested group is evaluated on its own, EXISTS sees the solution it filters.
CASES = [
    ("SELECT $this WHERE { $this ex:p ?o }", True),
    ("SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value < 3) }", True),
    ("SELECT $this WHERE { $this ex:p ?o . FILTER NOT EXISTS { $this ex:q ?x } }", True),
    ("SELECT $this WHERE { $this ex:p ?o . FILTER EXISTS { ?o ex:r ?y . "
     "FILTER NOT EXISTS { $this ex:q ?y } } }", True),
    ("SELECT $this WHERE { $this ex:p ?o . OPTIONAL { $this ex:q ?x } }", True),
    ("ASK { $this ex:p ?o }", True),
    # the variable is bound by no triple pattern of the top-level group
    ("SELECT $this WHERE { FILTER NOT EXISTS { $this ex:q ?x } }", False),
    ("SELECT $this WHERE { ?s ex:p ?o . FILTER (?s = $this) }", False),
    # the W3C pre-binding tests 003, 004 and 005
    ("SELECT $this WHERE { { { FILTER ($this = ex:InvalidResource) . } "
     "FILTER bound($this) . } FILTER (true) . }", False),
    ("SELECT $this WHERE { BIND ($this AS ?that) . FILTER (?that = ex:InvalidResource) . }",
     False),
    ("SELECT $this WHERE { { FILTER (bound($this)) } $this ex:property \"Label\" . "
     "FILTER (bound($this)) . }", False),
    # nested groups, unions, subqueries, BIND
    ("SELECT $this WHERE { $this ex:p ?o . { $this ex:q ?x } UNION { ?o ex:r ?x } }", False),
    ("SELECT $this WHERE { $this ex:p ?o . OPTIONAL { ?o ex:r ?x . "
     "OPTIONAL { $this ex:q ?x } } }", False),
    ("SELECT $this WHERE { $this ex:p ?o . { SELECT $this WHERE { $this ex:q ?x } } }", False),
    ("SELECT $this ?x WHERE { $this ex:p ?o . BIND (STR($this) AS ?x) }", False),
    ("CONSTRUCT { $this ex:p ?o } WHERE { $this ex:p ?o }", False),
]


@pytest.mark.parametrize(("query", "agree"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_pyoxigraph_gets_only_queries_where_substitution_is_pre_binding(
        query: str, agree: bool) -> None:
    assert same_under_substitution(P + query, THIS) is agree


def test_every_pre_bound_variable_must_be_bound_by_the_top_level_group() -> None:
    query = P + "SELECT $this ?value WHERE { $this ex:p ?o . FILTER (?o = $value) }"
    assert same_under_substitution(query, THIS)
    assert not same_under_substitution(query, frozenset({"this", "value"}))


SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/" ] .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:n ;
  sh:sparql [ sh:prefixes ex: ; sh:message "{$this} has {?value}" ;
    sh:select "SELECT $this ?value WHERE { $this ex:n ?value . FILTER (?value > 0) }" ] .
"""


def test_reports_carry_the_datas_own_terms(tmp_path: Path) -> None:
    """sh:value is the value node as written ("01", not 1), also in the message."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text('<http://example.org/a> <http://example.org/n> '
                    '"01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                    '_:b <http://example.org/n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                    '<http://example.org/c> <http://example.org/n> '
                    '"0"^^<http://www.w3.org/2001/XMLSchema#integer> .\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--shapes", str(shapes),
                                      str(data)])
    assert result.exit_code == 1, result.output
    results = json.loads(result.stdout)["results"]
    values = sorted(r["value"] for r in results)
    assert values == ['"01"^^xsd:integer', '"2"^^xsd:integer']
    assert any(r["message"].endswith("has 01") for r in results), results


NNI = "<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>"


def _validate(tmp_path: Path, select: str, data: str) -> tuple[int, list[dict[str, str]]]:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.replace(
        "SELECT $this ?value WHERE { $this ex:n ?value . FILTER (?value > 0) }", select),
        encoding="utf-8")
    path = tmp_path / "data.ttl"
    path.write_text(data, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--shapes", str(shapes),
                                      str(path)])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["results"]


def test_a_derived_integer_type_is_kept(tmp_path: Path) -> None:
    """pyoxigraph holds "5"^^xsd:nonNegativeInteger as an xsd:integer; SHACL sees the
    datatype written, in the query and in the report."""
    data = f'<http://example.org/a> <http://example.org/n> "5"^^{NNI} .\n'
    code, results = _validate(tmp_path, "SELECT $this ?value WHERE { $this ex:n ?value . "
                              f"FILTER (datatype(?value) != {NNI}) }}", data)
    assert (code, results) == (0, [])
    code, results = _validate(tmp_path, "SELECT $this ?value WHERE { $this ex:n ?value . "
                              "FILTER (?value > 3) }", data)
    assert code == 1 and [r["value"] for r in results] == ['"5"^^xsd:nonNegativeInteger']


def test_the_mirror_answers_with_the_graphs_terms() -> None:
    import rdflib

    from haberkg.checks.shacl_sparql import Mirror

    graph = rdflib.Graph()
    a, n = rdflib.URIRef("http://example.org/a"), rdflib.URIRef("http://example.org/n")
    five = rdflib.Literal("5", datatype=rdflib.URIRef(NNI[1:-1]))
    graph.add((a, n, five))
    graph.add((rdflib.BNode("b1"), n, rdflib.Literal("x", lang="tr")))
    mirror = Mirror(graph)
    answer = mirror.query(P + "SELECT $this ?value WHERE { $this ex:n ?value }", {"this": a},
                          None)
    assert answer["type_"] == "SELECT"
    assert answer["bindings"] == [{rdflib.Variable("this"): a, rdflib.Variable("value"): five}]
    assert mirror.query(P + "ASK { $this ex:n ?value }", {"this": rdflib.BNode("b1")},
                        None) == {"type_": "ASK", "askAnswer": True}


def test_a_query_that_relies_on_the_datas_prefixes_stays_with_rdflib() -> None:
    """pyoxigraph gets no prefixes beside the text: the guard judges prefixed names by
    the declarations it reads."""
    import rdflib

    from haberkg.checks.shacl_sparql import Declined, Mirror, declares_its_prefixes

    assert declares_its_prefixes(P + "SELECT * WHERE { ?s ex:n ex: }")
    assert not declares_its_prefixes("SELECT * WHERE { ?s ex:n ?o }")
    assert not declares_its_prefixes(P + "SELECT * WHERE { ?s ex:n ?o ; other:p ?x }")
    graph = rdflib.Graph()
    graph.bind("ex", "http://example.org/")
    graph.add((rdflib.URIRef("http://example.org/a"), rdflib.URIRef("http://example.org/n"),
               rdflib.Literal("x")))
    with pytest.raises(Declined):
        Mirror(graph).query("SELECT $this WHERE { $this ex:n ?o }",
                            {"this": rdflib.URIRef("http://example.org/a")}, None)
    # rdflib, with the graph's namespaces, answers it as before
    answer = graph.query("SELECT ?o WHERE { ?s ex:n ?o }")
    assert [row.asdict()["o"] for row in answer
            ] == [rdflib.Literal("x")]


def test_one_query_answers_each_focus_node_with_its_own_rows(tmp_path: Path) -> None:
    """The free query grouped by ?this: each focus node gets its rows, a node the data
    does not describe none, and a node the shape does not target none either."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.replace("sh:targetSubjectsOf ex:n",
                                     "sh:targetNode ex:a, ex:missing").replace(
        "FILTER (?value > 0) ", ""), encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("@prefix ex: <http://example.org/> .\n"
                    "ex:a ex:n 1, 2 .\nex:untargeted ex:n 3 .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", "--shapes", str(shapes),
                                      str(data)])
    assert result.exit_code == 1, result.output
    found = sorted((r["focus"], r["value"]) for r in json.loads(result.stdout)["results"])
    assert found == [("ex:a", '"1"^^xsd:integer'), ("ex:a", '"2"^^xsd:integer')]
