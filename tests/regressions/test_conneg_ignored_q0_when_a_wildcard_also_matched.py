"""Defect: content negotiation ignored q=0 when a wildcard also matched: `text/turtle;q=0,
*/*` got Turtle. The most specific media range now decides an offer's quality (RFC 9110
12.5.1), on the resource IRIs, the ontology and the SPARQL endpoint alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from haberkg.web.conneg import negotiate

from ..servers import app_client


@pytest.fixture(scope="module")
def client(release: Path) -> Iterator[TestClient]:
    with app_client(release, workers=1) as c:
        yield c


@pytest.mark.parametrize(("accept", "offers", "choice"), [
    ("text/turtle;q=0, */*", ["text/turtle", "text/html"], "text/html"),
    ("*/*, text/turtle;q=0", ["text/turtle", "text/html"], "text/html"),
    ("text/*;q=0, */*;q=0.5", ["text/turtle", "application/ld+json"], "application/ld+json"),
    ("text/turtle;q=0", ["text/turtle"], None),
    ("text/turtle;q=0, text/*", ["text/turtle", "text/html"], "text/html"),
])
def test_conneg_ignored_q0_when_a_wildcard_also_matched(accept: str, offers: list[str],
                                                        choice: str | None) -> None:
    assert negotiate(accept, offers) == choice


def test_a_resource_refused_as_turtle_is_not_sent_as_turtle(client: TestClient) -> None:
    response = client.get("/id/anar-aliyev", headers={"Accept": "text/turtle;q=0, */*"})
    assert (response.status_code, response.headers["location"]) == (303, "/page/anar-aliyev/")
    ontology = client.get("/ontology", headers={"Accept": "text/turtle;q=0, */*"})
    assert ontology.headers["content-type"].startswith("text/html")


def test_sparql_results_refused_as_json_are_not_sent_as_json(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={
        "Accept": "application/sparql-results+json;q=0, */*"})
    assert response.status_code == 200
    assert not response.headers["content-type"].startswith("application/sparql-results+json")
    only = client.get("/sparql", params={"query": "ASK {}"}, headers={
        "Accept": "application/sparql-results+json;q=0"})
    assert only.status_code == 406
