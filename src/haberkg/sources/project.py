"""Where the sources of the dataset are, and how to load them.

A *project root* is a folder with ``ontology/``, ``shapes/``, ``data/`` and ``queries/``:
the repository, or the copy of those folders shipped inside the wheel (so that
``haberkg validate`` works in other projects' CI with nothing but the package). Its
``data/`` is a corpus (:mod:`haberkg.sources.corpus`): one folder per article under
``data/articles/`` and the shared entities in ``data/entities/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from haberkg import __version__
from haberkg.errors import InputError
from haberkg.namespaces import ONTOLOGY_IRI, OWL, XSD
from haberkg.sources.corpus import ARTICLES, Corpus
from haberkg.sources.read import parse_file

MARKERS = ("ontology", "shapes", "data", "queries")


def _is_root(path: Path) -> bool:
    return all((path / m).is_dir() for m in MARKERS) and (path / "data" / ARTICLES).is_dir()


PACKAGED = Path(__file__).resolve().parents[1] / "resources"


def find_root(start: Path | None = None) -> tuple[Path, bool]:
    """The project root and whether it may be edited.

    ``$HABERKG_ROOT``, else the working directory or one of its parents, else the copy
    shipped inside the package (read-only: haberkg never writes into site-packages).
    """
    env = os.environ.get("HABERKG_ROOT")
    if env:
        path = Path(env)
        if not _is_root(path):
            raise InputError("HABERKG_ROOT is not a haberkg project root", path=env)
        return path, True
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate, True
    if (PACKAGED / "ontology").is_dir() and (PACKAGED / "shapes").is_dir():
        return PACKAGED, False  # the ontology, shapes and queries only: no article data
    source_tree = Path(__file__).resolve().parents[3]
    if _is_root(source_tree):
        return source_tree, False
    raise InputError("cannot find the haberkg sources (ontology/, shapes/, data/, queries/)")


def version_iri(version: str = __version__) -> str:
    return f"{ONTOLOGY_IRI}/{version}"


@dataclass
class Project:
    root: Path
    editable: bool = True  # False for the copy inside the installed package
    only: str | None = None  # an article's id: the project seen from that article alone

    @classmethod
    def discover(cls, start: Path | None = None) -> Project:
        root, editable = find_root(start)
        return cls(root, editable)

    def require_editable(self, what: str) -> None:
        """Refuse to change files of the copy shipped inside the installed package."""
        if not self.editable:
            raise InputError(f"{what} changes a project's sources, and this is not a project: "
                             "run it inside a haberkg project (or set HABERKG_ROOT)")

    @property
    def default_dist(self) -> Path:
        """dist/ of the project, or ./dist outside a project."""
        return self.root / "dist" if self.editable else Path.cwd() / "dist"

    # ------------------------------------------------------------------ files
    @property
    def ontology_files(self) -> list[Path]:
        return sorted((self.root / "ontology").glob("*.ttl"))

    @property
    def import_files(self) -> list[Path]:
        return sorted((self.root / "ontology" / "imports").glob("*.ttl"))

    @cached_property
    def corpus(self) -> Corpus:
        """The articles and entities; with ``only``, that article and the entities."""
        if self.only is not None:
            return Corpus.read_one(self.root / "data", self.only)
        return Corpus.read(self.root / "data")

    def scoped(self, article_id: str) -> Project:
        """The project seen from one article: that article and the shared entities."""
        scoped = Project(self.root, self.editable, article_id)
        scoped.corpus  # noqa: B018 - an unknown id is refused here, with the known ones
        return scoped

    @property
    def data_files(self) -> list[Path]:
        """Every Turtle file of the corpus: the shared entities, then each article's."""
        return self.corpus.files

    @property
    def shapes_files(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))

    @property
    def corpus_query_files(self) -> list[Path]:
        """The corpus questions, which cross articles (``queries/*.rq``); none when the
        project is seen from one article."""
        if self.only is not None:
            return []
        return sorted((self.root / "queries").glob("*.rq"))

    @property
    def query_files(self) -> list[Path]:
        """Every competency question: the corpus's, then each article's."""
        return [*self.corpus_query_files,
                *(p for a in self.corpus.articles for p in a.query_files)]

    @property
    def qc_files(self) -> list[Path]:
        return sorted((self.root / "queries" / "qc").glob("*-violation.rq"))

    def expected_file(self, query: Path) -> Path:
        """The expected answer of a competency question: ``expected/NAME.tsv`` beside it."""
        return query.parent / "expected" / (query.stem + ".tsv")

    @property
    def import_module(self) -> Path:
        """The schema.org module (written by ``haberkg imports``)."""
        return self.root / "ontology" / "imports" / "schemaorg-module.ttl"

    @property
    def exemptions_file(self) -> Path:
        return self.root / "ontology" / "qa" / "exemptions.ttl"

    @property
    def hand_edited_turtle(self) -> list[Path]:
        """The Turtle files people edit (the ones ``haberkg fmt`` keeps tidy)."""
        files = [*self.ontology_files, *self.data_files, *self.shapes_files]
        if self.exemptions_file.exists():
            files.append(self.exemptions_file)
        return files

    # ------------------------------------------------------------------ content
    def require_articles(self) -> Corpus:
        """The corpus, refusing a copy without articles (the one inside the package)."""
        corpus = self.corpus
        if not corpus.articles:
            if not self.editable:
                raise InputError("this copy of haberkg holds the ontology and the shapes but "
                                 "not the article data: run inside a haberkg project (or set "
                                 "HABERKG_ROOT)")
            raise InputError("the corpus has no article yet: add one with "
                             "`haberkg new-article TEXT_FILE --id ID --published DATE`",
                             path="data/articles")
        return corpus

    @cached_property
    def ontology_quads(self) -> list[ox.Quad]:
        quads = [q for path in self.ontology_files for q in parse_file(path)]
        onto = ox.NamedNode(ONTOLOGY_IRI)
        quads.append(ox.Quad(onto, ox.NamedNode(OWL + "versionIRI"), ox.NamedNode(version_iri())))
        quads.append(ox.Quad(onto, ox.NamedNode(OWL + "versionInfo"),
                             ox.Literal(__version__, datatype=ox.NamedNode(XSD + "string"))))
        return quads

    @cached_property
    def import_quads(self) -> list[ox.Quad]:
        return [q for path in self.import_files for q in parse_file(path)]

    @cached_property
    def data_quads(self) -> list[ox.Quad]:
        return [q for path in self.data_files for q in parse_file(path)]

    @cached_property
    def shapes_quads(self) -> list[ox.Quad]:
        return [q for path in self.shapes_files for q in parse_file(path)]
