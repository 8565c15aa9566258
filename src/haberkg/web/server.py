"""The HTTP server under ``haberkg serve``: uvicorn, with the limits it lacks.

* A client must send its request line and headers within ``header_timeout`` seconds
  of connecting (or of its previous response): uvicorn by itself waits for ever, so
  a few slow clients could hold every connection (slowloris).
* ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are trusted only from the proxies named
  with ``--forwarded-allow-ips`` (uvicorn trusts loopback by default).
* An access log line per request, through the ``haberkg.access`` logger (the web
  application writes it; uvicorn's own, which prints whole query strings, is off).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0


def no_delay(transport: asyncio.BaseTransport) -> None:
    """Send small writes at once (TCP_NODELAY) on the connection's socket.

    asyncio sets it only on sockets whose protocol number is IPPROTO_TCP, and a listening
    socket made as ``socket(AF_INET, SOCK_STREAM)`` has 0 there, as do the connections it
    accepts. Without it, the second response on a kept-alive connection (written as head,
    then body) waited for the client's delayed ACK: about 40 ms per request.
    """
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a time limit on receiving a request's head."""

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        no_delay(transport)
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.logger.info("closed a connection that sent no complete request in %.0f s",
                             self.header_timeout)
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state == h11.IDLE:
            self._arm()  # still waiting for a complete request line and headers
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def run_server(app: Any, sock: socket.socket, *, log_level: str = "info",
               forwarded_allow_ips: str | None = None) -> None:
    level = getattr(logging, log_level.upper())
    logger = logging.getLogger("haberkg")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    config = uvicorn.Config(
        app, http=TimedH11Protocol, log_level=log_level, access_log=False,
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips or "", server_header=False,
        timeout_keep_alive=5, limit_concurrency=1000)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
