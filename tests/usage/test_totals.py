"""Hourly totals: local hours of the site's zone, DST, splitting, and how `rev` grows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from usage_helpers import (
    RIGA,
    OpenStore,
    query,
    revs,
    riga_config,
    stored_totals,
    write_transaction,
)

from kiosk.sessions import RunEnded, RunStarted, SessionChanged, SessionEnded, SessionStarted
from kiosk.usage import UsageStore
from kiosk.usage.totals import rebuild_totals


def _session(
    store: UsageStore,
    sid: str,
    start: datetime,
    end: datetime,
    *,
    kind: str = "solo",
    headcount: int = 1,
    band: str | None = None,
) -> None:
    store.record(SessionStarted(sid, kind, headcount, band, "lv", start))  # type: ignore[arg-type]
    store.record(SessionEnded(sid, "home", end))


def test_session_across_midnight_is_counted_on_its_start_day_and_split(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    # 23:40 to 00:50 in Riga (UTC+2 in December)
    start = datetime(2026, 12, 31, 21, 40, tzinfo=UTC)
    _session(store, "s1", start, start + timedelta(minutes=70), kind="group", headcount=12)
    store.close()
    assert stored_totals(data_dir / "usage.db", "session_totals") == {
        ("2026-12-31", 23, "group", "none"): (1, 12, 1200),
        ("2027-01-01", 0, "group", "none"): (0, 0, 3000),
    }


def test_spring_forward_hour_does_not_exist(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store()
    # Riga 2026-03-29: 02:30 EET (00:30 UTC) to 04:30 EEST (01:30 UTC); 03:xx never happens
    _session(
        store,
        "s1",
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    )
    store.close()
    assert stored_totals(data_dir / "usage.db", "session_totals") == {
        ("2026-03-29", 2, "solo", "none"): (1, 1, 1800),
        ("2026-03-29", 4, "solo", "none"): (0, 0, 1800),
    }


def test_both_occurrences_of_the_repeated_autumn_hour_share_one_key(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    # Riga 2026-10-25: 03:00-04:00 happens at 00:00-01:00 UTC (EEST) and 01:00-02:00 (EET)
    _session(
        store,
        "first",
        datetime(2026, 10, 25, 0, 10, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 40, tzinfo=UTC),
    )
    _session(
        store,
        "second",
        datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        band="12-14",
    )
    _session(
        store,
        "third",
        datetime(2026, 10, 25, 1, 50, tzinfo=UTC),
        datetime(2026, 10, 25, 2, 10, tzinfo=UTC),
    )
    store.close()
    assert stored_totals(data_dir / "usage.db", "session_totals") == {
        ("2026-10-25", 3, "solo", "none"): (2, 2, 1800 + 600),
        ("2026-10-25", 3, "solo", "12-14"): (1, 1, 1200),
        ("2026-10-25", 4, "solo", "none"): (0, 0, 600),
    }


def test_runs_count_in_their_start_hour_and_split_their_seconds(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    start = datetime(2026, 11, 25, 8, 50, tzinfo=UTC)  # 10:50 in Riga
    store.record(SessionStarted("s1", "solo", 1, None, "lv", start))
    store.record(RunStarted("r1", "s1", "quiz", None, start + timedelta(minutes=5)))
    store.record(RunEnded("r1", "completed", None, 9, start + timedelta(minutes=25)))
    store.record(RunStarted("r2", "s1", "quiz", None, start + timedelta(minutes=26)))
    store.record(RunEnded("r2", "error", None, None, start + timedelta(minutes=26)))
    store.record(SessionEnded("s1", "home", start + timedelta(minutes=30)))
    store.close()
    assert stored_totals(data_dir / "usage.db", "activity_totals") == {
        ("2026-11-25", 10, "quiz", "solo"): (1, 1, 300),
        ("2026-11-25", 11, "quiz", "solo"): (1, 0, 900),
    }


def test_no_age_band_is_one_key_however_it_is_spelled(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    for n, band in enumerate([None, "", "skip"]):
        _session(store, f"s{n}", start, start + timedelta(minutes=10), band=band)
    store.close()
    assert query(data_dir / "usage.db", "SELECT age_band, sessions FROM session_totals") == [
        ("none", 3)
    ]


def test_a_half_hour_zone_splits_at_its_own_hours(open_store: OpenStore, data_dir: Path) -> None:
    store = open_store(config=riga_config(timezone="Asia/Kolkata"))
    start = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 09:30 in Kolkata
    _session(store, "s1", start, start + timedelta(hours=1))
    store.close()
    assert stored_totals(data_dir / "usage.db", "session_totals") == {
        ("2026-11-25", 9, "solo", "none"): (1, 1, 1800),
        ("2026-11-25", 10, "solo", "none"): (0, 0, 1800),
    }


def test_rev_grows_only_for_rows_whose_values_change(open_store: OpenStore, data_dir: Path) -> None:
    db_path = data_dir / "usage.db"
    base = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 10:00 in Riga
    store = open_store()
    _session(store, "a", base, base + timedelta(minutes=10))
    assert store.flush()
    first = revs(db_path, "session_totals")
    [(key_10, (_, rev_a))] = first.items()

    _session(store, "b", base + timedelta(hours=2), base + timedelta(hours=2, minutes=5))
    assert store.flush()
    second = revs(db_path, "session_totals")
    assert second[key_10] == first[key_10]  # untouched hour keeps its rev
    rev_b = next(rev for key, (_, rev) in second.items() if key != key_10)
    assert rev_b > rev_a

    store.record(SessionChanged("a", None, "en"))  # language only: totals do not change
    _session(store, "c", base + timedelta(minutes=20), base + timedelta(minutes=30))
    assert store.flush()
    third = revs(db_path, "session_totals")
    assert third[key_10][0] == (2, 2, 1200) and third[key_10][1] > rev_b
    store.close()


def test_band_picked_after_the_session_ended_moves_its_count(
    open_store: OpenStore, data_dir: Path
) -> None:
    db_path = data_dir / "usage.db"
    base = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    store = open_store()
    _session(store, "a", base, base + timedelta(minutes=10))
    assert store.flush()
    [(old_key, (_, old_rev))] = revs(db_path, "session_totals").items()
    store.record(SessionChanged("a", "9-11", "lv"))
    store.close()
    rows = revs(db_path, "session_totals")
    # The old key stays, at zero, with a newer rev: the office must learn it emptied.
    assert rows[old_key][0] == (0, 0, 0) and rows[old_key][1] > old_rev
    assert rows[("2026-11-25", 10, "solo", "9-11")][0] == (1, 1, 600)


def test_full_rebuild_restores_totals_and_keeps_unchanged_revs(
    open_store: OpenStore, data_dir: Path
) -> None:
    store = open_store()
    base = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    for n in range(30):
        start = base + timedelta(minutes=17 * n)
        store.record(SessionStarted(f"s{n}", "solo", 1, None, "lv", start))
        store.record(RunStarted(f"r{n}", f"s{n}", "quiz", None, start))
        store.record(RunEnded(f"r{n}", "completed", None, None, start + timedelta(minutes=40)))
        store.record(SessionEnded(f"s{n}", "home", start + timedelta(minutes=50)))
    store.close()
    before = revs(data_dir / "usage.db", "activity_totals")
    with write_transaction(data_dir / "usage.db") as connection:
        connection.execute("DELETE FROM session_totals")
        assert rebuild_totals(connection, ZoneInfo(RIGA)) > 0  # only the deleted table
    assert revs(data_dir / "usage.db", "activity_totals") == before
