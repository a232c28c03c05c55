"""The Windows branches of Telpa's POSIX-only calls (docs/install-windows.md lists them),
each run here with the platform faked where the standard library allows it: sys.platform
or os.name set as Windows sets them, and the Windows-only behaviour of the call (what
Popen.send_signal accepts, creationflags) checked on a stand-in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk import fileio, system
from kiosk.media import ExportJob, ffmpeg
from kiosk.office import db as office_db
from kiosk.supervisor import Supervisor


class WindowsChild:
    """A running child as CPython's Windows Popen treats it: send_signal() knows only
    SIGTERM (as terminate), CTRL_C_EVENT and CTRL_BREAK_EVENT, and refuses the rest."""

    def __init__(self) -> None:
        self.terminated = False

    def poll(self) -> int | None:
        return 1 if self.terminated else None

    def terminate(self) -> None:
        self.terminated = True

    def send_signal(self, sig: int) -> None:
        if sig == signal.SIGTERM:
            self.terminate()
        elif sig not in (0, 1):  # CTRL_C_EVENT, CTRL_BREAK_EVENT
            raise ValueError(f"Unsupported signal: {sig}")


class PosixChild(WindowsChild):
    def __init__(self) -> None:
        super().__init__()
        self.signals: list[int] = []

    def send_signal(self, sig: int) -> None:
        self.signals.append(sig)


def test_on_windows_the_supervisor_leaves_ctrl_c_to_the_shell_and_terminates_on_sigterm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    supervisor = Supervisor(["kiosk", "run", "--child"])
    supervisor.process = child = WindowsChild()  # type: ignore[assignment]
    supervisor._forward(signal.SIGINT, None)  # the console's Ctrl+C: the shell has it too
    assert supervisor.stopping and not child.terminated
    supervisor._forward(signal.SIGTERM, None)
    assert child.terminated


def test_on_linux_the_supervisor_forwards_each_stop_signal_to_the_shell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    supervisor = Supervisor(["kiosk", "run", "--child"])
    supervisor.process = child = PosixChild()  # type: ignore[assignment]
    supervisor._forward(signal.SIGINT, None)
    supervisor._forward(signal.SIGTERM, None)
    assert child.signals == [signal.SIGINT, signal.SIGTERM]


class Started(Exception):
    """Raised by the stand-in Popen once it has seen how it was called."""


@pytest.fixture
def popen_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """subprocess.Popen and subprocess.run noting their keyword arguments and starting
    nothing; ffmpeg found without asking imageio-ffmpeg (which knows the real platform)."""
    calls: list[dict[str, Any]] = []

    def record(*_args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        raise Started

    monkeypatch.setattr(subprocess, "Popen", record)
    monkeypatch.setattr(subprocess, "run", record)
    monkeypatch.setattr(ffmpeg, "ffmpeg_exe", lambda: "ffmpeg")
    return calls


WINDOWS_FLAGS = system.CREATE_NO_WINDOW | system.BELOW_NORMAL_PRIORITY_CLASS


def test_on_windows_ffmpeg_and_exports_start_windowless_at_below_normal_priority(
    popen_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(Started):
        ffmpeg.Encoder(["-f", "null", "-"])
    with pytest.raises(Started):
        ffmpeg.probe(tmp_path / "film.mp4")
    job = ExportJob(tmp_path, "mp4", tmp_path / "film.mp4").start()
    assert job.wait(timeout=30)
    assert [call.get("creationflags") for call in popen_calls] == [WINDOWS_FLAGS] * 3


def test_on_linux_helpers_get_no_windows_flags(
    popen_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(Started):
        ffmpeg.Encoder(["-f", "null", "-"])
    assert popen_calls[0]["creationflags"] == 0  # the only value POSIX's Popen accepts


def test_on_windows_a_folder_is_never_opened_for_fsync(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "open", lambda *args, **kwargs: opened.append(args))
    fileio.fsync_folder(tmp_path)
    assert opened == []


def test_on_windows_the_office_database_keeps_the_folders_permissions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = tmp_path / "office" / "office.db"
    database.parent.mkdir()
    database.write_bytes(b"")
    database.chmod(0o644)
    monkeypatch.setattr(os, "name", "nt")
    office_db.private_database_file(database)
    monkeypatch.undo()
    # Windows has no owner-only mode: the ProgramData ACL the installer sets decides.
    assert database.stat().st_mode & 0o777 == 0o644


def test_on_windows_glibc_heap_tuning_and_the_display_check_stand_aside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert system.limit_heap_growth() is False
    assert system.missing_display(environ={}) is None
