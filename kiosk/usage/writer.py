"""Turns usage events into raw rows, and closes what a crash left open.

Plain SQL on the caller's `sqlite3` connection, inside the caller's transaction (the
store's writer thread); collects the UTC spans
of rows that ended so the caller can refresh the totals of those hours in the same
transaction — a row and the totals that count it are committed together or not at all.

Rules for events that do not fit (the shell should never send them; they are logged and
skipped, never raised): an id seen twice, an end for an unknown or already ended row.
An ended row is final. Times before 1970 are taken as 1970 and an end before its start
as a zero-length row: a PC clock can jump, the totals must stay sane.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from sqlite3 import Connection
from zoneinfo import ZoneInfo

from kiosk.sessions import (
    RunEnded,
    RunStarted,
    SessionChanged,
    SessionEnded,
    SessionHeartbeat,
    SessionStarted,
    UsageEvent,
)
from kiosk.usage.retention import frozen_before
from kiosk.usage.schema import MAX_CONTROLLERS, to_micros
from kiosk.usage.totals import ACTIVITY_TOTALS, SESSION_TOTALS, refresh_totals

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Spellings of "no age band" the shell or a config might use.
_NO_BAND = {None, "", "skip", "none"}
#: How an open run ends when its session ends without ending it first.
_RUN_OUTCOME_FOR_REASON = {"idle": "idle", "crash": "error"}


def _utc(moment: datetime) -> int:
    """`moment` as stored: UTC microseconds, never before 1970."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return to_micros(max(moment.astimezone(UTC), _EPOCH))


def _age_band(value: str | None) -> str | None:
    return None if value in _NO_BAND else value


def _controllers(value: int | None, session_id: str) -> int | None:
    """The count as stored: 0-4 (the CHECK of ``sessions.controllers``), else not counted.
    A wrong number from a caller must not cost the whole session its record."""
    if value is None or 0 <= value <= MAX_CONTROLLERS:
        return value
    log.warning(
        "usage: session %s started with %r controllers (0-%d); recorded without a count",
        session_id,
        value,
        MAX_CONTROLLERS,
    )
    return None


def _touched(started_at: int, ended_at: int) -> tuple[int, int]:
    """UTC micros [lo, hi) of the hours a row touches; a zero-length row still touches
    (and counts in) the hour it sits in, so it is given one microsecond."""
    return started_at, max(ended_at, started_at + 1)


@dataclass
class DirtyHours:
    """UTC micros spans [lo, hi) of rows whose hours need their totals recomputed."""

    sessions: list[tuple[int, int]] = field(default_factory=list)
    runs: list[tuple[int, int]] = field(default_factory=list)

    def add_session(self, started_at: int, ended_at: int) -> None:
        """An ended session row (UTC micros)."""
        self.sessions.append(_touched(started_at, ended_at))

    def add_run(self, started_at: int, ended_at: int) -> None:
        """An ended activity run (UTC micros)."""
        self.runs.append(_touched(started_at, ended_at))

    def refresh(self, conn: Connection, zone: ZoneInfo) -> int:
        """Recompute the totals of every dirty hour; returns the number of changed rows."""
        if not self.sessions and not self.runs:
            return 0
        frozen_day = frozen_before(conn)
        changed = refresh_totals(conn, zone, SESSION_TOTALS, self.sessions, frozen_day)
        changed += refresh_totals(conn, zone, ACTIVITY_TOTALS, self.runs, frozen_day)
        self.sessions.clear()
        self.runs.clear()
        return changed


