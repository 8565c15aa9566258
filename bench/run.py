"""The benchmark: haberkg beside the tools a user would pick instead, from 1 article up.

Usage: python bench/run.py [--sizes 1,10,100,1000] [--article-sizes 10000] [--runs 3] [--work DIR]
                           [--validate-max 100] [--rdflib-max 100] [--rdflib-query-max 1]
                           [--jena-query-max 10] [--check-max 1] [--serve-size 1]
                           [--timeout 300]

Needs the bench and test extras (``pip install -c constraints.txt -e '.[server,test,bench]'``),
Java with Debian's libapache-jena-java 4.5, raptor2-utils (rapper) and serd (serdi).

For each size N (articles) it writes a corpus with bench/generate_corpus.py (seed 16; the
deliberate violations every M articles, M = 250 from 500 articles up, else N // 3, so that
the small sizes have something to find too) and ``plain.nt``: the plain graph of the
release of the real article (built once) replicated to N articles the same way
(generate_corpus.py --release-graph; ontology included), what every tool below reads, and
``shapes.nt`` (``shapes-core.nt`` without the SPARQL constraints, for pyrudof).
Then, each measurement a fresh process, wall time over
``--runs`` runs (median, min, max) and the peak RSS of the process tree (psutil, polled
every 10 ms):

* parse: haberkg's loader (sources.read.parse_file + to_store), rdflib, pyoxigraph (parse
  only, and into a Store), rapper, serdi -- all on plain.nt;
* validate: ``haberkg validate``, the pyshacl CLI, Jena ``shacl validate``, pyrudof -- the
  same full.nt and shapes.nt; the results (focus node, path, constraint component) of each
  compared with the violations the generator documents;
* ``haberkg check --article synthetic-00002`` inside the corpus (and its SHACL step);
* ``haberkg check`` and ``haberkg build`` of a clean corpus (no deliberate violation) up to
  --check-max articles, with the time of each step (HermiT among them);
* queries: the real article's competency questions and the corpus questions, in process on
  plain.nt (haberkg's runner, rdflib, pyoxigraph: median of --runs rounds after loading), and
  Jena ARQ (one JVM per query, ARQ's own query time); the answers compared;
* serve (at --serve-size): ``haberkg serve`` and ``oxigraph serve-read-only`` on the same
  release, competency queries and point lookups, 1 and 8 clients (bench/loadgen.py, a
  separate process, bounded in count and time): p50, p99, requests per second;
* start-up: ``haberkg --help``.

Writes bench/results/results.json and docs/performance.md with the plots in
docs/performance/ (log-log, time and memory against triples, one line per tool).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
HABERKG = [PY, "-m", "haberkg"]
GENERATOR = ROOT / "bench" / "generate_corpus.py"
TASKS = [PY, str(ROOT / "bench" / "tasks.py")]
SH = "http://www.w3.org/ns/shacl#"
REAL_ID = "2025-09-04-goktas-aliyev"
RESULTS = ROOT / "bench" / "results" / "results.json"
RECORD: dict[str, Any] = {}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------- measuring

def once(command: list[str], *, timeout: float, env: dict[str, str] | None = None,
         cwd: Path | None = None, stdout: Path | None = None) -> dict[str, Any]:
    """Run ``command``: wall time, peak RSS of its process tree, exit code, stderr."""
    out = open(stdout, "wb") if stdout else subprocess.PIPE  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, cwd=cwd,
                            env={**os.environ, **(env or {})})
    peak = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            total = 0
            try:
                for p in [parent, *parent.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            except psutil.Error:
                break
            peak = max(peak, total)
            stop.wait(0.01)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        output, err = proc.communicate(timeout=timeout)
        status = "ok"
    except subprocess.TimeoutExpired:
        for child in psutil.Process(proc.pid).children(recursive=True):
            child.kill()
        proc.kill()
        output, err = proc.communicate()
        status = "timeout"
    wall = time.perf_counter() - start
    stop.set()
    watcher.join()
    if stdout:
        out.close()  # type: ignore[union-attr]
    return {"wall": wall, "rss": peak, "code": proc.returncode, "status": status,
            "stdout": output.decode("utf-8", "replace") if output else "",
            "stderr": err.decode("utf-8", "replace") if err else ""}


def runs_for(size: dict[str, Any], ns: argparse.Namespace) -> int:
    """--runs below 500,000 triples, one run above (the time of the whole benchmark)."""
    return ns.runs if size["triples"] < 500_000 else 1


def measure(group: str, tool: str, size: dict[str, Any], command: list[str], runs: int,
            timeout: float, ok_codes: tuple[int, ...] = (0,), record: bool = True,
            **kw: Any) -> dict[str, Any]:
    walls, rss, last = [], [], {}
    for _ in range(runs):
        last = once(command, timeout=timeout, **kw)
        if last["status"] != "ok" or last["code"] not in ok_codes:
            break
        walls.append(last["wall"])
        rss.append(last["rss"])
    status = last["status"] if last["status"] != "ok" else (
        "ok" if last["code"] in ok_codes else f"exit {last['code']}")
    row = {"group": group, "tool": tool, "articles": size["articles"],
           "triples": size["triples"], "status": status, "runs": len(walls)}
    if walls:
        row.update(median=statistics.median(walls), min=min(walls), max=max(walls),
                   peak_rss_mib=max(rss) / 2**20, walls=walls)
    elif status == "timeout":
        row["error"] = f"stopped after the time limit of {timeout:.0f} s"
    else:
        row["error"] = (last["stderr"] or last["stdout"])[-800:]
    if record:
        RECORD.setdefault("measurements", []).append(row)
    log(f"{group:<10} {tool:<22} N={size['articles']:<6} {status:<8} "
        + (f"{row['median']:8.3f} s {row['peak_rss_mib']:7.0f} MiB" if walls else ""))
    row["_last"] = last
    return row


# ---------------------------------------------------------------------- preparing

def base_release(work: Path) -> Path:
    """The release of the real article alone (a clean corpus of one article, built once)."""
    clean = work / "n1" / "clean"
    if not (clean / "dist" / "haberkg.nt").exists():
        shutil.rmtree(clean, ignore_errors=True)
        clean.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([PY, str(GENERATOR), "--articles", "1", "--out", str(clean),
                        "--violation-every", "0"], check=True)
        subprocess.run([*HABERKG, "build", "-q"], check=True, cwd=work,
                       env={**os.environ, "HABERKG_ROOT": str(clean)})
    return clean / "dist" / "haberkg.nt"


def prepare(articles: int, work: Path, graph: bool = True) -> dict[str, Any]:
    folder = work / f"n{articles}"
    folder.mkdir(parents=True, exist_ok=True)
    every = 250 if articles >= 500 else max(2, articles // 3)
    corpus = folder / "corpus"
    if not corpus.exists():
        subprocess.run([PY, str(GENERATOR), "--articles", str(articles), "--out", str(corpus),
                        "--violation-every", str(every)], check=True, capture_output=True)
    plain = folder / "plain.nt"
    if not graph:
        expected = [json.loads(line) for line in
                    (corpus / "violations.jsonl").read_text(encoding="utf-8").splitlines()]
        return {"articles": articles, "triples": 0, "violation_every": every,
                "data_bytes": 0, "folder": folder, "corpus": corpus, "expected": expected}
    if not plain.exists():
        subprocess.run([PY, str(GENERATOR), "--articles", str(articles), "--violation-every",
                        str(every), "--release-graph", str(base_release(work)), "--out",
                        str(plain)], check=True, capture_output=True)
    import pyoxigraph as ox

    shapes = [t for path in sorted((ROOT / "shapes").glob("*.ttl"))
              for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    (folder / "shapes.nt").write_text("".join(f"{t} .\n" for t in shapes), encoding="utf-8")
    # pyrudof 0.3.35 cannot parse the shapes' SPARQL constraints: SHACL Core for it
    core = [t for t in shapes if t.predicate.value != SH + "sparql"]
    (folder / "shapes-core.nt").write_text("".join(f"{t} .\n" for t in core), encoding="utf-8")
    with plain.open("rb") as f:
        triples = sum(1 for _ in f)
    expected = [json.loads(line) for line in
                (corpus / "violations.jsonl").read_text(encoding="utf-8").splitlines()]
    size = {"articles": articles, "triples": triples, "violation_every": every,
            "data_bytes": plain.stat().st_size, "folder": folder, "corpus": corpus,
            "expected": expected}
    log(f"size N={articles}: {triples} triples, {len(expected)} deliberate violations")
    return size


# ---------------------------------------------------------------------- groups

def parse_group(size: dict[str, Any], ns: argparse.Namespace) -> None:
    data = str(size["folder"] / "plain.nt")
    runs = runs_for(size, ns)
    for tool, command in (("haberkg", [*TASKS, "parse-haberkg", data]),
                          ("haberkg (Store)", [*TASKS, "load-haberkg", data]),
                          ("pyoxigraph (parse)", [*TASKS, "parse-pyoxigraph", data]),
                          ("pyoxigraph (Store)", [*TASKS, "load-pyoxigraph", data]),
                          ("rdflib", [*TASKS, "parse-rdflib", data]),
                          ("rapper", ["rapper", "-q", "-i", "ntriples", "-c", data]),
                          ("serdi", ["sh", "-c", f"serdi -i ntriples -o ntriples '{data}' "
                                     ">/dev/null"])):
        if tool == "rdflib" and size["articles"] > ns.rdflib_max:
            continue
        measure("parse", tool, size, command, runs, ns.timeout)


def report_keys(text: str, fmt: str = "nt") -> set[tuple[str, str, str]]:
    import pyoxigraph as ox

    store = ox.Store()
    if text.strip():
        store.load(text.encode("utf-8"), format=ox.RdfFormat.TURTLE if fmt == "ttl"
                   else ox.RdfFormat.N_TRIPLES)
    keys = set()
    for row in store.query(f"""PREFIX sh: <{SH}>
            SELECT ?f ?p ?c WHERE {{ ?r a sh:ValidationResult ; sh:focusNode ?f ;
              sh:sourceConstraintComponent ?c . OPTIONAL {{ ?r sh:resultPath ?p }} }}"""):
        keys.add((row["f"].value, row["p"].value if row["p"] is not None else "",
                  row["c"].value))
    return keys


def validate_group(size: dict[str, Any], ns: argparse.Namespace) -> None:
    if size["articles"] > ns.validate_max:
        return
    folder = size["folder"]
    full, shapes = str(folder / "plain.nt"), str(folder / "shapes.nt")
    expected = {(v["focus"], v["path"], v["component"]) for v in size["expected"]}
    runs = min(runs_for(size, ns), ns.slow_runs)
    from tests.engines import jena_classpath

    java = ["java", "-cp", jena_classpath(), "shacl.shacl", "validate", "--shapes", shapes,
            "--data", full]
    for tool, command, fmt, codes in (
            ("haberkg", [*HABERKG, "validate", "--shapes", shapes, "--format", "shacl",
                         "--max-bytes", str(2**40), full], "ttl", (0, 1)),
            ("pyshacl", [PY, "-m", "pyshacl", "-s", shapes, "-i", "none", "-f", "nt", full],
             "nt", (0, 1)),
            ("Jena SHACL", java, "ttl", (0,)),
            ("pyrudof", [*TASKS, "validate-pyrudof", full, str(folder / "shapes-core.nt")],
             "json", (0,))):
        if tool == "pyshacl" and size["articles"] > ns.pyshacl_max:
            continue
        if ns.validate_tools and tool not in ns.validate_tools.split(","):
            continue
        report = folder / f"report-{tool.split()[0].lower()}.out"
        row = measure("validate", tool, size, command, runs, ns.timeout, ok_codes=codes,
                      stdout=report)
        if row["status"] != "ok":
            continue
        text = report.read_text(encoding="utf-8")
        if fmt == "json":
            text = json.loads(text)["report_ntriples"]
            fmt = "nt"
        keys = report_keys(text, fmt)
        row["results"] = len(keys)
        row["identical"] = keys == expected
        if not row["identical"]:
            row["missing"] = sorted(map(list, expected - keys))[:5]
            row["extra"] = sorted(map(list, keys - expected))[:5]


STEP = re.compile(r"^(\S.*?)\s{2,}(\d+\.\d+) s$", re.M)


def check_group(size: dict[str, Any], ns: argparse.Namespace, work: Path) -> None:
    env = {"HABERKG_ROOT": str(size["corpus"])}
    target = "synthetic-00002" if size["articles"] >= 2 else REAL_ID
    row = measure("check-article", "haberkg", size,
                  [*HABERKG, "check", "--article", target], min(runs_for(size, ns),
                                                                ns.slow_runs), ns.timeout, env=env,
                  cwd=work)
    row["steps"] = {m.group(1): float(m.group(2))
                    for m in STEP.finditer(row["_last"]["stderr"])}
    if size["articles"] > ns.check_max:
        return
    clean = size["folder"] / "clean"
    if not clean.exists():
        subprocess.run([PY, str(GENERATOR), "--articles",
                        str(size["articles"]), "--out", str(clean), "--violation-every", "0"],
                       check=True)
    env = {"HABERKG_ROOT": str(clean)}
    row = measure("check", "haberkg", size, [*HABERKG, "check"], ns.slow_runs, ns.timeout,
                  env=env, cwd=work)
    row["steps"] = {m.group(1): float(m.group(2))
                    for m in STEP.finditer(row["_last"]["stderr"])}
    measure("build", "haberkg", size, [*HABERKG, "build", "-q"], ns.slow_runs, ns.timeout,
            env=env, cwd=work)


def query_files() -> list[Path]:
    return [*sorted((ROOT / "data" / "articles" / REAL_ID / "queries").glob("*.rq")),
            *sorted((ROOT / "queries").glob("c*.rq"))]


def normal(rows: list[str]) -> list[str]:
    return sorted(re.sub(r"_:\S+", "_:b", r) for r in rows)


def query_group(size: dict[str, Any], ns: argparse.Namespace) -> None:
    data = str(size["folder"] / "plain.nt")
    files = [str(p) for p in query_files()]
    answers: dict[str, dict[str, list[str]]] = {}
    for tool in ("haberkg", "pyoxigraph", "rdflib"):
        if tool == "rdflib" and size["articles"] > ns.rdflib_query_max:
            continue
        row = measure("queries", tool, size, [*TASKS, f"queries-{tool}", data,
                                              str(runs_for(size, ns)), *files], 1, ns.timeout)
        if row["status"] != "ok":
            continue
        found = json.loads(row["_last"]["stdout"])
        row["load_seconds"] = found["load_seconds"]
        row["per_query"] = {k: {x: v[x] for x in ("median", "min", "max", "rows")}
                            for k, v in found["queries"].items()}
        for name, value in found["queries"].items():
            answers.setdefault(name, {})[tool] = normal(value["answer"])
    if size["articles"] <= ns.jena_query_max:
        from tests.engines import jena_classpath

        per_query = {}
        for path in query_files():
            row = measure("query-jena", f"Jena ARQ {path.stem}", size,
                          ["java", "-cp", jena_classpath(), "arq.sparql", "--data", data,
                           "--query", str(path), "--time", "--results", "tsv"], 1,
                          ns.timeout, record=False)
            if row["status"] != "ok":
                continue
            out = row["_last"]["stdout"]
            match = re.search(r"Time:\s*([\d.]+) sec", out + row["_last"]["stderr"])
            lines = [line for line in out.splitlines()
                     if line.strip() and not line.startswith(("?", "Time:"))]
            rows = lines
            per_query[path.stem] = {"median": float(match.group(1)) if match else None,
                                    "rows": len(rows), "wall": row["median"]}
            answers.setdefault(path.stem, {})["Jena ARQ"] = normal(rows)
        RECORD["measurements"].append({"group": "queries", "tool": "Jena ARQ",
                                       "articles": size["articles"],
                                       "triples": size["triples"], "status": "ok",
                                       "per_query": per_query})
    agree = {}
    for name, by_tool in answers.items():
        counts = {tool: len(rows) for tool, rows in by_tool.items()}
        agree[name] = {"rows": counts, "same_rows": len(set(counts.values())) == 1,
                       "same_answers_oxigraph_engines": by_tool.get("haberkg")
                       == by_tool.get("pyoxigraph")}
    RECORD.setdefault("query_agreement", {})[str(size["articles"])] = agree


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def serve_group(size: dict[str, Any], ns: argparse.Namespace, work: Path) -> None:
    clean = size["folder"] / "clean"
    dist = clean / "dist"
    if not (dist / "haberkg.nt").exists():
        if not clean.exists():
            subprocess.run([PY, str(GENERATOR), "--articles",
                            str(size["articles"]), "--out", str(clean),
                            "--violation-every", "0"], check=True)
        subprocess.run([*HABERKG, "build", "-q"], check=True, cwd=work,
                       env={**os.environ, "HABERKG_ROOT": str(clean)})
    files = [str(p) for p in query_files()]
    servers = []
    port = free_port()
    servers.append(("haberkg serve", f"http://127.0.0.1:{port}/sparql", subprocess.Popen(
        [*HABERKG, "serve", "--dist", str(dist), "--port", str(port), "--timeout", "5",
         "--per-client", "16", "--log-level", "warning"], cwd=work,
        env={**os.environ, "HABERKG_ROOT": str(clean)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)))
    location = size["folder"] / "oxigraph-store"
    shutil.rmtree(location, ignore_errors=True)
    oxigraph = shutil.which("oxigraph", path=str(Path(PY).parent)) or "oxigraph"
    subprocess.run([oxigraph, "load", "--location", str(location), "--file",
                    str(dist / "haberkg.nt")], check=True, capture_output=True)
    port2 = free_port()
    servers.append(("oxigraph serve-read-only", f"http://127.0.0.1:{port2}/query",
                    subprocess.Popen([oxigraph, "serve-read-only", "--location",
                                      str(location), "--bind", f"127.0.0.1:{port2}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    try:
        for name, url, proc in servers:
            wait_for(url)
            for kind in ("competency", "point"):
                for clients in (1, 8):
                    done = once([*TASKS[:1], str(ROOT / "bench" / "loadgen.py"), url, kind,
                                 str(clients), str(ns.requests), str(ns.seconds), *files],
                                timeout=ns.seconds * 3 + 60)
                    server_rss = sum(p.memory_info().rss for p in
                                     [psutil.Process(proc.pid),
                                      *psutil.Process(proc.pid).children(recursive=True)])
                    found = json.loads(done["stdout"]) if done["status"] == "ok" else {}
                    row = {"group": "serve", "tool": name, "articles": size["articles"],
                           "triples": size["triples"], "kind": kind, "clients": clients,
                           "status": done["status"] if found else "error",
                           "server_rss_mib": server_rss / 2**20, **found}
                    RECORD.setdefault("measurements", []).append(row)
                    log(f"serve {name:<26} {kind:<10} {clients} clients: "
                        f"{found.get('rps', 0):7.1f} req/s p50 {found.get('p50_ms', 0):6.1f} "
                        f"ms p99 {found.get('p99_ms', 0):6.1f} ms errors "
                        f"{found.get('errors', '?')}")
    finally:
        for _, _, proc in servers:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def startup_group(ns: argparse.Namespace, work: Path) -> None:
    size = {"articles": 0, "triples": 0}
    measure("startup", "haberkg --help", size, [*HABERKG, "--help"], max(ns.runs, 10),
            ns.timeout, cwd=work)
    measure("startup", "python -c pass", size, [PY, "-c", "pass"], max(ns.runs, 10),
            ns.timeout, cwd=work)


# ---------------------------------------------------------------------- versions

def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {p: version(p) for p in ("haberkg", "rdflib", "pyoxigraph", "pyshacl",
                                     "pyrudof", "oxigraph", "owlready2", "httpx")}
    found["python"] = platform.python_version()

    def first_line(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return "missing"
        text = (done.stdout + done.stderr).strip()
        return text.splitlines()[0] if text else "unknown"

    found["rapper"] = first_line(["rapper", "--version"])
    found["serdi"] = first_line(["serdi", "-v"])
    found["java"] = first_line(["java", "-version"])
    try:
        from tests.engines import Jena

        found["jena"] = Jena().version
    except Exception as exc:  # noqa: BLE001 - recorded, not fatal
        found["jena"] = f"missing ({exc})"
    return found


def machine() -> dict[str, Any]:
    return {"platform": platform.platform(), "cpus": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "load_average": os.getloadavg(),
            "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}


def shown_command(args: list[str]) -> str:
    """The command as it can be typed again (an empty or spaced argument quoted)."""
    import shlex

    return "python bench/run.py " + " ".join(shlex.quote(a) for a in args)


def scrub(text: str) -> str:
    """No machine paths in the results: ``--work DIR``, and files by their own names."""
    text = re.sub(r"--work [^\s\"`]+", "--work DIR", text)
    return re.sub(r"(?<![\w.:])/(?:[\w.+-]+/)+([\w.+-]+)", r"\1", text)


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["group"], row["tool"], row["articles"], row.get("kind"), row.get("clients"))


def merge(old: dict[str, Any]) -> None:
    """RECORD on top of an earlier results file: its other measurements and sizes kept, each
    run's command and machine load listed."""
    mine = {_key(r) for r in RECORD.get("measurements", [])}
    kept = [r for r in old.get("measurements", []) if _key(r) not in mine]
    RECORD["measurements"] = kept + RECORD.get("measurements", [])
    sizes = {s["articles"]: s for s in old.get("sizes", [])}
    sizes.update({s["articles"]: s for s in RECORD["sizes"]})
    RECORD["sizes"] = [sizes[n] for n in sorted(sizes)]
    runs = old.get("runs") or [{k: old.get(k) for k in ("command", "started", "minutes",
                                                          "machine_before", "machine_after")}]
    RECORD["runs"] = [*runs, {k: RECORD.get(k) for k in ("command", "started", "minutes",
                                                           "machine_before", "machine_after")}]
    agreement = old.get("query_agreement", {})
    agreement.update(RECORD.get("query_agreement", {}))
    RECORD["query_agreement"] = agreement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow-runs", type=int, default=2,
                        help="runs of validate, check and build (each takes seconds to minutes)")
    parser.add_argument("--merge", action="store_true",
                        help="add to the results file (same measurement: replaced)")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--validate-max", type=int, default=100)
    parser.add_argument("--pyshacl-max", type=int, default=1)
    parser.add_argument("--validate-tools", default="",
                        help="only these validators (comma-separated names as in the tables)")
    parser.add_argument("--rdflib-max", type=int, default=100, help="rdflib's parser, up to")
    parser.add_argument("--rdflib-query-max", type=int, default=1,
                        help="rdflib's SPARQL engine, up to (153 s at 1 article, over 300 s "
                             "at 10)")
    parser.add_argument("--jena-query-max", type=int, default=10)
    parser.add_argument("--check-max", type=int, default=1)
    parser.add_argument("--serve-size", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400, help="per client, at most")
    parser.add_argument("--seconds", type=float, default=8.0, help="per load, at most")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--article-sizes", default="10000",
                        help="corpus sizes where only `check --article` is measured")
    parser.add_argument("--only", default="parse,validate,check,queries,serve,startup")
    parser.add_argument("--no-report", action="store_true")
    ns = parser.parse_args()
    sizes = [int(s) for s in ns.sizes.split(",")]
    groups = set(ns.only.split(","))
    work = ns.work or Path(tempfile.mkdtemp(prefix="haberkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the results are still written
    RECORD.update(command=shown_command(sys.argv[1:]),
                  started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                  machine_before=machine(), versions=versions(), sizes=[])
    try:
        if "startup" in groups:
            startup_group(ns, work)
        for articles in sizes:
            size = prepare(articles, work)
            RECORD["sizes"].append({k: v for k, v in size.items()
                                    if k in ("articles", "triples", "violation_every",
                                             "data_bytes")}
                                   | {"deliberate_violations": len(size["expected"])})
            if "parse" in groups:
                parse_group(size, ns)
            if "validate" in groups:
                validate_group(size, ns)
            if "check" in groups:
                check_group(size, ns, work)
            if "queries" in groups:
                query_group(size, ns)
            if "serve" in groups and articles == ns.serve_size:
                serve_group(size, ns, work)
        for articles in [int(s) for s in ns.article_sizes.split(",") if s]:
            size = prepare(articles, work, graph=False)
            size["triples"] = articles * 6_400  # about a release's plain graph; not built
            RECORD["sizes"].append({"articles": articles, "triples": size["triples"],
                                    "violation_every": size["violation_every"],
                                    "data_bytes": 0, "estimated_triples": True,
                                    "deliberate_violations": len(size["expected"])})
            check_group(size, ns, work)
    finally:
        RECORD["machine_after"] = machine()
        RECORD["minutes"] = (time.time() - started) / 60
        for row in RECORD.get("measurements", []):
            row.pop("_last", None)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        if ns.merge and RESULTS.exists():
            merge(json.loads(RESULTS.read_text(encoding="utf-8")))
        RESULTS.write_text(scrub(json.dumps(RECORD, indent=1, sort_keys=True, default=str))
                           + "\n", encoding="utf-8")
        log(f"results in {RESULTS.relative_to(ROOT)} ({RECORD['minutes']:.1f} min)")
    if not ns.no_report:
        subprocess.run([PY, str(ROOT / "bench" / "report.py")], check=True)


if __name__ == "__main__":
    main()
