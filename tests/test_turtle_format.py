"""Tests for the Turtle formatter behind ``haberkg fmt``."""

from __future__ import annotations

from pathlib import Path

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
    assert text.endswith("\n") and not text.endswith("\n\n")
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


# ----------------------------------------------------------------------------- directives


def test_prefixes_sorted_and_sparql_style_converted() -> None:
    text = (
        "PREFIX schema: <https://schema.org/>\n"
        "@prefix ex: <http://example.org/> .\n"
        "prefix : <http://example.org/default#>\n"
        "BASE <http://example.org/base/>\n"
        "ex:a schema:name \"A\" ; :p <rel> .\n"
    )
    expected = (
        "@base <http://example.org/base/> .\n"
        "@prefix : <http://example.org/default#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "\n"
        "ex:a schema:name \"A\" ;\n"
        "    :p <rel> .\n"
    )
    assert format_turtle(text) == expected


def test_directive_between_statements_stays_in_place() -> None:
    text = (
        "@prefix ex: <http://example.org/> .\n"
        "@base <http://one.example/> .\n"
        "<a> ex:p <b> .\n"
        "BASE <http://two.example/>\n"
        "<a> ex:p <b> .\n"
    )
    expected = (
        "@base <http://one.example/> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "\n"
        "<a> ex:p <b> .\n"
        "\n"
        "@base <http://two.example/> .\n"
        "\n"
        "<a> ex:p <b> .\n"
    )
    assert format_turtle(text) == expected


def test_comment_above_a_prefix_moves_with_it() -> None:
    text = (
        "# Header line one\n"
        "# Header line two\n"
        "@prefix zz: <http://zz.example/> .\n"
        "# about aa\n"
        "@prefix aa: <http://aa.example/> . # trailing on aa\n"
        "aa:x zz:p aa:y .\n"
    )
    expected = (
        "# Header line one\n"
        "# Header line two\n"
        "\n"
        "# about aa\n"
        "\n"
        "@prefix aa: <http://aa.example/> . # trailing on aa\n"
        "@prefix zz: <http://zz.example/> .\n"
        "\n"
        "aa:x zz:p aa:y .\n"
    )
    assert format_turtle(text) == expected


def test_header_paragraphs_kept_and_statements_separated() -> None:
    text = (
        "# Title\n"
        "#\n"
        "# More\n"
        "\n"
        "\n"
        "# Second paragraph\n"
        "@prefix ex: <http://example.org/> .\n"
        "ex:a ex:p ex:o .\n"
        "ex:b ex:p ex:o .\n"
        "\n\n\n"
        "ex:c ex:p ex:o ."
    )
    expected = (
        "# Title\n"
        "#\n"
        "# More\n"
        "\n"
        "# Second paragraph\n"
        "\n"
        "@prefix ex: <http://example.org/> .\n"
        "\n"
        "ex:a ex:p ex:o .\n"
        "\n"
        "ex:b ex:p ex:o .\n"
        "\n"
        "ex:c ex:p ex:o .\n"
    )
    assert format_turtle(text) == expected


# ----------------------------------------------------------------------------- statements


def test_predicates_one_per_line_and_separators_normalised() -> None:
    text = EX + 'ex:s ex:p "a";;; ex:q "b" , "c";a ex:T;.\nex:t\tex:p\t1.\n'
    expected = (
        EX + "\n"
        'ex:s ex:p "a" ;\n'
        '    ex:q "b" , "c" ;\n'
        "    a ex:T .\n"
        "\n"
        "ex:t ex:p 1 .\n"
    )
    assert format_turtle(text) == expected


def test_long_object_list_one_object_per_line() -> None:
    text = EX + (
        "ex:s ex:p ex:alpha-alpha-alpha-alpha , ex:beta-beta-beta-beta-beta , "
        "ex:gamma-gamma-gamma-gamma , ex:delta ;\n"
        "  a ex:T ;\n"
        "  ex:label \"a label that is long enough\"@en , \"a second label that is long enough"
        " as well, and then some more\"@en .\n"
    )
    expected = (
        EX + "\n"
        "ex:s ex:p ex:alpha-alpha-alpha-alpha ,\n"
        "        ex:beta-beta-beta-beta-beta ,\n"
        "        ex:gamma-gamma-gamma-gamma ,\n"
        "        ex:delta ;\n"
        "    a ex:T ;\n"
        '    ex:label "a label that is long enough"@en ,\n'
        '        "a second label that is long enough as well, and then some more"@en .\n'
    )
    assert format_turtle(text) == expected


