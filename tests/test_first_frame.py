"""The first screen at once (kiosk.first_frame): the shell keeps a picture of its live
attract screen and shows it at the next start the moment its window opens — only while it
still shows what the live screen will show, and never at the cost of a start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pygame
import pytest

from kiosk import first_frame
from kiosk.config import load_config
from kiosk.fleet.settings import next_change
from kiosk.harness import Harness
from kiosk.paths import DEFAULT_CONFIG
from kiosk.screen import WindowPlan

SIZE = (640, 400)
COMMAND_LINE = ["--size", "640x400"]


def _config_file(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def _kept_by_a_start(tmp_path: Path, config_file: Path) -> first_frame.FirstFrame:
    """A start of the shell (the harness) that keeps its attract screen."""
    frame = first_frame.show(tmp_path / "data", config_file, COMMAND_LINE)
    assert frame is not None and not frame.shown  # nothing kept yet
    with Harness(load_config(config_file), size=SIZE, first_frame=frame) as kiosk:
        assert kiosk.scene_name == "Attract"
        _wait_for_writer()
        live = kiosk.screenshot().copy()
    assert frame.picture.exists() and frame.about.exists()
    kept = first_frame.read_picture(frame.picture).surface()
    assert kept.get_size() == SIZE
    assert _same_pixels(kept, live)
    return frame


def _wait_for_writer() -> None:
    for thread in __import__("threading").enumerate():
        if thread.name == "first-frame":
            thread.join(10)


def _same_pixels(a: pygame.Surface, b: pygame.Surface) -> bool:
    return pygame.image.tobytes(a, "RGB") == pygame.image.tobytes(b, "RGB")


def test_a_kept_attract_screen_is_shown_at_the_next_start(tmp_path: Path) -> None:
    config_file = _config_file(tmp_path)
    kept = _kept_by_a_start(tmp_path, config_file)
    # Harness sizes are windows; the plan kept is the harness's own.
    about = json.loads(kept.about.read_text(encoding="utf-8"))
    assert about["plan"] == [True, False, list(SIZE)]
    pygame.display.quit()

    frame = first_frame.show(tmp_path / "data", config_file, COMMAND_LINE)
    assert frame is not None and frame.shown
    screen = pygame.display.get_surface()
    assert screen is not None and screen.get_size() == SIZE
    assert _same_pixels(screen, first_frame.read_picture(kept.picture).surface())
    # The shell takes the same window, and keeps no new picture (this one still holds).
    mtime = kept.picture.stat().st_mtime_ns
    with Harness(load_config(config_file), size=SIZE, first_frame=frame) as kiosk:
        assert kiosk.app.screen is screen
        _wait_for_writer()
    assert kept.picture.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    "spoil",
    [
        "config changed",
        "office settings changed",
        "other command line",
        "opening hours changed since",
        "picture damaged",
        "picture truncated",
        "picture pixels changed",
        "picture from a screen with another pixel format",
        "picture header asks for a huge picture",
        "picture of an older version",
        "picture missing",
        "description garbage",
        "other screen size",
    ],
)
def test_a_picture_that_no_longer_holds_is_not_shown_and_is_replaced(
    tmp_path: Path, spoil: str
) -> None:
    config_file = _config_file(tmp_path)
    kept = _kept_by_a_start(tmp_path, config_file)
    pygame.display.quit()
    command_line, now, size = COMMAND_LINE, None, SIZE
    about = json.loads(kept.about.read_text(encoding="utf-8"))
    if spoil == "config changed":
        config_file = _config_file(tmp_path, "# the library changed a setting\n")
    elif spoil == "office settings changed":
        office = tmp_path / "data" / first_frame.OFFICE_CURRENT
        office.parent.mkdir(parents=True)
        office.write_text('{"settings": {}}', encoding="utf-8")
    elif spoil == "other command line":
        command_line = ["--size", "640x400", "--lang", "lt"]
    elif spoil == "opening hours changed since":
        about["until"] = time.time() - 1
        kept.about.write_text(json.dumps(about), encoding="utf-8")
    elif spoil == "picture damaged":
        data = kept.picture.read_bytes()
        kept.picture.write_bytes(b"\0\xff" * 9 + data[18:200])
    elif spoil == "picture truncated":  # e.g. a power cut while another program copied it
        data = kept.picture.read_bytes()
        kept.picture.write_bytes(data[: len(data) // 2])
    elif spoil == "picture pixels changed":
        data = bytearray(kept.picture.read_bytes())
        data[first_frame.HEADER.size + 1234] ^= 0xFF
        kept.picture.write_bytes(bytes(data))
    elif spoil == "picture from a screen with another pixel format":
        _rewrite_header(kept.picture, masks=(0xFF, 0xFF00, 0xFF0000, 0))
    elif spoil == "picture header asks for a huge picture":
        _rewrite_header(kept.picture, size=(60000, 60000))
    elif spoil == "picture of an older version":  # a TGA where the raw pixels belong
        pygame.image.save(pygame.Surface(SIZE), str(kept.picture.with_suffix(".tga")))
        os.replace(kept.picture.with_suffix(".tga"), kept.picture)
    elif spoil == "picture missing":
        kept.picture.unlink()
    elif spoil == "description garbage":
        kept.about.write_text("{not json", encoding="utf-8")
    elif spoil == "other screen size":
        about["plan"] = [True, False, [800, 600]]
        kept.about.write_text(json.dumps(about), encoding="utf-8")
        size = (800, 600)

    frame = first_frame.show(tmp_path / "data", config_file, command_line, now=now)
    assert frame is not None and not frame.shown
    with Harness(load_config(config_file), size=size, first_frame=frame) as kiosk:
        assert kiosk.scene_name == "Attract"
        _wait_for_writer()
        live = kiosk.screenshot().copy()
    # The next start has a picture that holds again.
    assert _same_pixels(first_frame.read_picture(frame.picture).surface(), live)
    assert json.loads(frame.about.read_text(encoding="utf-8"))["key"] == frame.key
    pygame.display.quit()
    again = first_frame.show(tmp_path / "data", config_file, command_line)
    assert again is not None and again.shown


def _rewrite_header(
    path: Path, size: tuple[int, int] | None = None, masks: tuple[int, ...] | None = None
) -> None:
    data = path.read_bytes()
    fields = list(first_frame.HEADER.unpack(data[: first_frame.HEADER.size]))
    if size is not None:
        fields[1:3] = size
    if masks is not None:
        fields[5:9] = masks
    path.write_bytes(first_frame.HEADER.pack(*fields) + data[first_frame.HEADER.size :])


def test_a_kept_picture_is_refused_unless_it_is_whole_and_undamaged(tmp_path: Path) -> None:
    """The picture file is read before anything else of the shell runs: whatever is in
    it — cut short, garbage, a header that lies — is a ValueError, never a crash or a
    huge allocation."""
    surface = pygame.Surface(SIZE)
    surface.fill((12, 34, 56))
    frame = first_frame.FirstFrame(tmp_path, "key")
    first_frame.keep(frame, surface, WindowPlan(True, False, SIZE), None, wait=True)
    assert _same_pixels(first_frame.read_picture(frame.picture).surface(), surface)
    whole = frame.picture.read_bytes()
    bad = {
        "empty": b"",
        "header only": whole[: first_frame.HEADER.size],
        "one byte short": whole[:-1],
        "one byte more": whole + b"\0",
        "another magic": b"GIF89a\0\0" + whole[8:],
        "noise": bytes(range(256)) * 40,
    }
    for name, data in bad.items():
        frame.picture.write_bytes(data)
        with pytest.raises(ValueError):
            first_frame.read_picture(frame.picture)
            pytest.fail(f"{name}: read as a picture")
    for size in ((0, 400), (640, 0), (9000, 400)):
        frame.picture.write_bytes(whole)
        _rewrite_header(frame.picture, size=size)
        with pytest.raises(ValueError):
            first_frame.read_picture(frame.picture)


def test_keeping_a_picture_removes_the_one_an_older_version_kept(tmp_path: Path) -> None:
    cache = tmp_path / first_frame.CACHE_DIR
    cache.mkdir()
    (cache / "attract.tga").write_bytes(b"an older version's picture")
    frame = first_frame.FirstFrame(tmp_path, "key")
    first_frame.keep(frame, pygame.Surface(SIZE), WindowPlan(True, False, SIZE), None, wait=True)
    assert sorted(p.name for p in cache.iterdir()) == [first_frame.ABOUT, first_frame.PICTURE]


def test_a_read_only_data_folder_costs_only_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if os.geteuid() == 0:
        blocker = tmp_path / "data" / first_frame.CACHE_DIR
        blocker.parent.mkdir()
        blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    else:
        (tmp_path / "data").mkdir()
        (tmp_path / "data").chmod(0o500)
    frame = first_frame.FirstFrame(tmp_path / "data", "key")
    screen = pygame.Surface(SIZE)
    with caplog.at_level("INFO", logger="kiosk.first_frame"):
        first_frame.keep(frame, screen, WindowPlan(True, True, None), None, wait=True)
    assert "could not keep the attract screen for the next start" in caplog.text
    again = first_frame.show(tmp_path / "data", None, [])  # the next start goes without it
    assert again is not None and not again.shown


def test_no_data_folder_no_picture() -> None:
    assert first_frame.show(None, None, []) is None


def test_the_picture_holds_until_the_room_opens_or_closes() -> None:
    hours = {day: "10:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri")}
    sunday_morning = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)  # 07:00 in Riga
    change = next_change(hours, sunday_morning, "Europe/Riga")
    assert change == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 10:00 Riga
    monday_noon = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert next_change(hours, monday_noon, "Europe/Riga") == datetime(
        2026, 12, 7, 16, 0, tzinfo=UTC
    )
    assert next_change(None, sunday_morning, "Europe/Riga") is None
    assert next_change({"mon": "closed"}, sunday_morning, "Europe/Riga") is None


def _run(tmp_path: Path, config_file: Path) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        KIOSK_DATA_DIR=str(tmp_path / "data"),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--size", "800x600", "--config", str(config_file)],
        env=env,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()


def _wait_for(condition: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)  # polling a real process, not pacing a test clock
    raise AssertionError(f"{what} never happened")


def test_kiosk_run_keeps_its_attract_screen_and_shows_it_at_the_next_start(
    tmp_path: Path,
) -> None:
    config_file = _config_file(tmp_path)
    about = tmp_path / "data" / first_frame.CACHE_DIR / first_frame.ABOUT
    log = tmp_path / "data" / "logs" / "kiosk.log"
    shown = "the last attract screen is shown while the kiosk starts"

    process = _run(tmp_path, config_file)
    try:
        _wait_for(about.exists, "keeping the attract screen")
    finally:
        _stop(process)
    assert shown not in log.read_text(encoding="utf-8")

    process = _run(tmp_path, config_file)
    try:
        _wait_for(lambda: log.read_text(encoding="utf-8").count("starting;") == 2, "2nd start")
    finally:
        _stop(process)
    text = log.read_text(encoding="utf-8")
    assert text.count(shown) == 1
    assert "Traceback" not in text


def test_the_bundles_program_shows_the_kept_picture_too(tmp_path: Path) -> None:
    """The bundle's program (installer/kiosk_entry.py) runs the shell's `-m kiosk run
    --child …` by calling kiosk.cli.main, not through kiosk/__main__.py."""
    config_file = _config_file(tmp_path)
    entry = Path(__file__).resolve().parent.parent / "installer" / "kiosk_entry.py"
    data = tmp_path / "data"
    child = ["-m", "kiosk", "run", "--child", "--first-frame", str(data), str(config_file)]
    child += ["--config", str(config_file), "--size", "800x600"]
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env["KIOSK_DATA_DIR"] = str(data)
    about = data / first_frame.CACHE_DIR / first_frame.ABOUT
    log = data / "logs" / "kiosk.log"
    for start, ready in (
        (1, about.exists),
        (2, lambda: log.exists() and log.read_text(encoding="utf-8").count("starting;") == 2),
    ):
        shell = subprocess.Popen(
            [sys.executable, str(entry), *child],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(ready, f"start {start}")
        finally:
            shell.send_signal(signal.SIGTERM)
            try:
                assert shell.wait(timeout=30) == 128 + signal.SIGTERM
            finally:
                if shell.poll() is None:
                    shell.kill()
    text = log.read_text(encoding="utf-8")
    assert text.count("the last attract screen is shown while the kiosk starts") == 1

    # A damaged picture is passed over, and the log says why (though it was read before
    # the shell's log was set up).
    picture = data / first_frame.CACHE_DIR / first_frame.PICTURE
    picture.write_bytes(picture.read_bytes()[:-1000])
    shell = subprocess.Popen(
        [sys.executable, str(entry), *child],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: log.read_text(encoding="utf-8").count("starting;") == 3, "start 3")
    finally:
        shell.send_signal(signal.SIGTERM)
        try:
            assert shell.wait(timeout=30) == 128 + signal.SIGTERM
        finally:
            if shell.poll() is None:
                shell.kill()
    text = log.read_text(encoding="utf-8")
    assert "the last attract screen cannot be shown (attract.pixels:" in text
    assert text.count("the last attract screen is shown while the kiosk starts") == 1
