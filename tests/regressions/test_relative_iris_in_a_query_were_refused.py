"""Defect (W3C protocol test query_content_type_construct): a query with relative IRIs was
refused with 400. They are resolved against the endpoint's URL (as Oxigraph server does,
and as SPARQL 1.1 Protocol section 2.1.4's "service-defined BASE" allows)."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.testclient import TestClient


def test_relative_iris_in_a_query_were_refused(site: TestClient) -> None:
    response = site.post("/sparql", content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                         headers={"Content-Type": "application/sparql-query",
                                  "Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    assert [t.subject.value for t in triples] == ["https://w3id.org/haberkg/s"]
