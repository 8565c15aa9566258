"""``haberkg serve``: the release as linked data, from an embedded store.

* ``/sparql``: SPARQL 1.1 Protocol (GET, POST form, POST direct), read-only. Every
  query is handled whole by a confined, killable worker (:mod:`haberkg.web.pool`).
* ``/id/{name}``: 303 See Other to ``/page/{name}`` (HTML) or ``/data/{name}.{ext}``
  by the Accept header (Cool URIs, 303 style).
* ``/ontology``: the ontology (HTML documentation or RDF by Accept); its terms are
  hash IRIs, so ``/ontology#Signing`` is served by the same document.
* ``/``: the dataset, its numbers, downloads and the article with its mentions linked.
* ``/dist/{file}``: the release files; ``/.well-known/void``: the VoID description.

Every response, redirects and errors included, carries the security headers; no
redirect is built from the request's ``Host`` header; a malformed name is a 404.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote

import anyio
import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haberkg import __version__
from haberkg import serialise as rdfio
from haberkg.errors import InputError
from haberkg.media import RDF_TYPES, RESULT_TYPES, for_file, rdf_by_media_type, with_charset
from haberkg.namespaces import BASE, ONTOLOGY_IRI, RDF, compact
from haberkg.release.reader import PublishedRelease
from haberkg.sparql.files import QueryFile
from haberkg.sparql.run import Dataset
from haberkg.web import endpoint
from haberkg.web.conneg import negotiate
from haberkg.web.pool import PoolBusy, PoolConfig, QueryPool, QueryTimeout, WorkerLost
from haberkg.web.view import View, graph_svg, local_path, timeline

log = logging.getLogger("haberkg.serve")

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
CORS = {"access-control-allow-origin": "*"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
PAGE_TYPES = ["text/html", "application/xhtml+xml"]


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
        self.env = Environment(loader=PackageLoader("haberkg.web", "templates"),
                               autoescape=select_autoescape(["html"]))
        self.env.filters["compact"] = compact
        self.env.filters["local"] = self.local
        self.env.globals["version"] = __version__
        self.queries = _competency_queries()
        self.yasgui = _yasgui_dir()
        self.static = Path(__file__).resolve().parent / "static"

    def local(self, iri: str) -> str:
        """The local URL of a dataset IRI (``base_url + X`` is served at ``/X``)."""
        path = local_path(iri, self.config.base_url)
        if path is None:
            return iri
        if self.config.static_links and path.startswith("/id/"):
            return "/page/" + path[len("/id/"):] + "/"
        if self.config.static_links and path.startswith("/ontology#"):
            return "/ontology/" + path[len("/ontology"):]
        return path

    def page(self, template: str, status: int = 200, **context: object) -> HTMLResponse:
        html = self.env.get_template(template).render(data=self.view, **context)
        return HTMLResponse(html, status_code=status)

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


class AccessLog:
    """One line per request: client, method, path (query strings cut short), status,
    bytes and milliseconds, through the ``haberkg.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        import time

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
            access.info('%s "%s %s" %s %d %.1f ms', client[0], scope.get("method", ""), target,
                        state["status"] or "-", state["bytes"],
                        (time.perf_counter() - start) * 1000)


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


# ---------------------------------------------------------------------- pages

async def landing(request: Request) -> Response:
    site = site_of(request)
    data = site.view
    articles: list[tuple[str, str, list[tuple[str, str | None]]]] = []
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
        articles.append((article, data.label(ox.NamedNode(article), "en"), pieces))
    classes = [(r["class"].value, int(r["n"].value)) for r in data.store.query(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . "
        f'FILTER STRSTARTS(STR(?s), "{site.hkd}") }} GROUP BY ?class ORDER BY DESC(?n) ?class')]
    files = [(name, len(body), hashlib.sha256(body).hexdigest())
             for name, body in sorted(data.files.items())]
    return site.page("landing.html", articles=articles, triples=len(data.store),
                     classes=classes, files=files)


def _name(request: Request) -> str | None:
    name = str(request.path_params.get("name", ""))
    return name if NAME.fullmatch(name) else None


async def resource(request: Request) -> Response:
    site = site_of(request)
    name = _name(request)
    if name is None:
        return text("not found", 404)
    iri = site.hkd + name
    if not site.view.exists(iri) and not site.view.incoming(iri):
        return text(f"no resource {iri}", 404)
    offers = [*PAGE_TYPES, *(t.media_type for t in RDF_TYPES if t.offered)]
    choice = negotiate(request.headers.get("accept"), offers) or "text/html"
    kind = rdf_by_media_type(choice)
    target = f"/page/{quote(name)}" if kind is None else f"/data/{quote(name)}.{kind.extension}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept", **CORS})


async def resource_page(request: Request) -> Response:
    site = site_of(request)
    name = _name(request)
    if name is None:
        return text("not found", 404)
    data = site.view
    iri = site.hkd + name
    if not data.exists(iri):
        return text(f"no resource {iri}", 404)
    lang = request.query_params.get("lang", "en")
    lang = lang if lang in ("en", "tr") else "en"
    out = data.outgoing(iri)
    jsonld = rdfio.to_bytes(data.describe(iri), ox.RdfFormat.JSON_LD).decode("utf-8")
    if site.config.static_links:
        lang_links = {"en": f"/page/{quote(name)}/", "tr": f"/page/{quote(name)}/tr/"}
    else:
        lang_links = {"en": "?lang=en", "tr": "?lang=tr"}
    return site.page("resource.html", iri=iri, name=name, lang=lang, lang_links=lang_links,
                     title=data.label(ox.NamedNode(iri), lang),
                     names=[t.object for t in out if t.predicate.value.endswith("schema.org/name")],
                     types=[t.object for t in out if t.predicate.value == RDF + "type"],
                     outgoing=[t for t in out if t.predicate.value != RDF + "type"],
                     incoming=data.incoming(iri), grounding=data.grounding(iri),
                     jsonld=jsonld.replace("</", "<\\/"))


