"""Bad input: one located line, exit 2, never a traceback; tricky valid input accepted."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from haberkg.cli import cli
from haberkg.errors import InputError
from haberkg.sources.read import ReadOptions, parse_file

from .conftest import ROOT, select

FIXTURES = ROOT / "tests" / "fixtures" / "syntax"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = rdflib.Namespace("http://www.w3.org/ns/rdftest#")
HKT = rdflib.Namespace("https://w3id.org/haberkg/test#")


@dataclass(frozen=True)
class Fixture:
    name: str
    path: Path
    bad: bool
    line: int | None = None  # bad: where the error is (worked out by hand, see README.md)
    column: int | None = None
    pyoxigraph_column: int | None = None  # bad: where pyoxigraph says it is, if elsewhere
    triples: int | None = None  # good: how many triples (quads) the file holds
    rdflib_accepts: bool | None = None  # bad: whether rdflib 7.6 loads it anyway


def _int(graph: rdflib.Graph, entry: rdflib.term.Node, prop: rdflib.URIRef) -> int | None:
    value = graph.value(entry, prop)
    return int(str(value)) if value is not None else None


def _manifest() -> list[Fixture]:
    graph = rdflib.Graph().parse(FIXTURES / "manifest.ttl", format="turtle")
    cases = []
    for entry in graph.subjects(MF.action, None):
        action = Path(str(graph.value(entry, MF.action)).removeprefix("file://"))
        kinds = set(graph.objects(entry, rdflib.RDF.type))
        bad = bool(kinds & {RDFT.TestTurtleNegativeSyntax, RDFT.TestTrigNegativeSyntax})
        accepts = graph.value(entry, HKT.rdflibAccepts)
        cases.append(Fixture(str(graph.value(entry, MF.name)), action, bad,
                             _int(graph, entry, HKT.line), _int(graph, entry, HKT.column),
                             _int(graph, entry, HKT.pyoxigraphColumn),
                             _int(graph, entry, HKT.triples),
                             None if accepts is None else str(accepts) == "true"))
    return sorted(cases, key=lambda c: c.name)


CASES = _manifest()
BAD = [c for c in CASES if c.bad]
GOOD = [c for c in CASES if not c.bad]


def test_corpus_is_big_enough() -> None:
    assert len(BAD) >= 40
    assert len(GOOD) >= 15
    assert all(c.path.exists() for c in CASES)
    assert all(c.line and c.column and c.rdflib_accepts is not None for c in BAD)
    assert all(c.triples for c in GOOD)
    assert sorted(c.path for c in CASES) == sorted(
        [*(FIXTURES / "bad").iterdir(), *(FIXTURES / "good").iterdir()])


@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_bad_syntax_is_refused_with_its_location(case: Fixture, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", str(case.path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    first = result.stdout.splitlines()[0]
    assert re.fullmatch(rf".*{re.escape(case.path.name)}:{case.line}:{case.column}: error: "
                        r"syntax error: \S.*", first), first


@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_the_loader_gives_the_true_position(case: Fixture) -> None:
    with pytest.raises(InputError) as error:
        parse_file(case.path, ReadOptions())
    assert (error.value.line, error.value.column) == (case.line, case.column)


@pytest.mark.parametrize("case", [c for c in BAD if c.pyoxigraph_column is not None],
                         ids=lambda c: c.name)
def test_pyoxigraph_still_reports_another_column(case: Fixture) -> None:
    """Where the manifest records pyoxigraph's own column, pyoxigraph still gives it: if this
    fails, pyoxigraph was fixed and haberkg's correction (read.local_name_column) must go."""
    fmt = ox.RdfFormat.TRIG if case.path.suffix == ".trig" else ox.RdfFormat.TURTLE
    with pytest.raises(SyntaxError) as error:
        list(ox.parse(path=str(case.path), format=fmt))
    assert (error.value.lineno, error.value.offset) == (case.line, case.pyoxigraph_column)
    assert case.pyoxigraph_column != case.column


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own TriG parser
@pytest.mark.parametrize("case", BAD, ids=[c.name for c in BAD])
def test_rdflib_is_laxer_as_recorded(case: Fixture) -> None:
    """hkt:rdflibAccepts: why haberkg parses with pyoxigraph, not rdflib."""
    fmt = "trig" if case.path.suffix == ".trig" else "turtle"
    graph = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    try:
        graph.parse(case.path, format=fmt)
        accepted = True
    except Exception:  # noqa: BLE001 - rdflib raises many kinds of error on bad syntax
        accepted = False
    assert accepted is case.rdflib_accepts


