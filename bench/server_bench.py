"""`haberkg serve`: start-up time, latency of the competency queries, throughput.

Usage: python bench/server_bench.py [--rounds 20] [--clients 8] [--seconds 10]
Needs a built release in dist/ (haberkg build). Starts `haberkg serve --timeout 2` as a
user would (--per-client above the number of clients, who all come from 127.0.0.1),
measures the time until the first answer, the median and 99th-percentile latency of
every competency query over HTTP (SPARQLWrapper, JSON results), requests per second with
N concurrent clients each sending the competency queries in turn, and how fast a quick
query is answered while a runaway query holds a worker, and right after the runaway was
stopped (its worker killed and replaced). The tests check only that the quick query is
answered meanwhile (tests/test_server.py); how fast is measured here.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from SPARQLWrapper import JSON, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ask(endpoint: str, query: str) -> float:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    start = time.perf_counter()
    client.query().convert()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    ns = parser.parse_args()
    queries = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    # every client here is 127.0.0.1: allow each of them its own query (--per-client)
    server = subprocess.Popen([sys.executable, "-m", "haberkg", "serve", "--port", str(port),
                               "--timeout", "2", "--per-client", str(ns.clients + 1)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.02)
        startup = time.perf_counter() - start
        endpoint = base + "/sparql"
        for q in queries:  # warm-up
            ask(endpoint, q)
        latencies = sorted(ask(endpoint, q) for _ in range(ns.rounds) for q in queries)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        done = [0] * ns.clients
        stop = time.perf_counter() + ns.seconds

        def client(i: int) -> None:
            k = 0
            while time.perf_counter() < stop:
                ask(endpoint, queries[k % len(queries)])
                k += 1
                done[i] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(ns.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rps = sum(done) / (time.perf_counter() - t0)
        during, after = runaway_latencies(endpoint)
    finally:
        server.terminate()
        server.wait(10)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"{len(queries)} competency queries x {ns.rounds} rounds; {ns.clients} clients for "
          f"{ns.seconds:g} s\n")
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| start-up (process start to first answer) | {startup:.2f} s |")
    print(f"| median latency | {statistics.median(latencies) * 1000:.1f} ms |")
    print(f"| 99th percentile latency | {p99 * 1000:.1f} ms |")
    print(f"| throughput, {ns.clients} concurrent clients | {rps:.0f} requests/s |")
    print(f"| quick query while a runaway query runs | {during * 1000:.1f} ms |")
    print(f"| quick query right after the runaway was stopped | {after * 1000:.1f} ms |")


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "ASK { ?s ?p ?o }"


def runaway_latencies(endpoint: str) -> tuple[float, float]:
    """Latency of a quick query while a runaway query runs, and right after it was stopped
    (median of 5 each)."""
    during, after = [], []
    for _ in range(5):
        thread = threading.Thread(target=_get, args=(endpoint, RUNAWAY))
        thread.start()
        time.sleep(0.3)
        during.append(ask(endpoint, QUICK))
        thread.join()
        after.append(ask(endpoint, QUICK))
    return statistics.median(during), statistics.median(after)


def _get(endpoint: str, query: str) -> int:
    try:
        with urllib.request.urlopen(endpoint + "?query=" + urllib.parse.quote(query),
                                    timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)  # 503: stopped at the time limit


if __name__ == "__main__":
    main()
