"""Defect: every query started a new thread with a 1 GiB stack inside a worker whose address
space was already capped (its baseline + ``PoolConfig.memory``). Once a worker's own
allocations had grown, or whenever the cap left less than the stack, starting the thread
failed ("can't start new thread"), the worker died and the client got 503 "its worker
stopped (too much memory?)" for a harmless query. The engine thread is now started once per
worker, before the cap, and serves every query of that worker."""

from __future__ import annotations

import json
from pathlib import Path


def test_a_query_worker_died_when_its_engine_stack_no_longer_fit(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from haberkg.sparql.run import ENGINE_STACK
    from haberkg.web.endpoint import Request
    from haberkg.web.pool import PoolConfig, QueryPool

    store_path = tmp_path / "store"
    store = ox.Store(str(store_path))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    store.flush()
    del store
    room = 256 * 1024 * 1024  # well under the engine's stack, plenty for this query
    assert room < ENGINE_STACK
    pool = QueryPool(PoolConfig(store=store_path, workers=1, timeout=30.0, memory=room))
    try:
        for _ in range(3):  # the same worker answers again and again
            answer = pool.run(Request("ASK { <urn:s> ?p ?o }",
                                      accept="application/sparql-results+json"), "x")
            assert answer.status == 200, answer.body
            assert json.loads(answer.body)["boolean"] is True
        assert pool.wait_whole(5)
    finally:
        pool.close()
