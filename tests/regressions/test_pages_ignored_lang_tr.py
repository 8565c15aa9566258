"""Defect: only resource pages had a Turkish version (and even they kept English headings);
``/``, ``/ontology``, ``/timeline``, ``/graph`` and ``/sparql`` ignored ``?lang=tr``. Now
every page comes in both languages, by ``?lang=`` or by Accept-Language (and then says
``Vary: Accept-Language``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..html import find, lang, parse
from ..servers import app_client

PAGES = ["/", "/ontology", "/timeline/", "/graph/", "/sparql", "/entities/", "/shapes"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_ignored_lang_tr(release: Path, path: str) -> None:
    with app_client(release, workers=1) as client:
        asked = client.get(path, params={"lang": "tr"}, headers={"Accept": "text/html"})
        negotiated = client.get(path, headers={"Accept": "text/html",
                                               "Accept-Language": "tr-TR,tr;q=0.9,en;q=0.5"})
        english = client.get(path, headers={"Accept": "text/html",
                                            "Accept-Language": "en-GB,tr;q=0.3"})
    for response in (asked, negotiated):
        assert response.status_code == 200
        assert response.headers["content-language"] == "tr"
        page = parse(response.text)
        assert lang(page) == "tr"
        nav = find(page, "nav")[0].all_text()
        assert "zaman çizelgesi" in nav and "ontoloji" in nav  # not "timeline", "ontology"
    assert "Accept-Language" in negotiated.headers["vary"]
    assert english.headers["content-language"] == "en"
    english_nav = find(parse(english.text), "nav")[0].all_text()
    assert "zaman çizelgesi" not in english_nav and "timeline" in english_nav


def test_resource_pages_have_turkish_headings(release: Path) -> None:
    with app_client(release, workers=1) as client:
        page = parse(client.get("/page/mahinur-ozdemir-goktas/tr/").text)
    headings = [h.all_text() for h in find(page, "h2")]
    assert "İfadeler ve her birinin nasıl bilindiği" in headings
    assert not any(h.startswith(("Properties", "Incoming", "How it is known"))
                   for h in headings)
