"""Defect: competency query 09 joined each mention's offsets with the sentences of every
article, so in a corpus a sentence of article B was listed for a mention in article A
whenever its offsets enclosed the mention's (and the join grew with the square of the
corpus: 2.1 s at 400 articles, 0.11 s now)."""

from __future__ import annotations

import pyoxigraph as ox

from haberkg.sparql.files import QueryFile
from haberkg.sparql.results import Table
from haberkg.sparql.run import run_local

from ..conftest import ROOT

QUERY = ROOT / "data" / "articles" / "2025-09-04-goktas-aliyev" / "queries" / \
    "09-sentences-mentioning-a-resource.rq"

DATA = """
@prefix hk: <https://w3id.org/haberkg/ontology#> .
@prefix hkd: <https://w3id.org/haberkg/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

hkd:a-s1 a hk:Sentence ; schema:isPartOf hkd:a ; schema:position 1 ;
    hk:start "0"^^xsd:nonNegativeInteger ; hk:end "100"^^xsd:nonNegativeInteger .
hkd:b-s1 a hk:Sentence ; schema:isPartOf hkd:b ; schema:position 1 ;
    hk:start "0"^^xsd:nonNegativeInteger ; hk:end "100"^^xsd:nonNegativeInteger .
hkd:b-s2 a hk:Sentence ; schema:isPartOf hkd:b ; schema:position 2 ;
    hk:start "101"^^xsd:nonNegativeInteger ; hk:end "200"^^xsd:nonNegativeInteger .
hkd:m a oa:Annotation ; oa:motivatedBy oa:identifying ; oa:hasBody hkd:anar-aliyev ;
    oa:hasTarget hkd:m-target .
hkd:m-target oa:hasSource hkd:a ; oa:hasSelector hkd:m-position .
hkd:m-position a oa:TextPositionSelector ;
    oa:start "10"^^xsd:nonNegativeInteger ; oa:end "21"^^xsd:nonNegativeInteger .
"""


def test_sentences_of_another_article_matched_a_mention() -> None:
    store = ox.Store()
    store.load(DATA.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    answer = run_local(store, QueryFile.read(QUERY))
    assert isinstance(answer, Table)
    sentences = [row[answer.variables.index("sentence")] for row in answer.rows]
    # the mention is in article a, at 10-21: sentence 1 of a, and of no other article
    assert [s.value for s in sentences] == ["https://w3id.org/haberkg/id/a-s1"]
