"""Tests for the Turtle formatter behind ``haberkg fmt``.

The layout rules are data: tests/cases/turtle-format.toml holds the input/output pairs, the
inputs that must format to a fixed point and the inputs that must be refused where they are
wrong. This module reads it, and checks the repository's own files and the syntax fixtures.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from haberkg.errors import InputError
from haberkg.sources import turtle_format
from haberkg.sources.turtle_format import MAX_DEPTH, format_turtle

ROOT = Path(__file__).resolve().parents[1]
REPO_TURTLE = sorted(
    path
    for folder in ("ontology", "data", "shapes")
    for path in (ROOT / folder).rglob("*.ttl")
)
GOOD_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "syntax" / "good").glob("*.ttl"))
ALL_FILES = REPO_TURTLE + GOOD_FIXTURES
EX = "@prefix ex: <http://example.org/> .\n"
CASES: dict[str, list[dict[str, Any]]] = tomllib.loads(
    (ROOT / "tests" / "cases" / "turtle-format.toml").read_text(encoding="utf-8"))


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


def _graph(text: str) -> set[ox.Quad]:
    dataset = ox.Dataset(
        ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                 base_iri="http://base.example/")
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _check_layout(text: str) -> None:
    assert text.endswith("\n")
    assert not text.endswith("\n\n")
    assert "\n\n\n" not in text
    if '"""' not in text and "'''" not in text:
        assert all(line == line.rstrip() for line in text.split("\n"))


def test_the_repo_and_fixture_files_are_found() -> None:
    assert len(REPO_TURTLE) >= 10
    assert len(GOOD_FIXTURES) >= 20


# ----------------------------------------------------------------------------- files


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_file_is_formatted_idempotently(path: Path) -> None:
    once = format_turtle(path.read_text(encoding="utf-8"), source=str(path))
    assert format_turtle(once, source=str(path)) == once
    _check_layout(once)


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_file_graph_is_preserved(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_turtle(text, source=str(path))
    assert _graph(formatted) == _graph(text)
    assert len(_graph(text)) > 0


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
def test_file_comments_are_kept(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_turtle(text, source=str(path))
    lexer = turtle_format._Lexer(text, "in")
    lexer.tokenize()
    for comment in lexer.comments:
        assert comment in formatted


def _with_comments(text: str, *, before: bool, after: bool, blank: bool) -> str:
    """``text`` with a comment before and/or after every token (not inside tokens)."""
    atoms, _ = turtle_format._Lexer(text, "in").tokenize()
    pieces: list[str] = []
    gap = "\n\n" if blank else "\n"
    last = 0
    for index, atom in enumerate(atoms):
        if atom.kind == turtle_format.ANON:
            continue
        start, end = atom.offset, atom.offset + len(atom.text)
        if before:
            pieces += [text[last:start], f"{gap}# before {index}\n"]
            last = start
        if after:
            pieces += [text[last:end], f" # after {index}\n"]
            last = end
    pieces.append(text[last:])
    return "".join(pieces)


@pytest.mark.parametrize("path", ALL_FILES, ids=_ids(ALL_FILES))
@pytest.mark.parametrize(
    ("before", "after", "blank"),
    [(True, False, False), (False, True, False), (True, True, False), (True, False, True)],
)
def test_comments_everywhere_are_idempotent(path: Path, before: bool, after: bool,
                                            blank: bool) -> None:
    text = _with_comments(path.read_text(encoding="utf-8"), before=before, after=after,
                          blank=blank)
    once = format_turtle(text)
    assert format_turtle(once) == once
    assert _graph(once) == _graph(text)
    assert once.count("# before ") == text.count("# before ")
    assert once.count("# after ") == text.count("# after ")


# ----------------------------------------------------------------------------- layout (data)


def test_the_cases_are_read() -> None:
    assert len(CASES["layout"]) >= 25
    assert CASES["idempotent"]
    assert CASES["error"]
    names = [c["name"] for kind in CASES.values() for c in kind]
    assert len(names) == len(set(names)), "case names are unique"
    by_name = {c["name"]: c for c in CASES["layout"]}
    fits = by_name["object-list-of-exactly-100-characters-stays-on-one-line"]["output"]
    assert len(fits.splitlines()[-1]) == 100  # the line limit, exactly
    broken = by_name["object-list-of-101-characters-is-broken"]["input"]
    assert len(broken.splitlines()[-1]) == 101


@pytest.mark.parametrize("case", CASES["layout"], ids=lambda c: c["name"])
def test_layout(case: dict[str, Any]) -> None:
    assert format_turtle(case["input"]) == case["output"]
    assert format_turtle(case["output"]) == case["output"], "the output is a fixed point"


@pytest.mark.parametrize("case", CASES["idempotent"], ids=lambda c: c["name"])
def test_small_cases_are_idempotent_and_graph_preserving(case: dict[str, Any]) -> None:
    text = case["input"]
    once = format_turtle(text)
    assert format_turtle(once) == once
    assert _graph(once) == _graph(text)
    _check_layout(once)


@pytest.mark.parametrize("case", CASES["error"], ids=lambda c: c["name"])
def test_bad_input_raises_located_input_error(case: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        format_turtle(case["input"], source="bad.ttl")
    assert (info.value.path, info.value.line, info.value.column) == \
        ("bad.ttl", case["line"], case["column"])


# ----------------------------------------------------------------------------- errors


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    depth = 5000
    text = EX + "ex:s ex:p " + "[ ex:p " * depth + "ex:o" + " ]" * depth + " ."
    with pytest.raises(InputError) as info:
        format_turtle(text, source="deep.ttl")
    assert f"nesting deeper than {MAX_DEPTH} levels" in info.value.message
    assert info.value.path == "deep.ttl"
    collections = EX + "ex:s ex:p " + "( " * depth + ")" * depth + " ."
    with pytest.raises(InputError):
        format_turtle(collections)


def test_nesting_up_to_the_limit_formats() -> None:
    depth = MAX_DEPTH
    text = EX + "ex:s ex:p " + "[ ex:p " * depth + "ex:o" + " ]" * depth + " ."
    once = format_turtle(text)
    assert format_turtle(once) == once
    assert _graph(once) == _graph(text)


def test_undefined_prefix_is_reported_by_the_graph_check() -> None:
    with pytest.raises(InputError) as info:
        format_turtle("nope:s nope:p nope:o .\n", source="x.ttl")
    assert info.value.message.startswith("not valid Turtle")


def test_a_changed_graph_is_never_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    def drop_last_statement(statements: list[object], eof: list[object]) -> str:
        return real_render(statements[:-1], eof)  # type: ignore[arg-type]

    real_render = turtle_format._render
    monkeypatch.setattr(turtle_format, "_render", drop_last_statement)
    with pytest.raises(InputError) as info:
        format_turtle(EX + "ex:a ex:p ex:o .\nex:b ex:p ex:o .\n")
    assert info.value.message == "formatting would change the graph; please report this"


