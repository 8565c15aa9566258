"""haberkg's web application in tests: through Starlette's TestClient, or over real HTTP.

Both helpers are context managers that stop what they start, also when the test fails:

* :func:`app_client` runs the application's lifespan (``with TestClient(app)``), so its query
  workers are stopped at the end; the site is closed once more afterwards in any case;
* :func:`live_server` serves the application with uvicorn (haberkg's HTTP protocol with the
  header time limit) in a thread, on a socket bound before the server starts (port 0: the
  kernel picks a free port and no other process can take it in between), and stops the
  server, its lifespan and its workers on exit.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from haberkg.web.app import create_app
from haberkg.web.pool import QueryPool
from haberkg.web.server import TimedH11Protocol

START_TIMEOUT = 30.0


def _close(app: Starlette) -> None:
    site = getattr(app.state, "site", None)
    if site is not None:
        site.close()  # idempotent: the lifespan normally did it already


@contextlib.contextmanager
def app_client(dist: Path, **config: Any) -> Iterator[TestClient]:
    """A TestClient of ``create_app(dist, **config)``, its lifespan run (workers stopped)."""
    app = create_app(dist, **config)
    try:
        with TestClient(app, follow_redirects=False) as client:
            yield client
    finally:
        _close(app)


@dataclass
class Live:
    url: str
    app: Starlette

    @property
    def pool(self) -> QueryPool:
        pool = self.app.state.site.pool
        assert isinstance(pool, QueryPool)
        return pool


@contextlib.contextmanager
def live_server(app: Starlette, **options: Any) -> Iterator[Live]:
    """Serve ``app`` on 127.0.0.1 over real HTTP until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, http=TimedH11Protocol, log_level="warning",
                                lifespan="on", server_header=False, **options)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                  name="uvicorn-test", daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not server.started:
                assert thread.is_alive(), "uvicorn stopped during start-up (see the log above)"
                assert time.monotonic() < deadline, f"uvicorn did not start in {START_TIMEOUT} s"
                time.sleep(0.02)
            yield Live(f"http://127.0.0.1:{port}", app)
        finally:
            server.should_exit = True
            thread.join(30)
            if thread.is_alive():
                server.force_exit = True
                thread.join(10)
    finally:
        sock.close()
        _close(app)


@contextlib.contextmanager
def live_app(dist: Path, **config: Any) -> Iterator[Live]:
    """``create_app(dist, **config)`` served over real HTTP (see :func:`live_server`)."""
    app = create_app(dist, **config)
    try:
        with live_server(app) as live:
            yield live
    finally:
        _close(app)
