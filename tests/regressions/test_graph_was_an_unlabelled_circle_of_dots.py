"""Defect: the graph page was a circle of dots with unlabelled crossing edges, no legend and
no colour by type. Now it is laid out by cytoscape.js (served by the site), with a legend,
nodes coloured by kind and every edge labelled with its property (the browser tests check
the layout itself)."""

from __future__ import annotations

import json
from pathlib import Path

from ..html import find, parse
from ..servers import app_client


def test_graph_was_an_unlabelled_circle_of_dots(release: Path) -> None:
    with app_client(release, workers=1) as client:
        html = client.get("/graph/").text
        script = client.get("/static/cytoscape/cytoscape.min.js")
    page = parse(html)
    assert script.status_code == 200, "cytoscape is missing: run `npm ci`"
    assert '<script src="/static/cytoscape/cytoscape.min.js">' in html
    legend = [e.all_text().strip() for e in find(find(page, "ul", "legend")[0], "li")]
    assert legend[:6] == ["person", "group of people", "organisation", "place", "event",
                          "document"]
    data = json.loads(html.split('id="graph-data">', 1)[1].split("</script>", 1)[0])
    assert data["edges"] and all(e["label"] for e in data["edges"])
    kinds = {n["id"].rsplit("/", 1)[-1]: n["kind"] for n in data["nodes"]}
    assert kinds["anar-aliyev"] == "person"  # data/people.ttl: a schema:Person
    assert kinds["baku"] == "place"  # data/places.ttl: a schema:City
    assert "<circle" not in html
