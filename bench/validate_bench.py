"""haberkg validate beside the plain pyshacl CLI, on the same files, each in a fresh process.

* a 50,000-triple Turtle file with few results and one with about 4,000 results:
  ``haberkg validate FILE --shapes S`` and ``pyshacl -s S FILE``, wall time and peak RSS;
* start-up: ``haberkg validate`` and ``pyshacl`` on a tiny file, and ``haberkg --help``;
* the W3C SHACL suite (tests/w3c): cases passed by haberkg's report and by the plain
  pyshacl CLI's report (``pyshacl -s FILE -f turtle FILE``), compared the same way.

Run: ``python bench/validate_bench.py --runs 3``. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ] ;
  sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxInclusive 150 ] ;
  sh:property [ sh:path ex:knows ; sh:class ex:Person ] .
"""


def data(path: Path, people: int, bad_every: int) -> None:
    """``people`` people of 5 triples each (50,000 triples for 10,000); every
    ``bad_every``-th has an age over 150 and knows a non-person (two results)."""
    lines = ["@prefix ex: <http://example.org/> ."]
    for i in range(people):
        bad = bad_every and i % bad_every == 0
        lines.append(f'ex:p{i} a ex:Person ; ex:name "Person {i}" ; ex:age {200 if bad else 30} ;'
                     f' ex:knows ex:{"thing" if bad else "p"}{(i + 1) % people} ;'
                     f' ex:email "p{i}@example.org" .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(command: list[str], runs: int) -> tuple[float, float, int]:
    """Median and min wall time (s) and peak RSS (MiB) of ``command`` in fresh processes."""
    times: list[float] = []
    peak = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=tempfile.gettempdir())
        rss = 0
        while proc.poll() is None:
            try:
                rss = max(rss, proc.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.01)
        times.append(time.perf_counter() - start)
        peak = max(peak, rss)
    return statistics.median(times), min(times), peak // (1 << 20)


def suite_counts() -> tuple[int, int, int]:
    from haberkg.checks import validate as v
    from haberkg.errors import HaberkgError
    from tests.w3c_manifests import report_of, shacl_cases

    cases = shacl_cases()
    ours = theirs = 0
    for case in cases:
        try:
            outcome = v.validate_files([case.data], v.Options(shapes=[case.shapes]))
            assert outcome.report is not None and outcome.report.graph is not None
            got = report_of(outcome.report.graph.serialize(format="nt").encode())
            ours += (not case.failure) and got == (case.conforms, case.results)
        except HaberkgError:
            ours += case.failure
        done = subprocess.run([str(BIN / "pyshacl"), "-s", str(case.shapes), "-f", "turtle",
                               str(case.data)], capture_output=True, timeout=120, check=False)
        if case.failure:
            theirs += done.returncode not in (0, 1)
        elif done.returncode in (0, 1):
            with contextlib.suppress(AssertionError, SyntaxError, ValueError):
                theirs += report_of(done.stdout) == (case.conforms, case.results)
    return len(cases), ours, theirs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-suite", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="validate-bench-"))
    shapes = folder / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    few, many, tiny = folder / "few.ttl", folder / "many.ttl", folder / "tiny.ttl"
    data(few, 10_000, 2_000)   # 50,000 triples, 10 results
    data(many, 10_000, 5)      # 50,000 triples, 4,000 results
    data(tiny, 2, 0)
    haberkg, pyshacl = str(BIN / "haberkg"), str(BIN / "pyshacl")
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"median and min of {args.runs} runs, each a fresh process\n")
    print("| input | command | median (s) | min (s) | peak RSS (MiB) |")
    print("| --- | --- | --- | --- | --- |")
    for label, path in (("50,000 triples, 10 results", few),
                        ("50,000 triples, 4,000 results", many),
                        ("tiny file (start-up)", tiny)):
        for name, command in (
                ("haberkg validate FILE --shapes S", [haberkg, "validate", str(path), "--shapes",
                                                      str(shapes)]),
                ("pyshacl -s S FILE", [pyshacl, "-s", str(shapes), str(path)])):
            median, best, rss = measure(command, args.runs)
            print(f"| {label} | `{name}` | {median:.2f} | {best:.2f} | {rss} |")
    median, best, rss = measure([haberkg, "--help"], args.runs)
    print(f"| - | `haberkg --help` | {median:.2f} | {best:.2f} | {rss} |")
    if not args.skip_suite:
        total, ours, theirs = suite_counts()
        print(f"\nW3C SHACL suite (core + sparql, {total} cases, reports compared as "
              f"tests/w3c_manifests.py does): haberkg validate {ours}, pyshacl CLI {theirs}")


if __name__ == "__main__":
    main()
