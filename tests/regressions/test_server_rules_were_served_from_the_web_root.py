"""Defect: nginx.conf, .htaccess and _redirects were served from the web root. The nginx
rules are written beside the web root (DIR/nginx.conf, DIR/nginx-http.conf), and the
files other hosts need in the web root are denied by the rules."""

from __future__ import annotations

from pathlib import Path

import httpx


def test_server_rules_were_served_from_the_web_root(nginx: str, static_export: Path) -> None:
    assert not (static_export / "site" / "nginx.conf").exists()
    for path in ("/nginx.conf", "/.htaccess", "/_redirects", "/.haberkg-site"):
        assert httpx.get(nginx + path).status_code == 404, path
