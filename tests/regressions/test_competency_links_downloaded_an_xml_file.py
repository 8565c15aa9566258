"""Defect: the competency-question links under the editor (/sparql?query=…) made a browser
download an XML file of results. A browser (which prefers HTML) gets the query page with
the query in the editor, run; other clients still get the answer."""

from __future__ import annotations

from starlette.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_competency_links_downloaded_an_xml_file(site: TestClient) -> None:
    query = "ASK { ?s ?p ?o }"
    page = site.get("/sparql", params={"query": query}, headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")
    assert '"ASK { ?s ?p ?o }"' in page.text  # handed to the editor
    answer = site.get("/sparql", params={"query": query},
                      headers={"Accept": "application/sparql-results+xml"})
    assert answer.headers["content-type"].startswith("application/sparql-results+xml")
