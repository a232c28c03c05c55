"""Usage-store benchmarks (not a test): prints figures and ratios measured in one run.

(a) Rebuilding activity totals from 1,000,000 raw runs (split at local hours of
    Europe/Riga, joined to their sessions, upserted with revs) against a bare SQLite
    GROUP BY over the same rows. Goal: ≤ 10×.
(b) Latency of `UsageStore.record()` on the calling thread over 50,000 events while the
    writer thread commits them. Goal: p99 ≤ 0.5 ms.

    python benchmarks/bench_usage.py [--runs N] [--events N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.sessions import (
    RunEnded,
    RunStarted,
    SessionEnded,
    SessionHeartbeat,
    SessionStarted,
    UsageEvent,
)
from kiosk.usage import UsageStore, upgrade
from kiosk.usage.db import connect, transaction
from kiosk.usage.schema import to_micros
from kiosk.usage.totals import ACTIVITY_TOTALS, rebuild_totals

ZONE = "Europe/Riga"
ACTIVITIES = ["memory", "quiz", "drawing", "puzzle", "stories", "letters", "numbers", "music"]
OUTCOMES = ["completed", "completed", "quit", "idle", "error"]
RUNS_PER_SESSION = 4


def fill(db_path: Path, runs: int, seed: int = 7) -> None:
    """A year of plausible sessions and runs, written straight to the raw tables."""
    rng = random.Random(seed)
    year_start = to_micros(datetime(2026, 1, 1, 7, tzinfo=UTC))
    sessions: list[tuple[object, ...]] = []
    run_rows: list[tuple[object, ...]] = []
    for n in range(runs // RUNS_PER_SESSION):
        start = year_start + rng.randrange(365) * 86_400_000_000 + rng.randrange(36_000) * 10**6
        at = start
        for m in range(RUNS_PER_SESSION):
            length = rng.randrange(30, 1200) * 10**6
            if rng.random() < 0.02:
                length = rng.randrange(3600, 7200) * 10**6  # a long group activity
            run_rows.append(
                (f"r{n}-{m}", f"s{n}", rng.choice(ACTIVITIES), at, at + length,
                 rng.choice(OUTCOMES), 1, 10)
            )  # fmt: skip
            at += length + rng.randrange(0, 60) * 10**6
        kind = "group" if rng.random() < 0.1 else "solo"
        headcount = rng.randrange(5, 30) if kind == "group" else 1
        sessions.append(
            (f"s{n}", "bench-1", kind, headcount, rng.choice([None, "6-8", "9-11", "12-14"]),
             "lv", start, at, at, "home")
        )  # fmt: skip
    conn = connect(db_path)
    with transaction(conn):
        conn.executemany(
            "INSERT INTO sessions (id, station, kind, headcount, age_band, language, started_at, "
            "ended_at, last_heartbeat_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            sessions,
        )
        conn.executemany(
            "INSERT INTO activity_runs (id, session_id, activity, started_at, ended_at, outcome, "
            "level, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            run_rows,
        )
    conn.close()


def bench_aggregation(folder: Path, runs: int, rounds: int = 3) -> None:
    db_path = folder / "usage.db"
    upgrade(db_path)
    started = time.perf_counter()
    fill(db_path, runs)
    print(f"(a) filled {runs:,} runs in {time.perf_counter() - started:.1f} s")
    conn = connect(db_path)
    zone = ZoneInfo(ZONE)

    def bare() -> float:
        started = time.perf_counter()
        with transaction(conn, write=False):
            conn.execute(
                "SELECT activity, started_at / 3600000000 AS h, count(*), "
                "sum(outcome = 'completed'), sum(ended_at - started_at) "
                "FROM activity_runs GROUP BY activity, h"
            ).fetchall()
        return time.perf_counter() - started

    def rebuild() -> tuple[float, int]:
        started = time.perf_counter()
        with transaction(conn):
            changed = rebuild_totals(conn, zone, tables=(ACTIVITY_TOTALS,))
        return time.perf_counter() - started, changed

    bare()  # warm the page cache for both sides
    first_build, written = rebuild()
    bare_times, rebuild_times = [], []
    for _ in range(rounds):  # alternate, so a noisy neighbour hurts both sides alike
        bare_times.append(bare())
        rebuild_times.append(rebuild()[0])
    conn.close()
    baseline = statistics.median(bare_times)
    unchanged = statistics.median(rebuild_times)
    print(f"    bare GROUP BY (median of {rounds}):           {baseline:7.3f} s")
    print(
        f"    activity totals, first build ({written:,} rows):   {first_build:7.3f} s  "
        f"ratio {first_build / baseline:5.1f}x  (goal <= 10x)"
    )
    print(
        f"    activity totals, rebuild, nothing changed:  {unchanged:7.3f} s  "
        f"ratio {unchanged / baseline:5.1f}x  (goal <= 10x)"
    )


def events(count: int) -> list[UsageEvent]:
    at = datetime(2026, 11, 26, 8, tzinfo=UTC)
    out: list[UsageEvent] = []
    n = 0
    while len(out) < count:
        sid = f"bench-s{n}"
        out.append(SessionStarted(sid, "solo", 1, None, "lv", at))
        for m in range(3):
            rid = f"bench-r{n}-{m}"
            at += timedelta(seconds=5)
            out.append(RunStarted(rid, sid, "memory", 1, at))
            for _ in range(4):
                at += timedelta(seconds=30)
                out.append(SessionHeartbeat(sid, at))
            out.append(RunEnded(rid, "completed", 1, 10, at))
        at += timedelta(seconds=10)
        out.append(SessionEnded(sid, "idle", at))
        n += 1
    return out[:count]


def _frame_work(seconds: float) -> None:
    """Busy Python work standing in for a frame, so the writer competes for the GIL."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        pass


def bench_record(folder: Path, count: int, frame_s: float, label: str) -> None:
    stream = events(count)
    store = UsageStore.open(folder, Config())
    latencies = []
    started = time.perf_counter()
    for event in stream:
        before = time.perf_counter_ns()
        store.record(event)
        latencies.append(time.perf_counter_ns() - before)
        if frame_s:
            _frame_work(frame_s)
    queued = time.perf_counter() - started
    store.close()
    drained = time.perf_counter() - started
    latencies.sort()
    ms = 1e-6
    p99 = latencies[int(len(latencies) * 0.99)] * ms
    print(
        f"(b) record(), {label}, {count:,} events: median "
        f"{statistics.median(latencies) * ms:.4f} ms, p99 {p99:.4f} ms, "
        f"max {latencies[-1] * ms:.3f} ms  (goal p99 <= 0.5 ms)"
    )
    print(
        f"    calling thread done in {queued:.2f} s; writer committed all by "
        f"{drained:.2f} s ({count / drained:,.0f} events/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-usage-") as tmp:
        bench_aggregation(Path(tmp), args.runs)
        bench_record(Path(tmp) / "burst", args.events, 0.0, "back to back")
        bench_record(Path(tmp) / "paced", args.events, 0.0002, "0.2 ms of work between")


if __name__ == "__main__":
    main()
