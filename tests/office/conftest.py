"""Fixtures for the office tests: real databases (an SQLite file, a fresh PostgreSQL
database) and a real uvicorn server on loopback.

- `office_url`: parametrised over ``sqlite`` and ``postgresql``. PostgreSQL cases create a
  database in the server named by $TELPA_TEST_POSTGRES_URL (e.g.
  ``postgresql+psycopg://root@/postgres?host=/var/run/postgresql``) and drop it afterwards;
  without that variable they skip, unless $TELPA_REQUIRE_POSTGRES=1 (CI), where they fail.
  The database is already at the newest schema: a copy of a template migrated once per
  xdist worker (the SQLite file copied; on PostgreSQL a ``CREATE DATABASE … TEMPLATE``
  copy that the worker empties and hands to its next test: tests/conftest.py's
  `PostgresOffices`).
  Tests marked ``fresh_databases`` (the migration tests) get an empty one instead.
- `office_app` (migrated `create_app`), `office_engine` (its engine), `office_server` (base
  URL of uvicorn serving it, configured as `kiosk office serve` configures it), `http` (an
  httpx client on it), `office_clock` (the app's clock: real time until a test sets it).
- `site_token` / `other_site_token`: the tokens of sites ``ludza`` (Europe/Riga) and
  ``rokiskis`` (Europe/Vilnius), registered through `kiosk.office.auth.create_site`.

Helpers other test modules import: `make_batch`, `session_row`, `activity_row`,
`snapshot_tables`, `post_batch`.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text

from kiosk.office.app import create_app
from kiosk.office.auth import create_site
from kiosk.office.server import server_config
from tests.conftest import postgres_url, uses_template

POSTGRES_ENV = "TELPA_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "TELPA_REQUIRE_POSTGRES"
SITE = "ludza"
OTHER_SITE = "rokiskis"
STATION = "ludza-wb-1"
TABLES = (
    "sites",
    "stations",
    "accounts",
    "batches",
    "session_totals",
    "activity_totals",
    "settings",
    "dashboard_sessions",
    "login_throttle",
)


def session_row(**changes: Any) -> dict[str, Any]:
    row = {
        "date": "2026-11-25",
        "hour": 14,
        "session_kind": "group",
        "age_band": "9-11",
        "sessions": 2,
        "child_visits": 23,
        "seconds": 5400,
        "rev": 3,
    }
    row.update(changes)
    return row


def activity_row(**changes: Any) -> dict[str, Any]:
    row = {
        "date": "2026-11-25",
        "hour": 14,
        "activity": "quiz",
        "session_kind": "group",
        "runs": 5,
        "completed_runs": 4,
        "seconds": 2700,
        "rev": 7,
    }
    row.update(changes)
    return row


def make_batch(
    session_totals: list[dict[str, Any]] | None = None,
    activity_totals: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """A valid protocol v1 body (the DESIGN §4 example unless told otherwise), with a new
    batch_id and db_instance_id each time."""
    body: dict[str, Any] = {
        "schema": 1,
        "batch_id": str(uuid.uuid4()),
        "site": SITE,
        "station": STATION,
        "db_instance_id": str(uuid.uuid4()),
        "app_version": "0.1.0",
        "sent_at": "2026-11-26T10:15:02+02:00",
        "timezone": "Europe/Riga",
        "session_totals": [session_row()] if session_totals is None else session_totals,
        "activity_totals": [activity_row()] if activity_totals is None else activity_totals,
    }
    body.update(changes)
    return body


def snapshot_tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every office table, sorted: compare before and after a request."""
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))),
                key=repr,
            )
            for table in TABLES
        }


def post_batch(http: httpx.Client, token: str | None, body: Any) -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return http.post("/api/v1/totals", json=body, headers=headers)


def _postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
        pytest.fail(f"${REQUIRE_POSTGRES_ENV}=1 but ${POSTGRES_ENV} is not set")
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def office_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an office database at the newest schema on each backend (an empty one for
    a test marked ``fresh_databases``)."""
    template = uses_template(request)
    if request.param == "sqlite":
        path = tmp_path / "office.db"
        if template:
            shutil.copyfile(request.getfixturevalue("office_sqlite_template"), path)
            os.chmod(path, 0o600)  # as `kiosk.office.db.private_database_file` makes it
        yield f"sqlite:///{path}"
        return
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"set ${POSTGRES_ENV} to run the office tests on PostgreSQL")
    if template:
        databases = request.getfixturevalue("office_postgres_databases")
        name = databases.take()
        yield postgres_url(admin_url, name)
        databases.give_back(name)
        return
    name = f"telpa_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield postgres_url(admin_url, name)
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


class OfficeClock:
    """The office app's clock: the real time until a test sets it, then moved by hand."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(UTC)

    def set(self, when: datetime) -> None:
        self.fixed = when

    def advance(self, **delta: float) -> None:
        self.fixed = self() + timedelta(**delta)


@pytest.fixture
def office_clock() -> OfficeClock:
    return OfficeClock()


@pytest.fixture
def office_app(office_url: str, office_clock: OfficeClock) -> Iterator[FastAPI]:
    app = create_app(office_url, clock=office_clock)
    try:
        yield app
    finally:
        app.state.engine.dispose()


@pytest.fixture
def office_engine(office_app: FastAPI) -> Engine:
    engine: Engine = office_app.state.engine
    return engine


class _ServerThread:
    """uvicorn serving an app on a loopback socket of its own, in a daemon thread."""

    def __init__(self, app: FastAPI, read_timeout: float = 60.0) -> None:
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are
        # TCP; without it every response waits ~40 ms for Nagle and delayed ACKs.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = server_config(
            app,
            read_timeout=read_timeout,
            log_level="warning",
            lifespan="on",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        # Waiting for a real server to listen: the one place these tests poll a clock.
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the office server did not start")
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Ask the server to stop and go on: uvicorn notices at its next tick (every
        0.1 s), waits 0.1 s more for open connections, then closes the socket and shuts
        the app down (its engine disposed) in its own thread. A test's client is closed
        by then and nothing else connects to its port; waiting here cost every office
        test about 0.2 s of doing nothing."""
        self.server.should_exit = True
        _stopping.append(self.thread)
        while _stopping and not _stopping[0].is_alive():
            _stopping.pop(0)


#: Servers still shutting down in their threads (`_ServerThread.stop`).
_stopping: list[threading.Thread] = []


@pytest.fixture
def office_server(office_app: FastAPI) -> Iterator[str]:
    """Base URL of a real uvicorn server for `office_app` on 127.0.0.1 (a free port)."""
    server = _ServerThread(office_app)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def http(office_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=office_server, timeout=60) as client:
        yield client


@pytest.fixture
def site_token(office_engine: Engine) -> str:
    """Token of site "ludza" (Europe/Riga)."""
    return create_site(office_engine, SITE, "Ludzas novada bibliotēka", "Europe/Riga")


@pytest.fixture
def other_site_token(office_engine: Engine) -> str:
    """Token of site "rokiskis" (Europe/Vilnius)."""
    return create_site(office_engine, OTHER_SITE, "Rokiškio biblioteka", "Europe/Vilnius")
