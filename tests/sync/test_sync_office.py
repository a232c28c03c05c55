"""A real kiosk client against the real office on loopback (SQLite and PostgreSQL): resend,
replay, reorder, a wiped kiosk, an office that is down then back, rows that change during an
upload, a USB file followed by an online sync. In every case the office's totals (summed
over db_instance_id) equal the sum of the kiosks' own totals exactly."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sync_helpers import (
    Kiosk,
    MakeKiosk,
    OfficeServer,
    add_totals,
    kiosk_totals,
    pending,
    recent,
)

from kiosk.office.ingest import ingest
from kiosk.sync.cli import run_sync
from kiosk.sync.client import (
    BatchRejected,
    OfficeClient,
    OfficeUnavailable,
    build_body,
    encode_body,
    push_pending,
)
from kiosk.usage.outbox import Outbox


def _now() -> datetime:
    return datetime.now(UTC)


def _busy_day(kiosk: Kiosk, days_ago: float) -> None:
    """A morning of solo children and an afternoon group, over a few hours."""
    kiosk.play(recent(days_ago, 7), runs=(("memory", "completed", 400), ("quiz", "quit", 90)))
    kiosk.play(recent(days_ago, 7.5), age_band="6-8", runs=(("jigsaw", "completed", 1200),))
    kiosk.play(
        recent(days_ago, 11),
        kind="group",
        headcount=23,
        age_band="9-11",
        runs=(("quiz", "completed", 1500), ("memory", "idle", 600), ("quiz", "completed", 900)),
    )
    kiosk.play(recent(days_ago, 13), runs=(("drawing", "quit", 5000),))


def _push(kiosk: Kiosk, http: httpx.Client | None = None, max_rows: int = 5000):  # type: ignore[no-untyped-def]
    with Outbox.open(kiosk.data_dir) as outbox, OfficeClient(kiosk.office_url, http=http) as office:
        return push_pending(outbox, office, kiosk.config, now=_now, max_rows=max_rows)


def _assert_office_matches(office: OfficeServer, token: str, *parts: tuple) -> None:  # type: ignore[type-arg]
    assert office.totals(token) == add_totals(*parts)


def test_two_kiosks_push_in_small_batches_and_the_office_sums_them_exactly(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc, board = make_kiosk("ludza-pc-1"), make_kiosk("ludza-wb-1")
    for days in (1, 2, 3):
        _busy_day(pc, days)
    _busy_day(board, 1)
    waiting = pending(pc.db_path)
    result = _push(pc, max_rows=7)
    assert result.error is None
    assert len(result.batches) == -(-waiting // 7)
    assert sum(s.imported for _b, s in result.batches) == waiting
    assert pending(pc.db_path) == 0
    assert _push(board).error is None
    _assert_office_matches(
        office,
        site_token,
        kiosk_totals(pc.db_path, pc.station),
        kiosk_totals(board.db_path, board.station),
    )
    # Nothing pending: one empty batch tells the office the station is alive.
    again = _push(pc)
    assert again.error is None and again.rows_sent == 0 and len(again.batches) == 1


def test_resending_the_same_rows_changes_nothing(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _busy_day(pc, 2)
    with Outbox.open(pc.data_dir) as outbox, OfficeClient(office.url) as client:
        (batch,) = list(outbox.batches(5000))
        first = client.post_totals(
            site_token, build_body(pc.config, outbox.db_instance_id(), batch, _now())
        )
        second = client.post_totals(
            site_token, build_body(pc.config, outbox.db_instance_id(), batch, _now())
        )
    assert first.imported == len(batch) and first.conflicts == ()
    assert (second.imported, second.updated, second.unchanged) == (0, 0, len(batch))
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))


def test_a_replayed_batch_id_gets_the_stored_answer_and_a_changed_body_is_refused(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _busy_day(pc, 1)
    with Outbox.open(pc.data_dir) as outbox, OfficeClient(office.url) as client:
        (batch,) = list(outbox.batches(5000))
        body = build_body(pc.config, outbox.db_instance_id(), batch, _now())
        first = client.post_totals(site_token, encode_body(body))
        replay = client.post_totals(site_token, encode_body(body))
        assert replay == first  # the stored response, verbatim: still "imported"
        body["session_totals"][0]["sessions"] += 1
        with pytest.raises(BatchRejected) as refused:
            client.post_totals(site_token, encode_body(body))
    assert refused.value.status == 422 and "BATCH_ID_REUSED" in str(refused.value)
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))


def test_an_older_rev_arriving_after_a_newer_one_is_ignored_as_stale(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    pc.play(recent(1, 9))
    with Outbox.open(pc.data_dir) as outbox:
        (older,) = list(outbox.batches(5000))
        pc.play(recent(1, 9.5), runs=(("memory", "quit", 60),))  # the same hour and keys
        (newer,) = list(outbox.batches(5000))
        instance = outbox.db_instance_id()
    assert {r.id for r in older.session_rows} == {r.id for r in newer.session_rows}
    assert newer.max_rev("session_totals") > older.max_rev("session_totals")
    with OfficeClient(office.url) as client:
        client.post_totals(site_token, build_body(pc.config, instance, newer, _now()))
        late = client.post_totals(site_token, build_body(pc.config, instance, older, _now()))
    assert late.conflicts and {c.code for c in late.conflicts} == {"STALE"}
    assert late.ignored == len(older)
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))


def test_a_wiped_kiosk_database_keeps_its_rows_apart_and_the_office_sums_both(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _busy_day(pc, 2)
    assert _push(pc).error is None
    before_wipe = kiosk_totals(pc.db_path, pc.station)
    with Outbox.open(pc.data_dir) as outbox:
        old_instance = outbox.db_instance_id()
    pc.wipe()
    with Outbox.open(pc.data_dir) as outbox:
        assert outbox.db_instance_id() != old_instance
    _busy_day(pc, 2)  # the same hours again: the new database's rev starts at 1 again
    assert _push(pc).error is None
    after_wipe = kiosk_totals(pc.db_path, pc.station)
    assert after_wipe == before_wipe  # same play, same totals: the office must count both
    _assert_office_matches(office, site_token, before_wipe, after_wipe)


def test_an_office_that_is_down_loses_nothing_and_the_kiosk_catches_up(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _busy_day(pc, 1)
    waiting = pending(pc.db_path)
    office.stop()
    result = _push(pc)
    assert isinstance(result.error, OfficeUnavailable) and result.batches == []
    assert pending(pc.db_path) == waiting
    _busy_day(pc, 0.5)
    office.start()
    assert _push(pc).error is None
    assert pending(pc.db_path) == 0
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))


def test_rows_that_change_while_a_batch_is_on_its_way_stay_pending(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _busy_day(pc, 1)
    played = []

    def child_plays_during_upload(response: httpx.Response) -> None:
        if not played:  # the office has the batch; the kiosk has not marked it yet
            played.append(True)
            pc.play(recent(1, 7.2), runs=(("memory", "completed", 30),))

    with httpx.Client(event_hooks={"response": [child_plays_during_upload]}) as http:
        assert _push(pc, http=http).error is None
    assert played
    assert pending(pc.db_path) >= 2  # the 07:00 session row and the memory row changed
    assert office.totals(site_token) != add_totals(kiosk_totals(pc.db_path, pc.station))
    assert _push(pc).error is None
    assert pending(pc.db_path) == 0
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))


def test_a_usb_export_imported_at_the_office_makes_the_online_sync_unchanged(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str, tmp_path: Path
) -> None:
    pc = make_kiosk()
    for days in (1, 2):
        _busy_day(pc, days)
    waiting = pending(pc.db_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    out = io.StringIO()
    code = run_sync(pc.config, pc.data_dir, export=stick / "telpa.json", out=out, rows_per_file=10)
    assert code == 0, out.getvalue()
    files = sorted(stick.glob("*.json"))
    assert len(files) == -(-waiting // 10)
    imported = 0
    for file in files:
        status, answer = ingest(office.engine, None, file.read_bytes())
        assert status == 200, answer
        imported += answer["counts"]["imported"]
    assert imported == waiting
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))
    assert pending(pc.db_path) == waiting  # exported is not synced: the next sync resends
    result = _push(pc)
    assert result.error is None
    assert sum(s.unchanged for _b, s in result.batches) == waiting
    assert sum(s.imported + s.updated + s.ignored for _b, s in result.batches) == 0
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))


def test_kiosk_sync_prints_the_import_summary_and_conflicts(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    pc = make_kiosk()
    _busy_day(pc, 1)
    # A row only a broken clock could make: the office ignores it with a conflict.
    with Outbox.open(pc.data_dir):
        pass
    import sqlite3

    with sqlite3.connect(pc.db_path) as db:
        db.execute(
            "INSERT INTO activity_totals (date, hour, activity, session_kind, runs, "
            "completed_runs, seconds, rev, synced_rev) "
            "VALUES ('2019-05-01', 10, 'memory', 'solo', 1, 1, 60, 999, 0)"
        )
    out, err = io.StringIO(), io.StringIO()
    code = run_sync(pc.config, pc.data_dir, export=None, out=out, err=err)
    text = out.getvalue()
    assert code == 0, err.getvalue()
    assert "Batch 1:" in text and "imported" in text and "unchanged" in text
    assert "WARNING: the office ignored activity_totals row" in text
    assert "DATE_TOO_OLD" in text and "2019-05-01 10:00 memory solo" in text
    assert pending(pc.db_path) == 0  # ignored rows count as sent: never resent forever
    assert json.dumps(text).count(site_token) == 0


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t


def test_the_background_service_backs_off_while_the_office_is_down_then_catches_up(
    make_kiosk: MakeKiosk, office: OfficeServer, site_token: str
) -> None:
    """The real worker thread retrying on its own, on a fake monotonic clock: each time the
    clock passes the backoff, a wake-up that asks for no sync (`refresh`) finds it due."""
    from kiosk.sync.client import Backoff
    from kiosk.sync.service import SyncService

    clock = FakeClock()

    def tries_on_its_own(attempt: int) -> bool:
        """Move the clock past the longest backoff and wake the worker without asking for a
        sync; again if the worker read the clock for its next try only after the move."""
        for _ in range(30):
            clock.t += 240
            service.refresh()
            if service.wait_for_attempt(attempt, 1):
                return True
        return False

    pc = make_kiosk()
    _busy_day(pc, 1)
    office.stop()
    service = SyncService(
        pc.config,
        pc.data_dir,
        wall=_now,
        monotonic=clock,
        backoff=Backoff(base_s=30, cap_s=240),
        first_delay_s=3600,
    )
    service.start()
    try:
        assert service.wait_for_attempt(service.sync_now(), 30)
        assert service.status().last_error == "unreachable"
        assert tries_on_its_own(2) and tries_on_its_own(3)  # nobody asked for these
        assert service.status().last_success_at is None
        _busy_day(pc, 0.5)  # children keep playing meanwhile
        office.start()
        assert tries_on_its_own(service.status().attempts + 1)
        status = service.status()
    finally:
        service.stop()
    assert status.last_success_at is not None
    assert status.last_error == "" and status.rows_waiting == 0
    assert status.attempts >= 4
    assert pending(pc.db_path) == 0
    _assert_office_matches(office, site_token, kiosk_totals(pc.db_path, pc.station))
