"""The figures of the security hardening, measured on a running `haberkg serve`.

Usage: haberkg build && python bench/security_bench.py [--runaways 10] [--timeout 5]

Starts `haberkg serve` as a user would (query workers confined) and measures:
* the sandbox this platform gives (`haberkg.sandbox.probe()`);
* requests that reach a loopback listener during every SSRF attempt of
  tests/issues/ssrf-attempts.toml sent to the endpoint (GET, POST form, POST body);
* the time from sending a runaway query to its answer (the time limit, plus the kill);
* p50 / p99 latency of a quick query while N runaways run (from another loopback
  address, so that they count as another client);
* the server's peak RSS growth while a 100 MB chunked body is sent;
* peak RSS and wall time of `haberkg validate` and of the pyshacl CLI on a generated
  50 MB Turtle file (the same shapes).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = ("SELECT ?name WHERE { <https://w3id.org/haberkg/id/baku> "
         "<https://schema.org/name> ?name }")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start_server(timeout: float, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "haberkg", "serve", "--port", str(port),
                                "--timeout", str(timeout), "--workers", str(workers),
                                "--per-client", "2", "--log-level", "warning"], cwd=ROOT,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("haberkg serve did not start")


def ssrf(url: str) -> tuple[int, int]:
    import socketserver

    hits: list[int] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            hits.append(1)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{server.server_address[1]}"
    cases = tomllib.loads((ROOT / "tests" / "issues" / "ssrf-attempts.toml").read_text())
    sent = 0
    with httpx.Client(timeout=30) as client:
        for case in cases["query"]:
            query = case["text"].replace("{url}", target).replace(
                "{port}", str(server.server_address[1]))
            client.get(url + "/sparql", params={"query": query})
            client.post(url + "/sparql", data={"query": query})
            client.post(url + "/sparql", content=query.encode(),
                        headers={"Content-Type": "application/sparql-query"})
            sent += 3
    time.sleep(0.5)
    server.shutdown()
    return sent, len(hits)


def runaway_stop(url: str, timeout: float) -> float:
    start = time.monotonic()
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.4"),
                      timeout=60) as client:
        status = client.get(url + "/sparql", params={"query": RUNAWAY}).status_code
    assert status == 503, status
    return time.monotonic() - start


def under_runaways(url: str, count: int, samples: int) -> list[float]:
    def runaway() -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"),
                          timeout=60) as client:
            client.get(url + "/sparql", params={"query": RUNAWAY})

    threads = [threading.Thread(target=runaway) for _ in range(count)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    latencies = []
    with httpx.Client(timeout=60) as client:
        for _ in range(samples):
            start = time.perf_counter()
            assert client.get(url + "/sparql", params={"query": QUICK}).status_code == 200
            latencies.append(time.perf_counter() - start)
    for t in threads:
        t.join()
    return latencies


def chunked_body(url: str, pid: int) -> tuple[int, int]:
    base = rss_kb(pid)
    peak = [base]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.005)

    threading.Thread(target=sample, daemon=True).start()

    def body():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"#" * (1 << 20)

    try:
        status = httpx.post(url + "/sparql", content=body(), timeout=60,
                            headers={"Content-Type": "application/sparql-query"}).status_code
    except httpx.HTTPError:
        status = 413
    stop.set()
    return status, peak[0] - base


def big_turtle(folder: Path) -> tuple[Path, Path]:
    data, shapes = folder / "big.ttl", folder / "shapes.ttl"
    rng = random.Random(1)
    with data.open("w", encoding="utf-8") as f:
        f.write("@prefix ex: <http://example.org/> .\n@prefix schema: <https://schema.org/> .\n")
        i = size = 0
        while size < 50_000_000:
            line = (f'ex:p{i} a schema:Person ; schema:name "Person number {i}"@en ; '
                    f'schema:birthDate "19{i % 100:02d}-01-01"^^'
                    f'<http://www.w3.org/2001/XMLSchema#date> ; schema:knows '
                    f'ex:p{rng.randrange(i + 1)} .\n')
            f.write(line)
            size += len(line)
            i += 1
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix schema: <https://schema.org/> .\n"
                      "<http://e/P> a sh:NodeShape ; sh:targetClass schema:Person ;\n"
                      "  sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:datatype "
                      "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] .\n")
    return data, shapes


def timed(command: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True,
                          text=True, cwd=ROOT)
    return time.perf_counter() - start, int(done.stderr.strip().splitlines()[-1]), \
        done.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runaways", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--skip-validate", action="store_true")
    args = parser.parse_args()
    from haberkg import sandbox

    layers, reason = sandbox.probe()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, kernel {platform.release()}")
    print(f"sandbox here: {', '.join(layers) or 'none'}" + (f" ({reason})" if reason else ""))
    process, url = start_server(args.timeout, workers=4)
    try:
        sent, hits = ssrf(url)
        print(f"SSRF attempts sent: {sent}, requests that reached the listener: {hits}")
        stop = runaway_stop(url, args.timeout)
        print(f"runaway answered (503) after {stop:.2f} s (limit {args.timeout:g} s)")
        time.sleep(2)
        lat = sorted(under_runaways(url, args.runaways, args.samples))
        p50, p99 = statistics.median(lat), lat[min(len(lat) - 1, int(0.99 * len(lat)))]
        print(f"quick query while {args.runaways} runaways run: p50 {p50 * 1000:.0f} ms, "
              f"p99 {p99 * 1000:.0f} ms ({len(lat)} samples)")
        status, growth = chunked_body(url, process.pid)
        print(f"100 MB chunked body: {status}, server RSS growth {growth / 1024:.1f} MiB")
    finally:
        process.terminate()
        process.wait(30)
    if args.skip_validate:
        return
    with tempfile.TemporaryDirectory() as tmp:
        data, shapes = big_turtle(Path(tmp))
        print(f"validate {data.stat().st_size / 1e6:.0f} MB of Turtle:")
        for name, command in (
                ("haberkg validate", [sys.executable, "-m", "haberkg", "validate", str(data),
                                      "--shapes", str(shapes)]),
                ("pyshacl", [str(Path(sys.executable).with_name("pyshacl")), "-s", str(shapes),
                             str(data)])):
            seconds, peak_kb, code = timed(command)
            print(f"  {name:<17} {seconds:7.1f} s  peak RSS {peak_kb / 1024:7.0f} MiB  "
                  f"exit {code}")


if __name__ == "__main__":
    main()
