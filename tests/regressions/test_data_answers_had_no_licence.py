"""Defect: data answers had no licence. Every data answer has a rel=license Link header,
and each /data/ document says its own dcterms:license."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_data_answers_had_no_licence(site: TestClient) -> None:
    for path in ("/data/baku.nt", "/dist/haberkg.nt", "/ontology.ttl", "/.well-known/void"):
        assert "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"" in \
            site.get(path).headers["link"], path
    body = site.get("/data/baku.nt").text
    assert ("<https://w3id.org/haberkg/data/baku.nt> <http://purl.org/dc/terms/license> "
            "<https://creativecommons.org/licenses/by/4.0/> .") in body
