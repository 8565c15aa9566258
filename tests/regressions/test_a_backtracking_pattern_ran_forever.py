"""Defect: sh:pattern runs Python's backtracking regex (^(a+)+$ on 30 characters takes
forever) and nothing stopped it: --timeout kills the validating process at the limit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

SH = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_backtracking_pattern_ran_forever(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    data = tmp_path / "d.ttl"
    data.write_text('<urn:a> <urn:b> "' + "a" * 34 + '!" .\n', encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SH + "<urn:s> sh:targetSubjectsOf <urn:b> ; sh:property [ sh:path <urn:b> ;"
                      ' sh:pattern "^(a+)+$" ] .\n', encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "haberkg", "validate", "--timeout", "2",
                           "--shapes", str(shapes), str(data)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "validation stopped after 2 s (--timeout 2)" in done.stderr
    assert done.stdout == "" and time.monotonic() - start < 60
