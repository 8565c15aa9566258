"""``haberkg serve``: the release as linked data, from an embedded store.

* ``/sparql``: SPARQL 1.1 Protocol (GET, POST form, POST direct), read-only; queries
  that would reach outside (SERVICE, FROM) are refused before they run.
* ``/id/{name}``: 303 See Other to ``/page/{name}`` (HTML) or ``/data/{name}.{ext}``
  (Turtle, N-Triples, JSON-LD, RDF/XML) by the Accept header (Cool URIs, 303 style).
* ``/ontology``: the ontology (HTML documentation or RDF by Accept); its terms are hash
  IRIs, so ``/ontology#Signing`` is served by the same document.
* ``/``: the dataset, its numbers, downloads and the article with its mentions linked.
* ``/dist/{file}``: the release files; ``/.well-known/void``: the VoID description.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, quote

import anyio
import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from haberkg import __version__
from haberkg.errors import InputError
from haberkg.namespaces import BASE, ONTOLOGY_IRI, RDF, compact
from haberkg.release import serialise as rdfio
from haberkg.sparql import run as sparql
from haberkg.web.pool import QueryPool, QueryTimeout
from haberkg.web.view import FORMATS, Dataset, graph_svg, local_path, timeline

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RESULT_MEDIA = {"application/json": "application/sparql-results+json",
                "application/xml": "application/sparql-results+xml"}
GRAPH_TYPES = {media: fmt for media, fmt in FORMATS.values()}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
MAX_BODY = 1_000_000


def _negotiate(accept: str, offers: list[str]) -> str | None:
    """The offer the Accept header prefers (q-values honoured), or None."""
    if not accept:
        return offers[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        for rank, offer in enumerate(offers):
            if q <= 0:
                continue
            if media in (offer, "*/*") or (media.endswith("/*") and
                                           offer.startswith(media[:-1])):
                key = (q, -rank if media != "*/*" else -rank - 100, offer)
                if best is None or key[:2] > best[:2]:
                    best = key
    return best[2] if best else None


def create_app(dist: Path, *, query_timeout: float = 10.0, max_rows: int = 100_000,
               workers: int = 2, static_links: bool = False, base_url: str = BASE
               ) -> Starlette:
    """The application; ``static_links`` makes pages link to ``/page/NAME/`` directly
    (for the static site, where a plain file server cannot answer 303). ``base_url`` is
    the public base IRI of the dataset: ``base_url + X`` is served at ``/X``."""
    if not base_url.endswith("/"):
        raise InputError("--base-url must end with /", path=base_url)
    hkd = base_url + "id/"
    data = Dataset.load(dist)
    pool = QueryPool(dist, workers=workers)
    env = Environment(loader=PackageLoader("haberkg.web", "templates"),
                      autoescape=select_autoescape(["html"]))
    env.filters["compact"] = compact
    def local(iri: str) -> str:
        path = local_path(iri, base_url)
        if path is None:
            return iri
        if static_links and path.startswith("/id/"):
            return "/page/" + path[len("/id/"):] + "/"
        if static_links and path.startswith("/ontology#"):
            return "/ontology/" + path[len("/ontology"):]
        return path

    env.filters["local"] = local
    env.globals["version"] = __version__

    def page(template: str, status: int = 200, **context: object) -> HTMLResponse:
        html = env.get_template(template).render(data=data, **context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def text(message: str, status: int) -> PlainTextResponse:
        return PlainTextResponse(message + "\n", status_code=status, headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ pages
    async def landing(request: Request) -> Response:
        pieces: list[tuple[str, str | None]] = []
        position = 0
        for start, end, iri in data.mentions():
            if start < position or end - start > 80:
                continue  # overlapping, or a whole quotation: keep entity mentions
            pieces.append((data.article[position:start], None))
            pieces.append((data.article[start:end], iri))
            position = end
        pieces.append((data.article[position:], None))
        classes = [(r["class"].value, int(r["n"].value)) for r in data.store.query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class . "
            f'FILTER STRSTARTS(STR(?s), "{hkd}") }} GROUP BY ?class ORDER BY DESC(?n) ?class')]
        files = [(name, len(body), hashlib.sha256(body).hexdigest())
                 for name, body in sorted(data.files.items())]
        return page("landing.html", pieces=pieces, triples=len(data.store),
                    classes=classes, files=files)

    async def resource(request: Request) -> Response:
        name = request.path_params["name"]
        iri = hkd + name
        if not data.exists(iri) and not data.incoming(iri):
            return text(f"no resource {iri}", 404)
        accept = request.headers.get("accept", "")
        offers = ["text/html", *[m for m, _ in FORMATS.values()]]
        choice = _negotiate(accept, offers) or "text/html"
        if choice == "text/html":
            target = f"/page/{quote(name)}"
        else:
            ext = next(e for e, (m, _) in FORMATS.items() if m == choice)
            target = f"/data/{quote(name)}.{ext}"
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})

    async def resource_page(request: Request) -> Response:
        name = request.path_params["name"]
        iri = hkd + name
        if not data.exists(iri):
            return text(f"no resource {iri}", 404)
        lang = request.query_params.get("lang", "en")
        lang = lang if lang in ("en", "tr") else "en"
        out = data.outgoing(iri)
        described = data.describe(iri)
        jsonld = rdfio.to_bytes(described, ox.RdfFormat.JSON_LD).decode("utf-8")
        if static_links:
            lang_links = {"en": f"/page/{quote(name)}/", "tr": f"/page/{quote(name)}/tr/"}
        else:
            lang_links = {"en": "?lang=en", "tr": "?lang=tr"}
        return page("resource.html", iri=iri, name=name, lang=lang, lang_links=lang_links,
                    title=data.label(ox.NamedNode(iri), lang),
                    names=[t.object for t in out if t.predicate.value.endswith("schema.org/name")],
                    types=[t.object for t in out if t.predicate.value == RDF + "type"],
                    outgoing=[t for t in out if t.predicate.value != RDF + "type"],
                    incoming=[t for t in data.incoming(iri)],
                    grounding=data.grounding(iri),
                    jsonld=jsonld.replace("</", "<\\/"))

    async def resource_data(request: Request) -> Response:
        name, ext = request.path_params["name"], request.path_params["ext"]
        iri = hkd + name
        if ext not in FORMATS:
            return text(f"unknown format .{ext}", 404)
        if not data.exists(iri):
            return text(f"no resource {iri}", 404)
        media, fmt = FORMATS[ext]
        body = rdfio.to_bytes(data.describe(iri), fmt)
        return Response(body, media_type=media, headers=SECURITY_HEADERS)

    async def ontology(request: Request) -> Response:
        offers = ["text/html", *[m for m, _ in FORMATS.values()]]
        choice = _negotiate(request.headers.get("accept", ""), offers) or "text/html"
        ext = request.path_params.get("ext")
        if ext:
            if ext not in FORMATS:
                return text(f"unknown format .{ext}", 404)
            choice = FORMATS[ext][0]
        triples = [q.triple for q in data.store.quads_for_pattern(None, None, None,
                                                                 ox.DefaultGraph())
                   if q.subject.value == ONTOLOGY_IRI or
                   q.subject.value.startswith(ONTOLOGY_IRI + "#")]
        if choice != "text/html":
            fmt = GRAPH_TYPES[choice]
            return Response(rdfio.to_bytes(triples, fmt), media_type=choice,
                            headers={**SECURITY_HEADERS, "Vary": "Accept"})
        terms: dict[str, list[ox.Triple]] = {}
        for t in triples:
            terms.setdefault(t.subject.value, []).append(t)
        return page("ontology.html", terms=sorted(terms.items()))

    async def timeline_page(request: Request) -> Response:
        return page("timeline.html", rows=timeline(data))

    async def graph_page(request: Request) -> Response:
        return page("graph.html", svg=graph_svg(data))

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in data.files:
            return text(f"no file {name}", 404)
        suffix = Path(name).suffix
        media = {".ttl": "text/turtle", ".nt": "application/n-triples",
                 ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml",
                 ".trig": "application/trig", ".json": "application/json"}.get(
                     suffix, "text/plain")
        return Response(data.files[name], media_type=media, headers=SECURITY_HEADERS)

    async def void(request: Request) -> Response:
        return Response(data.files["void.ttl"], media_type="text/turtle",
                        headers=SECURITY_HEADERS)

    # ------------------------------------------------------------------ SPARQL
    async def endpoint(request: Request) -> Response:
        headers = {**SECURITY_HEADERS, "Access-Control-Allow-Origin": "*", "Vary": "Accept"}
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={
                **headers, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept"})
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return text("request body too large", 413)
        query: str | None = None
        if request.method == "GET":
            if "update" in request.query_params:
                return text("updates are not allowed: this endpoint is read-only", 403)
            query = request.query_params.get("query")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if len(body) > MAX_BODY:
                return text("request body too large", 413)
            if ctype == "application/sparql-update":
                return text("updates are not allowed: this endpoint is read-only", 403)
            if ctype == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            elif ctype == "application/x-www-form-urlencoded":
                fields = parse_qs(body.decode("utf-8", "replace"))
                if "update" in fields:
                    return text("updates are not allowed: this endpoint is read-only", 403)
                query = fields.get("query", [None])[0]
            else:
                return text("POST a query as application/sparql-query or as a form", 415)
        if not query:
            return service_description(request, headers)
        try:
            form = sparql.check_query(query, shown="query")
        except InputError as exc:
            return PlainTextResponse(exc.located() + "\n", status_code=400, headers=headers)
        accept = request.headers.get("accept", "")
        if form in ("CONSTRUCT", "DESCRIBE"):
            offers = [m for m, _ in FORMATS.values()]
            choice = _negotiate(accept, offers) if accept else "text/turtle"
        else:
            offers = list(RESULT_TYPES)
            choice = _negotiate(accept, offers) if accept else "application/sparql-results+json"
            choice = RESULT_MEDIA.get(choice or "", choice)
        if choice is None:
            return PlainTextResponse("no acceptable format for this query\n", status_code=406,
                                     headers=headers)
        try:
            answer = await anyio.to_thread.run_sync(
                lambda: pool.run(query, form, choice, timeout=query_timeout, max_rows=max_rows))
        except QueryTimeout:
            return PlainTextResponse(f"query stopped: it ran longer than {query_timeout:g} s\n",
                                     status_code=503, headers={**headers, "Retry-After": "1"})
        except (EOFError, OSError):
            return PlainTextResponse("query failed: the query worker stopped\n",
                                     status_code=500, headers=headers)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                        headers=headers)

    def service_description(request: Request, headers: dict[str, str]) -> Response:
        if _negotiate(request.headers.get("accept", ""), ["text/html", "text/turtle"]) == \
                "text/html":
            queries = [sparql.QueryFile.read(p) for p in _query_files()]
            payload = json.dumps([{"name": q.name, "text": q.text} for q in queries],
                                 ensure_ascii=False).replace("</", "<\\/")
            return page("query.html", queries=queries, queries_json=payload,
                        yasgui=yasgui_dir is not None)
        url = str(request.url).split("?")[0]
        sd = (f"@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
              f"<{url}> a sd:Service ;\n"
              f"    sd:endpoint <{url}> ;\n"
              f"    sd:supportedLanguage sd:SPARQL11Query ;\n"
              f"    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> ,\n"
              f"        <http://www.w3.org/ns/formats/SPARQL_Results_XML> ,\n"
              f"        <http://www.w3.org/ns/formats/SPARQL_Results_CSV> ,\n"
              f"        <http://www.w3.org/ns/formats/SPARQL_Results_TSV> ,\n"
              f"        <http://www.w3.org/ns/formats/Turtle> ,\n"
              f"        <http://www.w3.org/ns/formats/N-Triples> ,\n"
              f"        <http://www.w3.org/ns/formats/JSON-LD> ,\n"
              f"        <http://www.w3.org/ns/formats/RDF_XML> ;\n"
              f"    sd:defaultDataset [ a sd:Dataset ;\n"
              f"        sd:defaultGraph [ a sd:Graph ] ] .\n")
        return Response(sd, media_type="text/turtle", headers=headers)

    def _query_files() -> list[Path]:
        from haberkg.sources.project import Project

        try:
            return Project.discover().query_files
        except InputError:
            return []

    static_dir = Path(__file__).resolve().parent / "static"
    yasgui_dir = _yasgui_dir()

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "query.js":
            return Response((static_dir / "query.js").read_bytes(),
                            media_type="text/javascript", headers=SECURITY_HEADERS)
        if yasgui_dir is not None and name in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css"):
            media = "text/javascript" if name.endswith(".js") else "text/css"
            return Response((yasgui_dir / Path(name).name).read_bytes(), media_type=media,
                            headers=SECURITY_HEADERS)
        return text("not found", 404)

    async def not_found(request: Request, exc: Exception) -> Response:
        return text("not found", 404)

    async def server_error(request: Request, exc: Exception) -> Response:
        return text("internal server error", 500)

    routes = [
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
        Route("/sparql", endpoint, methods=["GET", "POST", "OPTIONS"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        pool.close()

    app = Starlette(routes=routes, exception_handlers={404: not_found, 500: server_error},
                    lifespan=lifespan)
    app.state.dataset = data
    app.state.started = time.time()
    return app


def _yasgui_dir() -> Path | None:
    """The YASGUI editor from npm (node_modules/@zazuko/yasgui/build), when installed."""
    from haberkg.sources.project import Project

    try:
        root = Project.discover().root
    except InputError:
        return None
    build = root / "node_modules" / "@zazuko" / "yasgui" / "build"
    return build if (build / "yasgui.min.js").exists() else None


__all__ = ["create_app"]
