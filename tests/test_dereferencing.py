"""Every IRI of the project's namespaces that the release uses dereferences on the live
server, as a browser and as an RDF client would ask for it (Cool URIs for the Semantic
Web: 303 See Other for things, hash IRIs served by their document).

The IRIs are read from every file of dist/ (every term of every RDF file, named graphs
included, ``xsd:anyURI`` literals too, and the IRIs in the JSON files), all under
https://w3id.org/haberkg/ (the server maps BASE + X to /X). Each one, its fragment
removed, must answer 200, or 303 (or 301 for a moved page) and then 200, with HTML to
``Accept: text/html`` and with Turtle that parses to ``Accept: text/turtle``. Release
files (/dist/…) are served as they are, whatever is asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from .servers import live_app

BASE = "https://w3id.org/haberkg/"
FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE,
           ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
           ".rdf": ox.RdfFormat.RDF_XML}
ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"


def release_iris(dist: Path) -> set[str]:
    """Every IRI under BASE that a file of the release names."""
    found: set[str] = set()
    for path in sorted(dist.rglob("*")):  # dist/articles/ too
        if path.name.startswith(".") or not path.is_file():
            continue
        fmt = FORMATS.get(path.suffix) if path.name != "context.jsonld" else None
        if fmt is None:
            found |= set(re.findall(r"https://w3id\.org/haberkg/[^\"\s<>\\]*",
                                    path.read_text(encoding="utf-8")))
            continue
        for quad in ox.parse(path=str(path), format=fmt):
            for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                if isinstance(term, ox.NamedNode) or (
                        isinstance(term, ox.Literal) and term.datatype.value == ANY_URI):
                    found.add(term.value)
    return {iri for iri in found if iri.startswith(BASE)}


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    with live_app(release, workers=2) as live:
        yield live.url


@pytest.fixture(scope="module")
def iris(release: Path) -> list[str]:
    found = sorted(release_iris(release))
    # the dataset, a partition, the version IRI, the shapes, a claim, a statement, an
    # annotation: the kinds the walk must meet
    for needle in ("id/dataset", "id/dataset-class-", "ontology/0.", "shapes#", "id/claim-",
                   "id/statement-", "id/annotation-", "ontology/imports/schemaorg"):
        assert any(needle in iri for iri in found), needle
    return found


def _get(client: httpx.Client, url: str, accept: str) -> tuple[list[int], httpx.Response]:
    statuses: list[int] = []
    response = client.get(url, headers={"Accept": accept})
    while response.status_code in (301, 303) and len(statuses) < 3:
        statuses.append(response.status_code)
        response = client.get(httpx.URL(url).join(response.headers["location"]),
                              headers={"Accept": accept})
    statuses.append(response.status_code)
    return statuses, response


def _problems(server: str, iri: str) -> list[str]:
    url = server + "/" + iri[len(BASE):].split("#", 1)[0]
    problems = []
    with httpx.Client(timeout=30) as client:
        for accept, media in (("text/html", "text/html"), ("text/turtle", "text/turtle")):
            statuses, response = _get(client, url, accept)
            if statuses[-1] != 200 or len(statuses) > 2:
                problems.append(f"{iri} ({accept}): {statuses}")
                continue
            if "/dist/" in url:
                continue  # a release file is what it is
            if iri.startswith(BASE + "id/") and statuses[0] != 303:
                problems.append(f"{iri} ({accept}): {statuses[0]}, not 303 See Other")
            got = response.headers.get("content-type", "")
            if not got.startswith(media):
                problems.append(f"{iri} ({accept}): {got}")
            elif media == "text/turtle":
                graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
                if iri.startswith(BASE + "id/") and "#" not in iri and not any(
                        iri in (t.subject.value, t.object.value) for t in graph):
                    problems.append(f"{iri}: its Turtle does not mention it")
    return problems


def test_every_iri_of_the_release_dereferences(server: str, iris: list[str]) -> None:
    with ThreadPoolExecutor(8) as pool:
        problems = [p for found in pool.map(lambda iri: _problems(server, iri), iris)
                    for p in found]
    assert problems == [], f"{len(problems)} of {len(iris)} IRIs: {problems[:20]}"
    assert len(iris) > 1500
