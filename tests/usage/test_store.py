"""UsageStore as the shell uses it: record events, close, reopen, read what was kept."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from usage_helpers import NOW, OpenStore, micros, query

from kiosk.sessions import (
    RunEnded,
    RunStarted,
    SessionChanged,
    SessionEnded,
    SessionHeartbeat,
    SessionManager,
    SessionStarted,
)

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 14:00 in Riga


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_recorded_session_and_runs_survive_close_and_reopen(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    store.record(SessionStarted("s1", "group", 23, None, "lv", at(0)))
    store.record(SessionChanged("s1", "9-11", "lt"))
    store.record(RunStarted("r1", "s1", "quiz", 2, at(1)))
    store.record(RunEnded("r1", "completed", 3, 120, at(11)))
    store.record(RunStarted("r2", "s1", "memory", None, at(12)))
    store.record(RunEnded("r2", "quit", None, None, at(20)))
    store.record(SessionEnded("s1", "librarian", at(30)))
    store.close()

    reopened = open_store()
    assert reopened.recovered_sessions == 0
    db_path = data_dir / "usage.db"
    assert query(
        db_path,
        "SELECT id, station, kind, headcount, age_band, language, started_at, ended_at, "
        "end_reason FROM sessions",
    ) == [
        ("s1", "test-pc-1", "group", 23, "9-11", "lt", micros(at(0)), micros(at(30)), "librarian")
    ]
    assert query(
        db_path,
        "SELECT id, session_id, activity, started_at, ended_at, outcome, level, score "
        "FROM activity_runs ORDER BY started_at",
    ) == [
        ("r1", "s1", "quiz", micros(at(1)), micros(at(11)), "completed", 3, 120),
        ("r2", "s1", "memory", micros(at(12)), micros(at(20)), "quit", None, None),
    ]
    assert query(
        db_path,
        "SELECT date, hour, session_kind, age_band, sessions, child_visits, "
        "seconds FROM session_totals",
    ) == [("2026-11-25", 14, "group", "9-11", 1, 23, 1800)]


def test_the_shell_session_manager_writes_through_the_store(
    open_store: OpenStore, data_dir: Path
) -> None:
    clock = [T0]
    store = open_store()
    manager = SessionManager(store, lambda: clock[0])
    manager.start_session("solo", 1, None, "en")
    manager.start_run("memory")
    clock[0] = at(3)
    manager.heartbeat()
    manager.end_session("idle", run_outcome="idle")
    store.close()
    assert query(data_dir / "usage.db", "SELECT outcome, ended_at FROM activity_runs") == [
        ("idle", micros(at(3)))
    ]
    assert query(data_dir / "usage.db", "SELECT end_reason FROM sessions") == [("idle",)]


def test_heartbeat_moves_last_heartbeat_forward_only(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    store.record(SessionStarted("s1", "solo", 1, None, "lv", at(0)))
    store.record(SessionHeartbeat("s1", at(5)))
    store.record(SessionHeartbeat("s1", at(4)))
    assert store.flush()
    assert query(data_dir / "usage.db", "SELECT last_heartbeat_at FROM sessions") == [
        (micros(at(5)),)
    ]


def test_flush_commits_everything_recorded_so_far(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    for n in range(50):
        store.record(SessionStarted(f"s{n}", "solo", 1, None, "lv", at(n)))
    assert store.flush(timeout=30)
    assert query(data_dir / "usage.db", "SELECT count(*) FROM sessions") == [(50,)]


def test_events_that_do_not_fit_are_skipped_without_losing_the_others(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    store.record(SessionStarted("s1", "solo", 1, None, "lv", at(0)))
    store.record(SessionStarted("s1", "group", 5, None, "lv", at(1)))  # same id again
    store.record(RunEnded("nope", "completed", None, None, at(2)))  # unknown run
    store.record(RunStarted("r1", "missing-session", "quiz", None, at(2)))
    store.record(SessionEnded("s1", "home", at(3)))
    store.record(SessionEnded("s1", "idle", at(9)))  # an ended session is final
    store.close()
    assert store.dropped == 0
    assert query(data_dir / "usage.db", "SELECT kind, ended_at, end_reason FROM sessions") == [
        ("solo", micros(at(3)), "home")
    ]
    assert query(data_dir / "usage.db", "SELECT count(*) FROM activity_runs") == [(0,)]


def test_a_batch_with_an_event_the_database_refuses_is_rolled_back_and_retried_one_by_one(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    # Another program holds the write lock: the writer waits (busy timeout) with its first
    # event while the rest queue up, and then takes them as one batch.
    holder = sqlite3.connect(data_dir / "usage.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    store.record(SessionStarted("s0", "solo", 1, None, "lv", at(0)))
    store.record(SessionStarted("s1", "solo", 1, None, "lv", at(1)))
    store.record(SessionStarted("bad", "weird", 1, None, "lv", at(1)))  # fails the CHECK
    store.record(RunStarted("r1", "s1", "quiz", 2, at(2)))
    store.record(RunEnded("r1", "completed", 3, 80, at(4)))
    store.record(SessionEnded("s1", "home", at(5)))
    holder.execute("COMMIT")
    holder.close()
    store.close()
    assert store.dropped == 1
    db = data_dir / "usage.db"
    assert query(db, "SELECT id, ended_at FROM sessions ORDER BY id") == [
        ("s0", None),
        ("s1", micros(at(5))),
    ]
    assert query(db, "SELECT id, outcome, level, score FROM activity_runs") == [
        ("r1", "completed", 3, 80)
    ]
    assert query(db, "SELECT sum(sessions), sum(seconds) FROM session_totals") == [(1, 240)]


def test_ending_a_session_ends_its_open_run(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    store.record(SessionStarted("s1", "solo", 1, None, "lv", at(0)))
    store.record(RunStarted("r1", "s1", "quiz", None, at(1)))
    store.record(SessionEnded("s1", "timer", at(4)))
    store.close()
    assert query(data_dir / "usage.db", "SELECT outcome, ended_at FROM activity_runs") == [
        ("quit", micros(at(4)))
    ]


def test_clock_jumping_back_gives_a_zero_length_row(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    store.record(SessionStarted("s1", "solo", 1, None, "lv", at(10)))
    store.record(SessionEnded("s1", "home", at(5)))
    store.close()
    assert query(data_dir / "usage.db", "SELECT started_at, ended_at FROM sessions") == [
        (micros(at(10)), micros(at(10)))
    ]


def test_record_after_close_is_dropped_quietly(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    store.close()
    store.record(SessionStarted("late", "solo", 1, None, "lv", at(0)))
    store.close()
    assert query(data_dir / "usage.db", "SELECT count(*) FROM sessions") == [(0,)]


def test_store_remembers_its_database_instance(open_store: OpenStore, data_dir: Path) -> None:
    first = open_store()
    first.close()
    second = open_store(now=NOW + timedelta(days=1))
    assert first.db_instance_id and first.db_instance_id == second.db_instance_id
    assert second.db_path == data_dir / "usage.db"
