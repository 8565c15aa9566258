"""The W3C SPARQL 1.1 Protocol tests, run from their manifest against a running
``haberkg serve`` (tests/w3c/protocol: the manifest, unmodified, and what each test means
for a read-only endpoint that never fetches a graph, in applicability.toml).

Every request is the manifest's own (method, path, headers, body in its character
encoding), sent over real HTTP; the expectations are the manifest's (status class, result
format, boolean). The ``ut:graphData`` of the tests (data1.nt … data3.nt) are loaded into
the served store as named graphs, named by their labels, as the manifest says. The table
of verdicts is written to test-artifacts/w3c-protocol.md.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from .conftest import ROOT
from .servers import live_app
from .test_server import resum

SUITE = ROOT / "tests" / "w3c" / "protocol"
MANIFEST = SUITE / "manifest.ttl"
BASE = "https://w3c.github.io/rdf-tests/sparql/sparql11/protocol/manifest.ttl"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ARTIFACTS = ROOT / "test-artifacts"
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
# mf:expectedFormat, by the media types the manifest's test names list
TABULAR = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
           "text/tab-separated-values"}
BOOLEAN = {"application/sparql-results+xml", "application/sparql-results+json"}
GRAPH = {"application/rdf+xml": ox.RdfFormat.RDF_XML, "text/turtle": ox.RdfFormat.TURTLE,
         "application/n-triples": ox.RdfFormat.N_TRIPLES}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
pytestmark = pytest.mark.xdist_group("w3c-protocol")


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # "2xx", "3xx", "4xx"
    boolean: bool | None
    format: str | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: tuple[HttpRequest, ...]
    graphs: dict[str, Path] = field(default_factory=dict)  # graph name -> data file


def _one(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> Term | None:
    return next((q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate),
                                                           None)), None)


def _all(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[Term]:
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _list(store: ox.Store, head: Term | None) -> list[Term]:
    out = []
    while isinstance(head, ox.BlankNode | ox.NamedNode) and head.value != RDF + "nil":
        first = _one(store, head, RDF + "first")
        assert first is not None
        out.append(first)
        head = _one(store, head, RDF + "rest")
    return out


def _request(store: ox.Store, node: ox.BlankNode) -> HttpRequest:
    headers = {}
    for header in _list(store, _one(store, node, HT + "headers")):
        assert isinstance(header, ox.BlankNode)
        name, value = _one(store, header, HT + "fieldName"), _one(store, header, HT + "fieldValue")
        assert name is not None and value is not None
        headers[name.value] = value.value
    body: bytes | None = None
    content = _one(store, node, HT + "body")
    if isinstance(content, ox.BlankNode):
        chars = _one(store, content, CNT + "chars")
        encoding = _one(store, content, CNT + "characterEncoding")
        assert chars is not None and encoding is not None
        body = chars.value.encode(encoding.value)
    response = _one(store, node, HT + "resp")
    assert isinstance(response, ox.BlankNode)
    boolean = _one(store, response, MF + "expectedBoolean")
    fmt = _one(store, response, MF + "expectedFormat")
    method, path = _one(store, node, HT + "methodName"), _one(store, node, HT + "absolutePath")
    assert method is not None and path is not None
    return HttpRequest(
        method.value, path.value, headers, body,
        frozenset(s.value.removeprefix(HTS) for s in _all(store, response, MF + "expectedStatus")),
        None if boolean is None else boolean.value == "true",
        None if fmt is None else fmt.value)


def manifest() -> list[ProtocolTest]:
    """The tests of the manifest, in its order."""
    store = ox.Store()
    store.load(path=str(MANIFEST), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    top = ox.NamedNode(BASE)
    tests = []
    for entry in _list(store, _one(store, top, MF + "entries")):
        assert isinstance(entry, ox.NamedNode)
        action = _one(store, entry, MF + "action")
        assert isinstance(action, ox.BlankNode)
        requests = tuple(_request(store, r) for r in _list(store, _one(store, action,
                                                                      HT + "requests"))
                         if isinstance(r, ox.BlankNode))
        graphs = {}
        for data in _all(store, entry, UT + "graphData"):
            assert isinstance(data, ox.BlankNode)
            graph, label = _one(store, data, UT + "graph"), _one(store, data, RDFS + "label")
            assert graph is not None and label is not None
            graphs[label.value] = SUITE / graph.value.rsplit("/", 1)[-1]
        title = _one(store, entry, MF + "name")
        tests.append(ProtocolTest(entry.value.split("#")[-1], title.value if title else "",
                                  requests, graphs))
    return tests


TESTS = manifest()
VERDICTS: dict[str, dict[str, object]] = tomllib.loads(
    (SUITE / "applicability.toml").read_text(encoding="utf-8"))
RESULTS: dict[str, str] = {}


def test_every_test_of_the_manifest_has_a_verdict() -> None:
    assert sorted(VERDICTS) == sorted(t.name for t in TESTS)
    assert len(TESTS) == 34  # the manifest's mf:entries
    for name, verdict in VERDICTS.items():
        assert verdict["verdict"] in ("pass", "refused", "not-applicable"), name
        if verdict["verdict"] != "pass":
            assert verdict.get("reason"), f"{name}: a test that does not pass says why"


@pytest.fixture(scope="module")
def endpoint(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """haberkg serve on a copy of the release whose store also holds the tests' graphs."""
    dist = tmp_path_factory.mktemp("protocol") / "dist"
    import shutil

    shutil.copytree(release, dist)
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs.update(test.graphs)
    with open(dist / "haberkg.trig", "a", encoding="utf-8") as trig:
        for name, data in sorted(graphs.items()):
            trig.write(f"\n<{name}> {{\n{data.read_text(encoding='utf-8')}}}\n")
    resum(dist)
    with live_app(dist, workers=2) as live:
        yield live.url + "/sparql"
    _write_table()


