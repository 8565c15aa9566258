"""The in-process tasks of bench/run.py, one per process (so that its peak RSS is its own).

Usage: python bench/tasks.py TASK ARGS...   (prints one JSON object on stdout)

  parse-haberkg FILE          haberkg's loader: haberkg.sources.read.parse_file (quads kept)
  load-haberkg FILE           haberkg's loader into a store: parse_file + to_store
  parse-rdflib FILE           rdflib.Graph().parse
  parse-pyoxigraph FILE       pyoxigraph.parse (every triple, kept in a list)
  load-pyoxigraph FILE        pyoxigraph.Store().load (the in-memory store)
  validate-pyrudof DATA SHAPES  pyrudof's native SHACL engine; the results as keys
  queries-ENGINE DATA ROUNDS QUERY...  load DATA, then run each query ROUNDS times
                              (ENGINE: haberkg = haberkg.sparql.run.run_local, rdflib,
                              pyoxigraph); the median time and the sorted answer rows
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def _out(value: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n")


def parse_haberkg(path: str) -> dict[str, Any]:
    from dataclasses import replace

    from haberkg.sources.read import SOURCE, parse_file

    # the default limit of one file is 256 MiB (HABERKG_MAX_BYTES); the large sizes pass it
    options = replace(SOURCE, max_bytes=2**40)
    start = time.perf_counter()
    quads = parse_file(Path(path), options)
    return {"triples": len(quads), "seconds": time.perf_counter() - start}


def load_haberkg(path: str) -> dict[str, Any]:
    from dataclasses import replace

    from haberkg.sources.read import SOURCE, parse_file, to_store

    options = replace(SOURCE, max_bytes=2**40)
    start = time.perf_counter()
    store = to_store(parse_file(Path(path), options))
    return {"triples": len(store), "seconds": time.perf_counter() - start}


def parse_rdflib(path: str) -> dict[str, Any]:
    import rdflib

    start = time.perf_counter()
    graph = rdflib.Graph().parse(path, format="nt")
    return {"triples": len(graph), "seconds": time.perf_counter() - start}


def parse_pyoxigraph(path: str) -> dict[str, Any]:
    import pyoxigraph as ox

    start = time.perf_counter()
    quads = list(ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES))  # kept, as haberkg's
    return {"triples": len(quads), "seconds": time.perf_counter() - start}


def load_pyoxigraph(path: str) -> dict[str, Any]:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.N_TRIPLES)
    return {"triples": len(store), "seconds": time.perf_counter() - start}


def validate_pyrudof(data: str, shapes: str) -> dict[str, Any]:
    import pyoxigraph as ox
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    start = time.perf_counter()
    rudof.read_data(data, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(shapes, format=pyrudof.ShaclFormat.NTriples,
                     reader_mode=pyrudof.ReaderMode.Strict)
    report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    seconds = time.perf_counter() - start
    text = rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.NTriples)
    triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    return {"seconds": seconds, "conforms": bool(report.conforms),
            "report_ntriples": "".join(f"{t} .\n" for t in triples),
            "version": rudof.get_version()}


def _rows(variables: list[str], solutions: Any) -> list[str]:
    return sorted("\t".join(str(s[v]) if s[v] is not None else "" for v in variables)
                  for s in solutions)


def queries(engine: str, data: str, rounds: str, *paths: str) -> dict[str, Any]:
    texts = {Path(p).stem: Path(p).read_text(encoding="utf-8") for p in paths}
    start = time.perf_counter()
    if engine == "rdflib":
        import rdflib

        graph = rdflib.Graph().parse(data, format="nt")

        def run(text: str) -> list[str]:
            result = graph.query(text)
            variables = [str(v) for v in (result.vars or [])]
            return sorted("\t".join(_rdflib_term(row[i]) for i in range(len(variables)))
                          for row in result)
    else:
        import pyoxigraph as ox

        store = ox.Store()
        store.load(path=data, format=ox.RdfFormat.N_TRIPLES)
        if engine == "haberkg":
            from haberkg.sparql.results import Table
            from haberkg.sparql.run import run_local

            def run(text: str) -> list[str]:
                table = run_local(store, text)
                assert isinstance(table, Table)
                return sorted("\t".join(str(t) if t is not None else "" for t in row)
                              for row in table.rows)
        else:
            def run(text: str) -> list[str]:
                answer = store.query(text)
                assert isinstance(answer, ox.QuerySolutions)
                return _rows([v.value for v in answer.variables], answer)
    load = time.perf_counter() - start
    results = {}
    for name, text in texts.items():
        times, rows = [], []
        for _ in range(int(rounds)):
            t0 = time.perf_counter()
            rows = run(text)
            times.append(time.perf_counter() - t0)
        results[name] = {"median": statistics.median(times), "min": min(times),
                         "max": max(times), "rows": len(rows), "answer": rows}
    return {"load_seconds": load, "queries": results}


def _rdflib_term(term: Any) -> str:
    import pyoxigraph as ox
    import rdflib

    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return str(ox.Literal(str(term), datatype=datatype))
    return str(term)


def main() -> None:
    task, *args = sys.argv[1:]
    if task.startswith("queries-"):
        _out(queries(task.removeprefix("queries-"), *args))
        return
    functions = {"parse-haberkg": parse_haberkg, "load-haberkg": load_haberkg,
                 "parse-rdflib": parse_rdflib,
                 "parse-pyoxigraph": parse_pyoxigraph, "load-pyoxigraph": load_pyoxigraph,
                 "validate-pyrudof": validate_pyrudof}
    _out(functions[task](*args))


if __name__ == "__main__":
    main()
