"""The pages in a real headless Chromium (Debian's chromium + chromedriver, via selenium).

Screenshots go to test-artifacts/. Needs: apt-get install chromium chromium-driver, and
`npm ci` for the SPARQL editor (YASGUI).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ARTICLE_DIR, ROOT
from .servers import live_app

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"


def _need(binary: str, package: str) -> str:
    path = shutil.which(binary)
    assert path, f"{binary} is missing: apt-get install {package}"
    return path


@pytest.fixture(scope="module")
def site(release: Path) -> Iterator[str]:
    assert (ROOT / "node_modules" / "@zazuko" / "yasgui" / "build" / "yasgui.min.js").exists(), \
        "the SPARQL editor is missing: run `npm ci` in the project root"
    with live_app(release) as live:
        yield live.url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = _need("chromium", "chromium")
    driver_path = _need("chromedriver", "chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="haberkg-chromium-")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            driver.set_page_load_timeout(30)
            ARTIFACTS.mkdir(exist_ok=True)
            yield driver
        finally:
            driver.quit()  # chromedriver and Chromium stop, also when a test failed
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _errors(driver: object) -> list[str]:
    return [e["message"] for e in driver.get_log("browser")  # type: ignore[attr-defined]
            if e["level"] == "SEVERE"]


def _requests(driver: object) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:")):  # not chrome:// internals
                urls.append(url)
    return urls


def test_landing_page_and_mention_click(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(site + "/")  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / "landing.png"))  # type: ignore[attr-defined]
    assert _errors(driver) == []
    requests = _requests(driver)
    assert requests and all(u.startswith(site) for u in requests), requests
    link = driver.find_element(By.CSS_SELECTOR, '.article a[href="/id/anar-aliyev"]')  # type: ignore[attr-defined]
    link.click()
    assert driver.current_url == site + "/page/anar-aliyev/"  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "Anar Aliyev"  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / "resource.png"))  # type: ignore[attr-defined]


def test_language_switch(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(site + "/page/baku/")  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "Baku"  # type: ignore[attr-defined]
    driver.find_element(By.LINK_TEXT, "Türkçe").click()  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "Bakü"  # type: ignore[attr-defined]
    assert _errors(driver) == []


def test_query_page_runs_a_competency_query(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(site + "/sparql")  # type: ignore[attr-defined]
    wait: Any = WebDriverWait(driver, 20)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".yasqe_queryButton")))
    assert not driver.find_element(By.ID, "plain-form").is_displayed()  # type: ignore[attr-defined]
    tabs = driver.find_elements(By.CSS_SELECTOR, ".tabPanel, [role=tab]")  # type: ignore[attr-defined]
    assert len(tabs) >= 19
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()  # type: ignore[attr-defined]
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    # the first tab is the first corpus question, c01-events-of-a-person: Göktaş signed the
    # declaration first, and attended and hosted the meeting
    assert len(rows) == 3
    shown = driver.find_element(By.CSS_SELECTOR, ".yasr").text  # type: ignore[attr-defined]
    assert "meeting-of-goktas-and-aliyev" in shown
    assert "first-signing-of-the-declaration-by-goktas" in shown
    driver.save_screenshot(str(ARTIFACTS / "query.png"))  # type: ignore[attr-defined]
    assert _errors(driver) == []
    assert all(u.startswith(site) for u in _requests(driver))


def test_timeline_and_graph_pages(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(site + "/timeline")  # type: ignore[attr-defined]
    text = driver.find_element(By.TAG_NAME, "main").text  # type: ignore[attr-defined]
    assert "2025-05-22 – 2025-05-23" in text
    assert "between 2025-08-01 and 2025-09-04" in text
    driver.get(site + "/graph")  # type: ignore[attr-defined]
    from selenium.webdriver.support.ui import WebDriverWait

    wait: Any = WebDriverWait(driver, 30)
    wait.until(lambda d: d.find_element(By.ID, "graph").get_attribute("data-ready") == "true")
    assert driver.execute_script("return window.haberkgGraph.nodes().length") >= 20  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / "graph.png"))  # type: ignore[attr-defined]
    assert _errors(driver) == []


# ---------------------------------------------------------------------- shared links

def _expected_rows(name: str) -> list[list[str]]:
    """The hand-written expected answer of a competency query (W3C SPARQL TSV)."""
    lines = (ARTICLE_DIR / "queries" / "expected" / f"{name}.tsv").read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line]


def _query(name: str) -> str:
    return (ARTICLE_DIR / "queries" / f"{name}.rq").read_text("utf-8")


def _local_names(rows: list[list[str]]) -> set[str]:
    return {cell.strip("<>").rsplit("/", 1)[-1] for row in rows for cell in row
            if cell.startswith("<https://w3id.org/haberkg/id/")}


def test_a_shared_query_link_opens_the_editor_and_runs(site: str, browser: object) -> None:
    from urllib.parse import quote

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    name = "01-who-met-whom"
    driver.get(site + "/sparql?query=" + quote(_query(name)))  # type: ignore[attr-defined]
    wait: Any = WebDriverWait(driver, 20)
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    expected = _expected_rows(name)
    assert len(rows) == len(expected)
    text = driver.find_element(By.CSS_SELECTOR, ".yasr").text  # type: ignore[attr-defined]
    assert all(local in text for local in _local_names(expected))
    editor = driver.execute_script(  # type: ignore[attr-defined]
        "return document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor == _query(name)
    assert _errors(driver) == []


def test_competency_links_open_the_query_in_the_editor(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get(site + "/sparql")  # type: ignore[attr-defined]
    name = "03-what-aliyev-signed"
    driver.find_element(By.LINK_TEXT, name).click()  # type: ignore[attr-defined]
    wait: Any = WebDriverWait(driver, 20)
    rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
    assert len(rows) == len(_expected_rows(name))
    assert driver.current_url.startswith(site + "/sparql?query=")  # type: ignore[attr-defined]
    assert _errors(driver) == []


# ---------------------------------------------------------------------- the static site

def test_static_sparql_page_runs_a_shared_query_with_no_server(static_export: Path,
                                                               browser: object) -> None:
    """The static export on nginx, no Python server running: the query runs in the page
    (Oxigraph compiled to WebAssembly, from the site's own files)."""
    from urllib.parse import quote

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from . import webservers

    driver = browser
    name = "01-who-met-whom"
    webservers.readable(static_export)
    with webservers.nginx(static_export) as url:
        driver.get("about:blank")  # type: ignore[attr-defined]
        driver.get_log("performance")  # type: ignore[attr-defined]  # (emptied)
        driver.get(url + "/sparql?query=" + quote(_query(name)))  # type: ignore[attr-defined]
        wait: Any = WebDriverWait(driver, 60)
        rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
        shown = driver.execute_script("return performance.now()")  # type: ignore[attr-defined]
        expected = _expected_rows(name)
        assert len(rows) == len(expected)
        text = driver.find_element(By.CSS_SELECTOR, ".yasr").text  # type: ignore[attr-defined]
        assert all(local in text for local in _local_names(expected))
        driver.save_screenshot(str(ARTIFACTS / "static-query.png"))  # type: ignore[attr-defined]
        assert _errors(driver) == []
        requests = _requests(driver)
        assert requests and all(u.startswith(url) for u in requests), requests
        assert not any(u.rstrip("/").endswith("/sparql") and "query=" not in u
                       for u in requests), "the page asked a server to run the query"
        timing: dict[str, Any] = driver.execute_script(  # type: ignore[attr-defined]
            """
            const nav = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource');
            const sum = (k) => res.reduce((a, r) => a + (r[k] || 0), 0);
            return {load_event_ms: nav.loadEventEnd, transfer_bytes: sum('transferSize')
                    + nav.transferSize, decoded_bytes: sum('decodedBodySize')
                    + nav.decodedBodySize,
                    resources: res.map(r => [r.name.replace(location.origin, ''),
                                             r.transferSize, r.decodedBodySize,
                                             Math.round(r.duration)])};""")
    timing["rows_shown_ms"] = shown
    (ARTIFACTS / "static-sparql-page.json").write_text(json.dumps(timing, indent=1),
                                                       encoding="utf-8")


# ---------------------------------------------------------------------- CORS

CORS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>elsewhere</title></head>
<body><pre id="out">waiting</pre><script src="/cors.js"></script></body></html>"""
CORS_DATA = """
    const data = await fetch(TARGET + "/id/baku", {headers: {Accept: "text/turtle"}});
    out.data = {status: data.status, type: data.headers.get("content-type"),
                url: data.url, hasName: (await data.text()).includes("Bak\\u00fc"),
                etag: data.headers.get("etag") !== null};
    const link = await fetch(TARGET + "/dist/haberkg.nt");
    out.link = link.headers.get("link");"""
CORS_SPARQL = """
    const answer = await fetch(TARGET + "/sparql", {method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json"},
      body: "ASK { <https://w3id.org/haberkg/id/baku> ?p ?o }"});
    out.sparql = {status: answer.status, body: await answer.json()};"""
CORS_SCRIPT = """(async function () {
  const out = {};
  try {BODY
  } catch (error) {
    out.error = String(error);
  }
  document.getElementById("out").textContent = JSON.stringify(out);
})();"""


def _from_another_origin(driver: Any, target: str, body: str, folder: Path) -> dict[str, Any]:
    """What a script of a page on another origin (another loopback port, served by
    Python's http.server) reads from ``target`` with fetch()."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    (folder / "index.html").write_text(CORS_PAGE, encoding="utf-8")
    script = CORS_SCRIPT.replace("BODY", body).replace("TARGET", json.dumps(target))
    (folder / "cors.js").write_text(script, encoding="utf-8")
    other = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{other.server_address[1]}"
        assert origin != target
        driver.get(origin + "/")
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "out").text != "waiting")
        out: dict[str, Any] = json.loads(driver.find_element(By.ID, "out").text)
        return out
    finally:
        other.shutdown()
        other.server_close()
        thread.join(10)


