"""The one table of media types: RDF serialisations, SPARQL result formats, web assets.

The RDF and SPARQL result entries come from pyoxigraph's own format objects
(:class:`pyoxigraph.RdfFormat`, :class:`pyoxigraph.QueryResultsFormat`), so the media
type a file is served with is the one its parser and serializer speak. Everything that
maps a file extension or an ``Accept`` header to a format reads this module: the
loader, the release writer, the server, and the Apache and nginx rules of the static
site.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfType:
    """An RDF serialisation haberkg reads and writes."""

    format: ox.RdfFormat
    extension: str  # without the dot, as in data/NAME.ttl
    read_extensions: tuple[str, ...]  # file name endings the loader reads as this format
    aliases: tuple[str, ...] = ()  # further media types accepted for it
    label: str = ""
    offered: bool = True  # offered by content negotiation for a resource

    @property
    def media_type(self) -> str:
        return self.format.media_type

    @property
    def iri(self) -> str:
        """Its IRI in http://www.w3.org/ns/formats/ (for service descriptions)."""
        if self.format == ox.RdfFormat.JSON_LD:
            return "http://www.w3.org/ns/formats/JSON-LD"
        return self.format.iri

    @property
    def datasets(self) -> bool:
        return bool(self.format.supports_datasets)


@dataclass(frozen=True)
class ResultType:
    """A SPARQL query results format (SELECT and ASK answers)."""

    format: ox.QueryResultsFormat
    name: str  # json, xml, csv, tsv
    aliases: tuple[str, ...] = field(default=())

    @property
    def media_type(self) -> str:
        return self.format.media_type.split(";")[0].strip()

    @property
    def iri(self) -> str:
        return self.format.iri


RDF_TYPES: tuple[RdfType, ...] = (
    RdfType(ox.RdfFormat.TURTLE, "ttl", ("ttl",), ("application/x-turtle",), "Turtle"),
    RdfType(ox.RdfFormat.N_TRIPLES, "nt", ("nt",), ("text/plain",), "N-Triples"),
    RdfType(ox.RdfFormat.JSON_LD, "jsonld", ("jsonld", "json"), (), "JSON-LD"),
    RdfType(ox.RdfFormat.RDF_XML, "rdf", ("rdf", "owl", "xml"), ("application/xml",),
            "RDF/XML"),
    RdfType(ox.RdfFormat.TRIG, "trig", ("trig",), ("application/x-trig",), "TriG"),
    RdfType(ox.RdfFormat.N_QUADS, "nq", ("nq",), ("text/x-nquads",), "N-Quads"),
)
# Written by pyoxigraph and served by content negotiation, never read by the loader (N3
# is a superset of Turtle, with formulas, that haberkg does not accept as input).
SERVED_ONLY: tuple[RdfType, ...] = (
    RdfType(ox.RdfFormat.N3, "n3", (), (), "N3"),
)
# Every RDF type the server and the static site offer: all that pyoxigraph writes.
SERVED_TYPES: tuple[RdfType, ...] = RDF_TYPES + SERVED_ONLY
RESULT_TYPES: tuple[ResultType, ...] = (
    ResultType(ox.QueryResultsFormat.JSON, "json", ("application/json",)),
    ResultType(ox.QueryResultsFormat.XML, "xml", ("application/xml", "text/xml")),
    ResultType(ox.QueryResultsFormat.CSV, "csv"),
    ResultType(ox.QueryResultsFormat.TSV, "tsv"),
)

HTML = "text/html"
XHTML = "application/xhtml+xml"
PLAIN = "text/plain"
JSON = "application/json"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"

# Every other file the release and the site are made of, by extension.
ASSETS: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "json": "application/json",
    "wasm": "application/wasm",
    "txt": "text/plain; charset=utf-8",
    "xml": "application/xml",
}
# Already compressed: never gzipped again (by haberkg serve, or by the static site's
# server configuration).
COMPRESSED = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
              "application/gzip", "application/zip", "font/woff", "font/woff2",
              "audio/*", "video/*", "text/event-stream", "application/grpc")
TEXT_MEDIA = ("text/", "application/n-triples", "application/n-quads", "application/trig",
              "application/ld+json", "application/rdf+xml", "application/json",
              "application/sparql-results", "application/xml", "image/svg+xml")


def rdf_by_extension(extension: str) -> RdfType | None:
    """The RDF type of a file name ending (``ttl`` or ``.ttl``), for reading."""
    ext = extension.lower().lstrip(".")
    return next((t for t in RDF_TYPES if ext in t.read_extensions), None)


def rdf_by_media_type(media_type: str) -> RdfType | None:
    media = media_type.split(";")[0].strip().lower()
    return next((t for t in RDF_TYPES if media == t.media_type or media in t.aliases), None)


def served_by_media_type(media_type: str) -> RdfType | None:
    """The served RDF type of a media type (:data:`SERVED_TYPES`: N3 too)."""
    media = media_type.split(";")[0].strip().lower()
    return next((t for t in SERVED_TYPES if media == t.media_type or media in t.aliases), None)


def rdf_by_format(fmt: ox.RdfFormat) -> RdfType:
    return next(t for t in RDF_TYPES if t.format == fmt)


def result_by_media_type(media_type: str) -> ResultType | None:
    media = media_type.split(";")[0].strip().lower()
    return next((t for t in RESULT_TYPES if media == t.media_type or media in t.aliases),
                None)


def result_by_name(name: str) -> ResultType:
    return next(t for t in RESULT_TYPES if t.name == name)


def with_charset(media_type: str) -> str:
    """The Content-Type value: text formats say they are UTF-8."""
    if "charset=" in media_type or not media_type.startswith(TEXT_MEDIA):
        return media_type
    return f"{media_type}; charset=utf-8"


def for_file(name: str) -> str:
    """The media type of a release or site file, by its name."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    rdf = next((t for t in SERVED_TYPES if t.extension == ext), None)
    if rdf is not None:
        return with_charset(rdf.media_type)
    if name == "SHA256SUMS":
        return "text/plain; charset=utf-8"
    return ASSETS.get(ext, "application/octet-stream")


def readable_extensions() -> tuple[str, ...]:
    """Every file name ending the loader reads, for messages and folder arguments."""
    return tuple(sorted({f".{e}" for t in RDF_TYPES for e in t.read_extensions}))
