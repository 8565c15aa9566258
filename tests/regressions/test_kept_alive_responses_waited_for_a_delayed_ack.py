"""Defect: ``haberkg serve`` answered the second request on a kept-alive connection about
40 ms late (a 48 ms p50 under load in the benchmark, where Oxigraph's server answers in
1 ms). The listening socket was made with protocol number 0, so asyncio did not set
TCP_NODELAY on the connections it accepted, and a response written as head then body
waited for the client's delayed ACK. Every accepted connection now has TCP_NODELAY."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from haberkg.web.server import no_delay


class _Transport:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str) -> object:
        return self.sock if name == "socket" else None


@contextmanager
def _accepted() -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # protocol number 0
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    try:
        yield server
    finally:
        for s in (server, client, listener):
            s.close()


def test_kept_alive_responses_waited_for_a_delayed_ack() -> None:
    with _accepted() as server:
        assert server.proto == 0  # what asyncio's own check looks at: it would skip it
        assert server.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        no_delay(_Transport(server))  # type: ignore[arg-type]
        assert server.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_the_server_protocol_sets_it_on_every_connection() -> None:
    """Through the protocol class that ``haberkg serve`` gives uvicorn."""
    import asyncio

    import uvicorn

    from haberkg.web.server import TimedH11Protocol

    async def app(scope: object, receive: object, send: object) -> None:  # never called
        raise AssertionError

    config = uvicorn.Config(app, log_level="error")
    config.load()
    seen: list[int] = []

    async def main() -> None:
        with _accepted() as server:
            transport, _ = await asyncio.get_running_loop().connect_accepted_socket(
                lambda: TimedH11Protocol(config, uvicorn.server.ServerState(), {}), server)
            seen.append(server.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    thread = threading.Thread(target=asyncio.run, args=(main(),))
    thread.start()
    thread.join(30)
    assert seen and seen[0] != 0