def _read_the_data(out: dict[str, Any], target: str) -> None:
    assert "error" not in out, out
    assert out["data"]["status"] == 200
    assert out["data"]["type"].startswith("text/turtle")
    assert out["data"]["url"] == target + "/data/baku.ttl"  # through the 303
    assert out["data"]["hasName"] is True
    assert out["data"]["etag"] is True  # a header scripts may read (exposed)
    assert 'rel="license"' in out["link"]


def test_cors_from_a_second_origin(release: Path, browser: object, tmp_path: Path) -> None:
    """A page of another origin reads /id/ data (through the 303) and asks /sparql (a POST
    that needs a CORS preflight) of haberkg serve, in a real browser."""
    with live_app(release, workers=1) as live:
        out = _from_another_origin(browser, live.url, CORS_DATA + CORS_SPARQL, tmp_path)
    _read_the_data(out, live.url)
    assert out["sparql"] == {"status": 200, "body": {"head": {}, "boolean": True}}


def test_cors_from_a_second_origin_on_the_static_site(static_export: Path, browser: object,
                                                     tmp_path: Path) -> None:
    """The same reads of the static export on nginx, with the generated rules."""
    from . import webservers

    webservers.readable(static_export)
    with webservers.nginx(static_export) as url:
        out = _from_another_origin(browser, url, CORS_DATA, tmp_path)
    _read_the_data(out, url)


