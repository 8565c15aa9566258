"""Defect: the schema.org terms of the import module were found by a regular expression over
the whole text of the sources, comments and strings included, so a term only named in a
comment entered the module. The module is now seeded from what the files say: the parsed
triples, the tokens of the queries and the terms of the expected answers."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.checks.imports import extract_module, used_terms
from haberkg.cli import cli
from haberkg.sources.project import Project

RECIPE, HOTEL, BAKERY = "Recipe", "Hotel", "Bakery"  # schema.org 12.0 terms haberkg never uses


def test_schemaorg_terms_were_seeded_from_comments_and_strings(scratch: Path) -> None:
    project = Project(scratch)
    assert not {RECIPE, HOTEL, BAKERY} & set(used_terms(project))
    places = scratch / "data" / "entities" / "places.ttl"
    places.write_text(places.read_text(encoding="utf-8")
                      + f"\n# not used: schema:{RECIPE}, https://schema.org/{HOTEL}\n",
                      encoding="utf-8")
    query = (scratch / "data" / "articles" / "2025-09-04-goktas-aliyev" / "queries"
             / "01-who-met-whom.rq")
    query.write_text(query.read_text(encoding="utf-8").replace(
        "SELECT", f'# schema:{BAKERY} in a comment\nSELECT', 1), encoding="utf-8")
    used = used_terms(Project(scratch))
    assert not {RECIPE, HOTEL, BAKERY} & set(used)
    module = extract_module(Project(scratch))
    assert all(f"schema:{t}".encode() not in module for t in (RECIPE, HOTEL, BAKERY))
    result = CliRunner().invoke(cli, ["imports", "--check"])  # HABERKG_ROOT is the scratch copy
    assert result.exit_code == 0, result.stderr


def test_a_term_a_query_uses_enters_the_module(scratch: Path) -> None:
    """The control: the same term in the query's pattern (not a comment) is a use."""
    query = (scratch / "data" / "articles" / "2025-09-04-goktas-aliyev" / "queries"
             / "01-who-met-whom.rq")
    text = query.read_text(encoding="utf-8")
    assert "WHERE {" in text
    query.write_text(text.replace("WHERE {", f"WHERE {{ OPTIONAL {{ ?unused a schema:{BAKERY} }}",
                                  1), encoding="utf-8")
    used = used_terms(Project(scratch))
    assert used[BAKERY] == ["data/articles/2025-09-04-goktas-aliyev/queries/01-who-met-whom.rq"]
    assert f"schema:{BAKERY} a owl:Class".encode() in extract_module(Project(scratch))
