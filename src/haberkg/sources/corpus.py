"""The corpus: the articles and the shared entities of a project, as files.

::

    data/articles/<id>/article.tr.txt      the text (UTF-8, NFC, byte-identical)
    data/articles/<id>/article.ttl         its metadata: the schema:NewsArticle
    data/articles/<id>/*.ttl               its facts, claims, mentions and rules
    data/articles/<id>/queries/*.rq        its competency questions
    data/articles/<id>/queries/expected/   their expected answers (W3C SPARQL TSV)
    data/entities/*.ttl                    the shared people, organisations, places, offices,
                                           projects and the rules their claims follow

This module knows where things are; what they mean is :mod:`haberkg.checks.grounding`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from haberkg.errors import InputError, display_path

ARTICLES = "articles"
ENTITIES = "entities"
TEXT_FILE = "article.tr.txt"
METADATA_FILE = "article.ttl"
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_id(value: str) -> str:
    """An article id: lowercase ASCII letters and digits in words joined by ``-``."""
    if not ID_RE.fullmatch(value) or len(value) > 100:
        raise InputError(f"article id '{value}' must be lowercase ASCII letters and digits, "
                         "words joined by '-' (e.g. 2025-09-04-goktas-aliyev)")
    return value


def _blank(path: Path) -> bool:
    """Only blank lines, comments and prefix declarations (read as bytes: the parser, not
    this test, reports a file that is not UTF-8)."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError:
        return False
    return all(not line.strip() or line.lstrip().startswith((b"#", b"@prefix", b"PREFIX"))
               for line in lines)


@dataclass(frozen=True)
class Article:
    """One article's folder."""

    id: str
    folder: Path

    @property
    def text_path(self) -> Path:
        return self.folder / TEXT_FILE

    @property
    def metadata_path(self) -> Path:
        return self.folder / METADATA_FILE

    @property
    def files(self) -> list[Path]:
        """Its Turtle files: the metadata first, then the facts in name order. A file of
        prefixes and comments only (the empty facts.ttl of ``haberkg new-article``) is not
        data yet, and left out until it holds a statement."""
        rest = sorted(p for p in self.folder.glob("*.ttl")
                      if p.name != METADATA_FILE and not _blank(p))
        return [self.metadata_path, *rest] if self.metadata_path.exists() else rest

    @property
    def query_files(self) -> list[Path]:
        return sorted((self.folder / "queries").glob("*.rq"))

    @property
    def shown(self) -> str:
        return display_path(self.folder)


@dataclass
class Corpus:
    data: Path
    articles: list[Article] = field(default_factory=list)

    @classmethod
    def read(cls, data: Path) -> Corpus:
        """The articles under ``data/articles/`` (sorted by id) and the entity files."""
        folder = data / ARTICLES
        articles = []
        if folder.is_dir():
            for path in sorted(p for p in folder.iterdir()
                               if p.is_dir() and not p.name.startswith(".")):
                if not ID_RE.fullmatch(path.name):
                    raise InputError("an article folder is named by the article's id: "
                                     "lowercase ASCII letters and digits joined by '-'",
                                     path=display_path(path))
                if not (path / TEXT_FILE).is_file():
                    raise InputError(f"an article folder holds its text as {TEXT_FILE} "
                                     "(haberkg new-article writes it)", path=display_path(path))
                articles.append(Article(path.name, path))
        return cls(data, articles)

    @classmethod
    def read_one(cls, data: Path, article_id: str) -> Corpus:
        """The entity files and one article, without listing the others (10,000 article
        folders took 0.35 s to list); an unknown id is refused with the known ones."""
        path = data / ARTICLES / article_id
        if not ID_RE.fullmatch(article_id) or not path.is_dir():
            return cls(data, [cls.read(data).article(article_id)])
        if not (path / TEXT_FILE).is_file():
            raise InputError(f"an article folder holds its text as {TEXT_FILE} "
                             "(haberkg new-article writes it)", path=display_path(path))
        return cls(data, [Article(article_id, path)])

    @property
    def entity_files(self) -> list[Path]:
        return sorted((self.data / ENTITIES).glob("*.ttl"))

    @property
    def files(self) -> list[Path]:
        """Every Turtle file of the corpus: the entities, then each article's."""
        return [*self.entity_files, *(p for a in self.articles for p in a.files)]

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        known = ", ".join(a.id for a in self.articles) or "none"
        raise InputError(f"no article '{article_id}' in {display_path(self.data / ARTICLES)} "
                         f"(known: {known})")

    def shard(self, index: int, count: int) -> list[Article]:
        """The articles of shard ``index`` (1-based) of ``count``: every count-th one."""
        return [a for i, a in enumerate(self.articles) if i % count == index - 1]
