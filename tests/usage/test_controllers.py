"""How many game controllers played: recorded with the session (a number, nothing about
which pad), counted in the hourly session totals, and added to old databases in place by
migration 0002 without touching a single recorded value."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from usage_helpers import NOW, OpenStore, fixed_clock, micros, query, riga_config

from kiosk.sessions import RunEnded, RunStarted, SessionEnded, SessionManager, SessionStarted
from kiosk.usage import Outbox, UsageStore
from kiosk.usage.db import _alembic_config, database_path, head_revision, make_engine

# Migration 0002 must run on a real 0001 file, never on the suite's migrated template.
pytestmark = pytest.mark.fresh_databases


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def _group(manager: SessionManager, controllers: int | None) -> None:
    manager.start_session("group", 12, "9-11", "lv", controllers=controllers)
    manager.start_run("quiz")
    manager.end_run("completed")
    manager.end_session("librarian")


def test_a_group_session_keeps_its_controller_count_and_the_hour_counts_them(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    moments = iter(at(m) for m in range(0, 60, 2))
    manager = SessionManager(store, lambda: next(moments))
    _group(manager, 3)
    _group(manager, 2)
    _group(manager, None)  # no pad joined
    manager.start_session("solo", 1, None, "lv")
    manager.end_session("home")
    assert store.flush(30)
    store.close()
    db = database_path(data_dir)
    assert sorted(query(db, "SELECT kind, controllers FROM sessions"), key=str) == sorted(
        [("group", 3), ("group", 2), ("group", None), ("solo", None)], key=str
    )
    # 12:00 UTC is 14:00 in Riga: one row per kind and band, the pads in the group's.
    rows = query(
        db,
        "SELECT date, hour, session_kind, age_band, sessions, sessions_with_controllers, "
        "controllers FROM session_totals ORDER BY session_kind",
    )
    assert rows == [
        ("2026-11-26", 14, "group", "9-11", 3, 2, 5),
        ("2026-11-26", 14, "solo", "none", 1, 0, 0),
    ]
    with Outbox.open(data_dir) as outbox:
        (batch,) = list(outbox.batches(100))
    group = next(r.row for r in batch.session_rows if r.row.session_kind == "group")
    assert (group.sessions_with_controllers, group.controllers) == (2, 5)


def test_a_count_outside_0_to_4_keeps_the_session_without_a_count(
    open_store: OpenStore, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store()
    store.record(SessionStarted("s1", "group", 20, None, "lv", at(0), controllers=7))
    store.record(SessionEnded("s1", "timer", at(40)))
    assert store.flush(30)
    store.close()
    db = database_path(data_dir)
    assert query(db, "SELECT headcount, controllers, end_reason FROM sessions") == [
        (20, None, "timer")
    ]
    assert query(db, "SELECT sessions, controllers FROM session_totals") == [(1, 0)]
    assert "7 controllers" in caplog.text


def test_the_database_refuses_a_count_over_4(open_store: OpenStore, data_dir: Path) -> None:
    open_store().close()
    with (
        pytest.raises(sqlite3.IntegrityError, match="ck_sessions_controllers"),
        sqlite3.connect(database_path(data_dir)) as db,
    ):
        db.execute(
            "INSERT INTO sessions (id, station, kind, headcount, language, started_at, "
            "last_heartbeat_at, controllers) VALUES ('x', 'pc', 'group', 5, 'lv', 0, 0, 5)"
        )


# ----- migration 0002 on a database full of 0001 data ----------------------------------


def _database_at_0001(db_path: Path) -> None:
    """A usage database as Telpa 0.1 left it: raw rows, totals partly synced, sync state."""
    db_path.parent.mkdir(parents=True)
    engine = make_engine(db_path, foreign_keys=False)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
    engine.dispose()
    start = micros(NOW - timedelta(days=3))
    with sqlite3.connect(db_path) as db:
        for n in range(40):
            began = start + n * 900_000_000
            db.execute(
                "INSERT INTO sessions VALUES (?, 'test-pc-1', ?, ?, ?, 'lv', ?, ?, ?, 'home')",
                (
                    f"s{n:03d}",
                    "group" if n % 5 == 0 else "solo",
                    12 if n % 5 == 0 else 1,
                    None if n % 3 else "6-8",
                    began,
                    began + 600_000_000,
                    began + 590_000_000,
                ),
            )
            db.execute(
                "INSERT INTO activity_runs VALUES (?, ?, 'memory', ?, ?, 'completed', 2, 40)",
                (f"r{n:03d}", f"s{n:03d}", began + 10_000_000, began + 500_000_000),
            )
        for hour in range(10):
            db.execute(
                "INSERT INTO session_totals (date, hour, session_kind, age_band, sessions, "
                "child_visits, seconds, rev, synced_rev) VALUES ('2026-11-23', ?, 'solo', "
                "'none', 4, 4, 2400, ?, ?)",
                (hour, hour + 1, hour + 1 if hour < 6 else 0),
            )
            db.execute(
                "INSERT INTO activity_totals (date, hour, activity, session_kind, runs, "
                "completed_runs, seconds, rev, synced_rev) VALUES ('2026-11-23', ?, 'memory', "
                "'solo', 4, 4, 1960, ?, ?)",
                (hour, hour + 1, hour + 1),
            )
        db.execute("INSERT INTO kv VALUES ('sync.last_success_at', '1764000000000000')")


def _everything(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every 0001 column of every table, in a stable order."""
    columns = {
        "sessions": "id, station, kind, headcount, age_band, language, started_at, ended_at, "
        "last_heartbeat_at, end_reason",
        "activity_runs": "*",
        "session_totals": "id, date, hour, session_kind, age_band, sessions, child_visits, "
        "seconds, rev, synced_rev",
        "activity_totals": "*",
        "kv": "*",
        "problems": "*",
    }
    return {
        table: query(db_path, f"SELECT {names} FROM {table} ORDER BY 1")
        for table, names in columns.items()
    }


