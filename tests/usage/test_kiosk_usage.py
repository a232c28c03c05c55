"""The real kiosk records into the real store: killed mid-session, monkeyed, or started on a
garbage database file."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from usage_helpers import query, reference_totals, stored_totals

from kiosk.config import load_config
from kiosk.usage import UsageStore

# A kiosk driven through the harness into the middle of a session: two rounds of Memory
# pairs completed, a third begun, then it waits to be killed.
DRIVER = textwrap.dedent(
    """
    import sys, time
    from kiosk.config import load_config, data_dir
    from kiosk.harness import Harness
    from kiosk.usage import UsageStore

    config = load_config()
    store = UsageStore.open(data_dir(config), config)
    kiosk = Harness(config, sink=store)
    kiosk.tap_button("start")
    kiosk.tap_button("age:6-8")
    kiosk.tap_button("tile:memory")
    kiosk.tap_button("topic:animals")
    game = kiosk.app.top.activity
    for level in (1, 2):
        kiosk.tap_button(f"level:{level}" if level == 1 else "next")
        pictures = {}
        for i, card in enumerate(game.cards):
            pictures.setdefault(card.key, []).append(i)
        for first, second in pictures.values():
            kiosk.click(game.cards[first].rect.center)
            kiosk.click(game.cards[second].rect.center)
            kiosk.wait(0.5)
        kiosk.wait(40)  # long enough for a heartbeat
    kiosk.tap_button("next")  # round three begins and is never finished
    kiosk.wait(31)
    store.flush()
    print("ready", flush=True)
    time.sleep(600)
    """
)


def _env(data: Path) -> dict[str, str]:
    return dict(
        os.environ,
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        KIOSK_DATA_DIR=str(data),
    )


def test_kill_9_mid_session_keeps_finished_runs_and_closes_the_session_as_crash(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER],
        env=_env(data),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()

    db = data / "usage.db"
    store = UsageStore.open(data, load_config())
    store.close()
    runs = query(db, "SELECT outcome, level, score FROM activity_runs ORDER BY started_at")
    assert runs == [("completed", 1, 3), ("completed", 2, 3), ("error", 3, None)]
    sessions = query(
        db, "SELECT kind, age_band, end_reason, ended_at, last_heartbeat_at FROM sessions"
    )
    assert len(sessions) == 1
    kind, band, reason, ended, heartbeat = sessions[0]
    assert (kind, band, reason) == ("solo", "6-8", "crash")
    assert ended is not None and heartbeat is not None and ended <= heartbeat
    expected_sessions, expected_runs = reference_totals(db, "Europe/Riga")
    assert stored_totals(db, "session_totals") == expected_sessions
    assert stored_totals(db, "activity_totals") == expected_runs


@pytest.mark.slow  # a soak: run by `pytest -m slow` (CI), not by the default run
def test_monkey_leaves_as_many_sessions_and_runs_as_it_printed(tmp_path: Path) -> None:
    data = tmp_path / "monkey-data"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "monkey",
            "--events",
            "2500",
            "--seed",
            "4",
            "--data-dir",
            str(data),
        ],
        env=_env(tmp_path / "unused"),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(
        r"monkey: 2500 events, (\d+) sessions, (\d+) activity runs, 0 errors", line
    )
    assert match, line
    db = data / "usage.db"
    assert query(db, "SELECT count(*) FROM sessions") == [(int(match.group(1)),)]
    assert query(db, "SELECT count(*) FROM activity_runs") == [(int(match.group(2)),)]
    assert query(db, "SELECT count(*) FROM sessions WHERE ended_at IS NULL") == [(0,)]
    expected_sessions, expected_runs = reference_totals(db, "Europe/Riga")
    assert stored_totals(db, "session_totals") == expected_sessions
    assert stored_totals(db, "activity_totals") == expected_runs


def test_a_garbage_database_is_moved_aside_and_the_kiosk_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "usage.db").write_bytes(b"this is not a database, it is a shopping list\n" * 50)
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--size", "1280x720"],
        env=_env(data),
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    log = data / "logs" / "kiosk.log"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "starting" not in (
            log.read_text(encoding="utf-8") if log.exists() else ""
        ):
            time.sleep(0.1)  # polling a real process
        time.sleep(1.5)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
    aside = [p.name for p in data.iterdir() if p.name.startswith("usage.db.corrupt-")]
    assert len(aside) == 1
    assert (data / aside[0]).read_bytes().startswith(b"this is not a database")
    assert query(data / "usage.db", "SELECT code FROM problems") == [("database_moved_aside",)]
