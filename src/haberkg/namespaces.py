"""The IRIs the project uses, in one place."""

from __future__ import annotations

import re

BASE = "https://w3id.org/haberkg/"
ONTOLOGY_IRI = BASE + "ontology"
HK = ONTOLOGY_IRI + "#"
HKD = BASE + "id/"
SHAPES = BASE + "shapes#"
SCHEMA = "https://schema.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
VANN = "http://purl.org/vocab/vann/"
SPDX = "http://spdx.org/rdf/terms#"
WIKIDATA = "http://www.wikidata.org/entity/"
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DATASET_GRAPH = BASE + "dataset"  # the named graph `haberkg load` writes the release to

PREFIXES: dict[str, str] = {
    "hk": HK,
    "hkd": HKD,
    "schema": SCHEMA,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "sh": SH,
    "oa": OA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "vann": VANN,
    "spdx": SPDX,
    "wd": WIKIDATA,
}


LOCAL = re.compile(r"[A-Za-z0-9_\-./]*")


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """A short name for an IRI: with ``prefixes`` (say, those of the user's files) first,
    then the project's own (``hks:`` for shapes); an IRI no prefix fits in ``<>``."""
    for prefix, ns in [*(prefixes or {}).items(), ("hks", SHAPES), *PREFIXES.items()]:
        if ns and iri.startswith(ns) and LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>" if ":" in iri else iri
