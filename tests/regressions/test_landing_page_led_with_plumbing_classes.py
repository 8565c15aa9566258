"""Defect: the landing page's class table led with the grounding records (rdf:Statement,
then the oa: classes) and there was no index of the entities. Now the article's own classes
come first, the records are folded apart, and the page links to the index of entities."""

from __future__ import annotations

from pathlib import Path

from ..html import find, hrefs, parse
from ..servers import app_client

RECORDS = ("rdf:Statement", "oa:", "hk:Claim")


def test_landing_page_led_with_plumbing_classes(release: Path) -> None:
    with app_client(release, workers=1) as client:
        page = parse(client.get("/", headers={"Accept": "text/html"}).text)
        index = client.get("/entities/")
    table = find(page, "table")[0]
    rows = [find(r, "span", "curie")[0].all_text() for r in find(table, "tr")
            if find(r, "span", "curie")]
    assert rows and not any(r.startswith(RECORDS) for r in rows), rows
    assert "schema:Person" in rows
    assert "/entities/" in hrefs(page)
    assert index.status_code == 200
    assert "Mahinur Özdemir Göktaş" in index.text and "Anar Aliyev" in index.text
