"""Defect: no robots.txt and no sitemap.xml. Both are served (and written by publish
--static); the sitemap lists every page, English and Turkish."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from starlette.testclient import TestClient


def test_robots_and_sitemap_were_missing(site: TestClient) -> None:
    assert "Sitemap: " in site.get("/robots.txt").text
    root = ET.fromstring(site.get("/sitemap.xml").content)
    urls = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://w3id.org/haberkg/page/baku/tr/" in urls
