"""The static export on Debian's nginx and Apache, configured as the README says.

Each server serves ``DIR/site`` with the generated rules (nginx: ``DIR/nginx.conf`` in the
``server {}`` block and ``DIR/nginx-http.conf`` in ``http {}``; Apache: the site's
``.htaccess`` with ``AllowOverride All``). What a browser and an RDF client need: the
right media types (a page is text/html, not a download), 303 by Accept with q-values
(``q=0`` included), ``Vary: Accept`` on every negotiated 303, content negotiation for the
ontology, its version IRI, the import module and the shapes, and no configuration file
ever served. The expected answers come from the standards (RFC 9110 content
negotiation, the Cool URIs note), not from the program.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from haberkg import __version__

from . import webservers

pytestmark = pytest.mark.xdist_group("static-servers")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
# (Accept, where /id/anar-aliyev must send the client), by RFC 9110 section 12.5.1
NEGOTIATION = [
    (BROWSER, "/page/anar-aliyev/"),
    ("", "/page/anar-aliyev/"),
    ("*/*", "/page/anar-aliyev/"),
    ("text/turtle", "/data/anar-aliyev.ttl"),
    ("application/n-triples", "/data/anar-aliyev.nt"),
    ("application/ld+json", "/data/anar-aliyev.jsonld"),
    ("application/rdf+xml", "/data/anar-aliyev.rdf"),
    ("application/trig", "/data/anar-aliyev.trig"),
    ("application/n-quads", "/data/anar-aliyev.nq"),
    ("text/turtle;q=0, */*", "/page/anar-aliyev/"),
    ("text/turtle; q=0.0, text/html", "/page/anar-aliyev/"),
    ("text/turtle;q=0, application/ld+json", "/data/anar-aliyev.jsonld"),
    ("text/html;q=0.5, text/turtle", "/data/anar-aliyev.ttl"),
    ("TEXT/TURTLE", "/data/anar-aliyev.ttl"),
    ("text/turtle;q=0.9, text/html;q=0.1", "/data/anar-aliyev.ttl"),
]
TYPES = [
    ("/", "text/html"), ("/page/anar-aliyev/", "text/html"), ("/timeline/", "text/html"),
    ("/sparql/", "text/html"), ("/ontology/", "text/html"), ("/shapes/", "text/html"),
    ("/static/query.js", "javascript"), ("/static/yasgui/yasgui.min.css", "text/css"),
    ("/static/oxigraph/web_bg.wasm", "application/wasm"),
    ("/data/anar-aliyev.ttl", "text/turtle"), ("/data/anar-aliyev.nt", "application/n-triples"),
    ("/data/anar-aliyev.jsonld", "application/ld+json"),
    ("/data/anar-aliyev.rdf", "application/rdf+xml"),
    ("/data/anar-aliyev.trig", "application/trig"),
    ("/data/anar-aliyev.nq", "application/n-quads"),
    ("/dist/haberkg.nt", "application/n-triples"), ("/.well-known/void", "text/turtle"),
    ("/ontology.ttl", "text/turtle"), ("/robots.txt", "text/plain"),
    ("/sitemap.xml", "xml"),
]
CONFIGS = ["/.htaccess", "/_redirects", "/nginx.conf", "/nginx-http.conf", "/.haberkg-site",
           "/site/.htaccess", "/%2Ehtaccess", "/page/../.htaccess"]


@pytest.fixture(scope="module", params=["nginx", "apache"])
def server(request: pytest.FixtureRequest, static_export: Path) -> Iterator[str]:
    webservers.readable(static_export)
    with getattr(webservers, request.param)(static_export) as url:
        yield url


@pytest.mark.parametrize(("path", "media"), TYPES)
def test_media_types(server: str, path: str, media: str) -> None:
    response = httpx.get(server + path)
    assert response.status_code == 200, path
    assert media in response.headers["content-type"], (path, response.headers["content-type"])
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(("accept", "target"), NEGOTIATION)
def test_303_by_accept_with_q_values(server: str, accept: str, target: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server + "/id/anar-aliyev", headers=headers)
    assert response.status_code == 303, accept
    assert response.headers["location"].endswith(target), (accept, response.headers["location"])
    assert "accept" in response.headers["vary"].lower()
    assert response.headers["access-control-allow-origin"] == "*"
    assert httpx.get(server + target).status_code == 200


@pytest.mark.parametrize(("path", "accept", "target"), [
    ("/ontology", "text/turtle", "/ontology.ttl"),
    ("/ontology", "application/rdf+xml", "/ontology.rdf"),
    ("/ontology", BROWSER, "/ontology/"),
    ("/ontology", "text/turtle;q=0, */*", "/ontology/"),
    (f"/ontology/{__version__}", "text/turtle", "/ontology.ttl"),
    (f"/ontology/{__version__}", BROWSER, "/ontology/"),
    ("/ontology/imports/schemaorg", "text/turtle", "/ontology/imports/schemaorg.ttl"),
    ("/shapes", "application/ld+json", "/shapes.jsonld"),
    ("/shapes", BROWSER, "/shapes/"),
])
def test_ontology_and_shapes_are_negotiated(server: str, path: str, accept: str,
                                            target: str) -> None:
    response = httpx.get(server + path, headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"].endswith(target)
    assert "accept" in response.headers["vary"].lower()
    document = httpx.get(server + target)
    assert document.status_code == 200
    if target == "/ontology.ttl":
        graph = {t.triple for t in ox.parse(document.content, format=ox.RdfFormat.TURTLE)}
        ontology = ox.NamedNode("https://w3id.org/haberkg/ontology")
        assert ox.Triple(ontology, ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI"),
                         ox.NamedNode(f"https://w3id.org/haberkg/ontology/{__version__}")) in graph


@pytest.mark.parametrize("path", CONFIGS)
def test_config_files_are_never_served(server: str, path: str) -> None:
    response = httpx.get(server + path)
    assert response.status_code in (403, 404), (path, response.status_code)
    assert b"RewriteRule" not in response.content
    assert b"add_header" not in response.content


def test_a_page_is_shown_not_downloaded(server: str) -> None:
    response = httpx.get(server + "/page/anar-aliyev/", headers={"Accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    assert "attachment" not in response.headers.get("content-disposition", "")
    assert "<h1>Anar Aliyev</h1>" in response.text


def test_compression_and_cors(server: str) -> None:
    response = httpx.get(server + "/dist/haberkg.nt", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert response.headers["access-control-allow-origin"] == "*"
    assert 'rel="license"' in response.headers["link"]


def test_the_sparql_page_alone_may_compile_webassembly(server: str) -> None:
    page = httpx.get(server + "/sparql/")
    assert "'wasm-unsafe-eval'" in page.headers["content-security-policy"]
    other = httpx.get(server + "/page/anar-aliyev/")
    assert "wasm-unsafe-eval" not in other.headers["content-security-policy"]
    shared = httpx.get(server + "/sparql?query=ASK%20%7B%7D")
    assert shared.status_code == 301
    assert shared.headers["location"].endswith("/sparql/?query=ASK%20%7B%7D")
