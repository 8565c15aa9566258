"""A bounded SPARQL load generator on loopback, for bench/run.py.

Usage: python bench/loadgen.py URL KIND CLIENTS REQUESTS SECONDS QUERY_FILE...

CLIENTS threads, each with its own HTTP connection (httpx), send GET requests to the SPARQL
endpoint URL (JSON results) one after the other until it has sent REQUESTS or SECONDS have
passed. KIND ``competency`` sends the query files in turn; ``point`` sends point lookups
(every property and value of one resource, the resources in turn). Prints one JSON object:
requests, errors, seconds, rps (answered requests per second), p50_ms, p99_ms.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

RESOURCES = ("meeting-of-goktas-and-aliyev", "mahinur-ozdemir-goktas", "anar-aliyev",
             "foster-family-ministerial-declaration", "turkiye", "baku",
             "visit-of-aliyev-to-turkiye", "gonul-elcileri-project")


def main() -> None:
    url, kind, clients, requests, seconds, *files = sys.argv[1:]
    if kind == "point":
        queries = [f"SELECT ?p ?o WHERE {{ <https://w3id.org/haberkg/id/{r}> ?p ?o }}"
                   for r in RESOURCES]
    else:
        queries = [Path(f).read_text(encoding="utf-8") for f in files]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + float(seconds)

    def client(offset: int) -> None:
        with httpx.Client(timeout=30, trust_env=False) as http:
            for i in range(int(requests)):
                if time.perf_counter() > deadline:
                    break
                query = queries[(i + offset) % len(queries)]
                t0 = time.perf_counter()
                try:
                    answer = http.get(url, params={"query": query},
                                      headers={"Accept": "application/sparql-results+json"})
                    ok = answer.status_code == 200
                    answer.json()
                except (httpx.HTTPError, ValueError):
                    ok = False
                took = time.perf_counter() - t0
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        errors[0] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(int(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    print(json.dumps({"requests": len(latencies) + errors[0], "errors": errors[0],
                      "seconds": elapsed, "rps": len(latencies) / elapsed if elapsed else 0,
                      "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
                      "p99_ms": pct(0.99)}))


if __name__ == "__main__":
    main()
