"""Defect: /ontology in HTML lacked Vary: Accept, so a cache could give the HTML to an RDF
client. Every negotiated answer says Vary: Accept."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_ontology_html_lacked_vary_accept(site: TestClient) -> None:
    for accept in ("text/html", "text/turtle"):
        for path in ("/ontology", "/ontology/0.1.0", "/shapes"):
            response = site.get(path, headers={"Accept": accept})
            assert "Accept" in response.headers["vary"], (path, accept)
