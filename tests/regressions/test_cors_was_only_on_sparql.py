"""Defect: CORS only on /sparql: a browser application on another origin could not read
/id/, /data/, /dist/, /.well-known/void or /ontology. Every answer now allows every origin
(no credentials: everything here is public and read-only)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


@pytest.mark.parametrize("path", ["/id/baku", "/data/baku.ttl", "/dist/haberkg.ttl",
                                  "/.well-known/void", "/ontology", "/shapes", "/page/baku/"])
def test_cors_was_only_on_sparql(site: TestClient, path: str) -> None:
    response = site.get(path, headers={"Origin": "https://app.example", "Accept": "text/turtle"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
