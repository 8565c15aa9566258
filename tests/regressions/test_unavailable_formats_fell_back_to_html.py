"""Defect: image/png, application/json, application/n-quads and application/trig fell back
to HTML on /id/. N-Quads and TriG (and N3: every format pyoxigraph writes) are offered;
a client that accepts none of the formats gets 406 with the list. application/json is
not taken for JSON-LD, whose media type is application/ld+json (JSON-LD 1.1 section 9.1)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


@pytest.mark.parametrize(("accept", "status", "target"), [
    ("application/n-quads", 303, "/data/baku.nq"), ("application/trig", 303, "/data/baku.trig"),
    ("text/n3", 303, "/data/baku.n3"), ("image/png", 406, None),
    ("application/json", 406, None)])
def test_unavailable_formats_fell_back_to_html(site: TestClient, accept: str, status: int,
                                               target: str | None) -> None:
    response = site.get("/id/baku", headers={"Accept": accept})
    assert response.status_code == status
    assert response.headers.get("location") == target
    if target:
        assert site.get(target).headers["content-type"].startswith(accept)
