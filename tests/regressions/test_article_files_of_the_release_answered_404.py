"""Defect: ``haberkg serve`` answered only ``/dist/NAME``, so the per-article files of the
release, ``/dist/articles/ID.ttl`` (linked from the landing page and named by
``void:dataDump`` in the VoID description), answered 404."""

from __future__ import annotations

from pathlib import Path

from ..servers import app_client


def test_article_files_of_the_release_answered_404(release: Path) -> None:
    files = sorted((release / "articles").glob("*.ttl"))
    assert files, "the release has no per-article files"
    with app_client(release, workers=1) as client:
        for path in files:
            response = client.get(f"/dist/articles/{path.name}")
            assert response.status_code == 200, (path.name, response.status_code)
            assert response.content == path.read_bytes()
            assert response.headers["content-type"].startswith("text/turtle")
        assert client.get("/dist/other/x.ttl").status_code == 404
        assert client.get("/dist/articles/..%2Fhaberkg.ttl").status_code == 404
