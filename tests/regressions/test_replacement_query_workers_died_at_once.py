"""Defect (found while the tests were rewritten): after a query hit the time limit, its
killed worker was replaced by a worker that died at once (it was started by a short-lived
thread, and a worker dies with the thread that started it), so the next query to reach it
got 503 "its worker stopped". This was the cause of the flaky "quick query after a runaway"
test. Replacements now start from the pool's own long-lived thread."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import psutil
import pytest

from ..servers import live_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.serial  # kills query workers
def test_replacement_query_workers_died_at_once(release: Path) -> None:
    with live_app(release, query_timeout=1.0, workers=1) as live:
        pool = live.pool
        for _ in range(2):  # a replacement of a replacement as well
            (before,) = pool.all
            stopped = httpx.get(live.url + "/sparql", params={"query": RUNAWAY}, timeout=60)
            assert stopped.status_code == 503
            assert "ran longer than 1 s" in stopped.text
            assert pool.wait_whole(60)
            (replacement,) = pool.all
            assert replacement is not before
            time.sleep(0.5)  # the old defect killed it right after it had started
            assert psutil.Process(replacement.process.pid).is_running()
            quick = httpx.get(live.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                              timeout=60)
            assert quick.status_code == 200, quick.text
            assert json.loads(quick.text)["boolean"] is True
