"""Defect: the VoID dataset (hkd:dataset) and its class partitions did not dereference.
They are described in the VoID graph of the store, and have pages and data like every
resource."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from starlette.testclient import TestClient

HKD = "https://w3id.org/haberkg/id/"


def test_the_dataset_and_its_partitions_did_not_dereference(site: TestClient,
                                                            release: Path) -> None:
    void = list(ox.parse(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE))
    partitions = sorted({t.object.value for t in void
                         if t.predicate.value == "http://rdfs.org/ns/void#classPartition"})
    assert len(partitions) > 20
    for iri in [HKD + "dataset", *partitions]:
        name = iri[len(HKD):]
        html = site.get(f"/id/{name}", headers={"Accept": "text/html"})
        assert (html.status_code, html.headers["location"]) == (303, f"/page/{name}/")
        assert site.get(f"/page/{name}/").status_code == 200
        data = site.get(f"/data/{name}.ttl")
        assert any(t.subject.value == iri for t in ox.parse(data.content,
                                                            format=ox.RdfFormat.TURTLE))
