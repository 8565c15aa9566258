"""Defect: the service description answered Turtle whatever was asked. It is negotiated
over every RDF format (and HTML for browsers: the query page)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient


@pytest.mark.parametrize("fmt", [ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD,
                                 ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE])
def test_service_description_was_turtle_whatever_was_asked(site: TestClient,
                                                           fmt: ox.RdfFormat) -> None:
    response = site.get("/sparql", headers={"Accept": fmt.media_type})
    assert response.headers["content-type"].startswith(fmt.media_type)
    assert list(ox.parse(response.content, format=fmt))
