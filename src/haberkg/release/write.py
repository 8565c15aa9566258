"""Write the release to ``dist/``: reproducible bytes, replaced atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from haberkg import __version__
from haberkg.checks.pipeline import Outcome
from haberkg.checks.shapes import render
from haberkg.errors import InputError
from haberkg.namespaces import (
    BASE,
    DATA_LICENSE,
    DCAT,
    DCTERMS,
    HKD,
    ONTOLOGY_IRI,
    RDF,
    SPDX,
    VOID,
    XSD,
)
from haberkg.release import serialise as rdfio
from haberkg.release.assemble import n
from haberkg.sources.project import version_iri

DATASET = ox.NamedNode(HKD + "dataset")
DIST = BASE + "dist/"
TYPE = ox.NamedNode(RDF + "type")

MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".json": "application/json",
}


def lit(value: str | int, datatype: str | None = None, language: str | None = None
        ) -> ox.Literal:
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=n(XSD + (datatype or "integer")))
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=n(datatype)) if datatype else ox.Literal(value)


def release_files(outcome: Outcome) -> dict[str, bytes]:
    """Every file of the release, by name (without the VoID description)."""
    assert outcome.release and outcome.report and outcome.project
    release = outcome.release
    plain = release.plain
    files = {
        "haberkg.ttl": rdfio.to_bytes(plain, ox.RdfFormat.TURTLE),
        "haberkg.nt": rdfio.to_bytes(plain, ox.RdfFormat.N_TRIPLES),
        "haberkg.jsonld": rdfio.to_bytes(plain, ox.RdfFormat.JSON_LD),
        "haberkg.rdf": rdfio.to_bytes(plain, ox.RdfFormat.RDF_XML),
        "haberkg.trig": rdfio.to_bytes(release.dataset, ox.RdfFormat.TRIG),
        "shapes.ttl": rdfio.to_bytes(outcome.project.shapes_quads, ox.RdfFormat.TURTLE),
        "validation-report.json": render(outcome.report, "json").encode("utf-8"),
        "context.jsonld": (json.dumps(rdfio.jsonld_context(), indent=1, sort_keys=True)
                           + "\n").encode("utf-8"),
    }
    if outcome.reasoning is not None:
        files["haberkg-inferred.ttl"] = rdfio.to_bytes(
            [*plain, *outcome.reasoning.inferred], ox.RdfFormat.TURTLE)
    return files


def void_description(outcome: Outcome, files: dict[str, bytes]) -> bytes:
    """VoID + DCAT: counts, licence, version, and size and SHA-256 of every file."""
    assert outcome.release
    plain = outcome.release.plain
    triples: list[ox.Triple] = [
        ox.Triple(DATASET, TYPE, n(VOID + "Dataset")),
        ox.Triple(DATASET, TYPE, n(DCAT + "Dataset")),
        ox.Triple(DATASET, n(DCTERMS + "title"), lit("haberkg", language="en")),
        ox.Triple(DATASET, n(DCTERMS + "description"), lit(
            "A Turkish news article of 2025 (the Turkish Minister of Family and Social Services "
            "meets Azerbaijan's Minister of Labour and Social Protection of Population, who "
            "signs the Foster Family Ministerial Declaration) as a grounded knowledge graph.",
            language="en")),
        ox.Triple(DATASET, n(DCTERMS + "license"), n(DATA_LICENSE)),
        ox.Triple(DATASET, n(DCTERMS + "conformsTo"), n(ONTOLOGY_IRI)),
        ox.Triple(DATASET, n(VOID + "vocabulary"), n("https://schema.org/")),
        ox.Triple(DATASET, n(VOID + "vocabulary"), n(ONTOLOGY_IRI + "#")),
        ox.Triple(DATASET, n(VOID + "uriSpace"), lit(HKD)),
        ox.Triple(DATASET, n(VOID + "triples"), lit(len(set(plain)))),
        ox.Triple(DATASET, n(VOID + "entities"), lit(len({t.subject for t in plain
                                                          if t.subject.value.startswith(HKD)}))),
        ox.Triple(DATASET, n(VOID + "distinctSubjects"), lit(len({t.subject for t in plain}))),
        ox.Triple(DATASET, n(VOID + "properties"), lit(len({t.predicate for t in plain}))),
        ox.Triple(DATASET, n(DCAT + "version"), lit(__version__)),
        ox.Triple(DATASET, n(DCTERMS + "hasVersion"), n(version_iri())),
        ox.Triple(DATASET, n(VOID + "exampleResource"), n(HKD + "meeting-of-goktas-and-aliyev")),
        ox.Triple(DATASET, n(VOID + "dataDump"), n(DIST + "haberkg.nt")),
    ]
    for cls, count in outcome.classes():
        partition = n(f"{HKD}dataset-class-{hashlib.sha256(cls.encode()).hexdigest()[:12]}")
        triples += [
            ox.Triple(DATASET, n(VOID + "classPartition"), partition),
            ox.Triple(partition, n(VOID + "class"), n(cls)),
            ox.Triple(partition, n(VOID + "entities"), lit(count)),
        ]
    for name, data in sorted(files.items()):
        dist = n(f"{DIST}{name}")
        checksum = n(f"{DIST}{name}#sha256")
        suffix = Path(name).suffix
        triples += [
            ox.Triple(DATASET, n(DCAT + "distribution"), dist),
            ox.Triple(dist, TYPE, n(DCAT + "Distribution")),
            ox.Triple(dist, n(DCTERMS + "title"), lit(name)),
            ox.Triple(dist, n(DCAT + "downloadURL"), n(f"{DIST}{name}")),
            ox.Triple(dist, n(DCAT + "mediaType"),
                      n("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[suffix])),
            ox.Triple(dist, n(DCAT + "byteSize"), lit(len(data), "nonNegativeInteger")),
            ox.Triple(dist, n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, TYPE, n(SPDX + "Checksum")),
            ox.Triple(checksum, n(SPDX + "algorithm"), n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(checksum, n(SPDX + "checksumValue"),
                      lit(hashlib.sha256(data).hexdigest(), XSD + "hexBinary")),
            ox.Triple(dist, n(DCTERMS + "license"), n(DATA_LICENSE)),
        ]
    return rdfio.to_bytes(triples, ox.RdfFormat.TURTLE)


def write_release(outcome: Outcome, dist: Path) -> dict[str, bytes]:
    """Write every file into a fresh folder, then swap it in for ``dist``.

    A failure before the swap leaves the previous release untouched; the swap is two
    renames on the same file system (``dist`` -> backup, new -> ``dist``), and a
    backup left by an interrupted swap is restored by the next build.
    """
    files = release_files(outcome)
    files["void.ttl"] = void_description(outcome, files)
    sums = "".join(f"{hashlib.sha256(files[k]).hexdigest()}  {k}\n" for k in sorted(files))
    files["SHA256SUMS"] = sums.encode("ascii")

    try:
        _swap_in(files, dist.resolve())
    except OSError as exc:
        raise InputError(f"cannot write the release: {exc.strerror or exc}", path=str(dist)
                         ) from None
    return files


def _swap_in(files: dict[str, bytes], dist: Path) -> None:
    parent = dist.parent
    parent.mkdir(parents=True, exist_ok=True)
    backup = parent / f".{dist.name}.previous"
    if backup.exists() and not dist.exists():
        os.replace(backup, dist)  # an earlier swap was interrupted: restore it
    if dist.exists() and not dist.is_dir():
        raise InputError("exists and is not a folder", path=str(dist))
    staging = Path(tempfile.mkdtemp(prefix=f".{dist.name}.new-", dir=parent))
    try:
        for name, data in sorted(files.items()):
            with open(staging / name, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(staging, 0o755)
        if backup.exists():
            shutil.rmtree(backup)
        if dist.exists():
            os.replace(dist, backup)
        os.replace(staging, dist)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)
