"""Wall time and peak memory of `haberkg build` and `haberkg check`.

Usage: python bench/cli_timings.py [--runs 5]
Runs each command in a fresh process (as a user would), after one warm-up run, and
prints a Markdown table: median and min wall time, and the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "haberkg", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024  # MiB (ru_maxrss is KiB on Linux)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "haberkg build": ["build", "-q", "--dist", os.path.join(tmp, "dist")],
            "haberkg check": ["check", "-q"],
        }
        print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
              f" {ns.runs} runs after one warm-up\n")
        print("| command | median (s) | min (s) | peak RSS (MiB) |")
        print("| --- | --- | --- | --- |")
        for name, args in commands.items():
            run(args)
            times, peaks = [], []
            for _ in range(ns.runs):
                t, m = run(args)
                times.append(t)
                peaks.append(m)
            print(f"| `{name}` | {statistics.median(times):.2f} | {min(times):.2f} | "
                  f"{max(peaks):.0f} |")


if __name__ == "__main__":
    main()
