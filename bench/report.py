"""Write docs/performance.md and its plots from bench/results/results.json (bench/run.py
runs this at its end; run it alone to redraw).

Usage: python bench/report.py [RESULTS_JSON]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
PLOTS = ROOT / "docs" / "performance"


def fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def rows_of(record: dict[str, Any], group: str) -> list[dict[str, Any]]:
    return [m for m in record.get("measurements", []) if m["group"] == group]


def plot(record: dict[str, Any], group: str, key: str, name: str, ylabel: str) -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lines: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for m in rows_of(record, group):
        if m.get("status") == "ok" and m.get(key) is not None and m["triples"] > 0:
            lines[m["tool"]].append((m["triples"], float(m[key])))
    if not lines:
        return None
    figure, axes = plt.subplots(figsize=(6.4, 4.2), dpi=100)
    for tool, points in sorted(lines.items()):
        points.sort()
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=tool)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("triples (plain graph)")
    axes.set_ylabel(ylabel)
    axes.set_title(f"{group}: {ylabel}")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    PLOTS.mkdir(parents=True, exist_ok=True)
    path = PLOTS / f"{name}.png"
    # a fixed date in the PNG metadata: the same figures give the same file
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
    return f"performance/{name}.png"


def table(record: dict[str, Any], group: str) -> list[str]:
    out = ["| articles | triples | tool | median | min | max | peak RSS (MiB) | status | notes |",
           "| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for m in rows_of(record, group):
        notes = [m["error"].strip().splitlines()[-1][:120]] if m.get("error") else []
        if "identical" in m:
            notes.append(f"{m['results']} results, "
                         + ("the documented violations exactly" if m["identical"]
                            else "NOT the documented violations"))
        if "steps" in m:
            shacl = m["steps"].get("validate with SHACL")
            hermit = m["steps"].get("reason with HermiT")
            if shacl is not None:
                notes.append(f"SHACL step {fmt_s(shacl)}")
            if hermit is not None:
                notes.append(f"HermiT step {fmt_s(hermit)}")
        if "load_seconds" in m:
            notes.append(f"load {fmt_s(m['load_seconds'])}, "
                         f"queries {fmt_s(sum(q['median'] for q in m['per_query'].values()))}")
        peak = m.get("peak_rss_mib")
        out.append(f"| {m['articles']:,} | {m['triples']:,} | {m['tool']} | "
                   f"{fmt_s(m.get('median'))} | {fmt_s(m.get('min'))} | {fmt_s(m.get('max'))} "
                   f"| {peak:.0f} | {m['status']} | {'; '.join(notes)} |" if peak is not None
                   else f"| {m['articles']:,} | {m['triples']:,} | {m['tool']} | - | - | - | - "
                   f"| {m['status']} | {'; '.join(notes)} |")
    return out


def find(record: dict[str, Any], group: str, tool: str, articles: int | None = None
         ) -> dict[str, Any] | None:
    found = [m for m in rows_of(record, group) if m["tool"] == tool and m["status"] == "ok"
             and (articles is None or m["articles"] == articles)]
    return max(found, key=lambda m: m["articles"]) if found else None


def targets(record: dict[str, Any]) -> list[str]:  # noqa: C901 - one check per target
    out = ["| target | measured | verdict |", "| --- | --- | --- |"]

    def add(target: str, measured: str, ok: bool | str | None) -> None:
        verdict = ok if isinstance(ok, str) else (
            "not measured" if ok is None else ("met" if ok else "missed"))
        out.append(f"| {target} | {measured} | {verdict} |")

    sizes = sorted({m["articles"] for m in record.get("measurements", []) if m["articles"]})
    # validation against Jena
    both = [n for n in sizes if find(record, "validate", "haberkg", n)
            and find(record, "validate", "Jena SHACL", n)]
    jena = find(record, "validate", "Jena SHACL")
    stopped = [m for m in rows_of(record, "validate") if m["tool"] == "haberkg"
               and m["status"] != "ok" and jena and m["articles"] == jena["articles"]]
    if jena and stopped and jena["articles"] >= 1000:
        add("validate 1,000 articles faster than Jena SHACL, same results, < 2 GB",
            f"at {jena['articles']:,} articles ({jena['triples']:,} triples): haberkg "
            f"{stopped[0]['status']} ({stopped[0].get('error', '')}); Jena "
            f"{fmt_s(jena['median'])}, {jena['peak_rss_mib']:.0f} MiB", False)
    elif both:
        n = both[-1]
        h, j = find(record, "validate", "haberkg", n), find(record, "validate", "Jena SHACL", n)
        assert h and j
        add("validate 1,000 articles faster than Jena SHACL, same results, < 2 GB",
            f"at {n:,} articles ({h['triples']:,} triples): haberkg {fmt_s(h['median'])}, "
            f"{h['peak_rss_mib']:.0f} MiB; Jena {fmt_s(j['median'])}; same results: "
            f"{h.get('identical') and j.get('identical')}",
            None if n < 1000 else (h["median"] < j["median"] and h["peak_rss_mib"] < 2048
                                   and bool(h.get("identical") and j.get("identical"))))
    largest = find(record, "validate", "haberkg")
    add("10,000 articles validated at all within 24 GB",
        "largest validated by haberkg: " + (f"{largest['articles']:,} articles"
                                            if largest else "none"),
        None if not any(m["articles"] == 10000 for m in rows_of(record, "validate"))
        else bool(find(record, "validate", "haberkg", 10000)))
    art = find(record, "check-article", "haberkg")
    if art:
        shacl = art.get("steps", {}).get("validate with SHACL")
        add("`check --article ID` in the 10,000-article corpus < 2 s (SHACL step < 100 ms)",
            f"{fmt_s(art['median'])} in the {art['articles']:,}-article corpus, SHACL step "
            f"{fmt_s(shacl)}",
            (art["median"] < 2 and (shacl or 0) < 0.1) if art["articles"] >= 10000
            else (False if art["median"] >= 2 else None))
    ratios = []
    for n in sizes:
        h, p = find(record, "validate", "haberkg", n), find(record, "validate", "pyshacl", n)
        if h and p:
            ratios.append(f"{n:,}: {h['median'] / p['median']:.2f}x")
    if ratios:
        add("`haberkg validate` no slower than the pyshacl CLI at every size",
            "haberkg/pyshacl time " + ", ".join(ratios),
            all(float(r.split(": ")[1][:-1]) <= 1 for r in ratios))
    h, o = find(record, "validate", "haberkg"), find(record, "parse", "pyoxigraph (Store)")
    if h and o:
        o = find(record, "parse", "pyoxigraph (Store)", h["articles"]) or o
        per_h = h["peak_rss_mib"] / (h["triples"] / 1e6)
        per_o = o["peak_rss_mib"] / (o["triples"] / 1e6)
        add("validate: memory per million triples <= pyoxigraph's store + a small constant",
            f"at {h['articles']:,} articles: haberkg validate {per_h:.0f} MiB/Mtriple, "
            f"pyoxigraph Store {per_o:.0f} MiB/Mtriple",
            per_h <= per_o * 1.25 + 100)
    for n in reversed(sizes):
        h, o = find(record, "parse", "haberkg", n), find(record, "parse", "pyoxigraph (parse)", n)
        if h and o:
            add("loading at >= 70% of pyoxigraph's parse rate",
                f"at {n:,} articles: {o['median'] / h['median'] * 100:.0f}% "
                f"(haberkg {fmt_s(h['median'])}, pyoxigraph {fmt_s(o['median'])}, both "
                "keeping the quads; process start included in both)",
                o["median"] / h["median"] >= 0.7)
            hs, os_ = (find(record, "parse", "haberkg (Store)", n),
                       find(record, "parse", "pyoxigraph (Store)", n))
            if hs and os_:
                add("(beside it) loading into a store, against pyoxigraph's Store.load",
                    f"at {n:,} articles: {os_['median'] / hs['median'] * 100:.0f}% "
                    f"(haberkg {fmt_s(hs['median'])}, pyoxigraph {fmt_s(os_['median'])})",
                    "for comparison")
            break
    for n in reversed(sizes):
        h, o = find(record, "queries", "haberkg", n), find(record, "queries", "pyoxigraph", n)
        if h and o:
            worst = max(h["per_query"], key=lambda q: h["per_query"][q]["median"]
                        / max(o["per_query"][q]["median"], 1e-6))
            ratio = h["per_query"][worst]["median"] / max(o["per_query"][worst]["median"], 1e-6)
            add("each competency query within 1.5x of pyoxigraph (1M triples)",
                f"at {n:,} articles ({h['triples']:,} triples): worst {worst} {ratio:.2f}x "
                f"({fmt_s(h['per_query'][worst]['median'])} vs "
                f"{fmt_s(o['per_query'][worst]['median'])})", ratio <= 1.5)
            break
    growth = []
    qsizes = [n for n in sizes if find(record, "queries", "pyoxigraph", n)]
    if len(qsizes) >= 2:
        a = find(record, "queries", "haberkg", qsizes[-2])
        b = find(record, "queries", "haberkg", qsizes[-1])
        if a and b:
            scale = b["triples"] / a["triples"]
            for q, v in b["per_query"].items():
                before = max(a["per_query"][q]["median"], 1e-4)
                if v["median"] > 0.01 and v["median"] / before > scale * 3:
                    growth.append(f"{q} {v['median'] / before:.0f}x for {scale:.0f}x triples")
            add("no query whose plan goes quadratic",
                f"from {qsizes[-2]:,} to {qsizes[-1]:,} articles: "
                + ("; ".join(growth) if growth else "every query grows at most ~3x the data"),
                not growth)
    serve = [m for m in rows_of(record, "serve") if m["status"] == "ok" and m["clients"] == 8]
    for kind in ("competency", "point"):
        h = next((m for m in serve if m["tool"] == "haberkg serve" and m["kind"] == kind), None)
        o = next((m for m in serve if m["tool"] != "haberkg serve" and m["kind"] == kind), None)
        if h and o:
            add(f"serve, 8 clients, {kind}: >= 80% of oxigraph serve-read-only's requests/s",
                f"{h['rps']:.0f} vs {o['rps']:.0f} req/s ({h['rps'] / o['rps'] * 100:.0f}%)",
                h["rps"] >= 0.8 * o["rps"])
            if kind == "point":
                add("serve, point lookups: p99 < 50 ms", f"p99 {h['p99_ms']:.1f} ms "
                    f"(oxigraph {o['p99_ms']:.1f} ms)", h["p99_ms"] < 50)
    c = find(record, "check", "haberkg", 1)
    if c:
        add("`haberkg check` on the real article < 3 s", fmt_s(c["median"]), c["median"] < 3)
    s = find(record, "startup", "haberkg --help")
    if s:
        add("`haberkg --help` < 0.2 s", fmt_s(s["median"]), s["median"] < 0.2)
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "results.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    runs = record.get("runs") or [record]
    lines = ["# Performance", "",
             "Written by `bench/run.py` (do not edit by hand); the figures come from "
             "`bench/results/results.json`. Reproduce with (one command per run that wrote "
             "the file):", "", "```sh",
             "pip install -c constraints.txt -e '.[server,test,bench]'",
             *(r["command"] for r in runs), "```", ""]
    for r in runs:
        lines.append(f"* `{r['command']}`: started {r['started']}, "
                     f"{r['minutes']:.1f} minutes; load before `{r['machine_before']['uptime']}`"
                     f", after `{r['machine_after']['uptime']}`")
    lines += ["", f"Machine: {record['machine_before']['platform']}, "
              f"{record['machine_before']['cpus']} CPUs, "
              f"{record['machine_before']['memory_gib']} GiB. The load average before and "
              "after each run is listed above (a load above the 2 CPUs means other work ran "
              "beside it); compare tools within a size (measured one after the other in the "
              "same run).", "",
             "Each figure is a fresh process (process start included), wall time over the "
             "runs shown (median, min, max) and the peak RSS of its process tree. The data "
             "of each size is the plain graph of the real article's release replicated to N "
             "articles by `bench/generate_corpus.py --release-graph` (the shared entities "
             "once, the ontology included), with the generator's documented deliberate "
             "violations; `check` and `build` run on generated corpora (the files).", "",
             "## Sizes", "", "| articles | triples | deliberate violations |",
             "| ---: | ---: | ---: |"]
    for s in record["sizes"]:
        note = " (estimated: 6,400 an article; only `check --article` ran)" \
            if s.get("estimated_triples") else ""
        lines.append(f"| {s['articles']:,} | {s['triples']:,}{note} | "
                     f"{s['deliberate_violations']} |")
    lines += ["", "## Targets", "", *targets(record), ""]
    sections = (("parse", "Parse and load (plain.nt, N-Triples)"),
                ("validate", "Validate (the same data and shapes; results compared with the "
                 "generator's list)"),
                ("check-article", "`haberkg check --article synthetic-00002` in the corpus"),
                ("check", "`haberkg check` (a clean corpus)"),
                ("build", "`haberkg build` (a clean corpus)"),
                ("queries", "Competency and corpus queries in process (load, then each query)"),
                ("startup", "Start-up"))
    for group, title in sections:
        if not rows_of(record, group):
            continue
        lines += [f"## {title}", "", *table(record, group), ""]
        for key, name, label in (("median", f"{group}-time", "seconds"),
                                 ("peak_rss_mib", f"{group}-memory", "peak RSS (MiB)")):
            if group in ("startup", "check", "build"):
                continue
            image = plot(record, group, key, name, label)
            if image:
                lines += [f"![{group}: {label}]({image})", ""]
    jena = [m for m in rows_of(record, "queries") if m["tool"] == "Jena ARQ"]
    qrows = [m for m in rows_of(record, "queries") if m["status"] == "ok" and "per_query" in m]
    if qrows:
        lines += ["### Per query (median, seconds; Jena ARQ: its own query time, one JVM "
                  "per query)", ""]
        for n in sorted({m["articles"] for m in qrows}):
            at = [m for m in qrows if m["articles"] == n]
            tools = [m["tool"] for m in at]
            lines += [f"{n:,} articles:", "", "| query | " + " | ".join(tools) + " | rows agree |",
                      "| --- |" + " ---: |" * len(tools) + " --- |"]
            agree = record.get("query_agreement", {}).get(str(n), {})
            for q in sorted(at[0]["per_query"]):
                cells = []
                for m in at:
                    v = m["per_query"].get(q, {}).get("median")
                    cells.append(f"{v:.4f}" if v is not None else "-")
                same = agree.get(q, {}).get("same_rows")
                lines.append(f"| {q} | " + " | ".join(cells) + f" | {same} |")
            lines.append("")
    del jena
    serve = rows_of(record, "serve")
    if serve:
        lines += ["## Serve (the same release; load generator bench/loadgen.py on loopback, "
                  "bounded in requests and seconds; clients and server share the 2 CPUs)", "",
                  "| server | queries | clients | requests | errors | req/s | p50 (ms) | "
                  "p99 (ms) | server RSS (MiB) |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for m in serve:
            lines.append(f"| {m['tool']} | {m['kind']} | {m['clients']} | "
                         f"{m.get('requests', '-')} | {m.get('errors', '-')} | "
                         f"{m.get('rps', 0):.1f} | {m.get('p50_ms', 0):.1f} | "
                         f"{m.get('p99_ms', 0):.1f} | {m['server_rss_mib']:.0f} |")
        lines.append("")
    lines += ["## Versions", "", "| tool | version |", "| --- | --- |",
              *(f"| {k} | {v} |" for k, v in sorted(record["versions"].items())), ""]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import scrub  # no machine paths in the page, as in the results file

    DOC.write_text(scrub("\n".join(lines)), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
