"""Defect: the static SPARQL page POSTed to /sparql, got a 301 and showed the page's own
HTML as "Could not render results". It runs queries in the browser (Oxigraph compiled to
WebAssembly, served by the site); the SPARQL page alone may compile WebAssembly. (In a
real browser, with no Python server running: tests/test_browser.py.)"""

from __future__ import annotations

from pathlib import Path

import httpx


def test_the_static_sparql_page_posted_to_a_server(nginx: str, static_export: Path) -> None:
    page = httpx.get(nginx + "/sparql/")
    assert 'data-engine="wasm"' in page.text
    assert "'wasm-unsafe-eval'" in page.headers["content-security-policy"]
    wasm = httpx.get(nginx + "/static/oxigraph/web_bg.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert wasm.content[:4] == b"\0asm"
