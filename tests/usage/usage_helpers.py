"""Helpers for the usage tests: config, reading the database, and a from-scratch reference
aggregation written independently of kiosk.usage.totals (plain Python, no SQL tricks)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import Config, parse_config
from kiosk.usage import UsageStore
from kiosk.usage.db import TRANSACTION_HOOKS, connect, transaction

RIGA = "Europe/Riga"
#: "Now" for the tests: late 2026, after both 2026 DST changes.
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MICRO = 1_000_000
QUARTER = 15 * 60 * MICRO
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Totals = dict[tuple[Any, ...], tuple[int, int, int]]
#: The `open_store` fixture: ``open_store(config=None, now=NOW, folder=data_dir)``.
OpenStore = Callable[..., UsageStore]


def riga_config(retention_days: int = 400, timezone: str = RIGA) -> Config:
    """A site in Riga (or `timezone`), station test-pc-1."""
    return parse_config(
        f"site: {{timezone: {timezone}}}\nstation: {{id: test-pc-1}}\n"
        f"usage: {{retention_days: {retention_days}}}\n"
    )


def fixed_clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def query(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


@contextmanager
def write_transaction(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection as the store opens one, in one write transaction (committed at the end)."""
    connection = connect(db_path)
    try:
        with transaction(connection):
            yield connection
    finally:
        connection.close()


def micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def stored_totals(db_path: Path, table: str) -> Totals:
    """Nonzero totals rows as {(date, hour, key1, key2): (v1, v2, seconds)}."""
    if table == "session_totals":
        sql = (
            "SELECT date, hour, session_kind, age_band, sessions, child_visits, seconds "
            "FROM session_totals"
        )
    else:
        sql = (
            "SELECT date, hour, activity, session_kind, runs, completed_runs, seconds "
            "FROM activity_totals"
        )
    return {tuple(row[:4]): tuple(row[4:]) for row in query(db_path, sql) if any(row[4:])}


def revs(db_path: Path, table: str) -> dict[tuple[Any, ...], tuple[tuple[int, ...], int]]:
    """{key: (values, rev)} for every row of a totals table."""
    columns = {
        "session_totals": "session_kind, age_band, sessions, child_visits, seconds",
        "activity_totals": "activity, session_kind, runs, completed_runs, seconds",
    }[table]
    rows = query(db_path, f"SELECT date, hour, {columns}, rev FROM {table}")
    return {tuple(row[:4]): (tuple(row[4:7]), row[7]) for row in rows}


def _local_key(zone: ZoneInfo, at_us: int) -> tuple[str, int]:
    local = (EPOCH + timedelta(microseconds=at_us)).astimezone(zone)
    return local.date().isoformat(), local.hour


def _spread(
    zone: ZoneInfo, start: int, end: int, extra: tuple[Any, ...], seconds: dict[Any, int]
) -> None:
    """Add the microseconds of [start, end) to each local hour they fall in, stepping at
    every UTC quarter hour (local hours of every modern zone start on one)."""
    moment = start
    while moment < end:
        step_end = min(end, (moment // QUARTER + 1) * QUARTER)
        seconds[(*_local_key(zone, moment), *extra)] += step_end - moment
        moment = step_end


def reference_totals(db_path: Path, timezone: str) -> tuple[Totals, Totals]:
    """Session and activity totals aggregated from scratch from the raw rows."""
    zone = ZoneInfo(timezone)
    session_counts: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    session_us: dict[Any, int] = defaultdict(int)
    for kind, band, headcount, start, end in query(
        db_path,
        "SELECT kind, age_band, headcount, started_at, ended_at FROM sessions "
        "WHERE ended_at IS NOT NULL",
    ):
        extra = (kind, band or "none")
        counts = session_counts[(*_local_key(zone, start), *extra)]
        counts[0] += 1
        counts[1] += headcount
        _spread(zone, start, end, extra, session_us)

    run_counts: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    run_us: dict[Any, int] = defaultdict(int)
    for activity, kind, outcome, start, end in query(
        db_path,
        "SELECT r.activity, s.kind, r.outcome, r.started_at, r.ended_at "
        "FROM activity_runs r JOIN sessions s ON s.id = r.session_id "
        "WHERE r.ended_at IS NOT NULL",
    ):
        counts = run_counts[(*_local_key(zone, start), activity, kind)]
        counts[0] += 1
        counts[1] += outcome == "completed"
        _spread(zone, start, end, (activity, kind), run_us)

    def combine(counts: dict[Any, list[int]], spent: dict[Any, int]) -> Totals:
        result: Totals = {}
        for key in counts.keys() | spent.keys():
            first, second = counts.get(key, [0, 0])
            seconds = (spent.get(key, 0) + MICRO // 2) // MICRO
            if first or second or seconds:
                result[key] = (first, second, seconds)
        return result

    return combine(session_counts, session_us), combine(run_counts, run_us)


class FullDisk:
    """Makes the usage database behave as on a full disk, for as long as `full` is set.

    Before every transaction on a connection of the usage store (`kiosk.usage.db`'s
    `TRANSACTION_HOOKS`, the migrations' too) ``PRAGMA max_page_count`` is pinned to the
    file's current size (SQLite never sets it lower), so a write that needs one more page
    fails with SQLITE_FULL, "database or disk is full" — exactly what SQLite reports when
    the disk itself is full. A database not created yet cannot be created at all. `free()`
    lifts the limit again. Call `remove()` when done (the fixtures do)."""

    def __init__(self) -> None:
        self.full = False
        TRANSACTION_HOOKS.append(self._before_transaction)

    def _before_transaction(self, connection: sqlite3.Connection) -> None:
        limit = 1 if self.full else 1_073_741_823  # SQLite's default maximum
        connection.execute(f"PRAGMA max_page_count = {limit}")

    def fill(self) -> None:
        self.full = True

    def free(self) -> None:
        self.full = False

    def remove(self) -> None:
        TRANSACTION_HOOKS.remove(self._before_transaction)
