"""Defect: no compression: the 980 KB dump went out raw. Answers of 1 KB and more are
gzipped for clients that accept it (Starlette's GZipMiddleware), with Vary: Accept-Encoding."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx

from ..servers import Live


def test_the_dump_went_out_uncompressed(live: Live, release: Path) -> None:
    with httpx.stream("GET", live.url + "/dist/haberkg.nt",
                      headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == (release / "haberkg.nt").read_bytes()
    assert len(raw) < 200_000
