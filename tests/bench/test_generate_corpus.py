"""bench/generate_corpus.py writes a corpus that haberkg checks and builds like any other.

The expected violations are the ones the generator's documentation promises (a second
signatory of the signing in article 3, by the shapes' hk:signatory sh:maxCount 1); the
expected answers of the real article's questions are its own hand-written ones, which the
checks run in the generated root as well.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT

GENERATOR = ROOT / "bench" / "generate_corpus.py"
HKD = "https://w3id.org/haberkg/id/"


def generate(out: Path, articles: int, *, seed: int = 16, every: int = 250) -> Path:
    subprocess.run([sys.executable, str(GENERATOR), "--articles", str(articles), "--out",
                    str(out), "--seed", str(seed), "--violation-every", str(every)],
                   check=True, capture_output=True)
    return out


def haberkg(root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HABERKG_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "haberkg", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_the_same_seed_writes_the_same_bytes_and_another_seed_another_text(
        tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 3)
    b = generate(tmp_path / "b", 3)
    c = generate(tmp_path / "c", 3, seed=17)
    assert digest(a) == digest(b)
    text = "data/articles/synthetic-00002/article.tr.txt"
    assert (a / text).read_bytes() != (c / text).read_bytes()
    real = "data/articles/2025-09-04-goktas-aliyev"
    assert digest(a / real) == digest(ROOT / real)  # the real article, unchanged


def test_a_refused_output_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("keep", encoding="utf-8")
    done = subprocess.run([sys.executable, str(GENERATOR), "--articles", "2", "--out",
                           str(tmp_path / "taken")], capture_output=True, text=True)
    assert done.returncode != 0 and "exists already" in done.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["mine.txt"]


def test_check_finds_exactly_the_deliberate_violation(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 3, every=2)
    done = haberkg(root, "check", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Does not conform: 1 violation from" in done.stderr
    assert "hkd:signing-of-the-declaration-by-aliyev-n00003" in done.stderr
    assert "hks:Signing-signatory, sh:MaxCountConstraintComponent" in done.stderr
    one = haberkg(root, "check", "--article", "synthetic-00002", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    bad = haberkg(root, "check", "--article", "synthetic-00003", cwd=tmp_path)
    assert bad.returncode == 1, bad.stderr
    assert "hkd:signing-of-the-declaration-by-aliyev-n00003" in bad.stderr


def test_build_writes_every_article_of_a_clean_corpus(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 3, every=0)
    done = haberkg(root, "build", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    articles = sorted(p.name for p in (root / "dist" / "articles").iterdir())
    assert [a for a in articles if "synthetic-00002" in a and "synthetic-00003" not in a]
    assert [a for a in articles if "synthetic-00003" in a]
    assert [a for a in articles if "2025-09-04-goktas-aliyev" in a]
