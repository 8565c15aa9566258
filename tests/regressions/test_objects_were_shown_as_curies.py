"""Defect: the statements of a resource page named their objects by CURIE
(``hkd:role-goktas-minister``) and the claims by hash. Now every object is its label,
linked to its page; CURIEs remain only as small print beside property names."""

from __future__ import annotations

from pathlib import Path

from ..html import Element, find, parse
from ..servers import app_client


def _text_without_curies(element: Element) -> str:
    if "curie" in element.classes:
        return ""
    return element.text + "".join(_text_without_curies(c) for c in element.children)


def test_objects_were_shown_as_curies(release: Path) -> None:
    with app_client(release, workers=1) as client:
        page = parse(client.get("/page/mahinur-ozdemir-goktas/").text)
    main = find(page, "main")[0]
    text = _text_without_curies(main)
    assert "hkd:" not in text
    assert "Göktaş's office as Minister of Family and Social Services" in text
    objects = [o for o in find(main, "span", "object") if find(o, "a")]
    assert objects and all(not a.all_text().startswith(("hkd:", "schema:", "hk:"))
                           for o in objects for a in find(o, "a"))