class EventWriter:
    """Applies events for one station's database."""

    def __init__(self, station: str) -> None:
        self.station = station

    def apply(self, conn: Connection, event: UsageEvent, dirty: DirtyHours) -> None:
        match event:
            case SessionStarted():
                self._session_started(conn, event)
            case SessionChanged():
                self._session_changed(conn, event, dirty)
            case SessionHeartbeat():
                self._alive(conn, event.session_id, _utc(event.at))
            case SessionEnded():
                self._session_ended(conn, event, dirty)
            case RunStarted():
                self._run_started(conn, event)
            case RunEnded():
                self._run_ended(conn, event, dirty)
            case _:
                log.warning("usage: ignored an event of unknown type %r", type(event).__name__)

    def _session_started(self, conn: Connection, event: SessionStarted) -> None:
        if _exists(conn, "sessions", event.session_id):
            log.warning("usage: session %s started twice; ignored", event.session_id)
            return
        at = _utc(event.at)
        conn.execute(
            "INSERT INTO sessions (id, station, kind, headcount, age_band, language, "
            "started_at, last_heartbeat_at, controllers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.session_id,
                self.station,
                event.kind,
                max(1, event.headcount),
                _age_band(event.age_band),
                event.language,
                at,
                at,
                _controllers(event.controllers, event.session_id),
            ),
        )

    def _session_changed(self, conn: Connection, event: SessionChanged, dirty: DirtyHours) -> None:
        row = conn.execute(
            "SELECT age_band, started_at, ended_at FROM sessions WHERE id = ?",
            (event.session_id,),
        ).fetchone()
        if row is None:
            log.warning("usage: change for unknown session %s; ignored", event.session_id)
            return
        old_band, started_at, ended_at = row
        band = _age_band(event.age_band)
        if old_band != band and ended_at is not None:
            dirty.add_session(started_at, ended_at)  # its totals move to the new band's key
        conn.execute(
            "UPDATE sessions SET age_band = ?, language = ? WHERE id = ?",
            (band, event.language, event.session_id),
        )

    def _alive(self, conn: Connection, session_id: str, at: int) -> None:
        """Note a sign of life (UTC micros): a crash closes the session at the last one."""
        moved = conn.execute(
            "UPDATE sessions SET last_heartbeat_at = ? "
            "WHERE id = ? AND ended_at IS NULL AND last_heartbeat_at < ?",
            (at, session_id, at),
        ).rowcount
        if not moved and not _exists(conn, "sessions", session_id):
            log.warning("usage: event for unknown session %s; ignored", session_id)

    def _session_ended(self, conn: Connection, event: SessionEnded, dirty: DirtyHours) -> None:
        row = conn.execute(
            "SELECT started_at, ended_at FROM sessions WHERE id = ?", (event.session_id,)
        ).fetchone()
        if row is None or row[1] is not None:
            log.warning("usage: end for unknown or ended session %s; ignored", event.session_id)
            return
        started_at = row[0]
        ended_at = max(_utc(event.at), started_at)
        conn.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?",
            (ended_at, event.reason, event.session_id),
        )
        dirty.add_session(started_at, ended_at)
        outcome = _RUN_OUTCOME_FOR_REASON.get(event.reason, "quit")
        open_runs = conn.execute(
            "SELECT id, started_at FROM activity_runs WHERE session_id = ? AND ended_at IS NULL",
            (event.session_id,),
        ).fetchall()
        for run_id, run_started_at in open_runs:
            run_ended_at = max(ended_at, run_started_at)
            conn.execute(
                "UPDATE activity_runs SET ended_at = ?, outcome = ? WHERE id = ?",
                (run_ended_at, outcome, run_id),
            )
            dirty.add_run(run_started_at, run_ended_at)

    def _run_started(self, conn: Connection, event: RunStarted) -> None:
        if _exists(conn, "activity_runs", event.run_id):
            log.warning("usage: run %s started twice; ignored", event.run_id)
            return
        if not _exists(conn, "sessions", event.session_id):
            log.warning("usage: run %s of unknown session; ignored", event.run_id)
            return
        at = _utc(event.at)
        conn.execute(
            "INSERT INTO activity_runs (id, session_id, activity, started_at, level) "
            "VALUES (?, ?, ?, ?, ?)",
            (event.run_id, event.session_id, event.activity, at, event.level),
        )
        self._alive(conn, event.session_id, at)

    def _run_ended(self, conn: Connection, event: RunEnded, dirty: DirtyHours) -> None:
        row = conn.execute(
            "SELECT session_id, started_at, ended_at FROM activity_runs WHERE id = ?",
            (event.run_id,),
        ).fetchone()
        if row is None or row[2] is not None:
            log.warning("usage: end for unknown or ended run %s; ignored", event.run_id)
            return
        session_id, started_at, _ = row
        ended_at = max(_utc(event.at), started_at)
        conn.execute(
            "UPDATE activity_runs SET ended_at = ?, outcome = ?, level = coalesce(?, level), "
            "score = ? WHERE id = ?",
            (ended_at, event.outcome, event.level, event.score, event.run_id),
        )
        dirty.add_run(started_at, ended_at)
        self._alive(conn, session_id, ended_at)


# The table names are this module's own constants, never a caller's value.
_EXISTS = {
    "sessions": "SELECT 1 FROM sessions WHERE id = ?",
    "activity_runs": "SELECT 1 FROM activity_runs WHERE id = ?",
}


def _exists(conn: Connection, table: str, row_id: str) -> bool:
    return conn.execute(_EXISTS[table], (row_id,)).fetchone() is not None


def recover_after_crash(conn: Connection, dirty: DirtyHours) -> int:
    """Close what the last run of the kiosk left open; returns how many sessions.

    A session still open at start was cut off by a crash or power cut: it ends as `crash`
    at its last sign of life (heartbeat or run event; its start if none), and its open run
    ends there too (never before the run began) as `error`."""
    sessions = conn.execute(
        "SELECT id, started_at, max(last_heartbeat_at, started_at) FROM sessions "
        "WHERE ended_at IS NULL"
    ).fetchall()
    for session_id, started_at, ended_at in sessions:
        conn.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = 'crash' WHERE id = ?",
            (ended_at, session_id),
        )
        dirty.add_session(started_at, ended_at)
    runs = conn.execute(
        "SELECT r.id, r.started_at, s.ended_at FROM activity_runs AS r "
        "LEFT JOIN sessions AS s ON s.id = r.session_id WHERE r.ended_at IS NULL"
    ).fetchall()
    for run_id, started_at, session_ended_at in runs:
        ended_at = max(session_ended_at, started_at) if session_ended_at is not None else started_at
        conn.execute(
            "UPDATE activity_runs SET ended_at = ?, outcome = 'error' WHERE id = ?",
            (ended_at, run_id),
        )
        dirty.add_run(started_at, ended_at)
    if sessions:
        log.warning("usage: closed %d session(s) left open by a crash", len(sessions))
    return len(sessions)
