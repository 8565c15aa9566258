"""docs/graph.svg, the README's picture of the graph page, is what scripts/graph-svg.py
writes from the release today (Graphviz `dot`, Debian 12's graphviz)."""

from __future__ import annotations

import shutil
from pathlib import Path

from haberkg.web.view import graph_svg_file

from .conftest import ROOT


def test_the_readme_graph_picture_is_up_to_date(release: Path) -> None:
    dot = shutil.which("dot")
    assert dot, "Graphviz is missing: apt-get install graphviz"
    svg = graph_svg_file(release, dot)
    assert svg == (ROOT / "docs" / "graph.svg").read_bytes(), \
        "docs/graph.svg is out of date: run python scripts/graph-svg.py"
    text = svg.decode("utf-8")
    # names and properties of the article (data/people.ttl, data/meeting.ttl)
    assert "Mahinur Özdemir Göktaş" in text and "Anar Aliyev" in text
    assert ">host<" in text and ">signatory<" in text
    assert "graph.svg" in (ROOT / "README.md").read_text("utf-8")
