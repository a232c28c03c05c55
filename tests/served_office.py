"""The office an installed Telpa serves on loopback, for the tests of what is shipped
(tests/test_package.py: the wheel in a virtualenv; tests/test_bundle.py: the standalone
bundle): a site added with `kiosk office add-site`, then `kiosk office serve` until the
test is done."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import httpx


class InstalledTelpa(Protocol):
    """What both kinds of installed station offer (tests.test_package.Station)."""

    elsewhere: Path

    def env(self) -> dict[str, str]: ...

    def kiosk(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]: ...


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, "kiosk office serve exited"
        assert time.monotonic() < deadline, "kiosk office serve did not start"
        time.sleep(0.1)  # waiting for another process to listen; no clock to drive


@contextmanager
def serve_office(
    station: InstalledTelpa, office_db: str, command: Callable[..., list[str]]
) -> Iterator[tuple[str, str]]:
    """Site `ludza` added to `office_db`, and the office serving it on a free port until
    the block ends: (url, site token). `command(*args)` is how this install runs
    `kiosk ARGS` (the bundle's program, or an audited `kiosk` of a virtualenv)."""
    added = station.kiosk("office", "add-site", "ludza", "--name", "Ludza", "--db", office_db)
    assert added.returncode == 0, added.stderr
    (token,) = [line.strip() for line in added.stdout.splitlines() if line.startswith("    ")]
    port = free_port()
    server = subprocess.Popen(
        command("office", "serve", "--db", office_db, "--port", str(port)),
        cwd=station.elsewhere,
        env=station.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, server)
        yield url, token
    finally:
        server.terminate()
        server.communicate(timeout=30)
