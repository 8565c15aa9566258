"""Defect: the generated nginx.conf, included in a server {} block, replaced the whole MIME
map (a `types {}` block), so pages, scripts and styles went out as application/octet-stream
or text/plain and the browser downloaded index.html; the link checker then "passed" on one
link. Each RDF extension now gets its type in its own location; real nginx serves pages as
text/html."""

from __future__ import annotations

import httpx


def test_nginx_rules_replaced_the_mime_map(nginx: str) -> None:
    for path, media in (("/", "text/html"), ("/page/baku/", "text/html"),
                        ("/static/query.js", "javascript"),
                        ("/static/yasgui/yasgui.min.css", "text/css"),
                        ("/data/baku.ttl", "text/turtle")):
        assert media in httpx.get(nginx + path).headers["content-type"], path
