"""HTTP as caches, browsers and RDF clients expect it, on a running ``haberkg serve``:
validators and conditional requests (RFC 9110 sections 8.8 and 13), Cache-Control
(RFC 9111), compression, CORS (Fetch standard), Vary, Link headers (RFC 8288), content
negotiation for every RDF format pyoxigraph writes, the service description (SPARQL 1.1
Service Description), the VoID description in the store, robots.txt and sitemap.xml
(sitemaps.org), and the access log."""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from .servers import Live, live_app

HKD = "https://w3id.org/haberkg/id/"
SD = "http://www.w3.org/ns/sparql-service-description#"
IDENTITY = {"Accept-Encoding": "identity"}
READ_ONLY = ["/", "/id/baku", "/page/baku/", "/data/baku.ttl", "/dist/haberkg.nt",
             "/.well-known/void", "/ontology", "/ontology.ttl", "/shapes", "/timeline/",
             "/sparql", "/sparql?query=ASK%7B%7D", "/robots.txt", "/sitemap.xml",
             "/static/query.js", "/nowhere"]
# pyoxigraph's RDF formats that it can write, by media type (its own table)
WRITTEN = [f for f in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS,
                       ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD,
                       ox.RdfFormat.N3)]


@pytest.fixture(scope="module")
def live(release: Path) -> Iterator[Live]:
    with live_app(release, workers=1) as server:
        yield server


@pytest.fixture(scope="module")
def url(live: Live) -> str:
    return live.url


def _sums(release: Path) -> dict[str, str]:
    lines = (release / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines)}


def test_a_release_file_has_its_checksum_as_strong_etag(url: str, release: Path) -> None:
    response = httpx.get(url + "/dist/haberkg.nt", headers=IDENTITY)
    assert response.headers["etag"] == f'"{_sums(release)["haberkg.nt"]}"'  # strong: no W/
    assert response.content == (release / "haberkg.nt").read_bytes()


@pytest.mark.parametrize("path", ["/dist/haberkg.nt", "/page/baku/", "/data/baku.ttl",
                                  "/ontology", "/sparql?query=ASK%7B%7D"])
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_conditional_get_is_304(url: str, path: str, encoding: str) -> None:
    headers = {"Accept-Encoding": encoding}
    first = httpx.get(url + path, headers=headers)
    assert first.status_code == 200
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    again = httpx.get(url + path, headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert again.headers.get("vary") == first.headers.get("vary")
    assert httpx.get(url + path, headers={**headers, "If-None-Match": f"W/{tag}"}
                     ).status_code == 304  # If-None-Match compares weakly
    assert httpx.get(url + path, headers={**headers, "If-None-Match": '"other", ' + tag}
                     ).status_code == 304
    assert httpx.get(url + path, headers={**headers, "If-Modified-Since": modified}
                     ).status_code == 304
    assert httpx.get(url + path, headers={**headers, "If-None-Match": '"other"'}
                     ).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 section 13.1.3)
    assert httpx.get(url + path, headers={**headers, "If-None-Match": '"other"',
                                          "If-Modified-Since": modified}).status_code == 200
    earlier = email.utils.formatdate(
        email.utils.parsedate_to_datetime(modified).timestamp() - 3600, usegmt=True)
    assert httpx.get(url + path, headers={**headers, "If-Modified-Since": earlier}
                     ).status_code == 200


def test_cache_control(url: str) -> None:
    assert "max-age" in httpx.get(url + "/page/baku/").headers["cache-control"]
    assert "max-age" in httpx.get(url + "/id/baku").headers["cache-control"]  # the 303
    assert httpx.get(url + "/nowhere").headers["cache-control"] == "no-store"
    bad = httpx.get(url + "/sparql", params={"query": "SELECT"})
    assert (bad.status_code, bad.headers["cache-control"]) == (400, "no-store")
    post = httpx.post(url + "/sparql", data={"query": "ASK {}"})
    assert post.headers["cache-control"] == "no-store"
    assert "etag" not in post.headers


