"""Defect: a query naming a graph the store does not hold was refused with a message that
listed every graph of the store (one per claim: several kilobytes on one line). The
message names the graph, a few of the store's graphs and how many more there are."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_an_unknown_graph_was_refused_with_every_graph_listed(site: TestClient) -> None:
    response = site.get("/sparql", params={"query": "SELECT * FROM <http://example.org/g> "
                                                    "WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    message = response.text.strip()
    assert "\n" not in message
    assert "no graph <http://example.org/g> in this store" in message
    assert message.count("<https://w3id.org/haberkg/") == 3
    assert message.endswith(" more)")
    assert len(message) < 400
