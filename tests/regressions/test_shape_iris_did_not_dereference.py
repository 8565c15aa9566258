"""Defect: the shapes namespace (https://w3id.org/haberkg/shapes) and its shape IRIs
(hks:Person-spouse …) did not dereference. /shapes serves the shapes as HTML (an anchor
per shape) or in any RDF format."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.testclient import TestClient

SHAPE = "https://w3id.org/haberkg/shapes#Person-spouse"


def test_shape_iris_did_not_dereference(site: TestClient) -> None:
    html = site.get("/shapes", headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert 'id="Person-spouse"' in html.text
    ttl = site.get("/shapes", headers={"Accept": "text/turtle"})
    assert any(t.subject.value == SHAPE for t in ox.parse(ttl.content, format=ox.RdfFormat.TURTLE))
