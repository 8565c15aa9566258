"""Defect (W3C protocol test bad_multiple_queries): a request with two `query` parameters
was answered 200 with one of them run. It is refused with 400."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_two_query_parameters_ran_one_of_them(site: TestClient) -> None:
    response = site.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert response.status_code == 400
    assert response.text == "more than one query parameter\n"
    form = site.post("/sparql", content=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400