def test_migration_0002_upgrades_a_full_0001_database_in_place_and_loses_nothing(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    db_path = database_path(data_dir)
    _database_at_0001(db_path)
    before = _everything(db_path)
    assert query(db_path, "SELECT version_num FROM alembic_version") == [("0001",)]
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        f"site: {{timezone: Europe/Riga}}\nstation: {{id: test-pc-1}}\n"
        f"storage: {{data_dir: '{data_dir}'}}\n",
        encoding="utf-8",
    )

    upgraded = subprocess.run(
        [sys.executable, "-m", "kiosk", "db", "--config", str(config_file), "upgrade"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert "is at schema revision 0002" in upgraded.stdout
    assert head_revision() == "0002"
    assert query(db_path, "SELECT version_num FROM alembic_version") == [("0002",)]
    after = _everything(db_path)
    after["kv"] = [row for row in after["kv"] if row[0] != "identity"]  # added on first open
    assert after == before
    assert query(db_path, "SELECT count(*) FROM sessions WHERE controllers IS NULL") == [(40,)]
    assert query(
        db_path, "SELECT sum(sessions_with_controllers), sum(controllers) FROM session_totals"
    ) == [(0, 0)]
    # No rev moved: exactly the rows that waited before wait now, nothing is sent again.
    with Outbox.open(data_dir) as outbox:
        assert outbox.rows_waiting() == 4

    # The upgraded database records a group with controllers like a new one.
    store = UsageStore.open(data_dir, riga_config(), clock=fixed_clock(NOW))
    try:
        store.record(SessionStarted("g1", "group", 9, "9-11", "lv", at(0), controllers=4))
        store.record(RunStarted("g1-r", "g1", "quiz", 1, at(1)))
        store.record(RunEnded("g1-r", "completed", 1, 9, at(20)))
        store.record(SessionEnded("g1", "librarian", at(30)))
        assert store.flush(30)
    finally:
        store.close()
    assert query(
        db_path,
        "SELECT sessions, child_visits, sessions_with_controllers, controllers FROM "
        "session_totals WHERE date = '2026-11-26'",
    ) == [(1, 9, 1, 4)]
    old = _everything(db_path)["session_totals"]
    assert [row for row in old if row[1] == "2026-11-23"] == before["session_totals"]
