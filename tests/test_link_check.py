"""Every link of the site resolves, checked by a link checker nobody here wrote
(linkinator, from npm) on the live ``haberkg serve`` and on the static export served by
Debian's nginx and Apache. The number of links checked on each is written to
test-artifacts/link-check-SERVER.txt. A request that fails without any answer (a
keep-alive connection the server closed as the checker reused it) is retried up to three
times (linkinator's --retry-errors, which also retries a 5xx); a 4xx is never retried."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from . import webservers
from .conftest import ROOT
from .engines import tied
from .servers import live_app

LINKINATOR = ROOT / "node_modules" / ".bin" / "linkinator"
ARTIFACTS = ROOT / "test-artifacts"
# Every resource has two pages and six data files, each page links a few dozen others:
# a crawl that checks fewer links than this did not get past the first pages.
AT_LEAST = 10_000


def _check(url: str, name: str) -> int:
    assert LINKINATOR.exists(), "the link checker is missing: run `npm ci` in the project root"
    host = re.escape(url.split("//", 1)[1])
    result = subprocess.run(
        tied([str(LINKINATOR), url + "/", "--recurse", "--concurrency", "25",
              "--retry-errors", "--retry-errors-count", "3",
              "--skip", f"^https?://(?!{host})", "--verbosity", "error"]),
        capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    scanned = re.search(r"Successfully scanned ([\d,]+) links", output)
    assert scanned, output[-500:]
    count = int(scanned.group(1).replace(",", ""))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"link-check-{name}.txt").write_text(f"{name}: {count} links checked\n",
                                                       encoding="utf-8")
    return count


@pytest.fixture(params=["nginx", "apache"])
def static_server(request: pytest.FixtureRequest,
                  static_export: Path) -> Iterator[tuple[str, str]]:
    webservers.readable(static_export)
    server: AbstractContextManager[str] = getattr(webservers, request.param)(static_export)
    with server as url:
        yield request.param, url


@pytest.mark.xdist_group("static-servers")
def test_every_link_resolves_on_nginx_and_apache(static_server: tuple[str, str]) -> None:
    name, url = static_server
    assert _check(url, name) > AT_LEAST


def test_every_link_resolves_on_haberkg_serve(release: Path) -> None:
    with live_app(release, workers=2) as live:
        assert _check(live.url, "serve") > AT_LEAST