def test_object_list_of_exactly_100_characters_stays_on_one_line() -> None:
    fits = 'ex:s ex:p "' + "x" * 80 + '" , "b" .'
    assert len(fits) == 100
    assert format_turtle(EX + fits) == EX + "\n" + fits + "\n"
    too_long = 'ex:s ex:p "' + "x" * 81 + '" , "b" .'
    expected = 'ex:s ex:p "' + "x" * 81 + '" ,\n        "b" .\n'
    assert format_turtle(EX + too_long) == EX + "\n" + expected


def test_literals_numbers_and_names_written_as_in_the_input() -> None:
    body = (
        'ex:s ex:p "say \\"hi\\" # no comment" , \'it\\\'s\' , -1.5e3 , .5 , true , 007 ;\n'
        '    ex:q "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> , "x"@en-GB ;\n'
        "    ex:r _:b1 , ex:a\\-b , ex:x.y , <http://example.org/a#b> , [] .\n"
    )
    assert format_turtle(EX + body) == EX + "\n" + body


def test_literal_parts_joined_and_dot_after_integer_separated() -> None:
    text = EX + 'ex:s ex:p "d" ^^ ex:T , 12.\n'
    assert format_turtle(text) == EX + '\nex:s ex:p "d"^^ex:T , 12 .\n'


def test_long_strings_kept_verbatim() -> None:
    text = EX + (
        'ex:s ex:p """line one\n'
        "  # not a comment ; still the string\n"
        'line "three\\""""@en ; ex:q \'single\' , \'\'\'triple \'q\' \'\'\' .\n'
    )
    expected = EX + (
        "\n"
        'ex:s ex:p """line one\n'
        "  # not a comment ; still the string\n"
        'line "three\\""""@en ;\n'
        "    ex:q 'single' , '''triple 'q' ''' .\n"
    )
    assert format_turtle(text) == expected


# ----------------------------------------------------------------------------- blank nodes


def test_blank_node_inline_when_it_fits() -> None:
    text = EX + "ex:s ex:p [ex:q \"short\";ex:r ex:t] ; ex:n [ ex:m [ ex:k 1 ] ] .\n"
    expected = EX + (
        "\n"
        'ex:s ex:p [ ex:q "short" ; ex:r ex:t ] ;\n'
        "    ex:n [ ex:m [ ex:k 1 ] ] .\n"
    )
    assert format_turtle(text) == expected


def test_blank_node_broken_when_too_long() -> None:
    text = EX + (
        'ex:s ex:p [ ex:first "a fairly long string value that goes on and on" ; '
        'ex:second "another long value" ] .\n'
    )
    expected = EX + (
        "\n"
        "ex:s ex:p [\n"
        '        ex:first "a fairly long string value that goes on and on" ;\n'
        '        ex:second "another long value" ] .\n'
    )
    assert format_turtle(text) == expected


def test_blank_nodes_in_one_object_list_are_laid_out_alike() -> None:
    text = EX + (
        "ex:s a ex:T ;\n"
        "    ex:evidence [ ex:mode ex:Stated ; ex:quote \"a quotation that is long enough to"
        " need its own line\" ] , [ ex:mode ex:Editorial ] .\n"
    )
    expected = EX + (
        "\n"
        "ex:s a ex:T ;\n"
        "    ex:evidence [\n"
        "        ex:mode ex:Stated ;\n"
        '        ex:quote "a quotation that is long enough to need its own line" ] ,\n'
        "    [\n"
        "        ex:mode ex:Editorial ] .\n"
    )
    assert format_turtle(text) == expected


def test_short_blank_nodes_in_a_long_object_list_stay_inline() -> None:
    text = EX + (
        "ex:s a ex:T ;\n"
        '    ex:declare [ ex:prefix "schema" ; ex:namespace "https://schema.org/" ] , '
        '[ ex:prefix "ex" ; ex:namespace "http://example.org/" ] .\n'
    )
    expected = EX + (
        "\n"
        "ex:s a ex:T ;\n"
        '    ex:declare [ ex:prefix "schema" ; ex:namespace "https://schema.org/" ] ,\n'
        '        [ ex:prefix "ex" ; ex:namespace "http://example.org/" ] .\n'
    )
    assert format_turtle(text) == expected


