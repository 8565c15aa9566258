"""Write docs/graph.svg, the static picture of the graph page for the README, from a built
release (default dist/), with Graphviz `dot` (apt-get install graphviz); tests/test_docs.py
checks that it is up to date."""

from __future__ import annotations

import sys
from pathlib import Path

from haberkg.atomic import atomic_write
from haberkg.web.view import graph_svg_file

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "graph.svg"

if __name__ == "__main__":
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    atomic_write(OUT, graph_svg_file(dist))
    sys.stderr.write(f"wrote {OUT.relative_to(ROOT)}\n")
