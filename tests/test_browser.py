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

from .conftest import ROOT
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
    assert len(rows) == 5  # 01-who-met-whom: two attendees, the host and two guests
    assert "mahinur-ozdemir-goktas" in driver.find_element(By.CSS_SELECTOR, ".yasr").text  # type: ignore[attr-defined]
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
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg circle")) >= 20  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / "graph.png"))  # type: ignore[attr-defined]
    assert _errors(driver) == []


# ---------------------------------------------------------------------- shared links

def _expected_rows(name: str) -> list[list[str]]:
    """The hand-written expected answer of a competency query (W3C SPARQL TSV)."""
    lines = (ROOT / "queries" / "expected" / f"{name}.tsv").read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line]


def _query(name: str) -> str:
    return (ROOT / "queries" / f"{name}.rq").read_text("utf-8")


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
