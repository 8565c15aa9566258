"""``haberkg serve``: the release as linked data, from an embedded store.

* ``/sparql``: SPARQL 1.1 Protocol (GET, POST form, POST direct), read-only. Every
  query is handled whole by a confined, killable worker (:mod:`haberkg.web.pool`).
  Without a query it answers the service description (in every RDF format, by Accept)
  or, to a browser, the query page; ``/sparql?query=…`` opens that page with the query
  run when a browser prefers HTML to every answer format.
* ``/id/{name}``: 303 See Other to ``/page/{name}/`` (HTML) or ``/data/{name}.{ext}``
  by the Accept header (Cool URIs, 303 style); 406 if no format is acceptable.
* ``/ontology`` (and its version IRI ``/ontology/{version}``, the import module
  ``/ontology/imports/schemaorg``) and ``/shapes``: documentation or RDF by Accept;
  their terms are hash IRIs, so ``/ontology#Signing`` is served by the same document.
* ``/``: the dataset, its numbers, downloads and the article with its mentions linked
  (RDF clients are sent to the VoID description).
* ``/dist/{file}``: the release files; ``/.well-known/void``: the VoID description;
  ``/robots.txt``, ``/sitemap.xml``.

Every response, redirects and errors included, carries the security headers and CORS;
every answer a cache may keep has a strong ETag, Last-Modified and Cache-Control and
is compressed when that helps (:mod:`haberkg.web.http`); no redirect is built from the
request's ``Host`` header; a malformed name is a 404.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit
from xml.sax.saxutils import escape

import anyio
import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haberkg import __version__
from haberkg import serialise as rdfio
from haberkg.errors import InputError
from haberkg.media import (
    RESULT_TYPES,
    SERVED_TYPES,
    RdfType,
    for_file,
    served_by_media_type,
    with_charset,
)
from haberkg.namespaces import (
    BASE,
    DATA_LICENSE,
    DCTERMS,
    FOAF,
    ONTOLOGY_IRI,
    RDF,
    SCHEMA,
    SHAPES,
    VOID,
    compact,
)
from haberkg.release import void as voidmod
from haberkg.release.reader import PublishedRelease
from haberkg.sparql.files import QueryFile
from haberkg.sparql.run import Dataset
from haberkg.web import endpoint, i18n
from haberkg.web import http as cache
from haberkg.web.conneg import negotiate
from haberkg.web.pool import PoolBusy, PoolConfig, QueryPool, QueryTimeout, WorkerLost
from haberkg.web.view import (
    KIND_COLOURS,
    MODES,
    PLUMBING_CLASSES,
    View,
    class_index,
    graph_data,
    incoming,
    local_path,
    mentions_of,
    ontology_terms,
    statements,
    term_name,
    timeline,
    triples_in_void,
)

log = logging.getLogger("haberkg.serve")

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
PAGE_TYPES = ["text/html", "application/xhtml+xml"]
SHAPES_IRI = SHAPES.rstrip("#")
MODULE_IRI = ONTOLOGY_IRI + "/imports/schemaorg"
VOID_PATH = "/.well-known/void"
NEGOTIATED = {"Vary": "Accept"}
# Pages (other than resource pages) that come in both languages.
# The grounding records that point to a resource (linked from its page, which only
# counts them).
RECORDS_QUERY = """PREFIX hk: <https://w3id.org/haberkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?record ?kind ?property WHERE {
  { ?record a oa:Annotation ; ?property <IRI> . BIND ("annotation" AS ?kind) }
  UNION { ?record a hk:Claim ; ?property <IRI> . BIND ("claim" AS ?kind) }
  UNION { ?record a rdf:Statement ; ?property <IRI> . BIND ("statement" AS ?kind) }
}
ORDER BY ?kind ?record
"""
OWN_ASSETS = ("query.js", "article.js", "graph.js")
LANG_PAGES = ("/", "/timeline", "/graph", "/entities", "/ontology", "/shapes", "/sparql",
              "/ontology/imports/schemaorg")


def page_language(request: Request) -> tuple[str, bool]:
    """The language of a page (``?lang=``, else Accept-Language) and whether the URL
    chose it."""
    asked = request.query_params.get("lang")
    if asked in i18n.LANGS:
        return asked, True
    return i18n.negotiate(request.headers.get("accept-language")), False


def _vary(response: Response, *headers: str) -> Response:
    """Adds ``headers`` to the response's Vary header."""
    present = [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]
    response.headers["Vary"] = ", ".join(present + [h for h in headers if h not in present])
    return response


def rdf_offers() -> list[str]:
    """Every RDF media type offered by content negotiation (main types, then aliases)."""
    return [t.media_type for t in SERVED_TYPES if t.offered] + \
        [a for t in SERVED_TYPES if t.offered for a in t.aliases]