# ---------------------------------------------------------------------- every page, both languages

PAGES_DIR = ARTIFACTS / "pages"  # screenshots of every page in both languages
EN, TR = "en", "tr"
# (name, English URL, Turkish URL)
EVERY_PAGE = [
    ("landing", "/", "/?lang=tr"),
    ("person", "/page/mahinur-ozdemir-goktas/", "/page/mahinur-ozdemir-goktas/tr/"),
    ("event", "/page/meeting-of-goktas-and-aliyev/", "/page/meeting-of-goktas-and-aliyev/tr/"),
    ("ontology", "/ontology", "/ontology?lang=tr"),
    ("graph", "/graph/", "/graph/?lang=tr"),
    ("entities", "/entities/", "/entities/?lang=tr"),
    ("timeline", "/timeline/", "/timeline/?lang=tr"),
    ("sparql", "/sparql", "/sparql?lang=tr"),
    ("shapes", "/shapes", "/shapes?lang=tr"),
    ("schemaorg-module", "/ontology/imports/schemaorg", "/ontology/imports/schemaorg?lang=tr"),
]


def _english_strings() -> set[str]:
    from babel.messages.pofile import read_po

    po = ROOT / "src" / "haberkg" / "web" / "locale" / "tr" / "LC_MESSAGES" / "messages.po"
    # the interface strings whose Turkish differs (a few, such as "IRI", are the same)
    return {str(m.id) for m in read_po(po.open("rb"), locale="tr")
            if m.id and m.string and m.string != m.id}


