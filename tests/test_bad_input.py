"""Bad input: one located line, exit 2, never a traceback; tricky valid input accepted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from haberkg.cli import cli

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "syntax"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = rdflib.Namespace("http://www.w3.org/ns/rdftest#")
HKT = rdflib.Namespace("https://w3id.org/haberkg/test#")


def _manifest() -> list[tuple[str, Path, bool, int | None, int | None]]:
    graph = rdflib.Graph().parse(FIXTURES / "manifest.ttl", format="turtle")
    cases = []
    for entry in graph.subjects(MF.action, None):
        action = Path(str(graph.value(entry, MF.action)).removeprefix("file://"))
        kinds = set(graph.objects(entry, rdflib.RDF.type))
        bad = bool(kinds & {RDFT.TestTurtleNegativeSyntax, RDFT.TestTrigNegativeSyntax})
        line, column = graph.value(entry, HKT.line), graph.value(entry, HKT.column)
        cases.append((str(graph.value(entry, MF.name)), action, bad,
                      int(line) if line is not None else None,
                      int(column) if column is not None else None))
    return sorted(cases)


CASES = _manifest()
BAD = [c for c in CASES if c[2]]
GOOD = [c for c in CASES if not c[2]]


def test_corpus_is_big_enough() -> None:
    assert len(BAD) >= 40 and len(GOOD) >= 15
    assert all(c[1].exists() for c in CASES)


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_syntax_is_refused_with_its_location(case: tuple, runner: CliRunner) -> None:
    name, path, _, line, column = case
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert re.match(rf"^.*{re.escape(path.name)}:{line}:{column}: syntax error: .+", message), \
        message


@pytest.mark.parametrize("case", GOOD, ids=[c[0] for c in GOOD])
def test_tricky_valid_files_are_accepted(case: tuple, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate", "--format", "json", str(case[1])])
    assert result.exit_code in (0, 1), result.stderr  # parsed; SHACL verdict is not the point
    assert result.stdout.startswith("{")


def _run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stderr.strip()


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    code, err = _run(runner, "validate", str(tmp_path / "nope.ttl"))
    assert code == 2 and err.endswith("nope.ttl: no such RDF file")


def test_directory_instead_of_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "d.ttl").mkdir()
    code, err = _run(runner, "validate", str(tmp_path / "d.ttl"))
    assert code == 2 and "is a directory" in err


def test_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    import os

    path = tmp_path / "secret.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not apply
            path.unlink()
            path.symlink_to(path)  # a symlink loop cannot be read by anyone
        code, err = _run(runner, "validate", str(path))
        assert code == 2 and "secret.ttl: " in err
    finally:
        if path.exists() and not path.is_symlink():
            path.chmod(0o644)


def test_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes('<urn:a> <urn:b> "Bakü" .\n<urn:a> <urn:b> "Göktaş" .\n'.encode("latin-1",
                                                                                        "replace"))
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and re.search(r"latin1\.ttl:1:21: not UTF-8: byte 0xfc", err), err


def test_not_nfc(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "nfd.ttl"
    path.write_text('<urn:a> <urn:b> "ok" .\n<urn:a> <urn:b> "Go\u0308k" .\n', encoding="utf-8")
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and re.search(r"nfd\.ttl:2:19: text is not in Unicode NFC", err), err


def test_empty_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and err.endswith("empty.ttl: empty RDF file")


def test_file_with_only_comments(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "comments.ttl"
    path.write_text("# nothing here\n@prefix a: <urn:a#> .\n", encoding="utf-8")
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and err.endswith("comments.ttl: contains no triples")


def test_unknown_format(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and "unknown RDF format '.csv'" in err


def test_undefined_prefix(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "prefix.ttl"
    path.write_text("@prefix s: <https://schema.org/> .\n\nx:a s:name \"a\" .\n", encoding="utf-8")
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and re.search(r"prefix\.ttl:3:1: syntax error: .*prefix x: .*declared", err)


def test_remote_jsonld_context_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a", '
                    '"name": "x"}', encoding="utf-8")
    code, err = _run(runner, "validate", str(path))
    assert code == 2 and "remote.jsonld" in err and "remote context" in err


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
    assert code == 2 and "SERVICE is not allowed" in err


def test_shapes_file_that_is_not_shacl(runner: CliRunner, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    data = ROOT / "tests" / "fixtures" / "syntax" / "good" / "01-unicode-escapes-in-iris.ttl"
    code, err = _run(runner, "validate", "--shapes", str(shapes), str(data))
    assert code == 2 and "not a SHACL shapes graph" in err


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
