"""Property: incrementally maintained totals always equal a from-scratch aggregation.

Random streams of sessions and runs around midnight and around the Europe/Riga DST
changes of 2026-03-29 and 2026-10-25, some cut off by a "crash" (never ended, closed at
the next open), written in two sittings. After each sitting the totals must equal an
independent Python aggregation of the raw rows, a full SQL rebuild must change nothing,
and between the sittings a row's rev must have grown exactly when its values changed."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from usage_helpers import (
    RIGA,
    fixed_clock,
    reference_totals,
    revs,
    riga_config,
    stored_totals,
    write_transaction,
)

from kiosk.sessions import (
    RunEnded,
    RunStarted,
    SessionChanged,
    SessionEnded,
    SessionHeartbeat,
    SessionStarted,
    UsageEvent,
)
from kiosk.usage import UsageStore
from kiosk.usage.totals import rebuild_totals

ANCHORS = (
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Riga springs forward 03:00 EET -> 04:00 EEST
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # Riga falls back 04:00 EEST -> 03:00 EET
    datetime(2026, 6, 30, 21, 0, tzinfo=UTC),  # midsummer midnight in Riga
    datetime(2026, 12, 31, 22, 0, tzinfo=UTC),  # New Year's midnight in Riga
)
ACTIVITIES = ("memory", "quiz", "drawing")
OUTCOMES = ("completed", "quit", "idle", "error")
NOW = datetime(2027, 1, 15, tzinfo=UTC)


@dataclass(frozen=True)
class RunPlan:
    gap_s: int
    length_s: int
    activity: str
    outcome: str


@dataclass(frozen=True)
class SessionPlan:
    start: datetime
    kind: str
    headcount: int
    band: str | None
    picked_band: str | None
    runs: list[RunPlan]
    crash: bool
    tail_s: int

    def events(self, sid: str) -> list[UsageEvent]:
        out: list[UsageEvent] = [
            SessionStarted(sid, self.kind, self.headcount, self.band, "lv", self.start)  # type: ignore[arg-type]
        ]
        if self.picked_band is not None:
            out.append(SessionChanged(sid, self.picked_band, "lt"))
        at = self.start
        for n, run in enumerate(self.runs):
            at += timedelta(seconds=run.gap_s)
            out.append(RunStarted(f"{sid}-r{n}", sid, run.activity, None, at))
            at += timedelta(seconds=run.length_s)
            if self.crash and n == len(self.runs) - 1:
                break  # the crash comes during the last run
            out.append(RunEnded(f"{sid}-r{n}", run.outcome, 1, n, at))  # type: ignore[arg-type]
        at += timedelta(seconds=self.tail_s)
        if self.crash:
            out.append(SessionHeartbeat(sid, at))
        else:
            out.append(SessionEnded(sid, "home", at))
        return out


run_plans = st.builds(
    RunPlan,
    gap_s=st.integers(0, 900),
    length_s=st.one_of(st.integers(0, 1800), st.integers(3000, 9000)),
    activity=st.sampled_from(ACTIVITIES),
    outcome=st.sampled_from(OUTCOMES),
)


@st.composite
def session_plans(draw: st.DrawFn) -> SessionPlan:
    kind = draw(st.sampled_from(["solo", "group"]))
    start = (
        draw(st.sampled_from(ANCHORS))
        + timedelta(seconds=draw(st.integers(-5 * 3600, 4 * 3600)))
        + timedelta(microseconds=draw(st.sampled_from([0, 1, 499_999, 500_000, 999_999])))
    )
    return SessionPlan(
        start=start,
        kind=kind,
        headcount=1 if kind == "solo" else draw(st.integers(1, 60)),
        band=draw(st.sampled_from([None, "6-8", "9-11", "12-14"])),
        picked_band=draw(st.sampled_from([None, None, "6-8", "skip"])),
        runs=draw(st.lists(run_plans, max_size=4)),
        crash=draw(st.booleans()),
        tail_s=draw(st.integers(0, 4000)),
    )


def _sitting(folder: Path, events: list[UsageEvent]) -> None:
    """Open the store (which recovers any crash), record, close."""
    store = UsageStore.open(folder, riga_config(), clock=fixed_clock(NOW))
    for event in events:
        store.record(event)
    store.close()
    assert store.dropped == 0


def _check_against_scratch(db_path: Path) -> None:
    sessions, runs = reference_totals(db_path, RIGA)
    assert stored_totals(db_path, "session_totals") == sessions
    assert stored_totals(db_path, "activity_totals") == runs
    with write_transaction(db_path) as connection:
        assert rebuild_totals(connection, ZoneInfo(RIGA)) == 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plans=st.lists(session_plans(), min_size=1, max_size=12), split=st.integers(0, 12))
def test_incremental_totals_equal_a_from_scratch_aggregation(
    plans: list[SessionPlan], split: int
) -> None:
    streams = [plan.events(f"s{n}") for n, plan in enumerate(plans)]
    first = [event for stream in streams[:split] for event in stream]
    second = [event for stream in streams[split:] for event in stream]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "usage.db"

        _sitting(folder, first)
        _sitting(folder, [])  # reopening closes what the first sitting left open
        _check_against_scratch(db_path)
        before = {table: revs(db_path, table) for table in ("session_totals", "activity_totals")}

        _sitting(folder, second)
        _sitting(folder, [])
        _check_against_scratch(db_path)

        for table, old_rows in before.items():
            new_rows = revs(db_path, table)
            highest_before = max((rev for _, rev in old_rows.values()), default=0)
            for key, (values, rev) in new_rows.items():
                if key not in old_rows:
                    assert rev > highest_before
                    continue
                old_values, old_rev = old_rows[key]
                assert (rev > old_rev) if values != old_values else (rev == old_rev)
