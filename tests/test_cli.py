"""`kiosk run` as a real process: it starts, serves, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _kiosk(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        KIOSK_DATA_DIR=str(tmp_path / "data"),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_log(path: Path, needle: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and needle in (text := path.read_text(encoding="utf-8")):
            return text
        time.sleep(0.1)  # polling a real process, not pacing a test clock
    raise AssertionError(f"{needle!r} never appeared in {path}")


def test_kiosk_run_starts_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    process = _kiosk(tmp_path, "run", "--size", "1280x720")
    log = tmp_path / "data" / "logs" / "kiosk.log"
    try:
        _wait_for_log(log, "starting")
        time.sleep(1.0)  # let it reach its main loop
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text(encoding="utf-8")
    assert "stopping on signal" in text
    assert "Traceback" not in text


def test_kiosk_run_refuses_an_unknown_language(tmp_path: Path) -> None:
    process = _kiosk(tmp_path, "run", "--lang", "de")
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "invalid choice" in err


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`kiosk where | head -1`: the pipe closes before Telpa has written everything."""
    process = _kiosk(tmp_path, "where")
    assert process.stdout is not None
    process.stdout.close()  # closed before the kiosk writes its first line
    _out, err = process.communicate(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert process.returncode == 1
