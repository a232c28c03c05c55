"""Helpers for the sync tests: a real office on loopback that can go down and come back,
real kiosks (usage store + config + token file) fed with real usage events, and the two
sides' totals read back for comparison."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from kiosk.config import Config, parse_config
from kiosk.office.app import create_app
from kiosk.office.auth import create_site
from kiosk.protocol import TOTALS_PATH
from kiosk.sessions import RunEnded, RunStarted, SessionEnded, SessionStarted
from kiosk.usage import UsageStore

SITE = "ludza"
ZONE = "Europe/Riga"
SESSION_VALUES = ("sessions", "child_visits", "seconds")
CONTROLLER_VALUES = ("sessions_with_controllers", "controllers")
ACTIVITY_VALUES = ("runs", "completed_runs", "seconds")

Totals = dict[tuple[Any, ...], tuple[int, ...]]


#: Session row fields of protocol v1 before any addition (an office of Telpa 0.1 knew these).
V1_SESSION_FIELDS = frozenset(
    ("date", "hour", "session_kind", "age_band", "sessions", "child_visits", "seconds", "rev")
)


class BeforeAdditions:
    """The office app as an office from before the additions to v1 answers (ASGI
    middleware around the real app): a session row with a field outside
    `V1_SESSION_FIELDS` gets that office's refusal, 422 ``INVALID_BODY`` naming the field,
    and nothing is stored; its answers 200 carry no ``accepts``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.refused = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) != ("POST", TOTALS_PATH):
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        try:
            rows = json.loads(body).get("session_totals", [])
        except (ValueError, AttributeError):
            rows = []
        unknown = [
            f"session_totals[{index}].{name}"
            for index, row in enumerate(rows if isinstance(rows, list) else [])
            if isinstance(row, dict)
            for name in sorted(set(row) - V1_SESSION_FIELDS)
        ]
        if unknown:
            self.refused += 1
            message_text = "; ".join(
                f"{where}: unknown field (protocol v1 has no such field here; a newer kiosk? "
                "upgrade the office first)"
                for where in unknown[:5]
            )
            await _send_json(send, 422, {"error": "INVALID_BODY", "message": message_text})
            return
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        answer: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, replay, capture)
        data = json.loads(b"".join(chunks))
        data.pop("accepts", None)
        await _send_json(send, answer["status"], data)


async def _send_json(send: Any, status: int, data: Any) -> None:
    content = json.dumps(data).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(content)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def _loopback_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


