"""haberkg publish --static: what the export holds, and where (the web root, and the rules
for real servers beside it). The export on real servers: tests/test_static_servers.py."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from haberkg.media import RDF_TYPES

from .conftest import StaticExport


def test_the_cli_says_what_it_wrote(static_built: StaticExport) -> None:
    folder = static_built.folder
    written = sum(1 for p in folder.rglob("*") if p.is_file() and p.name != ".haberkg-site")
    assert static_built.log.endswith(f"wrote {written} files to {folder}/\n"), static_built.log


def test_static_site_has_every_part(static_export: Path) -> None:
    site = static_export / "site"
    for path in ("index.html", "timeline/index.html", "graph/index.html", "ontology/index.html",
                 "ontology.ttl", "shapes/index.html", "shapes.ttl", "sparql/index.html",
                 "ontology/imports/schemaorg/index.html", "ontology/imports/schemaorg.ttl",
                 "page/anar-aliyev/index.html", "page/anar-aliyev/tr/index.html",
                 "page/dataset/index.html", "id/anar-aliyev/index.html", ".well-known/void",
                 "dist/haberkg.ttl", "robots.txt", "sitemap.xml", ".htaccess", "_redirects",
                 "static/yasgui/yasgui.min.js", "static/oxigraph/web.js",
                 "static/oxigraph/web_bg.wasm"):
        assert (site / path).exists(), path
    for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                     ("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML),
                     ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)):
        assert list(ox.parse(path=str(site / "data" / f"anar-aliyev.{ext}"), format=fmt))
    assert "<h1>Bakü</h1>" in (site / "page" / "baku" / "tr" / "index.html").read_text("utf-8")


def test_server_rules_are_outside_the_web_root(static_export: Path) -> None:
    assert (static_export / "nginx.conf").is_file()
    assert (static_export / "nginx-http.conf").is_file()
    assert not (static_export / "site" / "nginx.conf").exists()
    assert not (static_export / "site" / ".haberkg-site").exists()
    nginx = (static_export / "nginx.conf").read_text("utf-8")
    # a `types {}` block at server level would replace the whole MIME map
    top = [line for line in nginx.splitlines() if line.startswith("types")]
    assert top == []


def test_every_rdf_format_has_its_type_on_every_server(static_export: Path) -> None:
    nginx = (static_export / "nginx.conf").read_text("utf-8")
    apache = (static_export / "site" / ".htaccess").read_text("utf-8")
    for kind in RDF_TYPES:
        assert f"location ~ \\.{kind.extension}$ {{\n    types {{ }} default_type " \
               f"{kind.media_type};" in nginx
        assert f"AddType {kind.media_type} .{kind.extension}" in apache
