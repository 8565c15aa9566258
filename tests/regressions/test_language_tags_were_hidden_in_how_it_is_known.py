"""Defect: "How it is known" showed two identical-looking name rows (the Turkish and the
English name of Göktaş are written alike) because the language tag was hidden there, and it
sat at the bottom of the page, apart from the values. Now each value carries its visible
language tag and its references under it."""

from __future__ import annotations

from pathlib import Path

from ..html import find, parse
from ..servers import app_client


def test_language_tags_were_hidden_in_how_it_is_known(release: Path) -> None:
    with app_client(release, workers=1) as client:
        page = parse(client.get("/page/mahinur-ozdemir-goktas/").text)
    names = [g for g in find(page, "section", "group") if g.attrs.get("id") == "p-schema-name"]
    assert len(names) == 1, "no group of the schema:name statements"
    values = find(names[0], "div", "value")
    assert len(values) == 2
    tags = sorted(find(v, "span", "lang-tag")[0].all_text() for v in values)
    assert tags == ["@en", "@tr"]
    # the Turkish name is stated by the text (the article's people.ttl) and, as the shared
    # entity's name, editorial (data/entities/people.ttl); the English one is editorial
    modes = {find(v, "span", "lang-tag")[0].all_text():
             [b.all_text() for b in find(v, "span", "badge")] for v in values}
    assert modes == {"@tr": ["stated", "editorial"], "@en": ["editorial"]}
