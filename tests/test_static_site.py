"""haberkg publish --static: every page and link of the static site resolves."""

from __future__ import annotations

import functools
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from haberkg.cli import cli

from .conftest import ROOT
from .engines import tied

LINKINATOR = ROOT / "node_modules" / ".bin" / "linkinator"


@pytest.fixture(scope="module")
def site(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("static")
    result = CliRunner().invoke(cli, ["publish", "--dist", str(release),
                                      "--static", str(base / "site")])
    assert result.exit_code == 0, result.stderr
    written = sum(1 for p in (base / "site").rglob("*") if p.is_file())
    assert result.stderr == f"wrote {written} files to {base / 'site'}/\n"  # what is there
    return base / "site"


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_static_site_has_every_part(site: Path) -> None:
    for path in ("index.html", "timeline/index.html", "graph/index.html", "ontology/index.html",
                 "ontology.ttl", "page/anar-aliyev/index.html", "page/anar-aliyev/tr/index.html",
                 "id/anar-aliyev/index.html", ".well-known/void", "dist/haberkg.ttl",
                 ".htaccess", "_redirects", "nginx.conf", "static/yasgui/yasgui.min.js"):
        assert (site / path).exists(), path
    for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                     ("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)):
        assert list(ox.parse(path=str(site / "data" / f"anar-aliyev.{ext}"), format=fmt))
    assert "<h1>Bakü</h1>" in (site / "page" / "baku" / "tr" / "index.html").read_text("utf-8")
    assert "RewriteRule ^id/(.+?)/?$ /data/$1.ttl [R=303,L]" in \
        (site / ".htaccess").read_text("utf-8")


def test_every_link_resolves(served: str) -> None:
    assert LINKINATOR.exists(), "the link checker is missing: run `npm ci` in the project root"
    host = re.escape(served.rstrip("/").split("//", 1)[1])
    result = subprocess.run(
        tied([str(LINKINATOR), served, "--recurse", "--concurrency", "50",
              "--skip", f"^https?://(?!{host})", "--verbosity", "error"]),
        capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    scanned = re.search(r"Successfully scanned (\d+) links", output)
    assert scanned and int(scanned.group(1)) > 1000, output[-500:]
