"""Defect: every FROM was refused, also FROM <a claim graph> that the store holds. FROM and
FROM NAMED now choose the dataset among the store's graphs; any other graph is refused
with 400 and the reason (it is never fetched)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from starlette.testclient import TestClient


def test_from_a_claim_graph_was_refused(site: TestClient, release: Path) -> None:
    counts: dict[str, int] = {}
    for quad in ox.parse(path=str(release / "haberkg.trig"), format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.NamedNode):
            counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    claim = max(sorted(counts), key=lambda g: counts[g])
    response = site.get("/sparql", params={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{claim}> WHERE {{ ?s ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == counts[claim]
    other = site.get("/sparql", params={"query": "SELECT * FROM <http://example.org/g> "
                                                 "WHERE { ?s ?p ?o }"})
    assert other.status_code == 400
    assert "no graph <http://example.org/g> in this store" in other.text
