"""examples/github-matrix.yml: the jobs of its matrix, run as written on a corpus, check every
article exactly once between them, and all pass on a clean corpus."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT
from .test_generate_corpus import generate

EXAMPLE = ROOT / "examples" / "github-matrix.yml"
IDS = ["2025-09-04-goktas-aliyev", "synthetic-00002", "synthetic-00003", "synthetic-00004",
       "synthetic-00005"]


def test_the_matrix_checks_every_article_once(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    matrix = re.search(r"^\s+shard: \[([\d, ]+)\]$", text, re.M)
    command = re.search(r"^\s+- run: (haberkg check --shard \$\{\{ matrix\.shard \}\}/(\d+))$",
                        text, re.M)
    assert matrix and command, "the example lost its matrix or its check command"
    shards = [int(v) for v in matrix.group(1).split(",")]
    assert shards == list(range(1, int(command.group(2)) + 1))
    root = generate(tmp_path / "corpus", len(IDS), every=0)
    seen: list[str] = []
    for shard in shards:
        words = command.group(1).replace("${{ matrix.shard }}", str(shard)).split()
        done = subprocess.run([sys.executable, "-m", *words], cwd=tmp_path, text=True,
                              capture_output=True, timeout=300,
                              env={**os.environ, "HABERKG_ROOT": str(root)})
        assert done.returncode == 0, done.stderr
        seen += [i for i in IDS if re.search(rf"^\s+{i}\s+\d+\.\d+ s$", done.stderr, re.M)]
    assert sorted(seen) == IDS
