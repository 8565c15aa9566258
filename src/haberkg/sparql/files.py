"""SPARQL query files: the competency questions and the quality checks.

A query file is UTF-8 SPARQL with its question in Turkish and English as the first
comment lines (``# tr: …`` / ``# en: …``). Its expected answer, for a competency
question, lives beside it in ``expected/NAME.tsv`` (the W3C SPARQL TSV format).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from haberkg.errors import display_path
from haberkg.sources.read import read_text

QUESTION_RE = re.compile(r"^#\s*(tr|en):\s*(.+)$", re.M)


@dataclass(frozen=True)
class QueryFile:
    path: Path
    text: str

    @classmethod
    def read(cls, path: Path) -> QueryFile:
        return cls(path, read_text(path, what="query file"))

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def questions(self) -> dict[str, str]:
        return {lang: q.strip() for lang, q in QUESTION_RE.findall(self.text)}

    @property
    def shown(self) -> str:
        return display_path(self.path)

    @property
    def ordered(self) -> bool:
        """Whether the answer's order matters (the query has ORDER BY)."""
        from haberkg.sparql.guard import tokens

        return any(t.kind == "KEYWORD" and t.text.upper() == "ORDER" for t in tokens(self.text))
