"""Opening the store when the data folder or the database is not as it should be."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from usage_helpers import NOW, OpenStore, query

from kiosk.sessions import SessionEnded, SessionStarted
from kiosk.usage import DataFolderError, UsageStoreError

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_missing_data_folder_is_created(open_store: OpenStore, tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "inside" / "data"
    open_store(folder=folder)
    assert (folder / "usage.db").is_file()


def test_garbage_database_is_moved_aside_and_a_fresh_one_started(
    open_store: OpenStore, data_dir: Path
) -> None:
    data_dir.mkdir()
    garbage = b"this is not a database, just bytes\x00\xff" * 200
    (data_dir / "usage.db").write_bytes(garbage)

    store = open_store()

    moved = data_dir / "usage.db.corrupt-20261126T120000Z"
    assert store.moved_aside == moved
    assert moved.read_bytes() == garbage  # kept as it was, never deleted
    [problem] = store.problems()
    assert problem.code == "database_moved_aside"
    assert moved.name in problem.message and problem.at == NOW
    store.record(SessionStarted("s1", "solo", 1, None, "lv", T0))
    store.close()
    assert query(data_dir / "usage.db", "SELECT id FROM sessions") == [("s1",)]


def test_damaged_pages_are_detected_too(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    for n in range(300):
        store.record(SessionStarted(f"session-{n:04}", "solo", 1, None, "lv", T0))
        store.record(SessionEnded(f"session-{n:04}", "home", T0 + timedelta(minutes=n)))
    store.close()
    db_path = data_dir / "usage.db"
    size = db_path.stat().st_size
    with db_path.open("r+b") as handle:  # scribble over the pages after the first
        handle.seek(4096 * 2)
        handle.write(os.urandom(min(size - 4096 * 2, 4096 * 4)))

    reopened = open_store(now=NOW + timedelta(hours=1))

    assert reopened.moved_aside is not None and reopened.moved_aside.exists()
    assert [p.code for p in reopened.problems()] == ["database_moved_aside"]


def test_the_warning_stays_until_the_librarian_dismisses_it(
    open_store: OpenStore, data_dir: Path
) -> None:
    data_dir.mkdir()
    (data_dir / "usage.db").write_bytes(b"\x13" * 5000)
    first = open_store()
    first.close()
    second = open_store()
    [problem] = second.problems()
    assert second.moved_aside is None  # the fresh database is fine: nothing moved twice
    second.dismiss_problem(problem.id)
    assert second.problems() == []
    second.close()
    assert open_store().problems() == []


def test_two_corrupt_files_in_the_same_second_are_both_kept(
    open_store: OpenStore, data_dir: Path
) -> None:
    data_dir.mkdir()
    for _ in range(2):
        (data_dir / "usage.db").write_bytes(b"garbage" * 1000)
        for side in ("usage.db-wal", "usage.db-shm"):
            (data_dir / side).unlink(missing_ok=True)
        open_store().close()
    kept = sorted(p.name for p in data_dir.glob("usage.db.corrupt-*") if "-wal" not in p.name)
    assert kept == ["usage.db.corrupt-20261126T120000Z", "usage.db.corrupt-20261126T120000Z-1"]


def test_data_folder_that_cannot_be_created_says_which_and_what_to_do(
    open_store: OpenStore, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataFolderError) as caught:
        open_store(folder=blocker / "data")
    message = str(caught.value)
    assert str(blocker / "data") in message
    assert "storage.data_dir" in message and "KIOSK_DATA_DIR" in message
    assert isinstance(caught.value, UsageStoreError)


def test_read_only_data_folder_says_which_and_what_to_do(
    open_store: OpenStore, data_dir: Path
) -> None:
    data_dir.mkdir()
    data_dir.chmod(0o500)
    try:
        if os.access(data_dir, os.W_OK):
            pytest.skip("this user may write even to read-only folders (root, Windows)")
        with pytest.raises(DataFolderError, match="cannot write in it") as caught:
            open_store()
        assert str(data_dir) in str(caught.value)
    finally:
        data_dir.chmod(0o700)


def test_a_database_of_another_station_is_moved_aside_not_sent_as_this_one(
    open_store: OpenStore, data_dir: Path
) -> None:
    from kiosk.config import parse_config

    # Tried out with the demo config first...
    demo = open_store(config=parse_config("site: {timezone: Europe/Riga}"))
    demo.record(SessionStarted("s1", "group", 12, None, "lv", T0))
    demo.record(SessionEnded("s1", T0 + timedelta(minutes=30), "librarian"))
    demo.close()
    # ...then set up as Ludza's whiteboard: the demo's usage must not count as Ludza's.
    ludza = parse_config("site: {id: ludza}\nstation: {id: ludza-wb-1}")
    store = open_store(config=ludza)
    moved = data_dir / "usage.db.other-station-20261126T120000Z"
    assert store.moved_aside == moved and moved.is_file()
    [problem] = store.problems()
    assert problem.code == "database_of_other_station"
    assert "demo/demo-pc-1" in problem.message and "ludza/ludza-wb-1" in problem.message
    store.close()
    assert query(data_dir / "usage.db", "SELECT count(*) FROM sessions") == [(0,)]
    assert query(data_dir / "usage.db", "SELECT value FROM kv WHERE key = 'identity'") == [
        ("ludza/ludza-wb-1",)
    ]
    # Opening it again as the same station changes nothing.
    again = open_store(config=ludza)
    assert again.moved_aside is None
