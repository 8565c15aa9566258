"""The VoID and DCAT description of the release: what it holds, how to get it.

Counts, licence, version, publisher, creator and dates, the SPARQL endpoint, a partition
per class, and every file of the release with its media type, size and SHA-256.

The description is built in parts (:func:`dataset_triples`, :func:`partition_triples`,
:func:`distribution_triples`), so that further descriptions (subsets of the dataset) can
be added beside them. ``haberkg serve`` loads it into the named graph :data:`GRAPH` of
its store, so that it can be queried (``GRAPH <…/dist/void.ttl> { … }``).

The dates are reproducible: ``dcterms:modified`` is the time of the last commit that
changed the sources (``data/``, ``ontology/``, ``shapes/``, ``queries/``) and
``dcterms:issued`` that of the first one, read from git; ``SOURCE_DATE_EPOCH`` (the
reproducible-builds.org convention) gives ``dcterms:modified`` when it is set; outside a
git checkout, the newest modification time of the source files is used for both.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
from pathlib import Path

import pyoxigraph as ox

from haberkg import __version__
from haberkg.checks.assemble import ENTITIES_GRAPH
from haberkg.checks.pipeline import Outcome
from haberkg.media import for_file
from haberkg.namespaces import (
    BASE,
    DATA_LICENSE,
    DCAT,
    DCTERMS,
    FOAF,
    HKD,
    ONTOLOGY_IRI,
    RDF,
    SPDX,
    VOID,
    XSD,
)
from haberkg.serialise import to_bytes
from haberkg.sources.project import version_iri

DATASET = ox.NamedNode(HKD + "dataset")
DIST = BASE + "dist/"
GRAPH = DIST + "void.ttl"  # the named graph of the served store that holds this description
ENDPOINT = BASE + "sparql"
TYPE = ox.NamedNode(RDF + "type")
SOURCE_FOLDERS = ("data", "ontology", "shapes", "queries")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value: str | int, datatype: str | None = None, language: str | None = None
        ) -> ox.Literal:
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=n(XSD + (datatype or "integer")))
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=n(datatype)) if datatype else ox.Literal(value)


def partition_iri(cls: str) -> ox.NamedNode:
    return n(f"{HKD}dataset-class-{hashlib.sha256(cls.encode()).hexdigest()[:12]}")


def _day(timestamp: float) -> ox.Literal:
    day = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC).date()
    return lit(day.isoformat(), XSD + "date")


def source_dates(root: Path) -> tuple[float, float] | None:
    """(issued, modified) of the sources as POSIX times, or None if there are none."""
    times: list[float] = []
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "--format=%ct", "--",
                               *SOURCE_FOLDERS], capture_output=True, text=True,
                              timeout=30, check=False)
        if done.returncode == 0:
            times = [float(line) for line in done.stdout.split() if line.isdigit()]
    except (OSError, subprocess.SubprocessError):
        times = []
    if not times:
        files = [p for folder in SOURCE_FOLDERS for p in (root / folder).rglob("*")
                 if p.is_file()]
        times = [max(p.stat().st_mtime for p in files)] if files else []
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        times.insert(0, float(epoch))
    if not times:
        return None
    return min(times), times[0]


def _creators(plain: list[ox.Triple]) -> list[str]:
    """The names of the ontology header's dcterms:creator (the dataset's authors)."""
    return sorted({t.object.value for t in plain if t.subject.value == ONTOLOGY_IRI
                   and t.predicate.value == DCTERMS + "creator"
                   and isinstance(t.object, ox.Literal)})


def _homepage() -> str | None:
    from importlib import metadata

    try:
        urls = metadata.metadata("haberkg").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found = dict(u.split(", ", 1) for u in urls if ", " in u)
    return found.get("Repository")


def dataset_triples(outcome: Outcome) -> list[ox.Triple]:
    """The dataset as a whole: what it is, its licence, counts, agents, dates, access."""
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
        ox.Triple(DATASET, n(VOID + "sparqlEndpoint"), n(ENDPOINT)),
        ox.Triple(DATASET, n(VOID + "rootResource"), n(HKD + "article")),
    ]
    names = _creators(plain)
    if names:
        agent = ox.BlankNode("agent")
        triples += [ox.Triple(agent, TYPE, n(FOAF + "Agent")),
                    ox.Triple(DATASET, n(DCTERMS + "creator"), agent),
                    ox.Triple(DATASET, n(DCTERMS + "publisher"), agent)]
        triples += [ox.Triple(agent, n(FOAF + "name"), lit(name)) for name in names]
        homepage = _homepage()
        if homepage:
            triples.append(ox.Triple(agent, n(FOAF + "homepage"), n(homepage)))
    dates = source_dates(outcome.project.root) if outcome.project else None
    if dates is not None:
        triples += [ox.Triple(DATASET, n(DCTERMS + "issued"), _day(dates[0])),
                    ox.Triple(DATASET, n(DCTERMS + "modified"), _day(dates[1]))]
    return triples


def partition_triples(outcome: Outcome) -> list[ox.Triple]:
    """A class partition per class: the class and how many resources it has."""
    triples: list[ox.Triple] = []
    for cls, count in outcome.classes():
        partition = partition_iri(cls)
        triples += [
            ox.Triple(DATASET, n(VOID + "classPartition"), partition),
            ox.Triple(partition, TYPE, n(VOID + "Dataset")),
            ox.Triple(partition, n(VOID + "class"), n(cls)),
            ox.Triple(partition, n(VOID + "entities"), lit(count)),
        ]
    return triples


def distribution_triples(files: dict[str, bytes]) -> list[ox.Triple]:
    """Every file of the release: media type, size, SHA-256 and licence."""
    triples: list[ox.Triple] = []
    for name, data in sorted(files.items()):
        dist = n(f"{DIST}{name}")
        checksum = n(f"{DIST}{name}#sha256")
        media = for_file(name).split(";")[0]
        triples += [
            ox.Triple(DATASET, n(DCAT + "distribution"), dist),
            ox.Triple(dist, TYPE, n(DCAT + "Distribution")),
            ox.Triple(dist, n(DCTERMS + "title"), lit(name)),
            ox.Triple(dist, n(DCAT + "downloadURL"), n(f"{DIST}{name}")),
            ox.Triple(dist, n(DCAT + "mediaType"),
                      n("https://www.iana.org/assignments/media-types/" + media)),
            ox.Triple(dist, n(DCAT + "byteSize"), lit(len(data), "nonNegativeInteger")),
            ox.Triple(dist, n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, TYPE, n(SPDX + "Checksum")),
            ox.Triple(checksum, n(SPDX + "algorithm"), n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(checksum, n(SPDX + "checksumValue"),
                      lit(hashlib.sha256(data).hexdigest(), XSD + "hexBinary")),
            ox.Triple(dist, n(DCTERMS + "license"), n(DATA_LICENSE)),
        ]
    return triples


def description(outcome: Outcome, files: dict[str, bytes]) -> bytes:
    """VoID + DCAT: the dataset, its class partitions and every file of the release."""
    triples = [*dataset_triples(outcome), *partition_triples(outcome),
               *distribution_triples(files), *article_subsets(outcome, files)]
    return to_bytes(triples, ox.RdfFormat.TURTLE)


def article_subsets(outcome: Outcome, files: dict[str, bytes]) -> list[ox.Triple]:
    """A ``void:subset`` per article and one for the shared entities: each is a named graph
    of the article dataset (``haberkg-articles.trig``: the article's graph is named by its
    ``void:rootResource``, the NewsArticle), with its triple count and, for an article,
    its own file (``dist/articles/ID.ttl``) as ``void:dataDump``."""
    from haberkg.release.write import ARTICLE_DATASET, article_file

    assert outcome.release
    release = outcome.release
    entities = ENTITIES_GRAPH  # the subset is the named graph of the shared entities
    triples = [
        ox.Triple(DATASET, n(VOID + "subset"), entities),
        ox.Triple(entities, TYPE, n(VOID + "Dataset")),
        ox.Triple(entities, n(DCTERMS + "title"), lit("shared entities of haberkg",
                                                      language="en")),
        ox.Triple(entities, n(VOID + "triples"), lit(len(set(release.entity_graph)))),
        ox.Triple(entities, n(VOID + "dataDump"), n(DIST + ARTICLE_DATASET)),
    ]
    for article in release.articles:
        subset = n(f"{HKD}dataset-article-{article.id}")
        name = article_file(article.id)
        triples += [
            ox.Triple(DATASET, n(VOID + "subset"), subset),
            ox.Triple(subset, TYPE, n(VOID + "Dataset")),
            ox.Triple(subset, n(DCTERMS + "title"), lit(f"article {article.id}", language="en")),
            ox.Triple(subset, n(VOID + "rootResource"), article.iri),
            ox.Triple(subset, n(VOID + "triples"), lit(len(set(article.own)))),
            ox.Triple(subset, n(VOID + "entities"), lit(len({t.subject for t in article.own
                                                            if t.subject.value.startswith(HKD)}))),
        ]
        if name in files:
            triples.append(ox.Triple(subset, n(VOID + "dataDump"), n(DIST + name)))
    return triples
