"""`kiosk office serve`'s read deadline, on a real uvicorn on loopback: a client that sends
nothing, half its headers or half its body is disconnected within the deadline, and the
office keeps answering everyone else meanwhile."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from tests.office.conftest import _ServerThread

READ_TIMEOUT_S = 1.0
#: How long the test waits for the server to hang up (the deadline plus a generous margin
#: for a machine shared with other jobs).
WAIT_S = 10.0


@pytest.fixture
def quick_server(office_app: FastAPI) -> Iterator[tuple[str, int]]:
    server = _ServerThread(office_app, read_timeout=READ_TIMEOUT_S)
    try:
        server.start()
        yield "127.0.0.1", server.port
    finally:
        server.stop()


def _hung_up_within(sock: socket.socket, seconds: float) -> float:
    """Seconds until the server closed `sock` (fails if it did not within `seconds`)."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        pytest.fail(f"the server kept a half-sent request open for over {seconds} s")
    except ConnectionResetError:
        pass
    return time.monotonic() - started


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
        b"POST /api/v1/totals HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
        b'Content-Type: application/json\r\n\r\n{"schema": 1',
    ],
    ids=["nothing", "half-headers", "half-body"],
)
def test_a_half_sent_request_is_cut_off_and_others_are_served_meanwhile(
    office_url: str, quick_server: tuple[str, int], sent: bytes
) -> None:
    host, port = quick_server
    with socket.create_connection((host, port), timeout=WAIT_S) as slow:
        if sent:
            slow.sendall(sent)
        with httpx.Client(base_url=f"http://{host}:{port}", timeout=WAIT_S) as other:
            assert other.get("/api/v1/health").status_code == 200
        waited = _hung_up_within(slow, WAIT_S)
    assert waited < WAIT_S
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=WAIT_S) as after:
        assert after.get("/api/v1/health").status_code == 200


def test_a_whole_request_on_a_kept_alive_connection_is_not_cut(
    quick_server: tuple[str, int],
) -> None:
    host, port = quick_server
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=WAIT_S) as client:
        for _ in range(3):
            assert client.get("/api/v1/health").status_code == 200