@dataclass(frozen=True)
class Config:
    dist: Path
    base_url: str = BASE
    query_timeout: float = 10.0
    limits: endpoint.Limits = field(default_factory=endpoint.Limits)
    workers: int = 2
    per_client: int = 2
    static_links: bool = False
    sandbox: bool = True
    body_timeout: float = 30.0
    max_body: int = 1_000_000


class Site:
    """Everything the handlers share: the release, its views, the query workers."""

    def __init__(self, config: Config) -> None:
        if not config.base_url.endswith("/"):
            raise InputError("--base-url must end with /", path=config.base_url)
        self.config = config
        self.hkd = config.base_url + "id/"
        self.release = PublishedRelease.open(config.dist)
        self.view = View(self.release)
        self.modified = (config.dist / "SHA256SUMS").stat().st_mtime
        self.shapes = self.release.shapes()
        self.folder = Path(tempfile.mkdtemp(prefix="haberkg-serve-"))
        try:
            store = ox.Store(str(self.folder / "store"))
            store.bulk_extend(self.release.store.quads_for_pattern(None, None, None))
            store.flush()
            del store
            self.pool = QueryPool(PoolConfig(
                store=self.folder / "store", workers=config.workers,
                timeout=config.query_timeout, limits=config.limits,
                per_client=config.per_client, sandbox=config.sandbox))
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        static = config.static_links
        self.paths = {"ontology": "/ontology/" if static else "/ontology",
                      "shapes": "/shapes/" if static else "/shapes",
                      "sparql": "/sparql/" if static else "/sparql"}
        self.envs = {lang: self._environment(lang) for lang in i18n.LANGS}
        self.env = self.envs[i18n.DEFAULT]
        self.queries = _competency_queries()
        self.yasgui = _npm_dir("@zazuko/yasgui/build", "yasgui.min.js")
        self.oxigraph = _npm_dir("oxigraph", "web_bg.wasm")
        self.cytoscape = _npm_dir("cytoscape/dist", "cytoscape.min.js")
        self.static = Path(__file__).resolve().parent / "static"

    def _environment(self, lang: str) -> Environment:
        env = Environment(loader=PackageLoader("haberkg.web", "templates"),
                          autoescape=select_autoescape(["html"]),
                          extensions=["jinja2.ext.i18n"])
        env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
        env.filters["compact"] = compact
        env.filters["local"] = pass_context(
            lambda ctx, iri: self.link(self.local(iri), ctx.get("lang", "en"),
                                       bool(ctx.get("explicit"))))
        env.filters["term"] = lambda iri: term_name(self.view, iri, lang)
        env.filters["label"] = lambda term: self.view.label(term, lang)
        env.filters["label_iri"] = lambda iri: self.view.label(ox.NamedNode(iri), lang)
        env.filters["host"] = lambda url: urlsplit(url).netloc or url
        env.tests["named"] = lambda term: isinstance(term, ox.NamedNode)
        env.tests["literal"] = lambda term: isinstance(term, ox.Literal)
        env.globals["link"] = pass_context(
            lambda ctx, path, to=None: self.link(path, to or ctx.get("lang", "en"),
                                                 bool(ctx.get("explicit")) or to is not None))
        env.globals["version"] = __version__
        env.globals["paths"] = self.paths
        env.globals["static_site"] = self.config.static_links
        env.globals["modes"] = MODES
        return env

    def link(self, path: str, lang: str, explicit: bool = False) -> str:
        """The URL of a local page in a language: resource pages by their path
        (``/page/NAME/tr/``), other pages with ``?lang=`` (on the static site, their
        Turkish copy ``…/tr/``); an English link names its language only on a page whose
        language was chosen by the URL (else the reader's Accept-Language decides)."""
        if not path.startswith("/"):
            return path
        path, hash_, fragment = path.partition("#")
        if path.startswith("/id/") and NAME.fullmatch(path[4:]) and lang != "en":
            path = f"/page/{path[4:]}/"
        if path.startswith("/page/"):
            base = path[:-3] if path.endswith("/tr/") else path
            return base + ("tr/" if lang == "tr" else "") + hash_ + fragment
        if not any(path == p or path == p + "/" for p in LANG_PAGES):
            return path + hash_ + fragment
        if self.config.static_links:
            path = path if path.endswith("/") else path + "/"
            return path + ("tr/" if lang == "tr" else "") + hash_ + fragment
        if lang == "tr" or explicit:
            return f"{path}?lang={lang}{hash_}{fragment}"
        return path + hash_ + fragment

    def local(self, iri: str) -> str:
        """The local URL of a dataset IRI (``base_url + X`` is served at ``/X``)."""
        path = local_path(iri, self.config.base_url)
        if path is None:
            return iri
        if self.config.static_links and path.startswith("/id/"):
            return "/page/" + path[len("/id/"):] + "/"
        for doc in ("/ontology", "/shapes"):
            if self.config.static_links and path.startswith(doc + "#"):
                return doc + "/" + path[len(doc):]
        return path

    def page(self, template: str, status: int = 200, lang: str = i18n.DEFAULT,
             explicit: bool = True, **context: object) -> HTMLResponse:
        """A page in ``lang``; ``explicit`` False when Accept-Language chose it (then the
        answer varies by that header)."""
        env = self.envs[lang]
        html = env.get_template(template).render(data=self.view, lang=lang,
                                                 explicit=explicit, **context)
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Language"] = lang
        if not explicit:
            response.headers["Vary"] = "Accept-Language"
        return response

    def resources(self) -> list[str]:
        """The names of every resource of the dataset's namespace (each has a page)."""
        return [iri[len(self.hkd):] for iri in self.view.resources(self.hkd)
                if NAME.fullmatch(iri[len(self.hkd):])]

    def close(self) -> None:
        self.pool.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def site_of(request: Request) -> Site:
    site = request.app.state.site
    assert isinstance(site, Site)
    return site