def test_nested_blank_nodes_close_on_the_last_line() -> None:
    text = EX + (
        "ex:s ex:author [\n"
        "    a ex:Person ;\n"
        '    ex:name "Mahinur Özdemir Göktaş" ;\n'
        "    ex:affiliation [\n"
        "        a ex:Organization ;\n"
        '        ex:location [ a ex:Place ; ex:name "Bakü"@tr ;\n'
        '            ex:note "long enough to break the line" ]\n'
        "    ]\n"
        "] .\n"
        '[ a ex:Organization ; ex:name "AA"@tr ] ex:publishes ex:s .\n'
        '[ ex:name "anonymous"@en ] .\n'
    )
    expected = EX + (
        "\n"
        "ex:s ex:author [\n"
        "        a ex:Person ;\n"
        '        ex:name "Mahinur Özdemir Göktaş" ;\n'
        "        ex:affiliation [\n"
        "            a ex:Organization ;\n"
        "            ex:location [\n"
        "                a ex:Place ;\n"
        '                ex:name "Bakü"@tr ;\n'
        '                ex:note "long enough to break the line" ] ] ] .\n'
        "\n"
        '[ a ex:Organization ; ex:name "AA"@tr ] ex:publishes ex:s .\n'
        "\n"
        '[ ex:name "anonymous"@en ] .\n'
    )
    assert format_turtle(text) == expected


def test_collections_inline_and_broken() -> None:
    text = EX + (
        "ex:s ex:list ( ex:a ex:b ( 1 2 ) () ) ;\n"
        "    ex:or ( [ ex:class ex:AAAAAAAAAAAAAAAAAAAA ] [ ex:class ex:BBBBBBBBBBBBBBBBBBBBBBBB ]"
        " [ ex:class ex:CCCCCCCCCCCCCCCCCCC ] ) .\n"
        "( ex:x ex:y ) ex:p ex:o .\n"
    )
    expected = EX + (
        "\n"
        "ex:s ex:list ( ex:a ex:b ( 1 2 ) () ) ;\n"
        "    ex:or (\n"
        "        [ ex:class ex:AAAAAAAAAAAAAAAAAAAA ]\n"
        "        [ ex:class ex:BBBBBBBBBBBBBBBBBBBBBBBB ]\n"
        "        [ ex:class ex:CCCCCCCCCCCCCCCCCCC ] ) .\n"
        "\n"
        "( ex:x ex:y ) ex:p ex:o .\n"
    )
    assert format_turtle(text) == expected


# ----------------------------------------------------------------------------- comments


def test_full_line_and_trailing_comments() -> None:
    text = (
        "@prefix ex: <http://example.org/ns#> .\n"
        "# about s\n"
        "ex:s ex:p <http://example.org/x#frag> ; # trailing after semicolon\n"
        "    # before q\n"
        '    ex:q "a # not a comment" , "b" . # after dot\n'
        "# end of file"
    )
    expected = (
        "@prefix ex: <http://example.org/ns#> .\n"
        "\n"
        "# about s\n"
        "ex:s ex:p <http://example.org/x#frag> ; # trailing after semicolon\n"
        "    # before q\n"
        '    ex:q "a # not a comment" , "b" . # after dot\n'
        "# end of file\n"
    )
    assert format_turtle(text) == expected


def test_trailing_comment_moves_after_punctuation_and_breaks_the_list() -> None:
    text = EX + "ex:s ex:p ex:a # first\n  , ex:b .\n"
    expected = EX + "\nex:s ex:p ex:a , # first\n        ex:b .\n"
    assert format_turtle(text) == expected


def test_comment_inside_blank_node_breaks_it() -> None:
    text = EX + "ex:s ex:p [ ex:q ex:r ; # note\n  ex:t ex:u ] .\n"
    expected = EX + "\nex:s ex:p [\n        ex:q ex:r ; # note\n        ex:t ex:u ] .\n"
    assert format_turtle(text) == expected


