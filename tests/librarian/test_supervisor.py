"""`kiosk run` brings a killed shell back (the interrupted session is closed as crash), backs
off on a crash loop without ever giving up on it, stops only for a bad config, and keeps
serving on a full data disk."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
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


class FakeTime:
    """The supervisor's clock and sleep: time moves only while it waits."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_repeated_crashes_back_off_longer_each_round_and_never_give_up(tmp_path: Path) -> None:
    log = tmp_path / "starts"
    crash = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x'); raise SystemExit(3)"]
    # The out-of-order screen cannot stay up either (say the display is gone): its wait is
    # still waited out, never skipped into a tight restart loop.
    pause = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('P'); raise SystemExit(1)"]
    fake = FakeTime()
    supervisor = Supervisor(
        crash,
        pause,
        max_crashes=3,
        window_s=60,
        backoff_s=10,
        max_backoff_s=40,
        clock=fake.clock,
    )

    def sleep(seconds: float) -> None:
        fake.sleep(seconds)
        if len(supervisor.pauses) == 5:
            supervisor.stopping = True  # as a SIGTERM would

    supervisor.sleep = sleep
    assert supervisor.run() == 0
    assert log.read_text() == "xxxP" * 5
    assert supervisor.pauses == [10, 20, 40, 40, 40]
    assert supervisor.restarts == 15
    assert fake.now >= 10 + 20 + 40 + 40


def test_a_shell_that_served_a_while_before_each_crash_is_restarted_at_once(
    tmp_path: Path,
) -> None:
    log = tmp_path / "starts"
    crash = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x'); raise SystemExit(1)"]
    supervisor = Supervisor(crash, None, max_crashes=3, window_s=60, backoff_s=10)
    fake = FakeTime()

    def clock() -> float:
        fake.now += 61  # every run lasted more than a minute
        if log.exists() and len(log.read_text()) >= 8:
            supervisor.stopping = True
        return fake.now

    supervisor.clock = clock
    supervisor.sleep = fake.sleep
    assert supervisor.run() == 0
    assert log.read_text() == "x" * 8
    assert supervisor.pauses == []


def test_a_bad_config_still_stops_kiosk_run_with_status_2(tmp_path: Path) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text("session: {idle_timeout_s: 1}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(bad)],
        env=dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "idle_timeout_s" in result.stderr


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def test_kiosk_run_on_a_full_data_disk_keeps_serving_and_records_once_space_returns(
    tmp_path: Path,
) -> None:
    """A real full disk, without root tricks: a file-size limit of one byte (SIGXFSZ
    ignored) makes every write in the data folder fail as a full disk does (EFBIG)."""
    data = tmp_path / "data"
    data.mkdir()
    env = dict(
        os.environ,
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        KIOSK_DATA_DIR=str(data),
    )

    def disk_full() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))

    supervisor = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--size", "800x600"],
        env=env,
        stdout=subprocess.DEVNULL,  # not a file: the size limit would hit it too
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=disk_full,
    )
    lines: list[str] = []
    paused = threading.Event()

    def read_stderr() -> None:  # to the end: a full pipe would block the kiosk
        assert supervisor.stderr is not None
        for line in supervisor.stderr:
            lines.append(line)
            if "recording paused" in line:
                paused.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        assert paused.wait(timeout=60), "".join(lines)
        assert supervisor.poll() is None, "".join(lines)
        [shell] = _children(supervisor.pid)
        # Space returns (for the shell): the store's next retry, 10 s on, writes by itself.
        resource.prlimit(shell, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
        deadline = time.monotonic() + 60
        while not _has_sessions_table(data / "usage.db"):
            assert time.monotonic() < deadline, "recording never resumed"
            assert supervisor.poll() is None
            time.sleep(0.5)  # polling a real process
        assert _children(supervisor.pid) == [shell]  # the same shell all along
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0
    finally:
        if supervisor.poll() is None:  # a failed test leaves no kiosk behind
            for pid in _children(supervisor.pid):
                os.kill(pid, signal.SIGKILL)
            supervisor.kill()
            supervisor.wait()
        reader.join(timeout=30)
    assert not any("refused to start" in line for line in lines)


def _has_sessions_table(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    try:
        with sqlite3.connect(db_path) as db:
            return bool(
                db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sessions'").fetchall()
            )
    except sqlite3.Error:
        return False


def _wait_for_other_shell(supervisor: subprocess.Popen[str], log: Path, old: int | None) -> int:
    """The pid of the supervisor's shell once it is one other than `old` and has opened
    its display (its kiosk.log says so), so it handles signals as the running kiosk does."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert supervisor.poll() is None, f"supervision ended ({supervisor.returncode})"
        shells = _children(supervisor.pid)
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        opened = [line for line in text.splitlines() if "display: SDL video driver" in line]
        if shells and shells[0] != old and len(opened) == (1 if old is None else 2):
            return shells[0]
        time.sleep(0.2)  # polling real processes
    raise AssertionError("no (new) shell started")


def test_a_sigterm_to_the_shell_alone_restarts_it_and_one_to_kiosk_run_stops_both(
    tmp_path: Path,
) -> None:
    """An OOM killer's or an administrator's stray `kill` ends the shell, not the kiosk:
    only a stop the supervisor forwarded (or the librarian's exit, status 0) ends it."""
    data = tmp_path / "data"
    env = dict(
        os.environ,
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYGAME_HIDE_SUPPORT_PROMPT="1",
        KIOSK_DATA_DIR=str(data),
    )
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--size", "800x600"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = _wait_for_other_shell(supervisor, data / "logs" / "kiosk.log", None)
        os.kill(first, signal.SIGTERM)
        second = _wait_for_other_shell(supervisor, data / "logs" / "kiosk.log", first)
        assert second != first
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0
        assert not Path(f"/proc/{second}").exists() or _is_zombie_or_gone(second)
    finally:
        if supervisor.poll() is None:
            for pid in _children(supervisor.pid):
                os.kill(pid, signal.SIGKILL)
            supervisor.kill()
            supervisor.wait()
    log = (data / "logs" / "supervisor.log").read_text(encoding="utf-8")
    assert "kiosk shell ended by signal 15 (status 143) though the supervisor was not" in log
    assert log.rstrip().endswith("kiosk shell stopped as asked (status 143); supervision ends")


def _is_zombie_or_gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return True


def test_the_librarians_exit_to_the_desktop_still_ends_supervision(tmp_path: Path) -> None:
    log = tmp_path / "starts"
    leave = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('x')"]
    assert Supervisor(leave).run() == 0
    assert log.read_text() == "x"
