"""``haberkg new-article``: a new folder under ``data/articles/``, ready to be filled in.

It holds the text (copied byte for byte, refused unless UTF-8 and NFC), the metadata
(``article.ttl``: the schema:NewsArticle with its publication date, source URL, language,
the SHA-256 of the text and the sub-headings found in the text, each statement with a
claim that says how it is known) and an empty ``facts.ttl``. The folder appears whole or
not at all. What is written passes ``haberkg check --article ID`` as it is.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from haberkg.errors import InputError, display_path
from haberkg.sources.corpus import ARTICLES, METADATA_FILE, TEXT_FILE, check_id
from haberkg.sources.project import Project
from haberkg.sources.read import decode, read_bytes
from haberkg.sources.text import segment, unique_context
from haberkg.sources.turtle_format import format_turtle

PREFIXES = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix hk: <https://w3id.org/haberkg/ontology#> .
@prefix hkd: <https://w3id.org/haberkg/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _string(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def metadata(article_id: str, text: str, raw: bytes, published: str,
             source: str | None) -> str:
    """The article's ``article.ttl``."""
    iri = f"hkd:article-{article_id}"
    headings = [s for s in segment(text) if s.heading]
    parts = [f"{iri}-sub-heading-{k}" for k in range(1, len(headings) + 1)]
    lines = [
        f"# The metadata of article {article_id}, written by `haberkg new-article`. Give it a",
        "# name that says what it reports, schema:about its main events and schema:mentions",
        "# every resource its text mentions. Edited by hand.",
        "",
        PREFIXES,
        f"{iri} a schema:NewsArticle ;",
        f'    schema:name "Haber {article_id}"@tr , "Article {article_id}"@en ;',
        '    schema:inLanguage "tr" ;',
        f'    schema:datePublished "{published}"^^xsd:date ;',
    ]
    if source:
        lines.append(f"    schema:url <{source}> ;")
    lines.append(f'    hk:textSha256 "{hashlib.sha256(raw).hexdigest()}" ;')
    if parts:
        lines.append(f"    schema:hasPart {' , '.join(parts)} ;")
    lines.append('    hk:mentionExemption "The article is the whole text; the build links every '
                 'sentence to it."@en ;')
    claims = ["[ hk:covers rdf:type , schema:name , schema:inLanguage , hk:textSha256"
              + (" , schema:hasPart" if parts else "") + " ; hk:mode hk:Editorial ]"]
    if source:
        claims.append(f"[ hk:covers schema:datePublished , schema:url ; hk:mode hk:External ; "
                      f"dcterms:source <{source}> ]")
    else:
        claims.append("[ hk:covers schema:datePublished ; hk:mode hk:Editorial ]")
    lines.append("    hk:evidence " + " ,\n        ".join(claims) + " .")
    for k, (node, heading) in enumerate(zip(parts, headings, strict=True), start=1):
        words = heading.span.exact(text)
        prefix, suffix = unique_context(text, heading.span.start, heading.span.end)
        if prefix or suffix:
            selector = [f"oa:exact {_string(words)}"]
            selector += [f"oa:prefix {_string(prefix)}"] if prefix else []
            selector += [f"oa:suffix {_string(suffix)}"] if suffix else []
            quote = "hk:quoteSelector [ " + " ; ".join(selector) + " ]"
            mention = "hk:mentionSelector [ " + " ; ".join(selector) + " ]"
        else:
            quote = f"hk:quote {_string(words)}"
            mention = f"hk:mention {_string(words)}"
        lines += [
            "",
            f"{node} a hk:SubHeading ;",
            f'    schema:name {_string(words)}@tr , "Sub-heading {k} of article {article_id}"@en ;',
            f"    schema:text {_string(words)}@tr ;",
            f"    schema:isPartOf {iri} ;",
            f"    schema:position {k} ;",
            f"    {mention} ;",
            "    hk:evidence [ hk:covers rdf:type , schema:text , schema:isPartOf , "
            'schema:position , schema:name ; hk:coversLanguage "tr" ; hk:mode hk:Stated ; '
            f"{quote} ] ,",
            '        [ hk:covers schema:name ; hk:coversLanguage "en" ; hk:mode hk:Editorial ] .',
        ]
    return "\n".join(lines) + "\n"


def facts() -> str:
    return (
        "# The facts of this article, each with a claim (hk:evidence) that says how it is\n"
        "# known, and the mentions of what the text names (README: How to add an article).\n"
        "# Shared people, organisations and places are described once in data/entities/:\n"
        "# here, only their mentions and what this article says about them.\n\n"
        + PREFIXES)


def create(project: Project, text_file: Path, article_id: str, published: str,
           source: str | None) -> Path:
    """Write ``data/articles/ID/`` and return it."""
    check_id(article_id)
    if not DATE.fullmatch(published):
        raise InputError(f"--published '{published}' is not a date YYYY-MM-DD")
    try:
        datetime.date.fromisoformat(published)
    except ValueError:
        raise InputError(f"--published '{published}' is not a date YYYY-MM-DD") from None
    if source is not None and not URL.fullmatch(source):
        raise InputError(f"--source '{source}' is not an http(s) URL")
    folder = project.root / "data" / ARTICLES / article_id
    if folder.exists():
        raise InputError("the article already exists", path=display_path(folder))
    raw = read_bytes(text_file, what="article text")
    text = decode(raw, shown=display_path(text_file), what="article text", nfc=True,
                  allow_empty=False)
    files = {
        TEXT_FILE: raw,
        METADATA_FILE: format_turtle(metadata(article_id, text, raw, published, source),
                                     source=METADATA_FILE).encode("utf-8"),
        "facts.ttl": format_turtle(facts(), source="facts.ttl").encode("utf-8"),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