def test_comments_after_subject_and_predicate() -> None:
    text = EX + "ex:s # the subject\n  ex:p # the predicate\n  ex:o .\n"
    expected = EX + "\nex:s # the subject\n    ex:p # the predicate\n        ex:o .\n"
    assert format_turtle(text) == expected


def test_comment_before_object_and_before_dot() -> None:
    text = EX + "ex:s ex:p\n# why o\nex:o\n# before the dot\n.\nex:t ex:p ex:o .\n"
    expected = EX + (
        "\n"
        "ex:s ex:p\n"
        "        # why o\n"
        "        ex:o .\n"
        "\n"
        "# before the dot\n"
        "ex:t ex:p ex:o .\n"
    )
    assert format_turtle(text) == expected


def test_section_comments_between_statements_keep_their_blank_lines() -> None:
    text = EX + (
        "ex:a ex:p ex:o .\n"
        "\n\n"
        "# ---- section\n"
        "\n\n"
        "ex:b ex:p ex:o .\n"
        "# attached to c\n"
        "ex:c ex:p ex:o .\n"
        "\n"
        "# the end\n"
    )
    expected = EX + (
        "\n"
        "ex:a ex:p ex:o .\n"
        "\n"
        "# ---- section\n"
        "\n"
        "ex:b ex:p ex:o .\n"
        "\n"
        "# attached to c\n"
        "ex:c ex:p ex:o .\n"
        "\n"
        "# the end\n"
    )
    assert format_turtle(text) == expected


def test_comment_only_and_empty_documents() -> None:
    assert format_turtle("# only\n\n\n# comments   \n") == "# only\n\n# comments\n"
    assert format_turtle("") == ""


def test_windows_line_endings() -> None:
    text = "@prefix ex: <http://example.org/> .\r\n# c\r\nex:s ex:p ex:o . # t\r\n"
    expected = "@prefix ex: <http://example.org/> .\n\n# c\nex:s ex:p ex:o . # t\n"
    assert format_turtle(text) == expected


# ----------------------------------------------------------------------------- idempotence


SMALL_CASES = [
    EX + "ex:s ex:p [ ex:q [ ex:r ( 1 ( 2 [ ex:t 3 ] ) ) ] ] .",
    EX + 'ex:s ex:p """a\nb""" , [ ex:q """c\nd""" ] , ( """e\nf""" ex:g ) .',
    EX + "[ ex:p ex:o ] # c\n ex:q ex:r .",
    EX + "( ex:a # one\n ex:b ) ex:p ( # two\n ) .",
    EX + "ex:s ex:p \"x\" # a\n # b\n ^^ # c\n ex:T # d\n .",
    "# c0\n@prefix ex: <http://example.org/> # c1\n. # c2\n# c3\nex:s ex:p ex:o .",
]


@pytest.mark.parametrize("text", SMALL_CASES)
def test_small_cases_are_idempotent_and_graph_preserving(text: str) -> None:
    once = format_turtle(text)
    assert format_turtle(once) == once
    assert _graph(once) == _graph(text)
    _check_layout(once)


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


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (EX + 'ex:s ex:p "unterminated .\n', 2, 11),
        (EX + "ex:s ex:p ex:o\nex:t ex:p ex:o .\n", 3, 1),
        (EX + "ex:s ex:p ex:o ;\n  ex:q ? .\n", 3, 8),
        (EX + "ex:s ex:p [ ex:q ex:o .\n", 2, 23),
    ],
)
def test_bad_input_raises_located_input_error(text: str, line: int, column: int) -> None:
    with pytest.raises(InputError) as info:
        format_turtle(text, source="bad.ttl")
    assert (info.value.path, info.value.line, info.value.column) == ("bad.ttl", line, column)


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


def test_base_is_not_moved_above_a_relative_prefix() -> None:
    text = (
        "@prefix b: <rel/> .\n"
        "@base <http://one.example/> .\n"
        "@prefix a: <other/> .\n"
        "b:x a:p b:y .\n"
    )
    expected = (
        "@prefix b: <rel/> .\n"
        "@base <http://one.example/> .\n"
        "@prefix a: <other/> .\n"
        "\n"
        "b:x a:p b:y .\n"
    )
    assert format_turtle(text) == expected
