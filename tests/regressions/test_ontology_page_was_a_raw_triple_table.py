"""Defect: the ontology page was one raw triple table per term: no index, no links between
terms, no domain or range, Turkish and English in changing order. Now it is documentation:
an index by kind, each term with its labels and definitions in the page's language first,
its domain, range and parents linked."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..html import find, hrefs, parse
from ..servers import app_client


@pytest.mark.parametrize(("lang", "first", "second"), [("en", "visitor", "ziyaretçi"),
                                                      ("tr", "ziyaretçi", "visitor")])
def test_ontology_page_was_a_raw_triple_table(release: Path, lang: str, first: str,
                                              second: str) -> None:
    with app_client(release, workers=1) as client:
        page = parse(client.get("/ontology", params={"lang": lang},
                                headers={"Accept": "text/html"}).text)
    assert find(page, "h2") and any(h.attrs.get("id") == "index" for h in find(page, "h2"))
    index = [a for a in hrefs(page) if a.startswith("#")]
    assert "#Signing" in index and "#visitor" in index
    visitor = [s for s in find(page, "section") if s.attrs.get("id") == "visitor"][0]
    labels = [d.all_text() for d in find(visitor, "dd") if find(d, "span", "lang-tag")]
    assert labels[0].startswith(first) and labels[1].startswith(second)  # ontology/haberkg.ttl
    links = hrefs(visitor)
    assert "#Visit" in links  # its domain (rdfs:domain hk:Visit)
    assert "https://schema.org/attendee" in links  # its schema.org parent
