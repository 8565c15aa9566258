"""Defect: a resource page listed every grounding record that points to the resource as a
link ("Incoming links": 8 annotations, 20 claims and 20 statements on Göktaş's page, 48
links of hashes) and buried the dozen meaningful ones. Now the records are counted in a
folded section, and a page links only to the claims behind its own statements, once each,
as their references' record."""

from __future__ import annotations

import re
from pathlib import Path

from ..html import find, hrefs, parse
from ..servers import app_client

RECORD = re.compile(r"/(?:id|page)/(annotation|claim|statement)-[0-9a-f]+")


def test_incoming_links_buried_the_meaningful_ones(release: Path) -> None:
    with app_client(release, workers=1) as client:
        page = parse(client.get("/page/mahinur-ozdemir-goktas/").text)
    records = [h for h in hrefs(page) if RECORD.search(h)]
    # Göktaş has four hk:evidence claims, one link each: in the article's people.ttl the
    # stated title and office and the stated Turkish name; in data/entities/people.ttl
    # the editorial type and Turkish name and the editorial English name and title
    assert len(records) == 4, records
    assert len(set(records)) == 4
    assert all("/claim-" in h for h in records)
    # what points to her is still there, by name: the meeting she hosts and attends
    text = page.all_text()
    assert "Meeting of Göktaş and Aliyev" in text
    folded = find(page, "details")
    assert any("Grounding records that point here" in d.all_text() for d in folded)
