"""Retention: old raw rows go once their hours are at the office; totals always stay."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from usage_helpers import NOW, OpenStore, query, riga_config, stored_totals, write_transaction

from kiosk.sessions import RunEnded, RunStarted, SessionEnded, SessionStarted
from kiosk.usage import UsageStore, mark_exported


def _visit(store: UsageStore, sid: str, start: datetime) -> None:
    store.record(SessionStarted(sid, "solo", 1, None, "lv", start))
    store.record(RunStarted(f"{sid}-run", sid, "quiz", None, start))
    store.record(RunEnded(f"{sid}-run", "completed", None, None, start + timedelta(minutes=5)))
    store.record(SessionEnded(sid, "home", start + timedelta(minutes=10)))


def _mark_synced(db_path: Path, day: str) -> None:
    connection = sqlite3.connect(db_path)
    with connection:
        for table in ("session_totals", "activity_totals"):
            connection.execute(f"UPDATE {table} SET synced_rev = rev WHERE date = ?", (day,))
    connection.close()


def _ids(db_path: Path) -> list[str]:
    return [sid for (sid,) in query(db_path, "SELECT id FROM sessions ORDER BY id")]


def test_old_synced_rows_are_purged_at_open_and_totals_kept(
    open_store: OpenStore, data_dir: Path
) -> None:
    db_path = data_dir / "usage.db"
    store = open_store(now=datetime(2025, 9, 5, tzinfo=UTC))
    _visit(store, "a-synced", datetime(2025, 9, 1, 8, tzinfo=UTC))
    _visit(store, "b-changed", datetime(2025, 9, 2, 8, tzinfo=UTC))
    _visit(store, "c-exported", datetime(2025, 9, 3, 8, tzinfo=UTC))
    store.close()
    _mark_synced(db_path, "2025-09-01")
    with write_transaction(db_path) as connection:
        # The USB export wrote everything up to now; b's day then changed again.
        (session_rev,) = connection.execute("SELECT max(rev) FROM session_totals").fetchone()
        (activity_rev,) = connection.execute("SELECT max(rev) FROM activity_totals").fetchone()
        mark_exported(connection, session_rev, activity_rev)
    store = open_store(now=datetime(2025, 9, 5, 1, tzinfo=UTC))
    store.record(
        SessionStarted("b-late", "solo", 1, None, "lv", datetime(2025, 9, 2, 9, tzinfo=UTC))
    )
    store.record(SessionEnded("b-late", "home", datetime(2025, 9, 2, 9, 1, tzinfo=UTC)))
    _visit(store, "d-recent", datetime(2026, 11, 20, 8, tzinfo=UTC))
    store.close()
    totals_before = stored_totals(db_path, "session_totals")

    reopened = open_store(config=riga_config(retention_days=400), now=NOW)

    assert reopened.purged is not None and reopened.purged.sessions == 2
    assert _ids(db_path) == ["b-changed", "b-late", "d-recent"]
    assert query(db_path, "SELECT session_id FROM activity_runs ORDER BY 1") == [
        ("b-changed",),
        ("d-recent",),
    ]
    assert stored_totals(db_path, "session_totals") == totals_before
    assert query(db_path, "SELECT value FROM kv WHERE key = 'totals_frozen_before'") == [
        ("2025-10-22",)
    ]


def test_nothing_is_purged_while_the_office_has_not_got_it(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store(now=datetime(2025, 1, 10, tzinfo=UTC))
    _visit(store, "old", datetime(2025, 1, 5, 8, tzinfo=UTC))
    store.close()
    reopened = open_store(now=NOW)
    assert reopened.purged is not None and reopened.purged.sessions == 0
    assert _ids(data_dir / "usage.db") == ["old"]


def test_recent_rows_stay_even_when_synced(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    _visit(store, "recent", NOW - timedelta(days=3))
    store.close()
    _mark_synced(data_dir / "usage.db", (NOW - timedelta(days=3)).date().isoformat())
    open_store()
    assert _ids(data_dir / "usage.db") == ["recent"]


def test_frozen_dates_are_not_recomputed_from_what_is_left(
    open_store: OpenStore, data_dir: Path
) -> None:
    db_path = data_dir / "usage.db"
    store = open_store(now=datetime(2025, 3, 1, tzinfo=UTC))
    _visit(store, "old", datetime(2025, 2, 1, 8, tzinfo=UTC))
    store.close()
    _mark_synced(db_path, "2025-02-01")
    store = open_store()  # purges "old", freezes dates before 2025-10-22
    frozen = stored_totals(db_path, "session_totals")
    # A PC whose clock is a long way off reports a visit on the purged day:
    _visit(store, "clock-wrong", datetime(2025, 2, 1, 8, 30, tzinfo=UTC))
    store.close()
    assert _ids(db_path) == ["clock-wrong"]
    assert stored_totals(db_path, "session_totals") == frozen