def _send(url: str, request: HttpRequest, drop_dataset: bool = False) -> httpx.Response:
    parts = urlsplit(request.path)
    assert parts.path.startswith("/sparql/"), request.path  # as the manifest promises
    query = parse_qsl(parts.query, keep_blank_values=True)
    if drop_dataset:
        query = [(k, v) for k, v in query if k not in DATASET_PARAMETERS]
    target = url + parts.path[len("/sparql"):].rstrip("/") + (
        "?" + urlencode(query) if query else "")
    return httpx.request(request.method, target, headers=request.headers,
                         content=request.body, timeout=30, follow_redirects=True)


def _meets(request: HttpRequest, response: httpx.Response) -> list[str]:
    """What of the manifest's expectations the response does not meet (empty: all)."""
    problems = []
    if f"{response.status_code // 100}xx" not in request.statuses:
        problems.append(f"status {response.status_code}, expected {sorted(request.statuses)}: "
                        f"{response.text[:200]}")
        return problems
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if request.format == "tabular" and media not in TABULAR:
        problems.append(f"{media} is not a SPARQL results format")
    if request.format == "RDF":
        if media not in GRAPH:
            problems.append(f"{media} is not RDF/XML, Turtle or N-Triples")
        else:
            list(ox.parse(response.content, format=GRAPH[media]))
    if request.format == "boolean" or request.boolean is not None:
        if media not in BOOLEAN:
            problems.append(f"{media} is not a boolean result format")
        elif request.boolean is not None:
            answer = (json.loads(response.content)["boolean"] if media.endswith("json")
                      else b"<boolean>true</boolean>" in response.content)
            if answer is not request.boolean:
                problems.append(f"answered {answer}, expected {request.boolean}")
    return problems


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(endpoint: str, test: ProtocolTest) -> None:
    verdict = VERDICTS[test.name]
    if verdict["verdict"] == "not-applicable":
        RESULTS[test.name] = f"not applicable: {verdict['reason']}"
        return
    if verdict["verdict"] == "pass":
        for request in test.requests:
            problems = _meets(request, _send(endpoint, request))
            assert not problems, f"{test.name}: {problems}"
        RESULTS[test.name] = "pass"
        return
    first = test.requests[0]
    response = _send(endpoint, first)
    assert response.status_code == verdict["status"], (test.name, response.text)
    assert str(verdict["message"]) in response.text, (test.name, response.text)
    RESULTS[test.name] = f"refused as intended ({response.status_code}): {verdict['reason']}"
    if verdict.get("variant") == "without-dataset":
        for request in test.requests:
            problems = _meets(request, _send(endpoint, request, drop_dataset=True))
            assert not problems, f"{test.name} without the dataset parameter: {problems}"
        RESULTS[test.name] += "; without the dataset parameter: pass"


def _write_table() -> None:
    if not RESULTS:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    lines = ["| test | verdict |", "| --- | --- |"]
    lines += [f"| {t.name} | {RESULTS.get(t.name, 'not run')} |" for t in TESTS]
    (ARTIFACTS / "w3c-protocol.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
