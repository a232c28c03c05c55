"""How `kiosk office serve` runs the app under uvicorn, with a deadline for reading requests.

uvicorn (0.55) has no timeout for *receiving* a request: ``timeout_keep_alive`` only covers
the quiet time between two requests and is reset by every byte, so a client that opens a
connection and sends nothing, half a request line, or headers and then a body one byte a
minute (slowloris) holds that connection for ever; with nginx in front, nginx's own
``client_header_timeout``/``client_body_timeout`` catch this, but a small office may run
without a proxy. An ASGI middleware cannot help with the headers: the app is called only
after uvicorn has read all of them.

So the office uses uvicorn's h11 protocol with one addition (`deadline_protocol`): a
connection must deliver each complete request — request line, headers and body — within
`read_timeout` seconds of its first byte (and the first request within `read_timeout` of
connecting), or it is closed. The clock stops once the request is in, so a slow answer (a
large export) is never cut; between requests uvicorn's keep-alive timeout applies as before.
This uses uvicorn's documented ``http=`` protocol-class setting and the h11 state of the
connection; `tests/office/test_server.py` checks it against the pinned uvicorn.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

#: Seconds a client has to send one whole request (headers and a body of up to 5 MB on a
#: slow library uplink).
READ_TIMEOUT_S = 60.0
#: Seconds an idle keep-alive connection stays open between requests.
KEEP_ALIVE_S = 5

_RECEIVED = (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR, h11.SWITCHED_PROTOCOL)


class _DeadlineProtocol(H11Protocol):
    read_timeout: float = READ_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._read_deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._read_deadline is None and self.conn.their_state is h11.IDLE:
            self._arm()
        super().data_received(data)
        if self.conn.their_state in _RECEIVED:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._read_deadline = self.loop.call_later(self.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_read_deadline", None) is not None:
            assert self._read_deadline is not None
            self._read_deadline.cancel()
            self._read_deadline = None

    def _too_slow(self) -> None:
        self._read_deadline = None
        if self.conn.their_state in _RECEIVED or self.transport.is_closing():
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.warning(
            "closed the connection of %s: no complete request within %g s",
            client,
            self.read_timeout,
        )
        self.transport.close()


def deadline_protocol(read_timeout: float = READ_TIMEOUT_S) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing a connection that does not deliver a complete
    request within `read_timeout` seconds."""
    return type("DeadlineH11Protocol", (_DeadlineProtocol,), {"read_timeout": read_timeout})


def server_config(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 8700,
    read_timeout: float = READ_TIMEOUT_S,
    **options: Any,
) -> uvicorn.Config:
    """The uvicorn configuration of the office: the deadline protocol, a short keep-alive,
    and ``X-Forwarded-*`` trusted from 127.0.0.1 only (nginx on the same machine)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=deadline_protocol(read_timeout),
        timeout_keep_alive=KEEP_ALIVE_S,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        **options,
    )


def serve(app: Any, sockets: list[socket.socket] | None = None, **options: Any) -> None:
    """Run `app` until interrupted (what `kiosk office serve` does)."""
    uvicorn.Server(server_config(app, **options)).run(sockets=sockets)
