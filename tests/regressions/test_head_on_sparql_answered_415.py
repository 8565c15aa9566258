"""Defect: HEAD /sparql answered 415. HEAD is answered as the GET of the same URL without
the body, on /sparql (with or without a query) and wherever GET works."""

from __future__ import annotations

import httpx

from ..servers import Live


def test_head_on_sparql_answered_415(live: Live) -> None:
    for path, accept in (("/sparql", "text/turtle"), ("/sparql?query=ASK%20%7B%7D", "*/*"),
                         ("/id/baku", "text/turtle"), ("/ontology/0.1.0", "text/turtle"),
                         ("/shapes", "text/turtle"), ("/robots.txt", "*/*")):
        get = httpx.get(live.url + path, headers={"Accept": accept})
        head = httpx.head(live.url + path, headers={"Accept": accept})
        assert head.status_code == get.status_code, path
        assert head.status_code in (200, 303), path
        assert head.content == b""