def test_the_dump_is_compressed(url: str, release: Path) -> None:
    body = (release / "haberkg.nt").read_bytes()
    with httpx.stream("GET", url + "/dist/haberkg.nt",
                      headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in response.headers["vary"].lower()
        assert int(response.headers["content-length"]) == len(raw) < len(body) / 4
        gzipped_tag = response.headers["etag"]
    assert gzip.decompress(raw) == body
    plain = httpx.get(url + "/dist/haberkg.nt", headers=IDENTITY)
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] != gzipped_tag  # two encodings, two strong validators


def test_tiny_answers_are_not_compressed(url: str) -> None:
    response = httpx.get(url + "/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert len(response.content) < 1024
    assert "content-encoding" not in response.headers


def test_head_has_the_headers_of_get(url: str) -> None:
    for path in ("/dist/haberkg.nt", "/page/baku/", "/sparql?query=ASK%7B%7D"):
        get = httpx.get(url + path, headers={"Accept-Encoding": "gzip"})
        head = httpx.head(url + path, headers={"Accept-Encoding": "gzip"})
        assert head.status_code == 200 and head.content == b""
        for name in ("etag", "content-length", "content-type", "content-encoding", "link"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)


@pytest.mark.parametrize("path", READ_ONLY)
def test_cors_on_every_read_only_resource(url: str, path: str) -> None:
    response = httpx.get(url + path, headers={"Origin": "https://elsewhere.test"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "etag" in response.headers["access-control-expose-headers"].lower()


def test_cors_preflight(url: str) -> None:
    for path in ("/sparql", "/id/baku", "/data/baku.ttl"):
        response = httpx.options(url + path, headers={
            "Origin": "https://elsewhere.test", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == "*"
        assert "content-type" in response.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize(("path", "accept"), [
    ("/", "text/html"), ("/id/baku", "text/turtle"), ("/ontology", "text/html"),
    ("/ontology", "text/turtle"), ("/shapes", "text/html"), ("/.well-known/void", "text/turtle"),
    ("/sparql", "text/html"), ("/sparql", "text/turtle"), ("/sparql?query=ASK%7B%7D", "*/*"),
    ("/ontology/0.1.0", "text/turtle"), ("/id/", "text/turtle")])
def test_vary_accept_on_every_negotiated_answer(url: str, path: str, accept: str) -> None:
    response = httpx.get(url + path, headers={"Accept": accept})
    assert "accept" in [v.strip().lower() for v in response.headers["vary"].split(",")]


@pytest.mark.parametrize("fmt", WRITTEN, ids=[f.name for f in WRITTEN])
def test_every_rdf_format_pyoxigraph_writes_is_offered(url: str, fmt: ox.RdfFormat) -> None:
    response = httpx.get(url + "/id/baku", headers={"Accept": fmt.media_type},
                         follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(fmt.media_type)
    quads = list(ox.parse(response.content, format=fmt))
    assert any(q.subject.value == HKD + "baku" for q in quads)


@pytest.mark.parametrize("accept", ["image/png", "application/json", "text/turtle;q=0"])
def test_no_acceptable_format_is_406(url: str, accept: str) -> None:
    """application/json is not JSON-LD: JSON-LD is application/ld+json (JSON-LD 1.1
    section 9.1); a client that accepts only plain JSON gets 406 and the list of formats."""
    response = httpx.get(url + "/id/baku", headers={"Accept": accept})
    assert response.status_code == 406
    assert "application/ld+json" in response.text
    assert 'rel="alternate"' in response.headers["link"]


def test_link_headers(url: str) -> None:
    redirect = httpx.get(url + "/id/baku", headers={"Accept": "text/turtle"})
    for target, media in (("/page/baku/", "text/html"), ("/data/baku.nt", "application/n-triples"),
                          ("/data/baku.jsonld", "application/ld+json")):
        assert f'<{target}>; rel="alternate"; type="{media}"' in redirect.headers["link"]
    page = httpx.get(url + "/page/baku/")
    assert '</data/baku.ttl>; rel="alternate"; type="text/turtle"' in page.headers["link"]
    assert 'hreflang="tr"' in page.headers["link"]
    for path in ("/page/baku/", "/data/baku.ttl", "/dist/haberkg.nt", "/ontology",
                 "/sparql?query=ASK%7B%7D"):
        link = httpx.get(url + path).headers["link"]
        assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in link, path
        assert '</.well-known/void>; rel="describedby"' in link, path


def test_the_licence_is_in_the_data(url: str) -> None:
    response = httpx.get(url + "/data/baku.ttl")
    graph = {t.triple for t in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    document = ox.NamedNode("https://w3id.org/haberkg/data/baku.ttl")
    assert ox.Triple(document, ox.NamedNode("http://purl.org/dc/terms/license"),
                     ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")) in graph
    assert ox.Triple(document, ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic"),
                     ox.NamedNode(HKD + "baku")) in graph


@pytest.mark.parametrize("fmt", WRITTEN, ids=[f.name for f in WRITTEN])
def test_service_description_in_every_rdf_format(url: str, fmt: ox.RdfFormat) -> None:
    response = httpx.get(url + "/sparql", headers={"Accept": fmt.media_type})
    assert response.headers["content-type"].startswith(fmt.media_type)
    store = ox.Store()
    store.extend(ox.parse(response.content, format=fmt))
    endpoint = "https://w3id.org/haberkg/sparql"
    ask = store.query(f"""PREFIX sd: <{SD}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        ASK {{ <{endpoint}> a sd:Service ; sd:endpoint <{endpoint}> ;
               sd:supportedLanguage sd:SPARQL11Query ;
               sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> ,
                               <http://www.w3.org/ns/formats/Turtle> ;
               rdfs:seeAlso <https://w3id.org/haberkg/.well-known/void> ;
               sd:defaultDataset ?d . ?d sd:defaultGraph ?g ;
               sd:namedGraph [ sd:name <https://w3id.org/haberkg/dist/void.ttl> ] }}""")
    assert bool(ask)


def test_the_void_description_is_queryable(url: str) -> None:
    response = httpx.get(url + "/sparql", headers={"Accept": "application/sparql-results+json"},
                         params={"query": """PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?endpoint ?modified WHERE { GRAPH <https://w3id.org/haberkg/dist/void.ttl> {
          <https://w3id.org/haberkg/id/dataset> void:sparqlEndpoint ?endpoint ;
            dcterms:modified ?modified ; dcterms:issued ?issued ;
            dcterms:publisher ?publisher ; dcterms:creator ?creator } }"""})
    rows = response.json()["results"]["bindings"]
    assert [r["endpoint"]["value"] for r in rows] == ["https://w3id.org/haberkg/sparql"]


def test_robots_and_sitemap(url: str, live: Live) -> None:
    robots = httpx.get(url + "/robots.txt").text
    assert "Sitemap: https://w3id.org/haberkg/sitemap.xml" in robots
    assert "Disallow: /sparql?" in robots
    sitemap = ET.fromstring(httpx.get(url + "/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {loc.text for loc in sitemap.findall("s:url/s:loc", ns)}
    names = live.app.state.site.resources()
    assert len(names) > 1000
    for name in names:
        assert f"https://w3id.org/haberkg/page/{name}/" in locations
        assert f"https://w3id.org/haberkg/page/{name}/tr/" in locations
    assert "https://w3id.org/haberkg/timeline/" in locations


def test_the_access_log_has_what_a_publisher_needs(url: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="haberkg.access"):
        httpx.get(url + "/page/baku/", headers={"User-Agent": "probe/1.0",
                                                "Referer": "https://elsewhere.test/x"})
        deadline = time.monotonic() + 5  # the line is written once the answer is sent
        while not any("probe/1.0" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "no access log line"
            time.sleep(0.01)
    line = next(r.getMessage() for r in caplog.records if "probe/1.0" in r.getMessage())
    assert line.startswith("127.0.0.1 \"GET /page/baku/\" 200 ")
    assert '"https://elsewhere.test/x" "probe/1.0"' in line
    assert " ms " in line


def test_old_page_urls_move_to_the_static_scheme(url: str) -> None:
    for old, new in (("/page/baku", "/page/baku/"), ("/page/baku?lang=tr", "/page/baku/tr/"),
                     ("/timeline", "/timeline/"), ("/graph", "/graph/")):
        response = httpx.get(url + old)
        assert (response.status_code, response.headers["location"]) == (301, new)
    assert hashlib.sha256(httpx.get(url + "/page/baku/tr/").content).hexdigest() != \
        hashlib.sha256(httpx.get(url + "/page/baku/").content).hexdigest()
