"""Loading a release into Virtuoso: the bulk loader against the Graph Store Protocol upload.

Usage: python bench/virtuoso_load.py --work DIR [--sizes 1,100,1000] [--release DIST]
                                     [--haberkg-bulk]

Starts a private Virtuoso 7 (tests/engines.py: a temporary folder, loopback ports, dba/dba)
and, for each size, loads DIR/n<size>/plain.nt (written by bench/run.py) into a graph of its
own in two ways:

* the bulk loader: the file copied into a folder of ``DirsAllowed``, then
  ``ld_dir(folder, file, graph); rdf_loader_run(); checkpoint;`` through ``isql-vt``;
* the Graph Store Protocol: one HTTP PUT of the N-Triples file to
  ``/sparql-graph-crud-auth?graph=G`` (digest auth), as ``haberkg load`` sends it;

then counts the triples of each graph with SPARQL (both must hold every triple of the file).
With --release, also times ``haberkg load --to ... --dist DIST`` itself (upload, read-back
and comparison); with --haberkg-bulk, ``haberkg load --bulk-dir`` at each size (the bulk
loader driven through isql, then the same read-back and comparison). Prints a Markdown
table and writes bench/results/virtuoso.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def count(server: Any, graph: str) -> int:
    answer = httpx.get(server.query_url, params={
        "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"}, timeout=600)
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def haberkg_bulk(server: Any, plain: Path, articles: int, triples: int) -> dict[str, Any]:
    """``haberkg load --bulk-dir``: the bulk loader, then the read-back and comparison."""
    import tempfile

    assert server.dir is not None
    graph = f"urn:x-bench:haberkg-bulk-{articles}"
    with tempfile.TemporaryDirectory(dir=server.dir) as shared, \
            tempfile.TemporaryDirectory() as dist:
        os.symlink(plain.absolute(), Path(dist) / "haberkg.nt")
        env = {**os.environ, "VIRTUOSO_AUTH": f"{server.user}:{server.password}"}
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "haberkg", "load", "--to",
                               server.store_url, "--graph", graph, "--auth-env",
                               "VIRTUOSO_AUTH", "--dist", dist, "--bulk-dir", shared,
                               "--isql", f"127.0.0.1:{server.sql_port}"],
                              capture_output=True, text=True, env=env, timeout=3600)
        seconds = time.perf_counter() - start
    return {"articles": articles, "triples": triples,
            "method": f"haberkg load --bulk-dir (exit {done.returncode}; the bulk loader, "
                      "then the graph read back and compared)", "seconds": seconds,
            "loaded": count(server, graph)}


def main() -> None:
    from tests.engines import Virtuoso

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--release", type=Path, default=None)
    parser.add_argument("--haberkg-bulk", action="store_true",
                        help="also time `haberkg load --bulk-dir` at each size")
    ns = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with Virtuoso() as server:
        for articles in [int(s) for s in ns.sizes.split(",")]:
            plain = ns.work / f"n{articles}" / "plain.nt"
            if not plain.exists():
                print(f"skipped {articles}: no {plain}", file=sys.stderr)
                continue
            with plain.open("rb") as f:
                triples = sum(1 for _ in f)
            graph = f"urn:x-bench:bulk-{articles}"
            start = time.perf_counter()
            server.load(plain, graph)
            bulk = time.perf_counter() - start
            rows.append({"articles": articles, "triples": triples, "method": "bulk loader "
                         "(ld_dir + rdf_loader_run + checkpoint)", "seconds": bulk,
                         "loaded": count(server, graph)})
            graph = f"urn:x-bench:gsp-{articles}"
            start = time.perf_counter()
            try:
                # in memory: digest authentication sends the body twice (401 first)
                answer = httpx.put(server.store_url, params={"graph": graph},
                                   content=plain.read_bytes(), auth=server.auth,
                                   headers={"Content-Type": "application/n-triples"},
                                   timeout=1800)
                status = str(answer.status_code)
            except httpx.HTTPError as exc:
                status = f"{type(exc).__name__}"
            gsp = time.perf_counter() - start
            rows.append({"articles": articles, "triples": triples,
                         "method": f"Graph Store PUT (HTTP {status})", "seconds": gsp,
                         "loaded": count(server, graph)})
            if ns.haberkg_bulk:
                rows.append(haberkg_bulk(server, plain, articles, triples))
        if ns.release is not None:
            env = {**os.environ, "VIRTUOSO_AUTH": f"{server.user}:{server.password}"}
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "haberkg", "load", "--to",
                                   server.store_url, "--graph", "urn:x-bench:haberkg-load",
                                   "--auth-env", "VIRTUOSO_AUTH", "--dist", str(ns.release)],
                                  capture_output=True, text=True, env=env, timeout=1800)
            with (ns.release / "haberkg.nt").open("rb") as f:
                triples = sum(1 for _ in f)
            rows.append({"articles": 1, "triples": triples,
                         "method": f"haberkg load (exit {done.returncode})",
                         "seconds": time.perf_counter() - start,
                         "loaded": count(server, "urn:x-bench:haberkg-load")})
        version = server.version
    out = {"virtuoso": version, "rows": rows,
           "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}
    target = ROOT / "bench" / "results" / "virtuoso.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"Virtuoso {version}; load: {out['uptime']}\n")
    print("| articles | triples | method | seconds | triples/s | triples in the graph |")
    print("| ---: | ---: | --- | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['articles']:,} | {r['triples']:,} | {r['method']} | {r['seconds']:.2f} | "
              f"{r['triples'] / r['seconds']:,.0f} | {r['loaded']:,} |")


if __name__ == "__main__":
    main()
