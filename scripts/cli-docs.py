"""Write docs/cli.md from the --help of every haberkg command (tests/test_docs.py checks it)."""

from __future__ import annotations

import sys
from pathlib import Path

from haberkg.cli import cli_reference

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"

if __name__ == "__main__":
    OUT.write_text(cli_reference(), encoding="utf-8")
    sys.stderr.write(f"wrote {OUT.name}\n")
