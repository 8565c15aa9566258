"""Defect: nested sh:detail results were flattened into top-level results."""

from __future__ import annotations

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_nested_sh_detail_was_flattened() -> None:
    import rdflib

    from haberkg.checks.shapes import read_results

    report = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        [] a sh:ValidationReport ; sh:result <urn:r> .
        <urn:r> a sh:ValidationResult ; sh:focusNode <urn:a> ; sh:resultSeverity sh:Violation ;
          sh:sourceConstraintComponent sh:NodeConstraintComponent ; sh:sourceShape <urn:s> ;
          sh:detail <urn:d> .
        <urn:d> a sh:ValidationResult ; sh:focusNode <urn:a> ; sh:resultSeverity sh:Violation ;
          sh:sourceConstraintComponent sh:MinCountConstraintComponent ; sh:sourceShape <urn:t> .
        """, format="turtle")
    results = read_results(report, rdflib.Graph())
    assert [r.component for r in results] == ["sh:NodeConstraintComponent"]
    assert [d.component for d in results[0].details] == ["sh:MinCountConstraintComponent"]
