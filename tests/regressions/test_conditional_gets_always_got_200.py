"""Defect: no ETag, Last-Modified or Cache-Control, so every conditional GET got 200. Every
cacheable answer has a strong ETag and Last-Modified, and a client with a current copy
gets 304 Not Modified."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_conditional_gets_always_got_200(site: TestClient) -> None:
    for path in ("/dist/haberkg.ttl", "/data/baku.ttl", "/page/baku/", "/.well-known/void"):
        first = site.get(path)
        assert first.headers["etag"].startswith('"')  # strong: no W/
        assert "max-age" in first.headers["cache-control"]
        assert site.get(path, headers={"If-None-Match": first.headers["etag"]}
                        ).status_code == 304
        assert site.get(path, headers={"If-Modified-Since": first.headers["last-modified"]}
                        ).status_code == 304