def text(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


access = logging.getLogger("haberkg.access")


def _quoted(value: str, limit: int = 200) -> str:
    value = value if len(value) <= limit else value[:limit - 3] + "..."
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class AccessLog:
    """One line per request, in the spirit of the combined log format: client, method,
    path (query strings cut short), status, bytes sent, milliseconds, referrer and user
    agent, through the ``haberkg.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state = {"status": 0, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            client = scope.get("client") or ("-", 0)
            target = scope.get("path", "")
            query = scope.get("query_string", b"").decode("latin-1")
            if query:
                target += "?" + (query if len(query) <= 120 else query[:117] + "...")
            headers = dict(scope.get("headers") or [])
            referer = headers.get(b"referer", b"-").decode("latin-1")
            agent = headers.get(b"user-agent", b"-").decode("latin-1")
            access.info('%s "%s %s" %s %d %.1f ms %s %s', client[0], scope.get("method", ""),
                        target, state["status"] or "-", state["bytes"],
                        (time.perf_counter() - start) * 1000, _quoted(referer),
                        _quoted(agent))


class SecurityHeaders:
    """Adds the security headers to every HTTP response (errors and redirects too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------- documents

def _formats(url: Callable[[RdfType], str]) -> list[tuple[str, str, str]]:
    """(URL, media type, label) of every RDF format of a document."""
    return [(url(t), t.media_type, t.label) for t in SERVED_TYPES if t.offered]


def _alternates(formats: list[tuple[str, str, str]], html: str | None) -> str:
    links = [(href, "alternate", media) for href, media, _ in formats]
    if html is not None:
        links.insert(0, (html, "alternate", "text/html"))
    return cache.link_header(links)


def _rdf(triples: list[ox.Triple], kind: RdfType, headers: dict[str, str]) -> Response:
    return Response(rdfio.to_bytes(triples, kind.format),
                    media_type=with_charset(kind.media_type), headers=headers)


def _not_acceptable(offers: list[str], headers: dict[str, str]) -> Response:
    return text("none of the formats you accept is available here (offered: "
                + ", ".join(offers) + ")", 406, headers)


def _document(request: Request, triples: Callable[[], list[ox.Triple]],
              html: Callable[[], Response], formats: list[tuple[str, str, str]],
              html_url: str) -> Response:
    """A document in HTML or any RDF format, by the ``ext`` path parameter or by Accept."""
    headers = {"Link": _alternates(formats, html_url)}
    ext = request.path_params.get("ext")
    if ext is not None:
        kind = next((t for t in SERVED_TYPES if t.extension == ext), None)
        if kind is None:
            return text("not found", 404)
        return _rdf(triples(), kind, headers)
    headers.update(NEGOTIATED)
    offers = [*PAGE_TYPES, *rdf_offers()]
    choice = negotiate(request.headers.get("accept"), offers)
    if choice is None:
        return _not_acceptable(offers, headers)
    kind = served_by_media_type(choice)
    if kind is not None:
        return _rdf(triples(), kind, headers)
    response = html()
    vary = headers.pop("Vary", None)
    response.headers.update(headers)
    return _vary(response, vary) if vary else response


# ---------------------------------------------------------------------- pages

async def landing(request: Request) -> Response:
    site = site_of(request)
    choice = negotiate(request.headers.get("accept"), [*PAGE_TYPES, *rdf_offers()])
    if choice is not None and served_by_media_type(choice) is not None:
        return RedirectResponse(VOID_PATH, status_code=303, headers=NEGOTIATED)
    data = site.view
    lang, explicit = page_language(request)
    articles: list[tuple[str, str, str, list[tuple[str, str | None]]]] = []
    for article, text in data.articles:
        pieces: list[tuple[str, str | None]] = []
        position = 0
        for start, end, iri in data.mentions(article):
            if start < position or end - start > 80:
                continue  # overlapping, or a whole quotation: keep entity mentions
            pieces.append((text[position:start], None))
            pieces.append((text[start:end], iri))
            position = end
        pieces.append((text[position:], None))
        articles.append((article, article.rsplit("/", 1)[-1],
                         data.label(ox.NamedNode(article), lang), pieces))
    classes = [(cls, len(members)) for cls, members in class_index(data, site.hkd)]
    files = [(name, len(body), hashlib.sha256(body).hexdigest())
             for name, body in sorted(data.files.items())]
    response = site.page("landing.html", lang=lang, explicit=explicit, here="/",
                         articles=articles, triples=triples_in_void(data), classes=classes,
                         files=files, plumbing=PLUMBING_CLASSES,
                         alternates=[(VOID_PATH, "text/turtle")])
    return _vary(response, "Accept")


def _name(request: Request) -> str | None:
    name = str(request.path_params.get("name", ""))
    return name if NAME.fullmatch(name) else None


def _data_formats(name: str) -> list[tuple[str, str, str]]:
    return _formats(lambda t: f"/data/{quote(name)}.{t.extension}")


async def resource(request: Request) -> Response:
    site = site_of(request)
    name = _name(request)
    if name is None:
        return text("not found", 404)
    iri = site.hkd + name
    if not site.view.exists(iri) and not site.view.incoming(iri):
        return text(f"no resource {iri}", 404)
    page = f"/page/{quote(name)}/"
    headers = {**NEGOTIATED, "Link": _alternates(_data_formats(name), page)}
    offers = [*PAGE_TYPES, *rdf_offers()]
    choice = negotiate(request.headers.get("accept"), offers)
    if choice is None:
        return _not_acceptable(offers, headers)
    kind = served_by_media_type(choice)
    target = page if kind is None else f"/data/{quote(name)}.{kind.extension}"
    return RedirectResponse(target, status_code=303, headers=headers)


async def namespace(request: Request) -> Response:
    """``/id/``, the namespace of the dataset's resources: described by the VoID
    description (``void:uriSpace``), and shown by the landing page."""
    offers = [*PAGE_TYPES, *rdf_offers()]
    choice = negotiate(request.headers.get("accept"), offers)
    if choice is None:
        return _not_acceptable(offers, dict(NEGOTIATED))
    target = "/" if served_by_media_type(choice) is None else VOID_PATH
    return RedirectResponse(target, status_code=303, headers=NEGOTIATED)


async def resource_page(request: Request) -> Response:
    site = site_of(request)
    name = _name(request)
    if name is None:
        return text("not found", 404)
    data = site.view
    iri = site.hkd + name
    if not data.exists(iri):
        return text(f"no resource {iri}", 404)
    lang = "tr" if request.url.path.endswith("/tr/") or \
        request.query_params.get("lang") == "tr" else "en"
    jsonld = rdfio.to_bytes(data.describe(iri), ox.RdfFormat.JSON_LD).decode("utf-8")
    lang_links = {"en": f"/page/{quote(name)}/", "tr": f"/page/{quote(name)}/tr/"}
    formats = _data_formats(name)
    node = ox.NamedNode(iri)
    refs, records = incoming(data, iri)
    names = [t.object for t in data.outgoing(iri)
             if t.predicate.value == SCHEMA + "name"]
    response = site.page(
        "resource.html", lang=lang, here=lang_links["en"], iri=iri, name=name,
        lang_links=lang_links,
        title=data.label(node, lang), formats=formats,
        alternates=[(href, media) for href, media, _ in formats],
        names=sorted(names, key=lambda n: (n.language != lang, n.language or "")),
        groups=statements(data, iri), incoming=refs, records=records,
        mentions=mentions_of(data, iri), descriptions=_descriptions(data, node, lang),
        records_query=RECORDS_QUERY.replace("IRI", iri),
        jsonld=jsonld.replace("</", "<\\/"))
    other = "en" if lang == "tr" else "tr"
    response.headers["Link"] = cache.link_header(
        [(href, "alternate", media) for href, media, _ in formats]) + \
        f', <{lang_links[other]}>; rel="alternate"; type="text/html"; hreflang="{other}"'
    return response


def _descriptions(data: View, node: ox.NamedNode, lang: str) -> list[ox.Literal]:
    """The resource's schema:description in the page's language first."""
    found = [t.object for t in data.outgoing(node.value)
             if t.predicate.value == SCHEMA + "description" and isinstance(t.object, ox.Literal)]
    return sorted(found, key=lambda d: (d.language != lang, d.language or ""))



async def old_page(request: Request) -> Response:
    """``/page/NAME`` and ``/page/NAME?lang=tr``: moved for good to ``/page/NAME/`` and
    ``/page/NAME/tr/``, the URLs a static host serves too."""
    name = _name(request)
    if name is None or not site_of(request).view.exists(site_of(request).hkd + name):
        return text("not found", 404)
    lang = request.query_params.get("lang", "en")
    target = f"/page/{quote(name)}/" + ("tr/" if lang == "tr" else "")
    return RedirectResponse(target, status_code=301)


def _slash(target: str) -> Callable[[Request], Awaitable[Response]]:
    async def moved(request: Request) -> Response:
        query = request.url.query
        return RedirectResponse(target + ("?" + query if query else ""), status_code=301)
    return moved


async def resource_data(request: Request) -> Response:
    site = site_of(request)
    name = _name(request)
    ext = str(request.path_params["ext"])
    kind = next((t for t in SERVED_TYPES if t.extension == ext), None)
    if name is None or kind is None:
        return text("not found", 404)
    iri = site.hkd + name
    if not site.view.exists(iri):
        return text(f"no resource {iri}", 404)
    document = ox.NamedNode(f"{site.config.base_url}data/{name}.{ext}")
    about = [ox.Triple(document, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(DATA_LICENSE)),
             ox.Triple(document, ox.NamedNode(FOAF + "primaryTopic"), ox.NamedNode(iri))]
    headers = {"Link": _alternates([f for f in _data_formats(name) if f[1] != kind.media_type],
                                   f"/page/{quote(name)}/")}
    return _rdf([*site.view.describe(iri), *about], kind, headers)


def _terms(triples: list[ox.Triple]) -> list[tuple[str, list[ox.Triple]]]:
    terms: dict[str, list[ox.Triple]] = {}
    for t in triples:
        terms.setdefault(t.subject.value if isinstance(t.subject, ox.NamedNode)
                         else str(t.subject), []).append(t)
    return sorted(terms.items())


def _ontology_triples(site: Site) -> list[ox.Triple]:
    return [q.triple for q in site.view.store.quads_for_pattern(None, None, None,
                                                                ox.DefaultGraph())
            if q.subject.value == ONTOLOGY_IRI or q.subject.value.startswith(ONTOLOGY_IRI + "#")]


async def ontology(request: Request) -> Response:
    site = site_of(request)
    triples = _ontology_triples(site)
    version = request.path_params.get("version")
    if version is not None and version != __version__:
        return text(f"no version {version} here: this is {__version__}", 404)
    formats = _formats(lambda t: f"/ontology.{t.extension}")
    lang, explicit = page_language(request)
    head = {t.predicate.value: t.object for t in triples
            if t.subject.value == ONTOLOGY_IRI and isinstance(t.object, ox.Literal)
            and t.object.language == lang}
    return _document(request, lambda: triples, lambda: site.page(
        "ontology_doc.html", lang=lang, explicit=explicit, here=site.paths["ontology"],
        iri=ONTOLOGY_IRI,
        version_iri=f"{ONTOLOGY_IRI}/{__version__}", formats=formats,
        title=head.get(DCTERMS + "title"), description=head.get(DCTERMS + "description"),
        terms=ontology_terms(site.view), alternates=[(h, m) for h, m, _ in formats]),
        formats, site.paths["ontology"])


async def import_module(request: Request) -> Response:
    site = site_of(request)
    triples = [q.triple for q in site.view.store.quads_for_pattern(None, None, None,
                                                                  ox.DefaultGraph())
               if q.subject.value == MODULE_IRI or
               q.subject.value.startswith("https://schema.org/")]
    formats = _formats(lambda t: f"/ontology/imports/schemaorg.{t.extension}")
    lang, explicit = page_language(request)
    return _document(request, lambda: triples, lambda: site.page(
        "ontology.html", lang=lang, explicit=explicit, kind="module",
        here="/ontology/imports/schemaorg", iri=MODULE_IRI,
        formats=formats, terms=_terms(triples), alternates=[(h, m) for h, m, _ in formats]),
        formats, "/ontology/imports/schemaorg")


async def shapes(request: Request) -> Response:
    site = site_of(request)
    formats = _formats(lambda t: f"/shapes.{t.extension}")
    named = [t for t in site.shapes if isinstance(t.subject, ox.NamedNode)]
    lang, explicit = page_language(request)
    return _document(request, lambda: site.shapes, lambda: site.page(
        "ontology.html", lang=lang, explicit=explicit, kind="shapes",
        here=site.paths["shapes"], iri=SHAPES_IRI, formats=formats, terms=_terms(named),
        alternates=[(h, m) for h, m, _ in formats]),
        formats, site.paths["shapes"])


async def timeline_page(request: Request) -> Response:
    site = site_of(request)
    lang, explicit = page_language(request)
    return site.page("timeline.html", lang=lang, explicit=explicit, here="/timeline/",
                     rows=timeline(site.view, lang))


async def graph_page(request: Request) -> Response:
    site = site_of(request)
    lang, explicit = page_language(request)
    graph = graph_data(site.view, lang)
    for edge in graph["edges"]:
        edge["label"] = term_name(site.view, edge["predicate"], lang)
    for node in graph["nodes"]:
        node["href"] = site.link(site.local(node["id"]), lang, explicit)
    payload = json.dumps(graph, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    kinds = [(kind, colour) for kind, _, colour in KIND_COLOURS]
    return site.page("graph.html", lang=lang, explicit=explicit, here="/graph/", graph=graph,
                     graph_json=payload, kinds=kinds,
                     cytoscape=site.cytoscape is not None)


async def entities_page(request: Request) -> Response:
    site = site_of(request)
    lang, explicit = page_language(request)
    data = site.view
    index = [(cls, sorted(members, key=lambda m: data.label(ox.NamedNode(m), lang).lower()))
             for cls, members in class_index(data, site.hkd)]
    return site.page("entities.html", lang=lang, explicit=explicit, here="/entities/", index=index,
                     plumbing=PLUMBING_CLASSES)


DIST_FOLDERS = ("articles",)  # the release's subfolders (dist/articles/ID.ttl)


async def download(request: Request) -> Response:
    site = site_of(request)
    name = str(request.path_params["name"])
    folder = request.path_params.get("folder")
    if not NAME.fullmatch(name) or (folder is not None and folder not in DIST_FOLDERS):
        return text("not found", 404)
    key = f"{folder}/{name}" if folder is not None else name
    if key not in site.view.files:
        return text("not found", 404)
    return Response(site.view.files[key], media_type=for_file(name))


async def void(request: Request) -> Response:
    site = site_of(request)
    body = site.view.files["void.ttl"]
    offers = rdf_offers()
    headers = {**NEGOTIATED, "Link": cache.link_header([("/dist/void.ttl", "alternate",
                                                         "text/turtle")])}
    choice = negotiate(request.headers.get("accept"), offers)
    if choice is None:
        return _not_acceptable(offers, headers)
    kind = served_by_media_type(choice)
    assert kind is not None
    if kind.format == ox.RdfFormat.TURTLE:
        return Response(body, media_type=for_file("void.ttl"), headers=headers)
    triples = [q.triple for q in site.view.store.quads_for_pattern(
        None, None, None, ox.NamedNode(voidmod.GRAPH))]
    return _rdf(triples, kind, headers)


async def static(request: Request) -> Response:
    site = site_of(request)
    name = str(request.path_params["name"])
    if name in OWN_ASSETS:
        return Response((site.static / name).read_bytes(), media_type=for_file(name))
    if site.cytoscape is not None and name == "cytoscape/cytoscape.min.js":
        return Response((site.cytoscape / Path(name).name).read_bytes(),
                        media_type=for_file(name))
    if site.yasgui is not None and name in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css"):
        return Response((site.yasgui / Path(name).name).read_bytes(), media_type=for_file(name))
    if site.oxigraph is not None and name in ("oxigraph/web.js", "oxigraph/web_bg.wasm"):
        return Response((site.oxigraph / Path(name).name).read_bytes(),
                        media_type=for_file(name))
    return text("not found", 404)


async def robots(request: Request) -> Response:
    site = site_of(request)
    return PlainTextResponse(
        "# haberkg: every page and every data file may be crawled; SPARQL answers are\n"
        "# computed on request, so crawlers are asked not to send queries.\n"
        "User-agent: *\nDisallow: /sparql?\nAllow: /\n\n"
        f"Sitemap: {site.config.base_url}sitemap.xml\n")


def sitemap_pages(site: Site) -> list[tuple[str, str | None]]:
    """(path, path of its Turkish version) of every HTML page, for sitemap.xml."""
    pages: list[tuple[str, str | None]] = [
        ("/", None), ("/timeline/", None), ("/graph/", None),
        (site.paths["ontology"], None), (site.paths["shapes"], None),
        (site.paths["sparql"], None)]
    pages += [(f"/page/{quote(n)}/", f"/page/{quote(n)}/tr/") for n in site.resources()]
    return pages


async def sitemap(request: Request) -> Response:
    site = site_of(request)
    base = site.config.base_url.rstrip("/")
    day = time.strftime("%Y-%m-%d", time.gmtime(site.modified))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for path, tr in sitemap_pages(site):
        for own in ([path] if tr is None else [path, tr]):
            out.append(f"<url><loc>{escape(base + own)}</loc><lastmod>{day}</lastmod>")
            if tr is not None:
                out.append(f'<xhtml:link rel="alternate" hreflang="en" '
                           f'href="{escape(base + path)}"/>')
                out.append(f'<xhtml:link rel="alternate" hreflang="tr" '
                           f'href="{escape(base + tr)}"/>')
            out.append("</url>")
    out.append("</urlset>\n")
    return Response("\n".join(out), media_type="application/xml; charset=utf-8")


# ---------------------------------------------------------------------- SPARQL

async def _read_body(request: Request, site: Site) -> bytes | Response:
    """The request body, counted as it arrives (chunked or not) and read in bounded time."""
    limit = site.config.max_body
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return text(f"request body larger than {limit:,} bytes", 413)
    chunks, total = [], 0
    try:
        with anyio.fail_after(site.config.body_timeout):
            async for chunk in request.stream():
                total += len(chunk)
                if total > limit:
                    return text(f"request body larger than {limit:,} bytes", 413,
                                {"connection": "close"})
                chunks.append(chunk)
    except TimeoutError:
        return text("the request body did not arrive in time", 408, {"connection": "close"})
    return b"".join(chunks)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _prefers_page(accept: str | None) -> bool:
    """Whether the client prefers HTML to every answer format (a browser following a
    shared ``/sparql?query=`` link)."""
    if not accept:
        return False
    answers = endpoint.result_offers() + endpoint.graph_offers()
    return negotiate(accept, [*answers, *PAGE_TYPES]) in PAGE_TYPES


async def sparql(request: Request) -> Response:  # noqa: C901 - the protocol's cases, in order
    site = site_of(request)
    headers = dict(NEGOTIATED)
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={
            **headers, "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept"})
    fields = list(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        content_type = request.headers.get("content-type", "")
        ctype = content_type.split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return text("updates are not allowed: this endpoint is read-only", 403, headers)
        if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            return text("POST a query as application/sparql-query or as a form", 415, headers)
        charset = _charset(content_type)
        if charset not in (None, "utf-8", "utf8"):
            return text(f"the query must be UTF-8 (SPARQL 1.1 Protocol 2.1.3), not {charset}",
                        415, headers)
        body = await _read_body(request, site)
        if isinstance(body, Response):
            return body
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return text(f"the request body is not UTF-8 (byte {exc.start})", 400, headers)
        if ctype == "application/sparql-query":
            if any(k == "query" for k, _ in fields):
                return text("a query both in the URL and in the body", 400, headers)
            query = decoded
        else:
            fields += parse_qsl(decoded, keep_blank_values=True)
    if any(k == "update" for k, _ in fields):
        return text("updates are not allowed: this endpoint is read-only", 403, headers)
    queries = [v for k, v in fields if k == "query"]
    if len(queries) > 1:
        return text("more than one query parameter", 400, headers)
    if queries:
        query = queries[0]
    if query is None:
        return service_description(request, site, headers)
    if request.method == "GET" and _prefers_page(request.headers.get("accept")):
        return query_page(site, query, headers, request)
    defaults = tuple(v for k, v in fields if k == "default-graph-uri")
    named = tuple(v for k, v in fields if k == "named-graph-uri")
    dataset = Dataset(defaults or None, named or None) if defaults or named else None
    job = endpoint.Request(query, request.headers.get("accept", ""), dataset,
                           base_iri=site.config.base_url + "sparql")
    client = request.client.host if request.client else "-"
    try:
        answer = await anyio.to_thread.run_sync(lambda: site.pool.run(job, client))
    except PoolBusy as busy:
        return text(busy.message, busy.status, {**headers, "Retry-After": str(busy.retry_after)})
    except QueryTimeout:
        return text(f"query stopped: it ran longer than {site.config.query_timeout:g} s", 503,
                    {**headers, "Retry-After": "1"})
    except WorkerLost:
        return text("query failed: its worker stopped (too much memory?)", 503,
                    {**headers, "Retry-After": "1"})
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                    headers=headers)


def query_page(site: Site, initial: str | None, headers: dict[str, str],
               request: Request | None = None) -> Response:
    payload = json.dumps([{"name": q.name, "text": q.text} for q in site.queries],
                         ensure_ascii=False).replace("</", "<\\/")
    lang, explicit = page_language(request) if request is not None else (i18n.DEFAULT, True)
    response = site.page("query.html", lang=lang, explicit=explicit,
                         here=site.paths["sparql"], queries=site.queries, queries_json=payload,
                         initial_query=initial,
                         initial_json=json.dumps(initial, ensure_ascii=False)
                         .replace("</", "<\\/"),
                         yasgui=site.yasgui is not None)
    vary = headers.get("Vary")
    response.headers.update({k: v for k, v in headers.items() if k != "Vary"})
    return _vary(response, vary) if vary else response


def description_triples(site: Site) -> list[ox.Triple]:
    """The SPARQL 1.1 service description of the endpoint (with its dataset)."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    url = ox.NamedNode(site.config.base_url + "sparql")
    a = ox.NamedNode(RDF + "type")

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(url, a, n(sd + "Service")),
        ox.Triple(url, n(sd + "endpoint"), url),
        ox.Triple(url, n(sd + "supportedLanguage"), n(sd + "SPARQL11Query")),
        ox.Triple(url, n(DCTERMS + "license"), n(DATA_LICENSE)),
        ox.Triple(url, n("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                  n(site.config.base_url + VOID_PATH.lstrip("/"))),
        ox.Triple(url, n("http://www.w3.org/2000/01/rdf-schema#comment"), ox.Literal(
            "Read-only: updates are refused (403); SERVICE is refused, and so are FROM, "
            "FROM NAMED, default-graph-uri and named-graph-uri that name a graph this "
            "store does not hold (400): no graph is ever fetched. Relative IRIs in a "
            "query are resolved against the endpoint's URL.", language="en")),
        ox.Triple(url, n(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, a, n(sd + "Dataset")),
        ox.Triple(dataset, n("http://www.w3.org/2000/01/rdf-schema#seeAlso"),
                  n(voidmod.DATASET.value)),
        ox.Triple(dataset, n(sd + "defaultGraph"), default),
        ox.Triple(default, a, n(sd + "Graph")),
        ox.Triple(default, n(VOID + "triples"), ox.Literal(
            str(sum(1 for _ in site.view.store.quads_for_pattern(None, None, None,
                                                                 ox.DefaultGraph()))),
            datatype=n("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    triples += [ox.Triple(url, n(sd + "resultFormat"), n(t.iri)) for t in RESULT_TYPES]
    triples += [ox.Triple(url, n(sd + "resultFormat"), n(t.iri)) for t in SERVED_TYPES]
    counts: dict[str, int] = {}
    for q in site.view.store.quads_for_pattern(None, None, None):
        if isinstance(q.graph_name, ox.NamedNode):
            counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
    for i, (name, count) in enumerate(sorted(counts.items())):
        named, graph = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        triples += [
            ox.Triple(dataset, n(sd + "namedGraph"), named),
            ox.Triple(named, a, n(sd + "NamedGraph")),
            ox.Triple(named, n(sd + "name"), n(name)),
            ox.Triple(named, n(sd + "graph"), graph),
            ox.Triple(graph, a, n(sd + "Graph")),
            ox.Triple(graph, n(VOID + "triples"), ox.Literal(
                str(count), datatype=n("http://www.w3.org/2001/XMLSchema#integer"))),
        ]
    return triples


def service_description(request: Request, site: Site, headers: dict[str, str]) -> Response:
    offers = [*PAGE_TYPES, *rdf_offers()]
    choice = negotiate(request.headers.get("accept"), offers)
    if choice is None:
        return _not_acceptable(offers, headers)
    kind = served_by_media_type(choice)
    if kind is None:
        return query_page(site, None, headers, request)
    return _rdf(description_triples(site), kind, headers)


async def not_found(request: Request, exc: Exception) -> Response:
    return text("not found", 404)


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    return text("method not allowed", 405)


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s: %s: %s", request.method, request.url.path,
              type(exc).__name__, exc)
    return text("internal server error", 500)


ROUTES = [
    Route("/", landing),
    Route("/id/", namespace),
    Route("/id/{name}", resource),
    Route("/page/{name}/", resource_page),
    Route("/page/{name}/tr/", resource_page),
    Route("/page/{name}", old_page),
    Route("/data/{name}.{ext}", resource_data),
    Route("/ontology", ontology),
    Route("/ontology/", _slash("/ontology")),
    Route("/ontology.{ext}", ontology),
    Route("/ontology/imports/schemaorg", import_module),
    Route("/ontology/imports/schemaorg.{ext}", import_module),
    Route("/ontology/{version}", ontology),
    Route("/shapes", shapes),
    Route("/shapes/", _slash("/shapes")),
    Route("/shapes.{ext}", shapes),
    Route("/timeline/", timeline_page),
    Route("/timeline", _slash("/timeline/")),
    Route("/graph/", graph_page),
    Route("/graph", _slash("/graph/")),
    Route("/entities/", entities_page),
    Route("/entities", _slash("/entities/")),
    Route("/dist/{name}", download),
    Route("/dist/{folder}/{name}", download),
    Route(VOID_PATH, void),
    Route("/static/{name:path}", static),
    Route("/robots.txt", robots),
    Route("/sitemap.xml", sitemap),
    Route("/sparql", sparql, methods=["GET", "HEAD", "POST", "OPTIONS"]),
    Route("/sparql/", _slash("/sparql")),
]


def create_app(dist: Path, config: Config | None = None, **options: object) -> Starlette:
    """The application. ``options`` are fields of :class:`Config` (a shortcut for tests)."""
    config = config or Config(dist, **options)  # type: ignore[arg-type]
    site = Site(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        site.close()

    app = Starlette(routes=ROUTES, lifespan=lifespan, exception_handlers={
        404: not_found, 405: method_not_allowed, 500: server_error, Exception: server_error})
    app.router.redirect_slashes = False  # Starlette builds those redirects from Host
    links = cache.link_header([(DATA_LICENSE, "license", None),
                               (VOID_PATH, "describedby", "text/turtle")])
    app.add_middleware(cache.Caching, last_modified=site.modified, links=links)
    app.add_middleware(cache.Compression)
    app.add_middleware(cache.HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    app.state.site = site
    return app


def _competency_queries() -> list[QueryFile]:
    from haberkg.sources.project import Project

    try:
        return [QueryFile.read(p) for p in Project.discover().query_files]
    except InputError:
        return []


def _npm_dir(package: str, probe: str) -> Path | None:
    """A folder of an npm package in the project's node_modules, when installed (the
    SPARQL editor YASGUI; Oxigraph compiled to WebAssembly for the static site)."""
    from haberkg.sources.project import Project

    try:
        root = Project.discover().root
    except InputError:
        return None
    folder = root / "node_modules" / package
    return folder if (folder / probe).exists() else None


__all__ = ["Config", "create_app"]