async def resource_data(request: Request) -> Response:
    site = site_of(request)
    name = _name(request)
    ext = str(request.path_params["ext"])
    kind = next((t for t in RDF_TYPES if t.extension == ext), None)
    if name is None or kind is None:
        return text("not found", 404)
    iri = site.hkd + name
    if not site.view.exists(iri):
        return text(f"no resource {iri}", 404)
    body = rdfio.to_bytes(site.view.describe(iri), kind.format)
    return Response(body, media_type=with_charset(kind.media_type), headers=CORS)


async def ontology(request: Request) -> Response:
    site = site_of(request)
    ext = request.path_params.get("ext")
    if ext is not None:
        kind = next((t for t in RDF_TYPES if t.extension == ext), None)
        if kind is None:
            return text("not found", 404)
        choice = kind.media_type
    else:
        offers = [*PAGE_TYPES, *(t.media_type for t in RDF_TYPES if t.offered)]
        choice = negotiate(request.headers.get("accept"), offers) or "text/html"
    triples = [q.triple for q in site.view.store.quads_for_pattern(None, None, None,
                                                                  ox.DefaultGraph())
               if q.subject.value == ONTOLOGY_IRI or
               q.subject.value.startswith(ONTOLOGY_IRI + "#")]
    headers = {"Vary": "Accept", **CORS}
    kind = rdf_by_media_type(choice)
    if kind is not None:
        return Response(rdfio.to_bytes(triples, kind.format),
                        media_type=with_charset(kind.media_type), headers=headers)
    terms: dict[str, list[ox.Triple]] = {}
    for t in triples:
        terms.setdefault(t.subject.value, []).append(t)
    response = site.page("ontology.html", terms=sorted(terms.items()))
    response.headers.update(headers)
    return response


async def timeline_page(request: Request) -> Response:
    site = site_of(request)
    return site.page("timeline.html", rows=timeline(site.view))


async def graph_page(request: Request) -> Response:
    site = site_of(request)
    return site.page("graph.html", svg=graph_svg(site.view))


async def download(request: Request) -> Response:
    site = site_of(request)
    name = str(request.path_params["name"])
    if not NAME.fullmatch(name) or name not in site.view.files:
        return text("not found", 404)
    return Response(site.view.files[name], media_type=for_file(name), headers=CORS)


async def void(request: Request) -> Response:
    site = site_of(request)
    return Response(site.view.files["void.ttl"], media_type=for_file("void.ttl"), headers=CORS)


async def static(request: Request) -> Response:
    site = site_of(request)
    name = str(request.path_params["name"])
    if name == "query.js":
        return Response((site.static / "query.js").read_bytes(), media_type=for_file(name))
    if site.yasgui is not None and name in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css"):
        return Response((site.yasgui / Path(name).name).read_bytes(), media_type=for_file(name))
    return text("not found", 404)


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


async def sparql(request: Request) -> Response:
    site = site_of(request)
    headers = {**CORS, "Vary": "Accept"}
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={
            **headers, "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept"})
    fields = list(request.query_params.multi_items())
    query: str | None = None
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            return text("updates are not allowed: this endpoint is read-only", 403, headers)
        if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            return text("POST a query as application/sparql-query or as a form", 415, headers)
        body = await _read_body(request, site)
        if isinstance(body, Response):
            return body
        decoded = body.decode("utf-8", "replace")
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


def service_description(request: Request, site: Site, headers: dict[str, str]) -> Response:
    if negotiate(request.headers.get("accept"), ["text/html", "text/turtle"]) == "text/html":
        payload = json.dumps([{"name": q.name, "text": q.text} for q in site.queries],
                             ensure_ascii=False).replace("</", "<\\/")
        response = site.page("query.html", queries=site.queries, queries_json=payload,
                             yasgui=site.yasgui is not None)
        response.headers.update(headers)
        return response
    url = site.config.base_url + "sparql"
    iris = [t.iri for t in RESULT_TYPES] + [t.iri for t in RDF_TYPES]
    formats = " ,\n        ".join(f"<{iri}>" for iri in iris)
    sd = (f"@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
          f"<{url}> a sd:Service ;\n"
          f"    sd:endpoint <{url}> ;\n"
          f"    sd:supportedLanguage sd:SPARQL11Query ;\n"
          f"    sd:resultFormat {formats} ;\n"
          f"    sd:defaultDataset [ a sd:Dataset ;\n"
          f"        sd:defaultGraph [ a sd:Graph ] ] .\n")
    return Response(sd, media_type="text/turtle; charset=utf-8", headers=headers)


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
    Route("/id/{name:path}", resource),
    Route("/page/{name:path}", resource_page),
    Route("/data/{name:path}.{ext}", resource_data),
    Route("/ontology", ontology),
    Route("/ontology.{ext}", ontology),
    Route("/timeline", timeline_page),
    Route("/graph", graph_page),
    Route("/dist/{name}", download),
    Route("/.well-known/void", void),
    Route("/static/{name:path}", static),
    Route("/sparql", sparql, methods=["GET", "HEAD", "POST", "OPTIONS"]),
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


def _yasgui_dir() -> Path | None:
    """The YASGUI editor from npm (node_modules/@zazuko/yasgui/build), when installed."""
    from haberkg.sources.project import Project

    try:
        root = Project.discover().root
    except InputError:
        return None
    build = root / "node_modules" / "@zazuko" / "yasgui" / "build"
    return build if (build / "yasgui.min.js").exists() else None


__all__ = ["Config", "create_app"]
