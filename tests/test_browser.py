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
    assert driver.current_url == site + "/page/anar-aliyev"  # type: ignore[attr-defined]
    assert driver.find_element(By.TAG_NAME, "h1").text == "Anar Aliyev"  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / "resource.png"))  # type: ignore[attr-defined]


def test_language_switch(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(site + "/page/baku")  # type: ignore[attr-defined]
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
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg circle")) >= 20  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / "graph.png"))  # type: ignore[attr-defined]
    assert _errors(driver) == []
