"""Defect: the article dataset (haberkg-articles.trig) named the graph of the shared entities
``hkd:entities``, an IRI of the project's namespace that nothing described, so it answered
404 while every other IRI of the release dereferences. The graph is now named by the VoID
subset that describes it, ``hkd:dataset-entities``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from haberkg.namespaces import HKD

from ..servers import app_client


def test_the_shared_entities_graph_name_did_not_dereference(release: Path) -> None:
    graphs = {q.graph_name for q in ox.parse(path=str(release / "haberkg-articles.trig"),
                                             format=ox.RdfFormat.TRIG)}
    named = {g.value for g in graphs if isinstance(g, ox.NamedNode)}
    assert HKD + "entities" not in named
    assert HKD + "dataset-entities" in named
    with app_client(release, workers=1) as client:
        for iri in sorted(named):
            response = client.get("/" + iri.removeprefix("https://w3id.org/haberkg/"),
                                  headers={"Accept": "text/turtle"}, follow_redirects=True)
            assert response.status_code == 200, (iri, response.status_code)
