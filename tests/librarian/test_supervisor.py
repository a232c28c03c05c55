"""`kiosk run` brings a killed shell back, and the interrupted session is closed as crash."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from kiosk.supervisor import Supervisor

# A shell driven into the middle of a session, which then waits to be killed; it writes
# its pid to a file once the session is safely recorded.
SHELL = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from kiosk.config import load_config, data_dir
    from kiosk.harness import Harness
    from kiosk.usage import UsageStore

    config = load_config()
    store = UsageStore.open(data_dir(config), config)
    kiosk = Harness(config, sink=store)
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:memory")
    kiosk.wait(31)
    store.flush()
    Path(sys.argv[1], f"shell-{os.getpid()}").write_text("ready")
    time.sleep(600)
    """
)


def _wait_for(folder: Path, count: int, timeout: float = 60.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = sorted(int(p.name.split("-")[1]) for p in folder.glob("shell-*"))
        if len(pids) >= count:
            return pids
        time.sleep(0.2)  # polling real processes
    raise AssertionError(f"only {len(list(folder.glob('shell-*')))} shell(s) started")


def test_a_killed_shell_is_restarted_and_its_session_closed_as_crash(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    data = tmp_path / "data"
    env = dict(
        os.environ,
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        KIOSK_DATA_DIR=str(data),
    )
    child = [sys.executable, "-c", SHELL, str(marks)]
    supervisor = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from kiosk.supervisor import Supervisor; "
            f"raise SystemExit(Supervisor({child!r}).run())",
        ],
        env=env,
    )
    try:
        first = _wait_for(marks, 1)[0]
        os.kill(first, signal.SIGKILL)
        pids = _wait_for(marks, 2)
        assert len(set(pids)) == 2  # a new shell, not the old one
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    with sqlite3.connect(data / "usage.db") as db:
        reasons = [r for (r,) in db.execute("SELECT end_reason FROM sessions ORDER BY started_at")]
    # The killed shell's session was closed as crash by the shell that replaced it.
    assert reasons[0] == "crash"


def test_five_quick_crashes_pause_on_the_out_of_order_screen(tmp_path: Path) -> None:
    log = tmp_path / "starts"
    crash = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x'); raise SystemExit(3)"]
    pause = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('P')"]
    supervisor = Supervisor(crash, pause, max_crashes=5, window_s=60, backoff_s=5)
    calls = iter(range(100))

    def stop_after_pause() -> float:
        # After the pause, stop supervising (as a SIGTERM would).
        if "P" in log.read_text() if log.exists() else False:
            supervisor.stopping = True
        return float(next(calls))

    supervisor.clock = stop_after_pause
    assert supervisor.run() == 0
    assert log.read_text().startswith("xxxxxP")


def test_a_refused_start_is_not_restarted(tmp_path: Path) -> None:
    refuse = [sys.executable, "-c", "raise SystemExit(2)"]
    assert Supervisor(refuse).run() == 2
