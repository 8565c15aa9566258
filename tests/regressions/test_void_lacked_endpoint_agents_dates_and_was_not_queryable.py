"""Defect: the VoID description had no void:sparqlEndpoint, publisher, creator, issued or
modified, and was not in the store. It has them (the dates from the sources, so that two
builds give the same bytes), and haberkg serve holds it in the named graph
<https://w3id.org/haberkg/dist/void.ttl>."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from starlette.testclient import TestClient

DCT = "http://purl.org/dc/terms/"


def test_void_lacked_endpoint_agents_dates_and_was_not_queryable(site: TestClient,
                                                                 release: Path) -> None:
    void = list(ox.parse(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE))
    about = {t.predicate.value for t in void
             if t.subject.value == "https://w3id.org/haberkg/id/dataset"}
    for term in ("http://rdfs.org/ns/void#sparqlEndpoint", DCT + "publisher", DCT + "creator",
                 DCT + "issued", DCT + "modified"):
        assert term in about, term
    response = site.get("/sparql", headers={"Accept": "application/sparql-results+json"},
                        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
                                         "<https://w3id.org/haberkg/dist/void.ttl> { ?s ?p ?o } }"})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == len(void)