def _screenshot(driver: Any, path: Path) -> None:
    """The whole page (the window grown to its height), back at 1400x1000 after."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, min(max(height, 1000), 8000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1000)


@pytest.mark.parametrize("lang", [EN, TR])
@pytest.mark.parametrize(("name", "en_url", "tr_url"), EVERY_PAGE)
def test_every_page_in_both_languages(site: str, browser: object, name: str, en_url: str,
                                      tr_url: str, lang: str) -> None:
    """No console error, no request that leaves the site, the document in its language,
    and on a Turkish page no English interface string in a heading, the navigation, a
    table head or a button."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver: Any = browser
    driver.set_window_size(1400, 1000)
    driver.get("about:blank")
    driver.get_log("performance")  # (emptied: only this page's requests and errors count)
    driver.get_log("browser")
    driver.get(site + (en_url if lang == EN else tr_url))
    if name == "graph":
        WebDriverWait(driver, 30).until(
            lambda d: d.find_element(By.ID, "graph").get_attribute("data-ready") == "true")
    if name == "sparql":
        WebDriverWait(driver, 20).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".yasqe_queryButton"))
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    _screenshot(driver, PAGES_DIR / f"{name}-{lang}.png")
    assert _errors(driver) == []
    requests = _requests(driver)
    assert requests and all(u.startswith(site) for u in requests), requests
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    if lang == TR:
        english = _english_strings()
        shown = [e.text.strip() for e in driver.find_elements(
            By.CSS_SELECTOR, "h1, h2, h3, header nav a, th, button, summary, label")]
        assert not [s for s in shown if s in english], "English on a Turkish page"
        assert driver.find_element(By.CSS_SELECTOR, "header nav").text.count("zaman çizelgesi") == 1


GRAPH_CHECK = """
const cy = window.haberkgGraph;
const box = (e) => e.boundingBox({includeNodes: false, includeEdges: false,
    includeLabels: true, includeMainLabels: true, includeSourceLabels: false,
    includeTargetLabels: false});
const overlap = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
const nodes = cy.nodes().map((n) => ({label: n.data('label'), box: box(n),
    shown: n.style('label') !== ''}));
const edges = cy.edges().filter((e) => !e.hasClass('quiet')).map(
    (e) => ({label: e.data('label'), box: box(e)}));
const labels = nodes.concat(edges);
const pairs = [];
for (let i = 0; i < labels.length; i++) {
  for (let j = i + 1; j < labels.length; j++) {
    if (overlap(labels[i].box, labels[j].box)) { pairs.push([labels[i].label, labels[j].label]); }
  }
}
const ext = cy.extent();
const clipped = labels.filter((l) => l.box.x1 < ext.x1 || l.box.y1 < ext.y1 ||
    l.box.x2 > ext.x2 || l.box.y2 > ext.y2).map((l) => l.label);
const rect = document.getElementById('graph').getBoundingClientRect();
return {pairs: pairs, clipped: clipped, zoom: cy.zoom(), nodes: nodes.length,
        unlabelled: nodes.filter((n) => !n.shown || !n.label).length,
        edges: cy.edges().length, labelled_edges: edges.length,
        colours: Array.from(new Set(cy.nodes().map((n) => n.style('background-color')))),
        box: [rect.left, rect.top, rect.right, rect.bottom],
        window: [window.innerWidth, window.innerHeight]};
"""


