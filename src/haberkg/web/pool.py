"""The query workers of ``haberkg serve``: confined, killable, self-healing, fair.

pyoxigraph cannot cancel a running query, and a query that is slow to parse is as
dangerous as one slow to run. Every query is therefore handled whole (check, parse,
plan, evaluation, serialisation) by a worker process:

* **confined**: each worker cuts itself off from the network (:mod:`haberkg.sandbox`)
  before it opens the store; a worker that cannot do so refuses to serve (unless the
  server was started with ``--no-sandbox``). Its address space is capped, and it dies
  with the server (:mod:`haberkg.procs`).
* **killable**: a query past its time limit gets its worker killed (the client gets
  503 within the limit plus a fraction of a second); a query that runs longer than a
  quarter of a second runs at a lower CPU priority, so that quick ones keep answering.
* **self-healing**: a worker that dies or fails to start is replaced, retried with
  back-off and logged; the pool never silently shrinks.
* **fair**: at most ``per_client`` queries of one client run or wait at once (more get
  429 at once), at most ``queue`` wait for a worker (more get 503 at once), and none
  waits longer than ``queue_wait``; all with ``Retry-After``.

The workers open one on-disk store read-only, so a replacement starts in well under a
second and the data is held once, in the page cache.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from haberkg.errors import InputError
from haberkg.web.endpoint import Answer, Limits, Request

if TYPE_CHECKING:
    import pyoxigraph

log = logging.getLogger("haberkg.serve")
T = TypeVar("T")
LONG_QUERY = 0.25  # seconds after which a query runs at a lower CPU priority
LOW_PRIORITY = 15  # its nice value


@dataclass(frozen=True)
class PoolConfig:
    store: Path  # an on-disk pyoxigraph store, opened read-only by every worker
    workers: int = 2
    timeout: float = 10.0
    limits: Limits = field(default_factory=Limits)
    per_client: int = 2
    queue: int = 16
    queue_wait: float = 2.0
    sandbox: bool = True
    memory: int | None = 2 * 1024 * 1024 * 1024  # address space above a worker's baseline


class PoolBusy(Exception):
    """No room now: ``status`` 429 (this client) or 503 (the server); retry later."""

    def __init__(self, status: int, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


class QueryTimeout(Exception):
    pass


class WorkerLost(Exception):
    """The worker died while answering (out of memory, a crash in the engine)."""


# ---------------------------------------------------------------------- the worker process

def _limit_memory(extra: int | None) -> None:
    if extra is None:
        return
    import resource

    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        base = pages * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return
    limit = base + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker(store_path: str, conn: Connection, parent: int, confine: bool,
            memory: int | None) -> None:
    from haberkg import procs, sandbox

    procs.die_with_parent(parent)
    layers: tuple[str, ...] = ()
    if confine:
        try:
            layers = sandbox.confine()
        except sandbox.SandboxUnavailable as exc:
            conn.send(("unsandboxed", str(exc)))
            return
    import pyoxigraph as ox

    from haberkg.sparql.run import deep_stack

    try:
        store = ox.Store.read_only(store_path)
    except OSError as exc:
        conn.send(("failed", f"cannot open the store: {exc}"))
        return
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    # One engine thread for the worker's life: its large stack is reserved once, before the
    # address-space limit, so that the limit bounds what queries use and a query never
    # finds too little room left to start a thread.
    deep_stack(functools.partial(_serve, store, graphs, conn, layers, memory))


def _serve(store: pyoxigraph.Store, graphs: list[str], conn: Connection, layers: tuple[str, ...],
           memory: int | None) -> None:
    from haberkg.web.endpoint import answer, text

    _limit_memory(memory)
    conn.send(("ready", layers))
    while True:
        try:
            request, limits = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, request, limits, graphs)
        except MemoryError:
            reply = text(503, "the query needs more memory than a query may use",
                         "out of memory")
        except RecursionError:
            reply = text(400, "query: nested too deeply", "refused (depth)")
        conn.send(reply)


class _Spawner:
    """The one thread that starts the workers, alive as long as the pool.

    A worker asks Linux to kill it when its parent dies, and Linux means the *thread*
    that started it: a worker started by a short-lived thread (a replacement, a request)
    would be killed when that thread ends. So every worker is started here.
    """

    def __init__(self) -> None:
        self.jobs: queue.Queue[tuple[Callable[[], object], Future[object]] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="haberkg-pool-spawner",
                                       daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            function, future = job
            try:
                future.set_result(function())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)

    def call(self, function: Callable[[], T]) -> T:
        future: Future[object] = Future()
        self.jobs.put((function, future))
        return future.result()  # type: ignore[return-value]

    def stop(self) -> None:
        self.jobs.put(None)


class _Worker:
    def __init__(self, config: PoolConfig) -> None:
        ctx = mp.get_context("spawn")  # a fresh, single-threaded interpreter to confine
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker, name="haberkg-query-worker", daemon=True,
            args=(str(config.store), child, os.getpid(), config.sandbox, config.memory))
        self.process.start()
        child.close()
        self.layers: tuple[str, ...] = ()
        self.niced = False

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise InputError(f"a query worker did not start within {timeout:g} s")
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise InputError("a query worker stopped while starting") from None
        if message[0] == "unsandboxed":
            self.kill()
            raise InputError(f"cannot cut the query workers off from the network: {message[1]}"
                             "; run where Linux namespaces or seccomp are available, or "
                             "accept the risk with --no-sandbox")
        if message[0] != "ready":
            self.kill()
            raise InputError(f"a query worker failed: {message[1]}")
        self.layers = message[1]

    def lower_priority(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, LOW_PRIORITY)
            self.niced = True
        except OSError:
            pass

    def restore_priority(self) -> None:
        if self.niced:
            try:
                os.setpriority(os.PRIO_PROCESS, self.process.pid or 0, 0)
                self.niced = False
            except OSError:
                pass  # not root: stays low, and is chosen last

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(2)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; blocking calls, safe from many threads."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self.lock = threading.Condition()
        self.idle: list[_Worker] = []
        self.live = 0  # workers started and not yet known dead
        self.waiting = 0
        self.clients: Counter[str] = Counter()
        self.closed = False
        self.failures = 0  # consecutive failed starts
        self.spawner = _Spawner()
        workers = [self._start() for _ in range(config.workers)]
        try:
            for w in workers:
                w.wait_ready(60)
        except InputError:
            for w in workers:
                w.kill()
            self.spawner.stop()
            raise
        self.idle = workers
        self.all: set[_Worker] = set(workers)
        self.live = len(workers)
        self.wanted = 0  # replacements to start
        self.healer = threading.Thread(target=self._heal, name="haberkg-pool-heal", daemon=True)
        self.healer.start()
        self.layers = workers[0].layers if workers else ()
        log.info("query workers: %d, sandbox: %s", len(workers),
                 ", ".join(self.layers) or "off")

    # ------------------------------------------------------------------ running
    def run(self, request: Request, client: str = "-") -> Answer:
        config = self.config
        deadline = time.monotonic() + config.timeout
        with self.lock:
            if self.clients[client] >= config.per_client:
                raise PoolBusy(429, f"this client already has {config.per_client} queries "
                               "running or waiting")
            if not self.idle and self.waiting >= config.queue:
                raise PoolBusy(503, "every query worker is busy and the queue is full")
            if self.live == 0:
                raise PoolBusy(503, "the query workers are restarting", retry_after=2)
            self.clients[client] += 1
            self.waiting += 1
            try:
                wait_until = min(deadline, time.monotonic() + config.queue_wait)
                while not self.idle:
                    left = wait_until - time.monotonic()
                    if left <= 0 or self.live == 0:
                        raise PoolBusy(503, "every query worker is busy; try again soon")
                    self.lock.wait(left)
                worker = self.idle.pop()
            except BaseException:
                self._leave(client)
                raise
            finally:
                self.waiting -= 1
        try:
            return self._ask(worker, request, deadline)
        finally:
            with self.lock:
                self._leave(client)

    def _leave(self, client: str) -> None:
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]

    def _ask(self, worker: _Worker, request: Request, deadline: float) -> Answer:
        try:
            worker.conn.send((request, self.config.limits))
            if not worker.conn.poll(min(LONG_QUERY, max(0.0, deadline - time.monotonic()))):
                worker.lower_priority()  # a long query yields the CPU to quick ones
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                log.warning("query stopped after %.1f s: worker %d killed",
                            self.config.timeout, worker.process.pid or 0)
                self._lost(worker)
                raise QueryTimeout()
            answer: Answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = worker.process.exitcode
            log.error("query worker %d died (exit code %s) while answering",
                      worker.process.pid or 0, code)
            self._lost(worker)
            raise WorkerLost() from None
        if answer.status >= 400:
            log.info("query refused: %s %s", answer.status, answer.reason)
        worker.restore_priority()
        with self.lock:
            # workers left at a low priority (only root may raise it again) are used last
            self.idle.append(worker)
            self.idle.sort(key=lambda w: w.niced, reverse=True)
            self.lock.notify()
        return answer

    # ------------------------------------------------------------------ healing
    def _lost(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            self.live -= 1
            self.all.discard(worker)
            self.wanted += 1
            self.lock.notify_all()

    def _heal(self) -> None:
        """Start every replacement from this one thread, which lives as long as the pool.

        A worker is killed when the thread that started it ends (``PR_SET_PDEATHSIG``
        follows the parent *thread*), so a thread per replacement, ending once its worker
        had started, killed every replacement at once.
        """
        while True:
            with self.lock:
                while not self.closed and self.wanted == 0:
                    self.lock.wait()
                if self.closed:
                    return
                self.wanted -= 1
            self._replace()

    def _replace(self) -> None:
        delay = 0.5
        while True:
            with self.lock:
                if self.closed:
                    return
            try:
                worker = self._start()
                worker.wait_ready(60)
            except InputError as exc:
                with self.lock:
                    self.failures += 1
                log.error("a replacement query worker failed to start (%s); retrying in "
                          "%.1f s", exc.message, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            with self.lock:
                if self.closed:
                    worker.kill()
                    return
                self.failures = 0
                self.live += 1
                self.all.add(worker)
                self.idle.append(worker)
                self.lock.notify()
            return

    def _start(self) -> _Worker:
        return self.spawner.call(lambda: _Worker(self.config))

    def wait_whole(self, timeout: float = 30.0) -> bool:
        """Wait until every worker is alive again (after a kill); False on time-out."""
        end = time.monotonic() + timeout
        with self.lock:
            while self.live < self.config.workers:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.lock.wait(left)
            return True

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.idle, self.all = list(self.all), [], set()
            self.lock.notify_all()
        for w in workers:
            w.kill()
        self.spawner.stop()
