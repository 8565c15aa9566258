"""Defect: an answer with too many rows was refused with 413 (Content Too Large), a status
about the request's body. The endpoint now answers 422 (the query is well-formed, its answer
is over the server's limits), never truncates, and the README says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from haberkg.web.endpoint import Limits

from ..conftest import ROOT
from ..servers import app_client

ALL = "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(("limits", "message"), [
    (Limits(max_rows=10), "the answer has more than 10 rows: add a LIMIT"),
    (Limits(max_bytes=1000), "the answer is larger than 1,000 bytes"),
])
def test_too_many_rows_answered_413(release: Path, limits: Limits, message: str) -> None:
    with app_client(release, limits=limits, workers=1) as client:
        response = client.get("/sparql", params={"query": ALL})
        assert response.status_code == 422
        assert response.text.startswith(message)
        construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert construct.status_code == 422
        small = client.get("/sparql", params={"query": ALL + " LIMIT 3"},
                           headers={"Accept": "application/sparql-results+json"})
        assert small.status_code == 200
        assert len(small.json()["results"]["bindings"]) == 3


def test_the_readme_documents_422() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert re.search(r"answers 422 [^.]*rather than truncating", readme)
    assert "answers 413" not in readme