@pytest.mark.parametrize("lang", [EN, TR])
def test_graph_is_readable_at_1400x1000(site: str, browser: object, lang: str) -> None:
    """cytoscape's own bounding boxes of the labels, in the page at 1400x1000: no two label
    boxes overlap, none is outside the visible part of the picture, every node is named, the
    picture is drawn at a readable scale and fits the window's width."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver: Any = browser
    driver.set_window_size(1400, 1000)
    driver.get(site + "/graph/" + ("?lang=tr" if lang == TR else ""))
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.ID, "graph").get_attribute("data-ready") == "true")
    found = driver.execute_script(GRAPH_CHECK)
    driver.execute_script("document.getElementById('graph').scrollIntoView()")
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(PAGES_DIR / f"graph-picture-{lang}.png"))
    (PAGES_DIR / f"graph-{lang}.json").write_text(json.dumps(found, indent=1, ensure_ascii=False),
                                                 encoding="utf-8")
    assert found["pairs"] == [], "overlapping labels"
    assert found["clipped"] == [], "labels outside the picture"
    assert found["unlabelled"] == 0
    assert found["zoom"] >= 0.8, "drawn too small to read (12 px names at zoom 1)"
    assert found["box"][2] <= found["window"][0], "the picture is wider than the window"
    assert len(found["colours"]) >= 5  # person, group, organisation, place, event, document
    assert found["labelled_edges"] * 2 >= found["edges"], "fewer than half the edges labelled"
    assert _errors(driver) == []


def test_person_page_shows_the_grounding(site: str, browser: object) -> None:
    """Göktaş's page: the statements by property with their badges, few links to records,
    and a passage that opens the article with those words highlighted."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver: Any = browser
    driver.set_window_size(1400, 1000)
    driver.get(site + "/page/mahinur-ozdemir-goktas/")
    records = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a")
               if any(f"/{kind}-" in (a.get_attribute("href") or "")
                      for kind in ("annotation", "claim", "statement"))]
    # four hk:evidence claims for Göktaş, one record link each: two in the article's
    # people.ttl (Stated), two in data/entities/people.ttl (Editorial)
    assert len(records) == 4, records
    badges = {b.text for b in driver.find_elements(By.CSS_SELECTOR, ".value .badge")}
    assert {"stated", "editorial"} <= badges
    job = driver.find_element(By.ID, "p-schema-jobTitle")
    assert "@tr" in job.text and "@en" in job.text
    link = job.find_element(By.CSS_SELECTOR, "a.to-article")
    link.click()
    WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#article mark.passage"))
    marked = "".join(m.text for m in driver.find_elements(By.CSS_SELECTOR,
                                                          "#article mark.passage"))
    # the article's first words (data/article.tr.txt)
    assert marked == "Aile ve Sosyal Hizmetler Bakanı Mahinur Özdemir Göktaş"
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(PAGES_DIR / "article-passage.png"))
    assert _errors(driver) == []


def test_turkish_by_accept_language(release: Path) -> None:
    """A browser whose language is Turkish gets the Turkish pages at the plain URLs."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = _need("chromium", "chromium")
    profile = tempfile.mkdtemp(prefix="haberkg-chromium-")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--lang=tr-TR",
                "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "tr-TR,tr"})
    with live_app(release, workers=1) as live:
        driver: Any = webdriver.Chrome(service=Service(_need("chromedriver", "chromium-driver")),
                                       options=options)
        try:
            driver.get(live.url + "/timeline/")
            assert driver.find_element(By.TAG_NAME, "h1").text == "Zaman çizelgesi"
            driver.find_element(By.LINK_TEXT, "English").click()
            assert driver.find_element(By.TAG_NAME, "h1").text == "Timeline"
            assert driver.current_url.endswith("/timeline/?lang=en")
            driver.find_element(By.LINK_TEXT, "ontology").click()
            assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)


STATIC_PAGES = ["/", "/tr/", "/entities/tr/", "/timeline/tr/", "/graph/tr/", "/ontology/tr/",
                "/sparql/tr/", "/page/mahinur-ozdemir-goktas/tr/"]


def test_static_site_pages_in_turkish_on_nginx(static_export: Path, browser: object) -> None:
    """The static export on nginx: the Turkish pages at PATH/tr/, their links staying in
    Turkish, the graph drawn from the site's own copy of cytoscape.js."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from . import webservers

    driver: Any = browser
    driver.set_window_size(1400, 1000)
    webservers.readable(static_export)
    with webservers.nginx(static_export) as url:
        for path in STATIC_PAGES:
            driver.get("about:blank")
            driver.get_log("performance")  # (emptied)
            driver.get(url + path)
            if path == "/graph/tr/":
                WebDriverWait(driver, 30).until(
                    lambda d: d.find_element(By.ID, "graph").get_attribute("data-ready")
                    == "true")
            lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
            assert lang == ("en" if path == "/" else "tr"), path
            assert _errors(driver) == [], path
            requests = _requests(driver)
            assert requests and all(u.startswith(url) for u in requests), requests
            if path != "/":
                nav = driver.find_element(By.CSS_SELECTOR, "header nav")
                hrefs = [a.get_attribute("href") for a in nav.find_elements(By.TAG_NAME, "a")]
                assert url + "/timeline/tr/" in hrefs and url + "/entities/tr/" in hrefs
        PAGES_DIR.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(PAGES_DIR / "static-person-tr.png"))
