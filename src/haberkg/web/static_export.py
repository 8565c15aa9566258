"""``haberkg publish --static DIR``: the site as static files for any static host.

Every page is rendered by the same application as ``haberkg serve`` and written where
a static host finds it (``page/NAME/index.html``); every resource also gets its data in
every format (``data/NAME.ttl`` …). ``id/NAME/index.html`` sends browsers on to the
page, and the 303 content-negotiation rules are written out for Apache (``.htaccess``),
Netlify (``_redirects``) and nginx (``nginx.conf``). The SPARQL endpoint is the one
part that needs ``haberkg serve``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from haberkg.atomic import FolderWriter
from haberkg.errors import InputError
from haberkg.media import RDF_TYPES
from haberkg.namespaces import HKD

SITE_MARKER = ".haberkg-site"
REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<title>See {target}</title></head>
<body><p>See <a href="{target}">{target}</a>.</p></body></html>
"""

HTACCESS = """# Apache: 303 See Other from resource IRIs to their page or data (Cool URIs).
Options -MultiViews
RewriteEngine On
AddType text/turtle .ttl
AddType application/n-triples .nt
AddType application/ld+json .jsonld
AddType application/rdf+xml .rdf
AddType application/trig .trig
<Files "void">
  ForceType text/turtle
</Files>
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteRule ^id/(.+?)/?$ /data/$1.ttl [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/n-triples
RewriteRule ^id/(.+?)/?$ /data/$1.nt [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteRule ^id/(.+?)/?$ /data/$1.jsonld [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml
RewriteRule ^id/(.+?)/?$ /data/$1.rdf [R=303,L]
RewriteRule ^id/(.+?)/?$ /page/$1/ [R=303,L]
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteRule ^ontology/?$ /ontology.ttl [R=303,L]
"""

NETLIFY = """# Netlify: resource IRIs to their pages (Netlify cannot negotiate on Accept; RDF
# clients use the /data/NAME.ttl URLs, listed in every page and in void.ttl).
/id/*  /page/:splat/  303
/.well-known/void  /.well-known/void  200
"""

NGINX = r"""# nginx: 303 See Other from resource IRIs by the Accept header.
types { text/turtle ttl; application/n-triples nt; application/ld+json jsonld;
        application/rdf+xml rdf; application/trig trig; }
location = /.well-known/void { default_type text/turtle; }
location ~ ^/id/(?<name>.+?)/?$ {
    if ($http_accept ~* "text/turtle") { return 303 /data/$name.ttl; }
    if ($http_accept ~* "application/n-triples") { return 303 /data/$name.nt; }
    if ($http_accept ~* "application/ld\+json") { return 303 /data/$name.jsonld; }
    if ($http_accept ~* "application/rdf\+xml") { return 303 /data/$name.rdf; }
    return 303 /page/$name/;
}
"""


def _write(root: Path, path: str, body: bytes) -> None:
    target = root / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def export(dist: Path, out: Path) -> int:
    """Write the static site to ``out`` (replaced as a whole); returns the number of files."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's note about its test client's HTTP library
        from starlette.testclient import TestClient

    from haberkg.web.app import create_app

    app = create_app(dist, workers=1, static_links=True)
    data = app.state.site.view
    resources = sorted({q.subject.value for q in data.store.quads_for_pattern(None, None, None)
                        if q.subject.value.startswith(HKD)})
    count = 0
    with FolderWriter(out, SITE_MARKER) as staging, TestClient(app) as client:
        def get(url: str, accept: str = "text/html") -> bytes:
            response = client.get(url, headers={"Accept": accept})
            if response.status_code != 200:
                raise InputError(f"{url} answered {response.status_code}")
            return bytes(response.content)

        pages = {"/": "/", "/timeline": "/timeline/", "/graph": "/graph/",
                 "/ontology": "/ontology/", "/sparql": "/sparql/"}
        for url, path in pages.items():
            _write(staging, path, get(url))
            count += 1
        for kind in RDF_TYPES:
            ext = kind.extension
            _write(staging, f"/ontology.{ext}", get(f"/ontology.{ext}", kind.media_type))
            count += 1
        for iri in resources:
            name = iri[len(HKD):]
            _write(staging, f"/page/{name}/", get(f"/page/{quote(name)}"))
            _write(staging, f"/page/{name}/tr/", get(f"/page/{quote(name)}?lang=tr"))
            target = f"/page/{quote(name)}/"
            _write(staging, f"/id/{name}/", REDIRECT.format(target=target).encode())
            for kind in RDF_TYPES:
                ext = kind.extension
                _write(staging, f"/data/{name}.{ext}", get(f"/data/{quote(name)}.{ext}", "*/*"))
            count += 3 + len(RDF_TYPES)
        for name in sorted(data.files):
            _write(staging, f"/dist/{name}", data.files[name])
            count += 1
        _write(staging, "/.well-known/void", data.files["void.ttl"])
        for asset in ("query.js", "yasgui/yasgui.min.js", "yasgui/yasgui.min.css"):
            response = client.get(f"/static/{asset}")
            if response.status_code == 200:
                _write(staging, f"/static/{asset}", response.content)
                count += 1
        _write(staging, "/.htaccess", HTACCESS.encode())
        _write(staging, "/_redirects", NETLIFY.encode())
        _write(staging, "/nginx.conf", NGINX.encode())
    return count + 5
