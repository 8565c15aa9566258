"""Defect: the static site's 303 from /id/ had no Vary header, so a cache could send a
browser to the Turtle file. It says Vary: Accept."""

from __future__ import annotations

import httpx


def test_static_303_had_no_vary(nginx: str) -> None:
    response = httpx.get(nginx + "/id/baku", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert "Accept" in response.headers["vary"]
