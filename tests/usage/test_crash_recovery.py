"""A kiosk killed with SIGKILL: nothing finished is lost, what was open is closed as crash.

The kiosk runs in a real subprocess that records events and is then killed; no sleeps:
the child says on stdout when it has reached the moment the test wants to kill it at."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from usage_helpers import (
    RIGA,
    OpenStore,
    micros,
    query,
    reference_totals,
    stored_totals,
    write_transaction,
)

from kiosk.usage.totals import rebuild_totals

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

_PRELUDE = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
sys.path.insert(0, {tests!r})
from usage_helpers import fixed_clock, riga_config
from kiosk.sessions import *
from kiosk.usage import UsageStore
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
def at(minutes):
    return T0 + timedelta(minutes=minutes)
store = UsageStore.open(
    Path(sys.argv[1]), riga_config(), clock=fixed_clock(datetime(2026, 11, 25, tzinfo=UTC))
)
"""


def _run_and_kill(script: str, data_dir: Path, lines_before_kill: int) -> list[str]:
    """Start `script` in a child, read its first lines, SIGKILL it; return those lines."""
    source = _PRELUDE.format(tests=str(Path(__file__).parent)) + textwrap.dedent(script)
    child = subprocess.Popen(
        [sys.executable, "-c", source, str(data_dir)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    lines = []
    try:
        for _ in range(lines_before_kill):
            line = child.stdout.readline()
            if not line:
                _, stderr = child.communicate(timeout=30)
                pytest.fail(f"the kiosk process ended early:\n{stderr}")
            lines.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return lines


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_kill_9_keeps_finished_runs_and_closes_the_open_session_as_crash(
    open_store: OpenStore, data_dir: Path
) -> None:
    _run_and_kill(
        """
        store.record(SessionStarted("s1", "solo", 1, "6-8", "lv", at(0)))
        store.record(RunStarted("r1", "s1", "memory", 1, at(1)))
        store.record(RunEnded("r1", "completed", 2, 40, at(5)))
        store.record(RunStarted("r2", "s1", "quiz", 1, at(6)))
        store.record(RunEnded("r2", "quit", 1, 3, at(9)))
        store.record(RunStarted("r3", "s1", "memory", 2, at(10)))
        store.record(SessionHeartbeat("s1", at(12)))
        store.record(SessionHeartbeat("s1", at(12.5)))
        store.flush()
        print("ready", flush=True)
        sys.stdin.read()  # keep running, session and run open, until killed
        """,
        data_dir,
        lines_before_kill=1,
    )

    store = open_store()

    assert store.recovered_sessions == 1
    db_path = data_dir / "usage.db"
    assert query(db_path, "SELECT ended_at, end_reason FROM sessions") == [
        (micros(at(12.5)), "crash")
    ]
    assert query(db_path, "SELECT id, outcome, ended_at FROM activity_runs ORDER BY id") == [
        ("r1", "completed", micros(at(5))),
        ("r2", "quit", micros(at(9))),
        ("r3", "error", micros(at(12.5))),
    ]
    # 12:00 in Riga; the recovered session and runs are counted like any other.
    assert stored_totals(db_path, "session_totals") == {
        ("2026-11-25", 12, "solo", "6-8"): (1, 1, 750)
    }
    assert stored_totals(db_path, "activity_totals") == {
        ("2026-11-25", 12, "memory", "solo"): (2, 1, 240 + 150),
        ("2026-11-25", 12, "quiz", "solo"): (1, 0, 180),
    }


def test_kill_9_in_the_middle_of_writing_leaves_a_consistent_database(
    open_store: OpenStore, data_dir: Path
) -> None:
    lines = _run_and_kill(
        """
        n = 0
        while True:
            sid = f"s{n}"
            store.record(SessionStarted(sid, "group", 3, None, "lv", at(n * 7)))
            store.record(RunStarted(f"r{n}", sid, "quiz", None, at(n * 7 + 1)))
            store.record(RunEnded(f"r{n}", "completed", 1, n, at(n * 7 + 4)))
            store.record(SessionHeartbeat(sid, at(n * 7 + 5)))
            store.record(SessionEnded(sid, "home", at(n * 7 + 6)))
            if n % 20 == 19:
                store.flush()
                print(n, flush=True)  # sessions 0..n are committed
            n += 1
        """,
        data_dir,
        lines_before_kill=5,
    )
    committed = int(lines[-1]) + 1

    store = open_store()
    store.close()

    db_path = data_dir / "usage.db"
    assert store.moved_aside is None
    ended = query(db_path, "SELECT count(*) FROM sessions WHERE end_reason = 'home'")[0][0]
    assert ended >= committed
    finished = query(db_path, "SELECT count(*) FROM activity_runs WHERE outcome = 'completed'")
    assert finished[0][0] >= committed
    sessions, runs = reference_totals(db_path, RIGA)
    assert stored_totals(db_path, "session_totals") == sessions
    assert stored_totals(db_path, "activity_totals") == runs
    with write_transaction(db_path) as connection:
        assert rebuild_totals(connection, ZoneInfo(RIGA)) == 0
