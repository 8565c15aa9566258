"""Defect: default-graph-uri and named-graph-uri were silently ignored on /sparql. They now
choose the query's dataset among the graphs the store holds (one per claim), and a graph
it does not hold is refused with 400 (haberkg never loads a graph named in a request)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from ..servers import app_client


@pytest.fixture(scope="module")
def client(release: Path) -> Iterator[TestClient]:
    with app_client(release, workers=1) as c:
        yield c


@pytest.fixture(scope="module")
def claim_graphs(release: Path) -> dict[str, int]:
    """Each claim graph of the release's TriG file and how many triples it holds."""
    counts: dict[str, int] = {}
    for quad in ox.parse(path=str(release / "haberkg.trig"), format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.NamedNode):
            counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    assert len(counts) > 150
    return counts


def _count(client: TestClient, query: str, **dataset: list[str]) -> int:
    params = [("query", query), *((k.replace("_", "-"), v) for k, vs in dataset.items()
                                  for v in vs)]
    response = client.get("/sparql", params=params,
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_dataset_parameters_were_silently_ignored(client: TestClient,
                                                  claim_graphs: dict[str, int],
                                                  release: Path) -> None:
    plain = len((release / "haberkg.nt").read_text(encoding="utf-8").splitlines())
    assert _count(client, COUNT) == plain  # no parameter: the default graph
    first, second = sorted(claim_graphs)[:2]
    assert _count(client, COUNT, default_graph_uri=[first]) == claim_graphs[first]
    assert _count(client, COUNT, default_graph_uri=[first, second]) == len(
        _triples(release, {first, second}))
    assert _count(client, COUNT_NAMED, named_graph_uri=[second]) == claim_graphs[second]
    # the store's own default: every named graph (the claims', and the VoID description's)
    described = len(list(ox.parse(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE)))
    assert _count(client, COUNT_NAMED) == sum(claim_graphs.values()) + described


def _triples(release: Path, graphs: set[str]) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=str(release / "haberkg.trig"),
                                       format=ox.RdfFormat.TRIG)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in graphs}


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_graph_the_store_does_not_hold_is_refused(client: TestClient, parameter: str) -> None:
    response = client.get("/sparql", params={"query": COUNT, parameter: "http://127.0.0.1:9/g"})
    assert response.status_code == 400
    assert response.text.startswith("query: no graph <http://127.0.0.1:9/g> in this store: "
                                    "haberkg never loads graphs named in a query")
