"""Turns usage events into raw rows, and closes what a crash left open.

Runs inside the caller's transaction (the store's writer thread); collects the UTC spans
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
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.sessions import (
    RunEnded,
    RunStarted,
    SessionChanged,
    SessionEnded,
    SessionHeartbeat,
    SessionStarted,
    UsageEvent,
)
from kiosk.usage.models import MAX_CONTROLLERS, ActivityRun, UsageSession, to_micros
from kiosk.usage.retention import frozen_before
from kiosk.usage.totals import ACTIVITY_TOTALS, SESSION_TOTALS, refresh_totals

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Spellings of "no age band" the shell or a config might use.
_NO_BAND = {None, "", "skip", "none"}
#: How an open run ends when its session ends without ending it first.
_RUN_OUTCOME_FOR_REASON = {"idle": "idle", "crash": "error"}


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(moment.astimezone(UTC), _EPOCH)


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


def _touched(started_at: datetime, ended_at: datetime) -> tuple[int, int]:
    """UTC micros [lo, hi) of the hours a row touches; a zero-length row still touches
    (and counts in) the hour it sits in, so it is given one microsecond."""
    lo = to_micros(started_at)
    return lo, max(to_micros(ended_at), lo + 1)


@dataclass
class DirtyHours:
    """UTC micros spans [lo, hi) of rows whose hours need their totals recomputed."""

    sessions: list[tuple[int, int]] = field(default_factory=list)
    runs: list[tuple[int, int]] = field(default_factory=list)

    def add_session(self, row: UsageSession) -> None:
        if row.ended_at is not None:
            self.sessions.append(_touched(row.started_at, row.ended_at))

    def add_run(self, row: ActivityRun) -> None:
        if row.ended_at is not None:
            self.runs.append(_touched(row.started_at, row.ended_at))

    def refresh(self, db: Session, zone: ZoneInfo) -> int:
        """Recompute the totals of every dirty hour; returns the number of changed rows."""
        if not self.sessions and not self.runs:
            return 0
        db.flush()
        connection = db.connection()
        frozen_day = frozen_before(connection)
        changed = refresh_totals(connection, zone, SESSION_TOTALS, self.sessions, frozen_day)
        changed += refresh_totals(connection, zone, ACTIVITY_TOTALS, self.runs, frozen_day)
        self.sessions.clear()
        self.runs.clear()
        return changed


class EventWriter:
    """Applies events for one station's database."""

    def __init__(self, station: str) -> None:
        self.station = station

    def apply(self, db: Session, event: UsageEvent, dirty: DirtyHours) -> None:
        match event:
            case SessionStarted():
                self._session_started(db, event)
            case SessionChanged():
                self._session_changed(db, event, dirty)
            case SessionHeartbeat():
                self._alive(db, event.session_id, _utc(event.at))
            case SessionEnded():
                self._session_ended(db, event, dirty)
            case RunStarted():
                self._run_started(db, event)
            case RunEnded():
                self._run_ended(db, event, dirty)
            case _:
                log.warning("usage: ignored an event of unknown type %r", type(event).__name__)

    def _session_started(self, db: Session, event: SessionStarted) -> None:
        if db.get(UsageSession, event.session_id) is not None:
            log.warning("usage: session %s started twice; ignored", event.session_id)
            return
        at = _utc(event.at)
        db.add(
            UsageSession(
                id=event.session_id,
                station=self.station,
                kind=event.kind,
                headcount=max(1, event.headcount),
                age_band=_age_band(event.age_band),
                language=event.language,
                started_at=at,
                last_heartbeat_at=at,
                controllers=_controllers(event.controllers, event.session_id),
            )
        )

    def _session_changed(self, db: Session, event: SessionChanged, dirty: DirtyHours) -> None:
        row = db.get(UsageSession, event.session_id)
        if row is None:
            log.warning("usage: change for unknown session %s; ignored", event.session_id)
            return
        band = _age_band(event.age_band)
        if row.age_band != band and row.ended_at is not None:
            dirty.add_session(row)  # its totals move from the old band's key to the new one
        row.age_band = band
        row.language = event.language

    def _alive(self, db: Session, session_id: str, at: datetime) -> None:
        """Note a sign of life: a crash closes the session at the last one."""
        row = db.get(UsageSession, session_id)
        if row is None:
            log.warning("usage: event for unknown session %s; ignored", session_id)
        elif row.ended_at is None and at > row.last_heartbeat_at:
            row.last_heartbeat_at = at

    def _session_ended(self, db: Session, event: SessionEnded, dirty: DirtyHours) -> None:
        row = db.get(UsageSession, event.session_id)
        if row is None or row.ended_at is not None:
            log.warning("usage: end for unknown or ended session %s; ignored", event.session_id)
            return
        row.ended_at = max(_utc(event.at), row.started_at)
        row.end_reason = event.reason
        dirty.add_session(row)
        outcome = _RUN_OUTCOME_FOR_REASON.get(event.reason, "quit")
        for run in _open_runs(db, row.id):
            run.ended_at = max(row.ended_at, run.started_at)
            run.outcome = outcome
            dirty.add_run(run)

    def _run_started(self, db: Session, event: RunStarted) -> None:
        if db.get(ActivityRun, event.run_id) is not None:
            log.warning("usage: run %s started twice; ignored", event.run_id)
            return
        if db.get(UsageSession, event.session_id) is None:
            log.warning("usage: run %s of unknown session; ignored", event.run_id)
            return
        at = _utc(event.at)
        db.add(
            ActivityRun(
                id=event.run_id,
                session_id=event.session_id,
                activity=event.activity,
                started_at=at,
                level=event.level,
            )
        )
        self._alive(db, event.session_id, at)

    def _run_ended(self, db: Session, event: RunEnded, dirty: DirtyHours) -> None:
        row = db.get(ActivityRun, event.run_id)
        if row is None or row.ended_at is not None:
            log.warning("usage: end for unknown or ended run %s; ignored", event.run_id)
            return
        row.ended_at = max(_utc(event.at), row.started_at)
        row.outcome = event.outcome
        if event.level is not None:
            row.level = event.level
        row.score = event.score
        dirty.add_run(row)
        self._alive(db, row.session_id, row.ended_at)


def _open_runs(db: Session, session_id: str) -> list[ActivityRun]:
    query = select(ActivityRun).where(
        ActivityRun.session_id == session_id, ActivityRun.ended_at.is_(None)
    )
    return list(db.scalars(query))


def recover_after_crash(db: Session, dirty: DirtyHours) -> int:
    """Close what the last run of the kiosk left open; returns how many sessions.

    A session still open at start was cut off by a crash or power cut: it ends as `crash`
    at its last sign of life (heartbeat or run event; its start if none), and its open run
    ends there too (never before the run began) as `error`."""
    sessions = list(db.scalars(select(UsageSession).where(UsageSession.ended_at.is_(None))))
    for row in sessions:
        row.ended_at = max(row.last_heartbeat_at, row.started_at)
        row.end_reason = "crash"
        dirty.add_session(row)
    for run in db.scalars(select(ActivityRun).where(ActivityRun.ended_at.is_(None))):
        session = db.get(UsageSession, run.session_id)
        end = session.ended_at if session is not None else None
        run.ended_at = max(end, run.started_at) if end is not None else run.started_at
        run.outcome = "error"
        dirty.add_run(run)
    if sessions:
        log.warning("usage: closed %d session(s) left open by a crash", len(sessions))
    return len(sessions)
