"""Retention: raw rows go once they are old and safely counted at the office; totals stay.

A raw session (with its runs) is purged when it ended more than `usage.retention_days`
ago (counted in whole local days) and every local date it touches is *safe*: each totals
row of that date is either synced (``synced_rev >= rev``) or was written to a USB export
(``rev <= exported_rev`` of its table, see `mark_exported`). Checking whole dates rather
than single hours is a little more careful than needed, and much simpler.

Once raw rows of a date may be gone, recomputing that date's totals from what is left
would *lower* them, and the office would take the lower value. So purging records a
`KV_FROZEN_BEFORE` date: totals of earlier dates are final and never recomputed. (Only a
station clock wrong by more than the retention period could still send an event into a
frozen date; its raw rows are kept but it does not change the frozen totals.)

Because rev is a table-wide counter (`kiosk.usage.totals`), an export that wrote every
pending row as of one transaction can be recorded as the single highest rev it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from sqlite3 import Connection
from zoneinfo import ZoneInfo

from kiosk.usage.hours import local_midnight
from kiosk.usage.schema import KV_EXPORTED_REV, KV_FROZEN_BEFORE

_OVERLAPS = "{row}.started_at < u.hi AND ({row}.ended_at > u.lo OR {row}.started_at >= u.lo)"


@dataclass(frozen=True)
class PurgeResult:
    sessions: int
    runs: int
    cutoff: date


def _kv(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_kv(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO kv (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def mark_exported(conn: Connection, session_totals_rev: int, activity_totals_rev: int) -> None:
    """Record that a USB export holds every totals row up to these revs (never lowers)."""
    for table, rev in (
        ("session_totals", session_totals_rev),
        ("activity_totals", activity_totals_rev),
    ):
        key = KV_EXPORTED_REV[table]
        _set_kv(conn, key, str(max(rev, int(_kv(conn, key) or 0))))


def purge(conn: Connection, zone: ZoneInfo, now: datetime, retention_days: int) -> PurgeResult:
    """Delete raw rows that ended `retention_days` local days before `now` and whose dates
    are safely at the office (see the module docstring). Totals are kept."""
    cutoff = now.astimezone(zone).date() - timedelta(days=retention_days)
    cutoff_us = local_midnight(zone, cutoff)
    exported = {table: int(_kv(conn, key) or 0) for table, key in KV_EXPORTED_REV.items()}
    unsafe_days = [
        date.fromisoformat(str(row[0]))
        for row in conn.execute(
            "SELECT date FROM session_totals WHERE rev > synced_rev AND rev > :s AND date < :d "
            "UNION SELECT date FROM activity_totals "
            "WHERE rev > synced_rev AND rev > :a AND date < :d",
            {
                "s": exported["session_totals"],
                "a": exported["activity_totals"],
                "d": cutoff.isoformat(),
            },
        ).fetchall()
    ]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS unsafe_span (lo INTEGER, hi INTEGER)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS purged_session (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM unsafe_span")
    conn.execute("DELETE FROM purged_session")
    if unsafe_days:
        conn.executemany(
            "INSERT INTO unsafe_span (lo, hi) VALUES (?, ?)",
            [
                (local_midnight(zone, day), local_midnight(zone, day + timedelta(days=1)))
                for day in unsafe_days
            ],
        )
    conn.execute(
        f"""
        INSERT INTO purged_session (id)
        SELECT s.id FROM sessions AS s
        WHERE s.ended_at < :cutoff
          AND NOT EXISTS (SELECT 1 FROM unsafe_span AS u WHERE {_OVERLAPS.format(row="s")})
          AND NOT EXISTS (
            SELECT 1 FROM activity_runs AS r WHERE r.session_id = s.id AND (
              r.ended_at IS NULL OR r.ended_at >= :cutoff
              OR EXISTS (SELECT 1 FROM unsafe_span AS u WHERE {_OVERLAPS.format(row="r")})))
        """,
        {"cutoff": cutoff_us},
    )
    runs = conn.execute(
        "DELETE FROM activity_runs WHERE session_id IN (SELECT id FROM purged_session)"
    ).rowcount
    sessions = conn.execute(
        "DELETE FROM sessions WHERE id IN (SELECT id FROM purged_session)"
    ).rowcount
    if sessions:
        frozen = _kv(conn, KV_FROZEN_BEFORE) or ""
        _set_kv(conn, KV_FROZEN_BEFORE, max(frozen, cutoff.isoformat()))
    return PurgeResult(sessions, runs, cutoff)


def frozen_before(conn: Connection) -> str:
    """The local date (YYYY-MM-DD) before which totals are final, or "" if none are."""
    return _kv(conn, KV_FROZEN_BEFORE) or ""
