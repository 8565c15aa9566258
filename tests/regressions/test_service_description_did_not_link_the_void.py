"""Defect: the service description did not link the VoID description, nor describe its
dataset's graphs. It links /.well-known/void (rdfs:seeAlso) and the dataset (hkd:dataset),
and lists the default graph and every named graph with its size."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.testclient import TestClient

from ..conftest import select

SD = "http://www.w3.org/ns/sparql-service-description#"
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"


def test_service_description_did_not_link_the_void(site: TestClient) -> None:
    store = ox.Store()
    store.extend(ox.parse(site.get("/sparql", headers={"Accept": "text/turtle"}).content,
                          format=ox.RdfFormat.TURTLE))
    assert store.query(f"""ASK {{ ?service <{SD}defaultDataset> ?d ;
        <{SEE_ALSO}> <https://w3id.org/haberkg/.well-known/void> .
        ?d <{SEE_ALSO}> <https://w3id.org/haberkg/id/dataset> }}""")
    named = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?d <{SD}namedGraph> ?g }}")
    assert int(named[0]["n"].value) > 150  # one per claim, and the VoID graph