@pytest.mark.parametrize("case", GOOD, ids=[c.name for c in GOOD])
def test_tricky_valid_files_are_accepted(case: Fixture, runner: CliRunner) -> None:
    assert len(parse_file(case.path, ReadOptions())) == case.triples
    result = runner.invoke(cli, ["validate", "--format", "json", str(case.path)])
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]  # parsed; the SHACL verdict is not the point
    assert result.exit_code == (0 if report["conforms"] else 1), result.stderr


def _validate(runner: CliRunner, *args: str) -> tuple[int, str]:
    """Exit code and report of ``haberkg validate``: a file that cannot be read is one
    located line of the report (the other files are still validated), never a traceback."""
    result = runner.invoke(cli, ["validate", *args])
    assert result.stderr == "", result.stderr
    return result.exit_code, result.stdout


def _run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stderr.strip()


# What SHACL calls a shape (section 2.1), counted in the shapes files by this query alone.
SHAPES_BY_THE_SPEC = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  { ?s a sh:NodeShape } UNION { ?s a sh:PropertyShape }
  UNION { VALUES ?target { sh:targetClass sh:targetNode sh:targetObjectsOf sh:targetSubjectsOf }
          ?s ?target ?any }
  UNION { VALUES ?parameter { sh:class sh:datatype sh:nodeKind sh:minCount sh:maxCount
            sh:minExclusive sh:minInclusive sh:maxExclusive sh:maxInclusive sh:minLength
            sh:maxLength sh:pattern sh:languageIn sh:uniqueLang sh:equals sh:disjoint
            sh:lessThan sh:lessThanOrEquals sh:not sh:and sh:or sh:xone sh:node sh:property
            sh:qualifiedValueShape sh:closed sh:hasValue sh:in sh:sparql sh:path }
          ?s ?parameter ?value }
  UNION { VALUES ?expects { sh:node sh:property sh:not sh:qualifiedValueShape } ?x ?expects ?s }
  UNION { VALUES ?lists { sh:and sh:or sh:xone } ?x ?lists ?list . ?list rdf:rest*/rdf:first ?s }
}"""


def _shape_count() -> int:
    store = ox.Store()
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    rows = select(store, (SHAPES_BY_THE_SPEC.replace(
        "PREFIX sh:", "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX sh:")))
    return int(rows[0]["n"].value)


NOTHING = (f"Nothing was checked: no shape of the {_shape_count()} targets any node of the "
           "data.\n")


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    code, out = _validate(runner, str(tmp_path / "nope.ttl"))
    assert (code, out.splitlines()[0]) == (2, f"{tmp_path / 'nope.ttl'}: error: no such RDF file")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    (tmp_path / "d.ttl").mkdir()
    with pytest.raises(InputError, match="is a directory, expected a RDF file"):
        parse_file(tmp_path / "d.ttl", ReadOptions())


def test_a_folder_means_its_rdf_files(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "d.ttl"
    folder.mkdir()
    assert _validate(runner, str(folder)) == (0, NOTHING)  # nothing read: nothing checked
    (folder / "sub").mkdir()
    (folder / "sub" / "bad.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not RDF", encoding="utf-8")
    code, out = _validate(runner, str(folder))
    assert code == 2
    assert out.startswith(f"{folder / 'sub' / 'bad.ttl'}:1:17: error: syntax error")


def test_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    import os

    path = tmp_path / "secret.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not apply
            path.unlink()
            path.symlink_to(path)  # a symlink loop cannot be read by anyone
            expected = f"{path}: error: symbolic link loop"
        else:
            expected = f"{path}: error: cannot read RDF file: Permission denied"
        code, out = _validate(runner, str(path))
        assert (code, out.splitlines()[0]) == (2, expected)
    finally:
        if path.exists() and not path.is_symlink():
            path.chmod(0o644)


def test_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<urn:a> <urn:b> "Bakü" .\n<urn:a> <urn:b> "Göktaş" .\n'.encode("latin-1",
                                                                                        "replace"))
    code, out = _validate(runner, str(path))
    # "ü" is the 21st character of line 1
    assert (code, out.splitlines()[0]) == (
        2, f"{path}:1:21: error: not UTF-8: byte 0xfc cannot be decoded")


def test_not_nfc_is_a_rule_of_haberkgs_own_sources(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "nfd.ttl"
    path.write_text('<urn:a> <urn:b> "ok" .\n<urn:a> <urn:b> "Go\u0308k" .\n', encoding="utf-8")
    # other people's data is read as RDF allows: NFD text is valid
    assert _validate(runner, str(path)) == (0, NOTHING)
    # haberkg's own sources must be NFC: "o" + U+0308 starts at the 19th character of line 2
    with pytest.raises(InputError) as error:
        parse_file(path)
    assert (error.value.line, error.value.column) == (2, 19)
    assert error.value.message == "text is not in Unicode NFC (U+006F); normalise it to NFC"


def test_empty_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    assert _validate(runner, str(path)) == (0, NOTHING)  # valid Turtle, no triples
    with pytest.raises(InputError) as error:
        parse_file(path)  # haberkg's own sources are never empty
    assert error.value.message == "empty RDF file"


def test_file_with_only_comments(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "comments.ttl"
    path.write_text("# nothing here\n@prefix a: <urn:a#> .\n", encoding="utf-8")
    assert _validate(runner, str(path)) == (0, NOTHING)
    with pytest.raises(InputError) as error:
        parse_file(path)
    assert error.value.message == "contains no triples"


def test_unknown_format(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    code, out = _validate(runner, str(path))
    assert code == 2
    assert out.startswith(f"{path}: error: unknown RDF format '.csv' (known: ")


def test_undefined_prefix(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "prefix.ttl"
    path.write_text("@prefix s: <https://schema.org/> .\n\nx:a s:name \"a\" .\n",
                    encoding="utf-8")
    code, out = _validate(runner, str(path))
    assert code == 2 and re.match(rf"{re.escape(str(path))}:3:1: error: syntax error: "
                                  r"The prefix x: has not been declared\n", out), out


def test_remote_jsonld_context_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a", '
                    '"name": "x"}', encoding="utf-8")
    code, out = _validate(runner, str(path))
    assert (code, out.splitlines()[0]) == (
        2, f"{path}: error: remote JSON-LD context http://127.0.0.1:9/context.jsonld: haberkg "
           "never fetches; map it to a local file with --context URL=FILE")


def test_a_local_copy_of_a_remote_context_is_used(runner: CliRunner, tmp_path: Path) -> None:
    context = tmp_path / "context.jsonld"
    context.write_text('{"@context": {"name": "https://schema.org/name"}}', encoding="utf-8")
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", '
                    '"@id": "https://w3id.org/haberkg/id/x", "name": "x"}', encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--format", "json", "--context",
                                 f"http://127.0.0.1:9/context.jsonld={context}", str(path)])
    assert json.loads(result.stdout)["errors"] == [], result.stdout


def test_max_bytes(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")  # 26 bytes
    assert _validate(runner, "--max-bytes", "26", str(path))[0] == 0
    code, out = _validate(runner, "--max-bytes", "25", str(path))
    assert (code, out.splitlines()[0]) == (2, (
        f"{path}: error: RDF file larger than the limit of 25 bytes (raise it with "
        "--max-bytes or HABERKG_MAX_BYTES)"))


def test_query_that_does_not_parse_names_its_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("PREFIX s: <https://schema.org/>\nSELECT ?x WHERE {\n  ?x s:name \n}\n",
                    encoding="utf-8")
    code, err = _run(runner, "query", str(path))
    assert code == 2 and re.match(r".*bad\.rq:4:1: query does not parse: ", err), err


def test_query_with_service_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "service.rq"
    path.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }\n",
                    encoding="utf-8")
    code, err = _run(runner, "query", str(path))
    assert code == 2
    assert "SERVICE is not allowed" in err


def test_shapes_file_that_is_not_shacl(runner: CliRunner, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    data = ROOT / "tests" / "fixtures" / "syntax" / "good" / "01-unicode-escapes-in-iris.ttl"
    code, err = _run(runner, "validate", "--shapes", str(shapes), str(data))
    assert (code, err) == (2, (
        f"{shapes}: not a SHACL shapes graph: nothing in it is a shape (no targets, no "
        "constraints, no sh:NodeShape or sh:PropertyShape)"))


def test_deep_nesting_fails_cleanly_or_works(runner: CliRunner, tmp_path: Path) -> None:
    depth = 20000
    text = "@prefix e: <urn:e#> .\ne:a e:p " + "[ e:p " * depth + "e:b" + " ]" * depth + " .\n"
    path = tmp_path / "deep.ttl"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--format", "json", str(path)])
    # pyoxigraph parses it; the blank nodes are not of a class any shape targets
    assert result.exit_code == 0, result.stderr[-500:]
    assert json.loads(result.stdout)["conforms"] is True


def test_large_input_works(runner: CliRunner, tmp_path: Path) -> None:
    lines = ["@prefix s: <https://schema.org/> ."]
    lines += [f'<https://w3id.org/haberkg/id/p{i}> a s:Person ; s:name "P {i}"@tr , "P {i}"@en .'
              for i in range(20000)]
    path = tmp_path / "large.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr[:500]
