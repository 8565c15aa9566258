"""Hostile input files for the CLI: each one a clear exit 2, never a crash or a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .support import haberkg

SHAPES = ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
          "<http://example.org/S> a sh:NodeShape ; sh:targetNode <http://example.org/a> ;\n"
          "  sh:property [ sh:path <http://example.org/p> ; sh:maxLength 5 ] .\n")

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="http://example.org/a"><rdf:value>&i;</rdf:value></rdf:Description>
</rdf:RDF>
"""


@pytest.fixture
def shapes(tmp_path: Path) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    return path


def _one_line_exit_2(done: object, *needles: str) -> None:
    """Exit 2 with one line that names the file and the problem (``validate`` reports a
    bad file in its report, on stdout, so that CI formats carry it; other commands on
    stderr)."""
    assert done.returncode == 2, done.stdout + done.stderr  # type: ignore[attr-defined]
    out = done.stdout + done.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in out
    assert "panicked" not in out
    lines = [line for line in out.splitlines() if all(n in line for n in needles)]
    assert len(lines) == 1, out


def test_rdfxml_entity_bomb_is_refused(tmp_path: Path, shapes: Path) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(LAUGHS, encoding="utf-8")
    assert bomb.stat().st_size < 1000
    done = haberkg("validate", bomb, "--shapes", shapes, timeout=60)
    _one_line_exit_2(done, "bomb.rdf", "expand past the limit")


def test_rdfxml_internal_entities_are_expanded(tmp_path: Path, shapes: Path) -> None:
    """The common, harmless use of a DTD (namespace abbreviations) still works."""
    path = tmp_path / "owl.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
                    ' <!ENTITY ex "http://example.org/" >\n]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                    ' <rdf:Description rdf:about="&ex;a"><ex:p xmlns:ex="&ex;">toolong'
                    '</ex:p></rdf:Description>\n</rdf:RDF>\n', encoding="utf-8")
    done = haberkg("validate", path, "--shapes", shapes)
    assert done.returncode == 1, done.stderr  # the value is longer than 5: a violation
    assert "owl.rdf:6" in done.stdout


def test_jsonld_nested_5000_deep_is_refused(tmp_path: Path, shapes: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text('{"@id": "http://example.org/a", "http://example.org/p": '
                    + "[" * 5000 + "1" + "]" * 5000 + "}", encoding="utf-8")
    done = haberkg("validate", path, "--shapes", shapes, timeout=60)
    _one_line_exit_2(done, "deep.jsonld", "nested 5001 levels deep")


def test_a_fifo_is_refused_at_once(tmp_path: Path, shapes: Path) -> None:
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    done = haberkg("validate", fifo, "--shapes", shapes, timeout=30)
    _one_line_exit_2(done, "pipe.ttl", "is a FIFO, not a regular file")


def test_a_device_is_refused(shapes: Path, tmp_path: Path) -> None:
    link = tmp_path / "zero.ttl"
    link.symlink_to("/dev/zero")
    done = haberkg("validate", link, "--shapes", shapes, timeout=30)
    _one_line_exit_2(done, "zero.ttl", "is a device, not a regular file")


def test_a_symlink_loop_says_so(tmp_path: Path, shapes: Path) -> None:
    loop = tmp_path / "loop.ttl"
    loop.symlink_to(loop)
    done = haberkg("validate", loop, "--shapes", shapes)
    _one_line_exit_2(done, "loop.ttl", "symbolic link loop")


def test_size_limit_with_an_option_to_raise_it(tmp_path: Path, shapes: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text("<http://example.org/a> <http://example.org/p> \"ok\" .\n" * 100,
                    encoding="utf-8")
    done = haberkg("validate", path, "--shapes", shapes, "--max-bytes", "1000")
    _one_line_exit_2(done, "data.ttl", "larger than the limit of 1,000 bytes", "--max-bytes")
    assert haberkg("validate", path, "--shapes", shapes, "--max-bytes", "100000"
                   ).returncode == 0
    env_done = haberkg("validate", path, "--shapes", shapes, env={"HABERKG_MAX_BYTES": "1000"})
    assert env_done.returncode == 2


@pytest.mark.timeout(120)
def test_a_10_mb_literal_is_not_a_quadratic_path(tmp_path: Path, shapes: Path) -> None:
    path = tmp_path / "long.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "' + "x" * 10_000_000
                    + '" .\n', encoding="utf-8")
    done = haberkg("validate", path, "--shapes", shapes, "--format", "json")
    assert done.returncode == 1  # longer than 5: one violation
    assert done.stdout.count('"severity": "Violation"') == 1


def test_long_values_are_shortened_in_the_text_report(tmp_path: Path, shapes: Path) -> None:
    path = tmp_path / "long.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "' + "x" * 100_000
                    + '" .\n', encoding="utf-8")
    done = haberkg("validate", path, "--shapes", shapes)
    assert done.returncode == 1
    assert max(len(line) for line in done.stdout.splitlines()) < 400


def test_deep_query_file_exits_2_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.rq"
    path.write_text("SELECT *\nWHERE { " + "{" * 3000 + "}" * 3000 + " }\n", encoding="utf-8")
    done = haberkg("query", path)
    _one_line_exit_2(done, f"{path}:2:", "deeper than")
