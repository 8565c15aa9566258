"""Shared parts of the security and fault tests: a loopback listener that counts every
connection, a built release, a live server on a socket bound first, and the real
``haberkg`` program (``python -m haberkg``, confined as it is in use)."""

from __future__ import annotations

import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from haberkg.web.app import Config, create_app

ROOT = Path(__file__).resolve().parents[2]


class Listener:
    """A TCP server on 127.0.0.1 that counts every connection and answers like a SPARQL
    endpoint (so that a query that did get out would succeed, and be noticed)."""

    def __init__(self) -> None:
        self.hits: list[bytes] = []
        listener = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(2)
                try:
                    data = self.request.recv(4096)
                except OSError:
                    data = b""
                listener.hits.append(data)
                body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: "
                                     b"application/sparql-results+json\r\nContent-Length: "
                                     + str(len(body)).encode() + b"\r\n\r\n" + body)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self, settle: float = 0.2) -> int:
        time.sleep(settle)
        return len(self.hits)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def live_server(dist: Path, **options: object) -> Iterator[str]:
    """``haberkg serve``'s application under uvicorn, on a socket bound first."""
    from haberkg.web.server import TimedH11Protocol

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(dist, Config(dist, **options))  # type: ignore[arg-type]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", http=TimedH11Protocol,
                                           proxy_headers=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def haberkg(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real program, as a user runs it (confined by its own entry point)."""
    return subprocess.run([sys.executable, "-m", "haberkg", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