class OfficeServer:
    """The real office app (`kiosk.office.app.create_app`) under uvicorn on 127.0.0.1.

    The port is picked once and kept, so `stop()` then `start()` is an office that went
    down and came back at the same address. With `before_additions` set when it starts,
    it answers as an office from before the additions to v1 (`BeforeAdditions`): set it,
    or clear it, between `stop()` and `start()` to put an older office in its place or to
    upgrade it."""

    def __init__(self, db_url: str) -> None:
        self.before_additions = False
        self.old_office: BeforeAdditions | None = None
        self.db_url = db_url
        # Bound now and kept for the first start: a port probed and let go could be taken
        # by another process before the server binds it ("Address already in use").
        self._reserved: socket.socket | None = _loopback_socket(0)
        self.port = self._reserved.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = create_app(db_url)
        self.engine = self.app.state.engine

    def add_site(self, site: str = SITE, timezone: str = ZONE) -> str:
        return create_site(self.engine, site, site.title(), timezone)

    def start(self) -> None:
        if self._server is not None:
            return
        sock, self._reserved = self._reserved or _loopback_socket(self.port), None
        app: Any = create_app(self.db_url)
        self.old_office = None
        if self.before_additions:
            app = self.old_office = BeforeAdditions(app)
        config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the office server did not start")
            time.sleep(0.01)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(20)
        self._server = self._thread = None

    def close(self) -> None:
        self.stop()
        self.engine.dispose()

    def totals(self, token: str, station: str | None = None) -> tuple[Totals, Totals]:
        """GET /api/v1/totals, summed over db_instance_id (as every report does)."""
        params = {"station": station} if station else {}
        response = httpx.get(
            f"{self.url}/api/v1/totals",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        data = response.json()
        return (
            _sum_rows(data["session_totals"], ("session_kind", "age_band"), SESSION_VALUES),
            _sum_rows(data["activity_totals"], ("activity", "session_kind"), ACTIVITY_VALUES),
        )

    def controller_totals(self, token: str) -> Totals:
        """Sessions with controllers and their controllers per session key, from
        GET /api/v1/totals summed over db_instance_id (zero rows left out)."""
        response = httpx.get(
            f"{self.url}/api/v1/totals",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return _sum_rows(
            response.json()["session_totals"], ("session_kind", "age_band"), CONTROLLER_VALUES
        )


def kiosk_controller_totals(db_path: Path, station: str) -> Totals:
    """A kiosk's own controller counts, keyed like `OfficeServer.controller_totals`."""
    connection = sqlite3.connect(db_path)
    try:
        rows = connection.execute(
            "SELECT date, hour, session_kind, age_band, sessions_with_controllers, controllers "
            "FROM session_totals"
        ).fetchall()
    finally:
        connection.close()
    return {(station, *r[:4]): tuple(r[4:]) for r in rows if any(r[4:])}


def _sum_rows(rows: list[dict[str, Any]], keys: tuple[str, ...], values: tuple[str, ...]) -> Totals:
    summed: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(values))
    for row in rows:
        key = (row["station"], row["date"], row["hour"], *(row[k] for k in keys))
        for i, name in enumerate(values):
            summed[key][i] += row[name]
    return {k: tuple(v) for k, v in summed.items() if any(v)}


def kiosk_totals(db_path: Path, station: str) -> tuple[Totals, Totals]:
    """A kiosk's own totals, keyed like `OfficeServer.totals`."""
    connection = sqlite3.connect(db_path)
    try:
        sessions = connection.execute(
            "SELECT date, hour, session_kind, age_band, sessions, child_visits, seconds "
            "FROM session_totals"
        ).fetchall()
        activities = connection.execute(
            "SELECT date, hour, activity, session_kind, runs, completed_runs, seconds "
            "FROM activity_totals"
        ).fetchall()
    finally:
        connection.close()
    return (
        {(station, *r[:4]): tuple(r[4:]) for r in sessions if any(r[4:])},
        {(station, *r[:4]): tuple(r[4:]) for r in activities if any(r[4:])},
    )


def add_totals(*parts: tuple[Totals, Totals]) -> tuple[Totals, Totals]:
    result: list[dict[tuple[Any, ...], list[int]]] = [
        defaultdict(lambda: [0, 0, 0]),
        defaultdict(lambda: [0, 0, 0]),
    ]
    for part in parts:
        for i in range(2):
            for key, values in part[i].items():
                for j, value in enumerate(values):
                    result[i][key][j] += value
    return (
        {k: tuple(v) for k, v in result[0].items()},
        {k: tuple(v) for k, v in result[1].items()},
    )


def pending(db_path: Path) -> int:
    connection = sqlite3.connect(db_path)
    try:
        return sum(
            connection.execute(f"SELECT count(*) FROM {t} WHERE rev > synced_rev").fetchone()[0]
            for t in ("session_totals", "activity_totals")
        )
    finally:
        connection.close()


@dataclass
class Kiosk:
    """One station: its config file, token file and usage store in `folder`."""

    folder: Path
    station: str
    office_url: str
    token: str
    interval_minutes: int = 15
    stores: list[UsageStore] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "site-token.txt").write_text(self.token + "\n", encoding="utf-8")
        self.config = self.make_config()
        self.store = self.open_store()

    def make_config(self, **sync: Any) -> Config:
        values = {
            "office_url": self.office_url,
            "token_file": "site-token.txt",
            "interval_minutes": self.interval_minutes,
            **sync,
        }
        lines = "".join(f"  {k}: {v}\n" for k, v in values.items() if v is not None)
        text = (
            f"site: {{id: {SITE}, timezone: {ZONE}}}\nstation: {{id: {self.station}}}\n"
            f"sync:\n{lines}"
        )
        return parse_config(text, str(self.folder / "config.yaml"))

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "usage.db"

    def open_store(self) -> UsageStore:
        store = UsageStore.open(self.data_dir, self.config)
        self.stores.append(store)
        return store

    def wipe(self) -> None:
        """The PC was reinstalled: the database is gone, a new one (new instance id) starts."""
        self.store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.db_path) + suffix).unlink(missing_ok=True)
        self.store = self.open_store()

    def play(
        self,
        start: datetime,
        *,
        kind: str = "solo",
        headcount: int = 1,
        age_band: str | None = None,
        runs: tuple[tuple[str, str, int], ...] = (("memory", "completed", 300),),
        controllers: int | None = None,
    ) -> None:
        """One session starting at `start` with runs (activity, outcome, seconds) in a row,
        played with `controllers` game controllers (None: no pad joined)."""
        session = str(uuid.uuid4())
        store = self.store
        store.record(
            SessionStarted(
                session,
                kind,  # type: ignore[arg-type]
                headcount,
                age_band,
                "lv",
                start,
                controllers=controllers,
            )
        )
        moment = start + timedelta(seconds=5)
        for activity, outcome, seconds in runs:
            run = str(uuid.uuid4())
            store.record(RunStarted(run, session, activity, 1, moment))
            moment += timedelta(seconds=seconds)
            store.record(RunEnded(run, outcome, 1, 10, moment))  # type: ignore[arg-type]
            moment += timedelta(seconds=2)
        store.record(SessionEnded(session, "home", moment))
        assert store.flush(30)

    def close(self) -> None:
        for store in self.stores:
            store.close()


def recent(days: float, hour: float = 10) -> datetime:
    """A moment `days` before today's midnight UTC plus `hour` hours (dates the office
    accepts: not in the future, not before 2020)."""
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=days) + timedelta(hours=hour)


#: The `make_kiosk` fixture: ``make_kiosk(station="ludza-pc-1", **Kiosk options)``.
MakeKiosk = Callable[..., Kiosk]
