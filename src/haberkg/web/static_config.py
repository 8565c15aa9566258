"""The server configurations of the static site, generated from :mod:`haberkg.media`.

``haberkg publish --static DIR`` writes the site into ``DIR/site/`` (the web root) and
these files:

* ``DIR/nginx.conf``: to include inside the ``server {}`` block whose ``root`` is
  ``DIR/site``. It never replaces the server's MIME map (a ``types {}`` block there
  would): each RDF extension gets its type in a location of its own, and everything else
  keeps the types of ``/etc/nginx/mime.types``.
* ``DIR/nginx-http.conf``: to include once in the ``http {}`` block (on Debian, link it
  into ``/etc/nginx/conf.d/``): the ``map`` that reads the Accept header (nginx allows
  ``map`` only there).
* ``DIR/site/.htaccess``: for Apache with ``AllowOverride All`` (or at least
  ``FileInfo Options Indexes``) on ``DIR/site``, and mod_rewrite, mod_headers and mod_mime.
  It denies itself and ``_redirects`` (Netlify's rules, beside it in the web root).
* ``DIR/site/_redirects``: Netlify (no content negotiation: resource IRIs go to pages).

**Content negotiation without q-value arithmetic.** Neither nginx nor mod_rewrite can
compare q-values; both use the same few patterns on the Accept header, in this order:

1. ``text/html`` or ``application/xhtml+xml`` with no q-value (or ``q=1``): HTML (browsers);
2. else the first of Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads that the header
   names with a q-value other than 0 (``q=0``, ``q=0.0`` … exclude a type): that format;
3. else HTML (``*/*``, no header, only excluded types).

So ``text/turtle;q=0, */*`` gets HTML, and ``text/html;q=0.5, text/turtle`` gets Turtle, as
on ``haberkg serve``; what differs from ``haberkg serve`` (which ranks by q-values,
RFC 9110 section 12.5.1): among RDF types the order above wins over the client's
q-values (``application/rdf+xml, text/turtle;q=0.5`` gets Turtle), media ranges such as
``text/*`` are not expanded, and nothing is ever answered 406 (a client that excludes
HTML and names no RDF type still gets HTML).
"""

from __future__ import annotations

from haberkg.media import ASSETS, COMPRESSED, SERVED_TYPES, TEXT_MEDIA
from haberkg.namespaces import DATA_LICENSE

SECURITY = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; script-src 'self'{wasm}; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link, Vary, Content-Location",
}
LINK = f'<{DATA_LICENSE}>; rel="license", </.well-known/void>; rel="describedby"; ' \
       'type="text/turtle"'
CACHE = "public, max-age=3600"
WASM = " 'wasm-unsafe-eval'"  # only the SPARQL page compiles WebAssembly (Oxigraph)
DENIED = ("_redirects", ".htaccess")  # rules in the web root that are never served
# (document path, RDF-file stem): documents whose HTML is DOC/ and whose RDF is STEM.EXT
DOCUMENTS = (("/ontology", "/ontology"), ("/shapes", "/shapes"),
             ("/ontology/imports/schemaorg", "/ontology/imports/schemaorg"))


def _not_zero(media: str) -> str:
    """A PCRE that matches an Accept header naming ``media`` with a q-value other than 0."""
    escaped = media.replace("+", r"\+").replace(".", r"\.")
    return rf"(^|,)\s*{escaped}(?![^,]*;\s*q\s*=\s*0(\.0{{0,3}})?\s*(,|$))\s*(;[^,]*)?(,|$)"


def _full(media: str) -> str:
    """A PCRE that matches an Accept header naming ``media`` with no q-value or q=1."""
    escaped = media.replace("+", r"\+")
    return rf"(^|,)\s*{escaped}\s*(;\s*q\s*=\s*1(\.0{{0,3}})?\s*)?(,|$)"


def _rdf() -> list[tuple[str, str]]:
    """(extension, media type) of every RDF format, in the order of rule 2."""
    return [(t.extension, t.media_type) for t in SERVED_TYPES if t.offered]


def _gzip_types() -> list[str]:
    types = {t.media_type for t in SERVED_TYPES}
    types |= {v.split(";")[0] for v in ASSETS.values()
              if v.startswith(TEXT_MEDIA) or v.split(";")[0] == "application/wasm"}
    types |= {"application/javascript", "application/xml"}
    return sorted(t for t in types if t not in COMPRESSED and t != "text/html")


