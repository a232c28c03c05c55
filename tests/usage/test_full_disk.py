"""A full (or read-only, or failing) disk pauses recording; it never costs a child's run,
a kiosk start, or a record that could still be written once space returns."""

from __future__ import annotations

import errno
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pygame
import pytest
from sqlalchemy import exc as sa_exc
from usage_helpers import NOW, FullDisk, micros, query, riga_config

from kiosk import routes
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.sessions import RunEnded, RunStarted, SessionEnded, SessionHeartbeat, SessionStarted
from kiosk.usage import DataFolderError, UsageStore, disk_trouble
from kiosk.usage import store as store_module
from kiosk.usage.db import TRANSACTION_HOOKS

T0 = NOW - timedelta(hours=1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


class RetryClock:
    """The store's monotonic clock for retries: moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _session(store: UsageStore, name: str, minute: float) -> None:
    store.record(SessionStarted(name, "solo", 1, None, "lv", T0 + timedelta(minutes=minute)))
    store.record(RunStarted(f"{name}-run", name, "quiz", 1, T0 + timedelta(minutes=minute)))
    store.record(RunEnded(f"{name}-run", "completed", 1, 7, T0 + timedelta(minutes=minute + 1)))
    store.record(SessionEnded(name, "home", T0 + timedelta(minutes=minute + 2)))


def test_disk_trouble_tells_a_full_or_failing_disk_from_a_bad_record(tmp_path: Path) -> None:
    full = sqlite3.connect(tmp_path / "full.db")
    full.execute("CREATE TABLE t (x TEXT)")
    full.execute("PRAGMA max_page_count = 1")
    with pytest.raises(sqlite3.OperationalError) as caught:
        full.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    full.close()
    assert str(caught.value) == "database or disk is full"
    assert disk_trouble(caught.value) == "full"
    wrapped = sa_exc.OperationalError("INSERT", {}, caught.value)
    assert disk_trouble(wrapped) == "full"
    assert disk_trouble(OSError(errno.ENOSPC, "No space left on device")) == "full"
    assert disk_trouble(OSError(errno.EFBIG, "File too large")) == "full"
    assert disk_trouble(OSError(errno.EROFS, "Read-only file system")) == "unwritable"
    try:
        raise DataFolderError(tmp_path, "cannot write in it", errno.ENOSPC)
    except DataFolderError as folder_error:
        assert disk_trouble(folder_error) == "full"
    # A config mistake or a record that does not fit is not the disk's doing.
    assert disk_trouble(OSError(errno.EACCES, "Permission denied")) is None
    assert disk_trouble(DataFolderError(tmp_path, "cannot write in it", errno.EACCES)) is None
    bad = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.IntegrityError) as integrity:
        bad.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        bad.execute("INSERT INTO t VALUES (1), (1)")
    assert disk_trouble(integrity.value) is None
    assert disk_trouble(ValueError("no")) is None


def test_a_disk_filling_up_keeps_every_event_and_writes_them_when_space_returns(
    data_dir: Path, full_disk: FullDisk
) -> None:
    retry = RetryClock()
    store = UsageStore.open(data_dir, riga_config(), monotonic=retry)
    try:
        _session(store, "before", 0)
        assert store.flush()
        full_disk.fill()
        n = 0
        while store.recording_paused is None:  # until the pages left in the file are used
            n += 1
            assert n < 500, "the database never filled up"
            _session(store, f"s{n:03}", n)
            assert store.flush()
        assert store.recording_paused.trouble == "full"
        assert store.recording_paused.folder == data_dir
        assert store.dropped == 0  # the failed batch is kept, not split and thrown away
        for extra in range(n + 1, n + 6):
            _session(store, f"s{extra:03}", extra)
        store.flush()
        assert store.pending > 0
        retry.advance(store_module.RETRY_FIRST_S)
        store.flush()  # a retry on a disk that is still full: still kept
        assert store.recording_paused is not None and store.dropped == 0

        full_disk.free()
        retry.advance(store_module.RETRY_MAX_S)
        assert store.flush()
        assert store.recording_paused is None and store.pending == 0
    finally:
        store.close()
    assert store.dropped == 0
    names = [name for (name,) in query(data_dir / "usage.db", "SELECT id FROM sessions")]
    assert sorted(names) == ["before"] + [f"s{i:03}" for i in range(1, n + 6)]
    runs = query(data_dir / "usage.db", "SELECT outcome, score FROM activity_runs")
    assert runs == [("completed", 7)] * (n + 6)
    totals = query(data_dir / "usage.db", "SELECT sum(sessions) FROM session_totals")
    assert totals == [(n + 6,)]


def test_a_full_disk_at_start_opens_the_store_paused_and_creates_the_database_later(
    data_dir: Path, full_disk: FullDisk
) -> None:
    full_disk.fill()
    retry = RetryClock()
    store = UsageStore.open(data_dir, riga_config(), monotonic=retry)  # does not raise
    try:
        assert store.recording_paused is not None
        assert store.recording_paused.trouble == "full"
        _session(store, "early", 0)
        store.record(SessionStarted("open", "group", 12, "9-11", "lt", at(10)))
        for minute in range(11, 40):
            store.record(SessionHeartbeat("open", at(minute)))
        assert store.flush()
        assert store.pending == 6  # five events and one heartbeat: heartbeats fold

        full_disk.free()
        assert store.flush()
        assert store.recording_paused is not None  # no retry before its time
        retry.advance(store_module.RETRY_FIRST_S)
        assert store.flush()
        assert store.recording_paused is None and store.pending == 0
        assert store.db_instance_id
    finally:
        store.close()
    assert store.dropped == 0
    assert query(data_dir / "usage.db", "SELECT id, end_reason FROM sessions ORDER BY id") == [
        ("early", "home"),
        ("open", None),
    ]
    [(heartbeat,)] = query(
        data_dir / "usage.db", "SELECT last_heartbeat_at FROM sessions WHERE id = 'open'"
    )
    assert heartbeat == micros(at(39))


def test_beyond_the_bound_the_oldest_events_are_dropped_counted_and_the_rest_kept(
    data_dir: Path, full_disk: FullDisk
) -> None:
    full_disk.fill()
    retry = RetryClock()
    store = UsageStore.open(data_dir, riga_config(), monotonic=retry)
    store.max_pending = 40
    try:
        for n in range(15):  # 60 events into room for 40
            _session(store, f"s{n:02}", n)
        assert store.flush()
        assert store.pending == 40 and store.dropped == 20
        full_disk.free()
        retry.advance(store_module.RETRY_FIRST_S)
        assert store.flush()
    finally:
        store.close()
    assert store.dropped == 20
    # The newest ten sessions arrive whole; the oldest five were lost.
    names = [name for (name,) in query(data_dir / "usage.db", "SELECT id FROM sessions")]
    assert sorted(names) == [f"s{n:02}" for n in range(5, 15)]


def test_what_still_waits_when_the_store_closes_on_a_full_disk_is_counted_as_lost(
    data_dir: Path, full_disk: FullDisk
) -> None:
    full_disk.fill()
    store = UsageStore.open(data_dir, riga_config(), monotonic=RetryClock())
    _session(store, "s1", 0)
    store.close()
    assert store.dropped == 4 and store.pending == 0


PIN = "2468"


def _open_panel(kiosk: Harness) -> Any:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    panel = kiosk.app.scene(routes.Panel)
    assert panel is not None
    return panel


def test_children_play_on_a_full_disk_the_panel_warns_and_runs_arrive_when_space_returns(
    tmp_path: Path, full_disk: FullDisk
) -> None:
    config = parse_config("{}", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    data = tmp_path / "data"
    retry = RetryClock()
    full_disk.fill()
    store = UsageStore.open(data, config, monotonic=retry)
    with Harness(config, sink=store, data_folder=data, lang="lv") as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:memory")
        kiosk.wait(31)
        kiosk.tap_button("home")
        kiosk.tap_button("bye")
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:memory")
        assert kiosk.scene_name == "ActivityHost"  # the child plays on
        assert store.flush() and store.pending > 0
        assert (
            not (data / "usage.db").exists()
            or query(data / "usage.db", "SELECT name FROM sqlite_master WHERE name = 'sessions'")
            == []
        )

        panel = _open_panel(kiosk)
        assert panel.warnings[0] == (
            f"Lietojuma reģistrēšana ir apturēta: disks, kurā atrodas mape {data}, ir pilns. "
            "Atbrīvojiet vietu — reģistrēšana atsāksies pati."
        )
        kiosk.tap_button("panel:close")

        full_disk.free()
        retry.advance(store_module.RETRY_FIRST_S)
        assert store.flush()
        assert store.recording_paused is None and store.pending == 0
        # Recorded by itself, while the kiosk still runs: the first visit and its run.
        assert query(data / "usage.db", "SELECT end_reason FROM sessions WHERE ended_at") == [
            ("home",)
        ]
    assert store.dropped == 0
    runs = query(
        data / "usage.db",
        "SELECT r.activity, r.outcome, s.end_reason FROM activity_runs r "
        "JOIN sessions s ON s.id = r.session_id ORDER BY r.started_at",
    )
    assert [(a, o) for a, o, _r in runs] == [("memory", "quit"), ("memory", "quit")]


def test_the_panel_counts_the_records_a_long_full_disk_cost(
    tmp_path: Path, full_disk: FullDisk
) -> None:
    config = parse_config("{}", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    data = tmp_path / "data"
    full_disk.fill()
    store = UsageStore.open(data, config, monotonic=RetryClock())
    store.max_pending = 2  # a very long time on a full disk, in short
    with Harness(config, sink=store, data_folder=data, lang="en") as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:memory")
        kiosk.tap_button("home")
        kiosk.tap_button("bye")
        assert store.flush() and store.dropped > 1
        panel = _open_panel(kiosk)
        assert panel.warnings[:2] == [
            f"Recording is paused: the disk holding {data} is full. "
            "Free some space; recording resumes by itself.",
            f"{store.dropped} usage records could not be saved and are lost (see the log).",
        ]


def test_a_disk_turned_read_only_pauses_recording_too_and_it_resumes(data_dir: Path) -> None:
    read_only = {"on": False}

    def before_transaction(connection: sqlite3.Connection) -> None:
        # What SQLite says when the file system is remounted read-only: SQLITE_READONLY.
        connection.execute(f"PRAGMA query_only = {int(read_only['on'])}")

    TRANSACTION_HOOKS.append(before_transaction)
    retry = RetryClock()
    store = UsageStore.open(data_dir, riga_config(), monotonic=retry)
    try:
        read_only["on"] = True
        _session(store, "s1", 0)
        assert store.flush()
        assert store.recording_paused is not None
        assert store.recording_paused.trouble == "unwritable"
        assert "readonly" in store.recording_paused.detail
        read_only["on"] = False
        retry.advance(store_module.RETRY_FIRST_S)
        assert store.flush() and store.recording_paused is None
    finally:
        store.close()
        TRANSACTION_HOOKS.remove(before_transaction)
    assert store.dropped == 0
    assert query(data_dir / "usage.db", "SELECT id FROM sessions") == [("s1",)]
