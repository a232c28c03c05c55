"""Creation writes run on the writer thread: the render thread never waits on the disk, and
a killed kiosk leaves whole files that its creation.json can use."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pygame
import pytest

from kiosk import fileio
from kiosk.creations import CreationStore, CreationWriter
from kiosk.creations import folder as folder_module
from kiosk.creations.folder import Creation
from kiosk.harness import Harness
from kiosk.paths import APP_ROOT
from kiosk.studio.film import StopMotion
from tests.studio.tools import open_tool


def open_film(kiosk: Harness) -> StopMotion:
    film = open_tool(kiosk, "film")
    assert isinstance(film, StopMotion)
    return film


def test_a_blocked_disk_does_not_block_the_tools_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The film's captures, its autosave from `update()` and its Save all return while the
    disk does not answer; the writes land, in order, once it does."""
    monkeypatch.setenv("KIOSK_CAMERA", "synthetic")
    disk_answers = threading.Event()
    writers: list[str] = []
    real_write = fileio.atomic_write

    def slow_write(target: Path, data: bytes) -> None:
        writers.append(threading.current_thread().name)
        # Bounded, so the code before the writer thread fails here instead of hanging.
        disk_answers.wait(5)
        real_write(target, data)

    monkeypatch.setattr(folder_module, "atomic_write", slow_write)
    with Harness(data_folder=tmp_path / "data") as kiosk:
        film = open_film(kiosk)
        for _ in range(3):
            kiosk.tap_button("capture")
        kiosk.wait(4.0)  # the autosave is due and asked for from update()
        kiosk.tap_button("save")
        assert film.mode == "saved"
        assert writers and threading.main_thread().name not in writers
        creation = film.creation
        assert creation is not None
        # Nothing has reached the disk, yet the tool reads its own frames back.
        assert not (creation.folder / "creation.json").exists()
        assert creation.load_png(film.frames[0].file) is not None
        disk_answers.set()
        assert creation.flush(10)
        meta = json.loads((creation.folder / "creation.json").read_text(encoding="utf-8"))
    assert meta["state"] == "saved" and len(meta["timeline"]) == 3
    for shot in meta["timeline"]:
        assert pygame.image.load(str(creation.folder / shot["image"])).get_size() == (640, 480)


def test_the_writer_keeps_the_order_and_goes_on_after_a_failed_write(tmp_path: Path) -> None:
    done: list[int] = []
    writer = CreationWriter()

    def fail() -> None:
        raise OSError("disk full")

    writer.submit(lambda: done.append(1))
    writer.submit(fail)
    writer.submit(lambda: done.append(2))
    assert writer.flush(10)
    assert done == [1, 2] and writer.waiting == 0
    writer.close()
    writer.submit(lambda: done.append(3))  # a closed writer starts again when needed
    assert writer.flush(10) and done == [1, 2, 3]
    writer.close()


def test_a_failed_write_keeps_the_previous_file_and_is_told_to_the_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CreationStore(tmp_path / "creations", writer=CreationWriter())
    creation = store.new("drawing", "lv")
    creation.save("draft")
    assert store.flush(10) and not creation.write_failed
    before = (creation.folder / "creation.json").read_bytes()

    def full_disk(target: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folder_module, "atomic_write", full_disk)
    creation.save("saved")
    assert store.flush(10)
    assert creation.write_failed
    assert (creation.folder / "creation.json").read_bytes() == before
    store.close()


KILLED_FILM = r"""
import sys
from pathlib import Path
from kiosk.harness import Harness
from tests.studio.tools import open_tool

with Harness(data_folder=Path(sys.argv[1])) as kiosk:
    film = open_tool(kiosk, "film")
    step = 0
    while True:
        step += 1
        kiosk.tap_button("capture")
        kiosk.wait(3.5)  # autosaved from update()
        if step % 3 == 0:
            film.creation.flush()
            print("on disk", step, film.creation.id, flush=True)
"""


def test_a_killed_kiosk_leaves_whole_files_and_at_most_the_last_steps_unsaved(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "KIOSK_CAMERA": "synthetic", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    data = tmp_path / "data"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_FILM, str(data)],
        cwd=APP_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = ""
        for line in child.stdout:
            if line.startswith("on disk 6 "):
                break
        # Killed in the middle of its next writes: no shutdown, no flush.
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(30)
    _, _, step, creation_id = line.split()
    folder = data / "creations" / creation_id
    creation = Creation.load(folder, clock=lambda: None)  # type: ignore[arg-type,return-value]
    assert len(creation.timeline) >= int(step)
    for shot in creation.timeline:
        assert pygame.image.load(str(creation.path(shot["image"]))).get_size() == (640, 480)
    # Whatever was being written is a temporary file beside the whole old one.
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            if path.suffix == ".png":
                pygame.image.load(str(path))
            elif path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
