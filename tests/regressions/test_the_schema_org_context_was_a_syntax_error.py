"""Defect: "@context": "https://schema.org", as nearly all JSON-LD on the web begins, was
refused as a syntax error; it resolves offline to the context shipped with haberkg."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("url", ["https://schema.org", "http://schema.org", "https://schema.org/",
                                 "http://schema.org/", "https://schema.org/docs/jsonldcontext.json"])
def test_the_schema_org_context_was_a_syntax_error(tmp_path: Path, url: str) -> None:
    data = tmp_path / "d.jsonld"
    data.write_text(json.dumps({"@context": url, "@type": "Person", "name": "Ana"}),
                    encoding="utf-8")
    code, out, _ = run("--profile", "schemaorg", "--format", "json", str(data))
    assert (code, json.loads(out)["errors"]) == (0, [])
    assert json.loads(out)["checked"] > 0
