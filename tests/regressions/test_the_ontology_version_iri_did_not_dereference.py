"""Defect: the ontology's version IRI (https://w3id.org/haberkg/ontology/0.1.0) and its
import module (…/ontology/imports/schemaorg, named by owl:imports) did not dereference.
The version IRI serves this version of the ontology (another version is a 404); the
module serves the schema.org terms haberkg uses."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.testclient import TestClient

from haberkg import __version__

OWL = "http://www.w3.org/2002/07/owl#"


def test_the_ontology_version_iri_did_not_dereference(site: TestClient) -> None:
    response = site.get(f"/ontology/{__version__}", headers={"Accept": "text/turtle"})
    graph = {t.triple for t in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    assert ox.Triple(ox.NamedNode("https://w3id.org/haberkg/ontology"),
                     ox.NamedNode(OWL + "versionIRI"),
                     ox.NamedNode(f"https://w3id.org/haberkg/ontology/{__version__}")) in graph
    assert site.get("/ontology/0.0.1").status_code == 404
    module = site.get("/ontology/imports/schemaorg", headers={"Accept": "text/turtle"})
    terms = {t.subject.value for t in ox.parse(module.content, format=ox.RdfFormat.TURTLE)}
    assert "https://schema.org/Event" in terms
