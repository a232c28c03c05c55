"""A killed export leaves at most a `.part`, never a file that looks finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.media import ExportJob, probe
from kiosk.paths import APP_ROOT
from tests.media.conftest import make_film

EXPORT = """
import sys
from pathlib import Path
from kiosk.media import export_creation
def report(p):
    print(p, flush=True)
export_creation(Path(sys.argv[1]), "mp4", Path(sys.argv[2]), progress=report)
"""


@pytest.fixture(scope="module")
def long_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough 720p frames that an export takes a few seconds on a busy machine."""
    return make_film(tmp_path_factory.mktemp("long") / "film-long", frames=240)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def _ffmpeg_children(pid: int) -> list[int]:
    """ffmpeg processes among the descendants of `pid`."""
    found, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        try:
            if "ffmpeg" in Path(f"/proc/{child}/comm").read_text():
                found.append(child)
            todo += _children(child)
        except FileNotFoundError:
            pass
    return found


def _wait_gone(pid: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return
        if state == "Z":
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} still running")


def _start_export(film: Path, out: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", EXPORT, str(film), str(out)],
        cwd=APP_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:  # wait until it is well under way
        if float(line) > 0.2:
            break
    assert process.poll() is None, "the export ended before it could be killed"
    return process


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("victim", ["everything", "exporter only"])
def test_killed_export_leaves_no_finished_looking_file(long_film, tmp_path, victim):
    out = tmp_path / "film.mp4"
    process = _start_export(long_film, out)
    encoders = _ffmpeg_children(process.pid)
    assert encoders, "ffmpeg should be running"
    if victim == "everything":  # a power cut: the kiosk and its ffmpeg die together
        os.killpg(process.pid, signal.SIGKILL)
    else:  # the kiosk dies; the orphaned ffmpeg sees its input end and finishes alone
        process.kill()
    process.wait()
    for pid in encoders:
        _wait_gone(pid)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] in ([], ["film.mp4.part"])
    if victim == "everything":
        with pytest.raises(ValueError):
            probe(tmp_path / "film.mp4.part")  # no moov box: not a playable video


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_killed_encoder_fails_the_job_and_cleans_up(long_film, tmp_path):
    job = ExportJob(long_film, "mp4", tmp_path / "film.mp4").start()
    deadline = time.monotonic() + 30
    while job.progress < 0.2 and not job.done and time.monotonic() < deadline:
        time.sleep(0.02)
    encoders = _ffmpeg_children(os.getpid())
    assert len(encoders) == 1 and not job.done
    os.kill(encoders[0], signal.SIGKILL)
    assert job.wait(30)
    assert job.code == "encoder_failed" and job.result is None
    assert list(tmp_path.iterdir()) == []


def test_the_export_child_cancels_itself_when_the_kiosk_goes_away(long_film, tmp_path):
    # ExportJob's child reads its stdin; the kiosk dying closes it.
    out = tmp_path / "film.mp4"
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk.media", str(long_film), "mp4", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1"},
    )
    assert child.stdin is not None and child.stdout is not None
    for line in child.stdout:
        if line.startswith("progress") and float(line.split()[1]) > 0.1:
            break
    child.stdin.close()
    rest = child.stdout.read()
    assert child.wait(30) == 1
    assert rest.strip().splitlines()[-1].startswith("error cancelled")
    assert list(tmp_path.iterdir()) == []
