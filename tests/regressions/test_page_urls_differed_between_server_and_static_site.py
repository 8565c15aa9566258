"""Defect: page URLs differed between the server (/page/x?lang=tr) and the static site
(/page/x/tr/). Both answer /page/x/ and /page/x/tr/; the server moves the old URLs there."""

from __future__ import annotations

import httpx
from starlette.testclient import TestClient


def test_page_urls_differed_between_server_and_static_site(site: TestClient,
                                                           nginx: str) -> None:
    for path, title in (("/page/baku/", "<h1>Baku</h1>"), ("/page/baku/tr/", "<h1>Bakü</h1>")):
        assert title in site.get(path).text
        assert title in httpx.get(nginx + path).text
    moved = site.get("/page/baku?lang=tr")
    assert (moved.status_code, moved.headers["location"]) == (301, "/page/baku/tr/")
