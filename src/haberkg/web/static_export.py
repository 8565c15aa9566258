"""``haberkg publish --static DIR``: the site as static files for any static host.

Every page is rendered by the same application as ``haberkg serve`` and written where
a static host finds it, in ``DIR/site/`` (the web root): ``page/NAME/index.html`` and
``page/NAME/tr/index.html`` (the same URLs as on ``haberkg serve``), the other pages in
English at their path and in Turkish at ``PATH/tr/`` (``tr/index.html``, ``timeline/tr/``
…; ``haberkg serve`` answers ``?lang=tr`` there), every resource's data
in every format (``data/NAME.ttl`` …), ``id/NAME/index.html`` sending browsers on to the
page where no rule does, the ontology, the shapes, the release files, ``robots.txt`` and
``sitemap.xml``. The SPARQL page runs queries in the browser (Oxigraph compiled to
WebAssembly, from the npm package ``oxigraph``), over the release files of the site.

The rules for real servers are generated from :mod:`haberkg.media` by
:mod:`haberkg.web.static_config`: ``DIR/nginx.conf`` and ``DIR/nginx-http.conf`` beside
the web root (never served), ``DIR/site/.htaccess`` (which denies itself) and Netlify's
``DIR/site/_redirects``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from haberkg.atomic import FolderWriter
from haberkg.errors import InputError
from haberkg.media import SERVED_TYPES
from haberkg.web import static_config

SITE_MARKER = ".haberkg-site"
ROOT = "site"  # the web root, inside the output folder
REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<title>See {target}</title></head>
<body><p>See <a href="{target}">{target}</a>.</p></body></html>
"""
ASSETS = ("query.js", "article.js", "graph.js", "yasgui/yasgui.min.js",
          "yasgui/yasgui.min.css", "oxigraph/web.js", "oxigraph/web_bg.wasm",
          "cytoscape/cytoscape.min.js")
# Pages in both languages besides the resource pages: the Turkish one is written to
# PATH/tr/ (the links of the static site point there; a static host cannot negotiate).
BILINGUAL = {"/": "/", "/timeline/": "/timeline/", "/graph/": "/graph/",
             "/entities/": "/entities/", "/ontology": "/ontology/", "/shapes": "/shapes/",
             "/sparql": "/sparql/", "/ontology/imports/schemaorg": "/ontology/imports/schemaorg/"}


def _write(root: Path, path: str, body: bytes) -> None:
    target = root / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def export(dist: Path, out: Path) -> int:
    """Write the static site into ``out`` (replaced as a whole); returns the number of files."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note about its test client's HTTP library
        from starlette.testclient import TestClient

    from haberkg.web.app import create_app

    app = create_app(dist, workers=1, static_links=True)
    site = app.state.site
    data = site.view
    count = 0
    with FolderWriter(out, SITE_MARKER) as staging, TestClient(app) as client:
        web = staging / ROOT

        def get(url: str, accept: str = "text/html") -> bytes:
            response = client.get(url, headers={"Accept": accept, "Accept-Encoding": "identity"})
            if response.status_code != 200:
                raise InputError(f"{url} answered {response.status_code}")
            return bytes(response.content)

        def put(path: str, body: bytes) -> None:
            nonlocal count
            _write(web, path, body)
            count += 1

        pages = {**BILINGUAL, "/robots.txt": "/robots.txt", "/sitemap.xml": "/sitemap.xml"}
        for url, path in pages.items():
            put(path, get(url + ("?lang=en" if url in BILINGUAL else "")))
        for url, path in BILINGUAL.items():
            put(path + "tr/", get(url + "?lang=tr"))
        for kind in SERVED_TYPES:
            ext = kind.extension
            for doc in ("/ontology", "/shapes", "/ontology/imports/schemaorg"):
                put(f"{doc}.{ext}", get(f"{doc}.{ext}", kind.media_type))
        for name in site.resources():
            put(f"/page/{name}/", get(f"/page/{quote(name)}/"))
            put(f"/page/{name}/tr/", get(f"/page/{quote(name)}/tr/"))
            put(f"/id/{name}/", REDIRECT.format(target=f"/page/{quote(name)}/").encode())
            for kind in SERVED_TYPES:
                ext = kind.extension
                put(f"/data/{name}.{ext}", get(f"/data/{quote(name)}.{ext}", "*/*"))
        for name in sorted(data.files):
            put(f"/dist/{name}", data.files[name])
        put("/.well-known/void", data.files["void.ttl"])
        for asset in ASSETS:
            response = client.get(f"/static/{asset}")
            if response.status_code == 200:
                put(f"/static/{asset}", response.content)
        put("/.htaccess", static_config.htaccess().encode())
        put("/_redirects", static_config.netlify().encode())
        (staging / "nginx.conf").write_text(static_config.nginx_server(), encoding="utf-8")
        (staging / "nginx-http.conf").write_text(static_config.nginx_http(), encoding="utf-8")
        count += 2
    return count
