"""Write the release to ``dist/``: reproducible bytes, replaced atomically.

The files are written into a staging folder and swapped in for ``dist/`` under a
lock (:class:`haberkg.atomic.FolderWriter`); a failed or killed build leaves the
previous release intact, and the next build removes what a killed one left behind.
Two builds of the same sources give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from haberkg.atomic import FolderWriter, output_folder
from haberkg.checks.pipeline import Outcome
from haberkg.checks.report import Outcome as Shown
from haberkg.checks.report import render
from haberkg.release import void
from haberkg.serialise import jsonld_context, to_bytes

MARKER = ".haberkg-release"
SUMS = "SHA256SUMS"
ARTICLES = "articles"  # dist/articles/ID.ttl, one file per article
ARTICLE_DATASET = "haberkg-articles.trig"  # one named graph per article


def release_files(outcome: Outcome) -> dict[str, bytes]:
    """Every file of the release, by name (without the VoID description)."""
    assert outcome.release
    assert outcome.report
    assert outcome.project
    release = outcome.release
    plain = release.plain
    files = {
        "haberkg.ttl": to_bytes(plain, ox.RdfFormat.TURTLE),
        "haberkg.nt": to_bytes(plain, ox.RdfFormat.N_TRIPLES),
        "haberkg.jsonld": to_bytes(plain, ox.RdfFormat.JSON_LD),
        "haberkg.rdf": to_bytes(plain, ox.RdfFormat.RDF_XML),
        "haberkg.trig": to_bytes(release.dataset, ox.RdfFormat.TRIG),
        ARTICLE_DATASET: to_bytes(release.article_dataset, ox.RdfFormat.TRIG),
        "shapes.ttl": to_bytes(outcome.project.shapes_quads, ox.RdfFormat.TURTLE),
        "validation-report.json": render(Shown(outcome.report, checked=1), "json").encode(),
        "context.jsonld": (json.dumps(jsonld_context(), indent=1, sort_keys=True)
                           + "\n").encode("utf-8"),
    }
    if outcome.reasoning is not None:
        files["haberkg-inferred.ttl"] = to_bytes(
            [*plain, *outcome.reasoning.inferred], ox.RdfFormat.TURTLE)
    for article in release.articles:
        files[article_file(article.id)] = to_bytes(article.standalone, ox.RdfFormat.TURTLE)
    return files


def article_file(article_id: str) -> str:
    """The release file of one article: its own statements and the shared entities it
    refers to, in Turtle."""
    return f"{ARTICLES}/{article_id}.ttl"


def all_files(outcome: Outcome) -> dict[str, bytes]:
    files = release_files(outcome)
    files["void.ttl"] = void.description(outcome, files)
    sums = "".join(f"{hashlib.sha256(files[k]).hexdigest()}  {k}\n" for k in sorted(files))
    files[SUMS] = sums.encode("ascii")
    return files


def release_folder(path: Path, *, protect: list[Path]) -> Path:
    """Check, before any work, that ``path`` may be replaced by a release.

    Besides folders with the marker, a release written by an earlier haberkg (no
    marker, but a SHA256SUMS that lists exactly the files of the folder) is accepted.
    """
    target = path.resolve()
    sums = target / SUMS
    if target.is_dir() and not (target / MARKER).exists() and sums.is_file():
        listed = {line.split("  ", 1)[-1] for line in sums.read_text("ascii", "replace")
                  .splitlines() if "  " in line}
        present = {str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()}
        if present == listed | {SUMS}:
            (target / MARKER).write_bytes(b"")
    return output_folder(path, MARKER, protect=protect)


def writer(dist: Path) -> FolderWriter:
    """The writer of ``dist``: hold it for the whole build (its lock keeps a second build
    from writing the same folder), write into its staging folder, and it swaps the new
    release in when the block ends without an error."""
    return FolderWriter(dist, MARKER)


def write_files(outcome: Outcome, staging: Path) -> dict[str, bytes]:
    files = all_files(outcome)
    for name, data in sorted(files.items()):
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    return files


def write_release(outcome: Outcome, dist: Path) -> dict[str, bytes]:
    """Write every file into a staging folder, then swap it in for ``dist``."""
    with writer(dist) as staging:
        return write_files(outcome, staging)
