"""haberkg serve: SPARQL protocol, dereferencing, pages, hardening (a real HTTP server)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from starlette.testclient import TestClient

from haberkg.web.app import create_app

from .servers import Live, app_client, live_app

HKD = "https://w3id.org/haberkg/id/"
TIMEOUT = 3.0  # the query time limit of the servers here, in seconds


@pytest.fixture(scope="module")
def client(release: Path) -> Iterator[TestClient]:
    with app_client(release, query_timeout=TIMEOUT) as c:
        yield c


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[Live]:
    with live_app(release, query_timeout=TIMEOUT) as live:
        yield live


QUERY = ("PREFIX schema: <https://schema.org/> SELECT ?name WHERE { "
         "<https://w3id.org/haberkg/id/baku> schema:name ?name } ORDER BY ?name")


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_formats(server: Live, fmt: str) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(QUERY)
    client.setReturnFormat(fmt)
    response = client.query()
    body = response.response.read().decode("utf-8")
    # the names of Bakü in data/places.ttl: "Bakü"@tr and "Baku"@en (ordered by name)
    assert "Bakü" in body
    assert "Baku" in body
    if fmt == JSON:
        names = [(b["name"]["value"], b["name"]["xml:lang"])
                 for b in json.loads(body)["results"]["bindings"]]
        assert names == [("Baku", "en"), ("Bakü", "tr")]


def test_sparqlwrapper_post_and_ask(server: Live) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod("POST")
    client.setQuery("ASK { ?s a <https://w3id.org/haberkg/ontology#Signing> }")
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert isinstance(answer, dict)
    assert answer["boolean"] is True


def test_sparqlwrapper_construct(server: Live) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/haberkg/id/baku> ?p ?o }")
    client.addCustomHttpHeader("Accept", "application/n-triples")
    data = client.query().response.read()
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) >= 6


def test_bad_query_is_400_with_line(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n ?x ?y \n}"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("query:3:")


def test_updates_are_refused(client: TestClient) -> None:
    assert client.get("/sparql", params={"update": "INSERT DATA { <a:a> <a:b> <a:c> }"}
                      ).status_code == 403
    response = client.post("/sparql", content=b"INSERT DATA { <a:a> <a:b> <a:c> }",
                           headers={"content-type": "application/sparql-update"})
    assert response.status_code == 403
    response = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 403


def test_service_and_from_are_refused_before_running(client: TestClient) -> None:
    hits = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                  f"SELECT * FROM <http://127.0.0.1:{port}/g> WHERE {{ ?s ?p ?o }}",
                  "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 400
    try:
        conn, _ = listener.accept()
        hits.append(conn)
    except TimeoutError:
        pass
    listener.close()
    assert hits == []


def test_body_limit(client: TestClient) -> None:
    response = client.post("/sparql", content=b"#" * 1_100_000,
                           headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413


def test_cors_without_credentials(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"Origin": "https://elsewhere.test"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object.value.endswith("#SPARQL11Query") for t in graph)


@pytest.mark.parametrize(("accept", "target"), [
    ("text/html", "/page/anar-aliyev/"),
    ("text/turtle", "/data/anar-aliyev.ttl"),
    ("application/ld+json", "/data/anar-aliyev.jsonld"),
    ("application/n-triples", "/data/anar-aliyev.nt"),
    ("application/rdf+xml", "/data/anar-aliyev.rdf"),
    ("text/html;q=0.5, text/turtle", "/data/anar-aliyev.ttl"),
])
def test_dereferencing_is_303_by_accept(client: TestClient, accept: str, target: str) -> None:
    response = client.get("/id/anar-aliyev", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"] == target
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(("ext", "fmt"), [
    ("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
    ("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)])
def test_resource_data_formats(client: TestClient, ext: str, fmt: ox.RdfFormat) -> None:
    response = client.get(f"/data/anar-aliyev.{ext}")
    assert response.status_code == 200
    triples = {t.triple for t in ox.parse(response.content, format=fmt)}
    assert ox.Triple(ox.NamedNode(HKD + "anar-aliyev"), ox.NamedNode("https://schema.org/name"),
                     ox.Literal("Anar Əliyev", language="az")) in triples


def test_unknown_resource_is_404(client: TestClient) -> None:
    assert client.get("/id/nobody").status_code == 404
    assert client.get("/page/nobody").status_code == 404


def test_resource_page(client: TestClient) -> None:
    response = client.get("/page/anar-aliyev/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Anar Aliyev</h1>" in html
    assert 'application/ld+json' in html
    assert "Content-Security-Policy" in response.headers
    assert "Azerbaycan Çalışma ve Halkın Sosyal Koruması Bakanı Anar Aliyev" in html  # grounding
    tr = client.get("/page/baku/tr/").text
    assert "<h1>Bakü</h1>" in tr
    assert "<h1>Baku</h1>" in client.get("/page/baku/").text


def test_ontology_is_served(client: TestClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert "hk:Signing" in html.text
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert len(list(ox.parse(ttl.content, format=ox.RdfFormat.TURTLE))) > 300


def test_landing_page_links_mentions(client: TestClient) -> None:
    html = client.get("/").text
    assert '<a href="/id/anar-aliyev"' in html
    assert "haberkg.ttl" in html


def test_downloads_and_void(client: TestClient, release: Path) -> None:
    response = client.get("/dist/haberkg.ttl")
    assert response.content == (release / "haberkg.ttl").read_bytes()
    assert client.get("/.well-known/void").headers["content-type"].startswith("text/turtle")
    assert client.get("/dist/..%2Fpyproject.toml").status_code == 404
    assert client.get("/dist/%2E%2E%2Fpyproject.toml").status_code == 404


def resum(dist: Path) -> None:
    """Rewrite SHA256SUMS after a test changed files of its own copy of a release."""
    names = sorted(p.name for p in dist.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.name != "SHA256SUMS")
    (dist / "SHA256SUMS").write_text("".join(
        f"{hashlib.sha256((dist / n).read_bytes()).hexdigest()}  {n}\n" for n in names),
        encoding="ascii")


def test_html_is_escaped(scratch_release: Path) -> None:
    with open(scratch_release / "haberkg.nt", "a", encoding="utf-8") as handle:
        handle.write(f'<{HKD}baku> <https://schema.org/alternateName> '
                     '"<script>alert(1)</script>"@en .\n')
    resum(scratch_release)
    with app_client(scratch_release, workers=1) as client:
        html = client.get("/page/baku/").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_damaged_release_is_refused(scratch_release: Path) -> None:
    from haberkg.errors import InputError

    with open(scratch_release / "haberkg.nt", "a", encoding="utf-8") as handle:
        handle.write(f'<{HKD}baku> <https://schema.org/alternateName> "x"@en .\n')
    with pytest.raises(InputError, match="haberkg.nt does not match SHA256SUMS"):
        create_app(scratch_release)


RUNAWAY = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:p>)* ?b . ?c ?d ?e }",
    'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . '
    'FILTER (REGEX(CONCAT(STR(?c), STR(?f)), "^(a+)+$")) }',
]


@pytest.mark.serial
@pytest.mark.parametrize("query", RUNAWAY, ids=["cross-product", "path", "regex"])
def test_runaway_query_is_stopped_and_others_are_served(server: Live, query: str) -> None:
    """A runaway query is stopped at the time limit (its worker killed and replaced), and a
    quick query is answered by another worker while the runaway still runs. How fast the
    quick query is is measured in bench/server_bench.py, not here."""
    pool = server.pool
    assert pool.wait_whole(60), "the query pool did not heal after the previous runaway"
    outcome: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        response = httpx.get(server.url + "/sparql", params={"query": query}, timeout=60)
        outcome.update(status=response.status_code, text=response.text,
                       elapsed=time.monotonic() - start)

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(pool.idle) == pool.config.workers:  # the runaway has not reached a worker
            assert time.monotonic() < deadline, "the runaway query never reached a worker"
            time.sleep(0.01)
        response = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                             timeout=60)
        assert response.status_code == 200
        assert json.loads(response.text)["boolean"] is True
        assert thread.is_alive(), "the quick query waited for the runaway to end"
    finally:
        thread.join(60)
    assert outcome["status"] == 503, outcome
    assert f"ran longer than {TIMEOUT:g} s" in str(outcome["text"])
    # stopped at the limit: a killed worker, not a query that ran to its end (minutes)
    assert float(outcome["elapsed"]) < TIMEOUT + 10  # type: ignore[arg-type]
    assert pool.wait_whole(60), "the killed worker was not replaced"


def test_base_url_maps_public_iris_to_local_paths(release: Path) -> None:
    from haberkg.errors import InputError
    from haberkg.web.view import local_path

    assert local_path(HKD + "baku") == "/id/baku"
    assert local_path("https://w3id.org/haberkg/ontology#Signing") == "/ontology#Signing"
    assert local_path("https://w3id.org/haberkg/dist/haberkg.ttl") == "/dist/haberkg.ttl"
    assert local_path("https://schema.org/Person") is None
    assert local_path("https://data.test/kg/id/baku", "https://data.test/kg/") == "/id/baku"
    with pytest.raises(InputError, match="must end with /"):
        create_app(release, base_url="https://w3id.org/haberkg")
    with app_client(release, base_url="https://data.test/kg/", workers=1) as other:
        assert other.get("/id/baku").status_code == 404  # the data's IRIs are not under it


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_construct_and_describe_formats(server: Live, accept: str, fmt: ox.RdfFormat) -> None:
    for query in ("CONSTRUCT WHERE { <https://w3id.org/haberkg/id/baku> ?p ?o }",
                  "DESCRIBE <https://w3id.org/haberkg/id/baku>"):
        client = SPARQLWrapper(server.url + "/sparql")
        client.setQuery(query)
        client.addCustomHttpHeader("Accept", accept)
        response = client.query().response
        assert response.headers["Content-Type"].startswith(accept)
        assert len(list(ox.parse(response.read(), format=fmt))) >= 6


def test_unacceptable_format_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406
