"""Defect: on the static site the ontology had no content negotiation. /ontology (and its
version IRI) is a 303 to /ontology.EXT or to the HTML documentation, by Accept."""

from __future__ import annotations

import httpx


def test_static_ontology_had_no_content_negotiation(nginx: str) -> None:
    ttl = httpx.get(nginx + "/ontology", headers={"Accept": "text/turtle"})
    assert ttl.headers["location"].endswith("/ontology.ttl")
    html = httpx.get(nginx + "/ontology", headers={"Accept": "text/html"})
    assert html.headers["location"].endswith("/ontology/")
