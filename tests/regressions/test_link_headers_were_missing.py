"""Defect: no Link headers. Data and pages carry rel=alternate (one per format, with its
type), rel=license and rel=describedby (the VoID description) (RFC 8288)."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_link_headers_were_missing(site: TestClient) -> None:
    link = site.get("/page/baku/").headers["link"]
    assert '</data/baku.ttl>; rel="alternate"; type="text/turtle"' in link
    assert 'rel="license"' in link
    assert '</.well-known/void>; rel="describedby"' in link
