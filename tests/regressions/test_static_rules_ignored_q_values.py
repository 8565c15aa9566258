"""Defect: the static site's rules ignored q-values: `text/turtle;q=0` still got Turtle. The
nginx and Apache rules read q=0 as "not this type" (tests/test_static_servers.py has the
whole table, on both servers)."""

from __future__ import annotations

import httpx


def test_static_rules_ignored_q_values(nginx: str) -> None:
    refused = httpx.get(nginx + "/id/baku", headers={"Accept": "text/turtle;q=0, */*"})
    assert refused.headers["location"].endswith("/page/baku/")
    wanted = httpx.get(nginx + "/id/baku", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert wanted.headers["location"].endswith("/data/baku.ttl")