# ---------------------------------------------------------------------- nginx

def _nginx_headers(wasm: bool = False, vary: bool = False, indent: str = "    ") -> str:
    """add_header lines (a location with add_header of its own inherits none)."""
    headers = {**{k: v.format(wasm=WASM if wasm else "") for k, v in SECURITY.items()},
               **CORS, "Link": LINK, "Cache-Control": CACHE}
    lines = [f"{indent}add_header {k} '{v}' always;" if "'" not in v else
             f'{indent}add_header {k} "{v}" always;' for k, v in headers.items()]
    if vary:
        lines.append(f"{indent}add_header Vary Accept always;")
    return "\n".join(lines)


def nginx_http() -> str:
    """The ``http {}`` part: the map from the Accept header to a format."""
    lines = ["# haberkg static site, nginx: include once in the http {} block (Debian: link",
             "# it into /etc/nginx/conf.d/). The patterns, in order (the first that matches",
             "# wins): HTML with q=1 (browsers), then each RDF type with a q-value other than",
             "# 0; else HTML. See the server {} part, nginx.conf, beside this file.",
             "map $http_accept $haberkg_format {", "    default html;"]
    for media in ("text/html", "application/xhtml+xml"):
        lines.append(f'    "~*{_full(media)}" html;')
    for ext, media in _rdf():
        lines.append(f'    "~*{_not_zero(media)}" {ext};')
    lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_server() -> str:
    """The ``server {}`` part: types, headers, compression, the 303 rules, denials."""
    out = [
        "# haberkg static site, nginx: include inside the server {} block whose root is",
        "# the site/ folder beside this file (root /path/to/site;), after including",
        "# nginx-http.conf once in the http {} block. The server's MIME map is kept: each",
        "# RDF extension gets its type in its own location below (no types {} block at",
        "# server level, which would replace the whole map).",
        "absolute_redirect off;  # Location: /data/NAME.ttl, never built from the Host header",
        "charset utf-8;",
        "index index.html;",
        "gzip on;",
        "gzip_vary on;",
        "gzip_min_length 1024;",
        "gzip_types " + " ".join(_gzip_types()) + ";",
        _nginx_headers(indent=""),
        "",
        "# never served: the other servers' rules in the web root, and dot files",
        "location ~ (^|/)(" + "|".join(d.replace(".", r"\.") for d in DENIED)
        + r")$ { return 404; }",
        r"location ~ /\.(?!well-known/) { return 404; }",
        "",
        "location = /.well-known/void {",
        "    types { } default_type text/turtle;",
        "    charset_types *;",
        _nginx_headers(),
        "}",
    ]
    for ext, media in _rdf():
        out += [f"location ~ \\.{ext}$ {{", f"    types {{ }} default_type {media};",
                "    charset_types *;", _nginx_headers(), "}"]
    out += [
        "",
        "# resource IRIs: 303 See Other to the page or the data, by the Accept header",
        "location ~ ^/id/(?<haberkg_name>[^/]+?)/?$ {",
        _nginx_headers(vary=True),
        "    if ($haberkg_format != html) { return 303 /data/$haberkg_name.$haberkg_format; }",
        "    return 303 /page/$haberkg_name/;",
        "}",
    ]
    for doc, stem in DOCUMENTS:
        out += [f"location = {doc} {{", _nginx_headers(vary=True),
                f"    if ($haberkg_format != html) {{ return 303 {stem}.$haberkg_format; }}",
                f"    return 303 {doc}/;", "}"]
    out += [
        "# the ontology's version IRI (/ontology/0.1.0): the ontology, by the Accept header",
        r"location ~ ^/ontology/[0-9][^/]*$ {",
        _nginx_headers(vary=True),
        "    if ($haberkg_format != html) { return 303 /ontology.$haberkg_format; }",
        "    return 303 /ontology/;",
        "}",
        "# the SPARQL page runs Oxigraph compiled to WebAssembly: only it may compile wasm",
        "location = /sparql { return 301 /sparql/$is_args$args; }",
        "location ^~ /sparql/ {",
        _nginx_headers(wasm=True),
        "}",
    ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------- Apache

def htaccess() -> str:
    """``.htaccess`` for the web root (AllowOverride All; mod_rewrite, mod_headers)."""
    csp = SECURITY["Content-Security-Policy"]
    out = [
        "# haberkg static site, Apache: this file is the web root's .htaccess; it needs",
        "# AllowOverride All (or FileInfo Options Indexes) on this folder, and mod_rewrite,",
        "# mod_headers and mod_mime. Content negotiation reads the Accept header with the",
        "# same patterns as the nginx rules (see nginx-http.conf beside the site folder).",
        "Options -MultiViews -Indexes",
        "DirectoryIndex index.html",
        "AddDefaultCharset utf-8",
    ]
    for name in DENIED:
        out += [f'<Files "{name}">', "  Require all denied", "</Files>"]
    for ext, media in [(t.extension, t.media_type) for t in SERVED_TYPES]:
        out.append(f"AddType {media} .{ext}")
        out.append(f"AddCharset utf-8 .{ext}")
    out += ['<Files "void">', "  ForceType text/turtle", "</Files>"]
    for key, value in {**{k: v.format(wasm="") for k, v in SECURITY.items()}, **CORS,
                       "Link": LINK, "Cache-Control": CACHE}.items():
        out.append(f"Header always set {key} \"{value.replace(chr(34), chr(92) + chr(34))}\"")
    out += ['<If "%{REQUEST_URI} =~ m#^/sparql/#">',
            f'  Header always set Content-Security-Policy "{csp.format(wasm=WASM)}"', "</If>",
            '<If "%{REQUEST_URI} =~ m#^/(id/|ontology$|ontology/[0-9]|shapes$|'
            'ontology/imports/schemaorg$)#">',
            "  Header always merge Vary Accept", "</If>"]
    out += ["<IfModule mod_deflate.c>",
            "  AddOutputFilterByType DEFLATE text/html " + " ".join(_gzip_types()),
            "</IfModule>", "", "RewriteEngine On",
            "# the format the client wants: html, or the extension of an RDF format",
            "RewriteRule ^ - [E=HABERKG_FORMAT:html]"]
    for ext, media in _rdf():
        out += ["RewriteCond %{ENV:HABERKG_FORMAT} =html",
                f'RewriteCond %{{HTTP_ACCEPT}} !"{_full("text/html")}" [NC]',
                f'RewriteCond %{{HTTP_ACCEPT}} !"{_full("application/xhtml+xml")}" [NC]',
                f'RewriteCond %{{HTTP_ACCEPT}} "{_not_zero(media)}" [NC]',
                f"RewriteRule ^ - [E=HABERKG_FORMAT:{ext}]"]
    out += ["# resource IRIs: 303 See Other to the page or the data",
            "RewriteCond %{ENV:HABERKG_FORMAT} !=html",
            "RewriteRule ^id/([^/]+?)/?$ /data/$1.%{ENV:HABERKG_FORMAT} [R=303,L]",
            "RewriteRule ^id/([^/]+?)/?$ /page/$1/ [R=303,L]"]
    for doc, stem in DOCUMENTS:
        pattern = "^" + doc.lstrip("/") + "$"
        out += ["RewriteCond %{ENV:HABERKG_FORMAT} !=html",
                f"RewriteRule {pattern} {stem}.%{{ENV:HABERKG_FORMAT}} [R=303,L]",
                f"RewriteRule {pattern} {doc}/ [R=303,L]"]
    out += ["# the ontology's version IRI (/ontology/0.1.0)",
            "RewriteCond %{ENV:HABERKG_FORMAT} !=html",
            "RewriteRule ^ontology/[0-9][^/]*$ /ontology.%{ENV:HABERKG_FORMAT} [R=303,L]",
            "RewriteRule ^ontology/[0-9][^/]*$ /ontology/ [R=303,L]"]
    return "\n".join(out) + "\n"


def netlify() -> str:
    return ("# Netlify: resource IRIs to their pages (Netlify cannot negotiate on Accept; RDF\n"
            "# clients use the /data/NAME.ttl URLs, listed in every page and in void.ttl).\n"
            "/id/*  /page/:splat/  303\n"
            "/ontology  /ontology/  303\n"
            "/shapes  /shapes/  303\n"
            "/sparql  /sparql/  301\n")


__all__ = ["htaccess", "netlify", "nginx_http", "nginx_server"]
