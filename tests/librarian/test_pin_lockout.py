"""The PIN pad's lockout survives a restart, grows with every further wrong PIN, and
fails safe when its file is broken or cannot be written."""

from __future__ import annotations

import io
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk import routes
from kiosk.cli import main
from kiosk.config import Config, parse_config
from kiosk.harness import Harness
from kiosk.librarian.lockout import LOCKOUT_FILE
from kiosk.librarian.pin import set_pin

PIN = "5831"
WRONG = "4096"


class Station:
    """A station's config folder and data folder, kept across restarts of the kiosk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        text = "languages: {default: en}\n"
        (folder / "config.yaml").write_text(text, encoding="utf-8")
        self.config: Config = parse_config(text, path=str(folder / "config.yaml"))
        set_pin(folder / "secrets.json", PIN)

    def start(self) -> Harness:
        return Harness(self.config, data_folder=self.data)


@pytest.fixture
def station(tmp_path: Path) -> Station:
    return Station(tmp_path)


@pytest.fixture
def kiosk(station: Station) -> Iterator[Harness]:
    with station.start() as kiosk:
        yield kiosk


def _open_pad(kiosk: Harness) -> None:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    assert kiosk.scene_name == "PinPad"


def _type_pin(kiosk: Harness, pin: str) -> None:
    for digit in pin:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")


def _locked_for(kiosk: Harness) -> float:
    return kiosk.app.pins.locked_for(kiosk.app.wall_now())


def _lock_note(kiosk: Harness) -> str:
    pad = kiosk.app.scene(routes.PinPad)
    assert pad is not None
    return str(pad.lock_note)  # type: ignore[attr-defined]


def test_a_restart_keeps_the_lockout_and_its_tally(station: Station) -> None:
    with station.start() as kiosk:
        _open_pad(kiosk)
        for _ in range(5):
            _type_pin(kiosk, WRONG)
        assert _locked_for(kiosk) > 55
    # The kiosk restarts (a power cut, or a child who found how to crash it): a few
    # seconds later the pad is still locked, not five fresh tries.
    with station.start() as kiosk:
        kiosk.wait(8, dt=1.0)
        _open_pad(kiosk)
        assert 40 < _locked_for(kiosk) <= 60
        _type_pin(kiosk, PIN)
        assert kiosk.scene_name == "PinPad"  # even the right PIN waits
        kiosk.wait(61, dt=1.0)
        _type_pin(kiosk, WRONG)
        # The tally survived too: after a lock, one wrong PIN locks again, for longer.
        assert 110 < _locked_for(kiosk) <= 120


def test_a_restart_with_the_clock_set_back_never_lengthens_the_lock(station: Station) -> None:
    with station.start() as kiosk:
        kiosk.wait(300, dt=1.0)  # the lock is set five minutes after the kiosk started
        _open_pad(kiosk)
        for _ in range(5):
            _type_pin(kiosk, WRONG)
        assert _locked_for(kiosk) > 55
    with station.start() as kiosk:  # its clock starts five minutes before the lock
        _open_pad(kiosk)
        assert 0 < _locked_for(kiosk) <= 60
        kiosk.wait(61, dt=1.0)
        _type_pin(kiosk, PIN)
        assert kiosk.scene_name == "Panel"


def test_each_wrong_pin_after_a_lock_doubles_it_up_to_an_hour(kiosk: Harness) -> None:
    _open_pad(kiosk)
    for _ in range(4):
        _type_pin(kiosk, WRONG)
    assert _locked_for(kiosk) == 0
    _type_pin(kiosk, WRONG)
    locks = []
    for _ in range(8):
        locked = _locked_for(kiosk)
        locks.append(round(locked / 60))
        if locked > 60:
            minutes = round(locked / 60)
            assert _lock_note(kiosk) == f"Too many wrong PINs. Try again in {minutes} minutes."
        kiosk.wait(locked + 1, dt=5.0)
        if kiosk.app.scene(routes.PinPad) is None:  # it closes itself after two idle minutes
            _open_pad(kiosk)
        _type_pin(kiosk, WRONG)
    assert locks == [1, 2, 4, 8, 16, 32, 60, 60]


def test_the_pad_says_the_time_left_in_words(kiosk: Harness) -> None:
    _open_pad(kiosk)
    for _ in range(5):
        _type_pin(kiosk, WRONG)
    kiosk.wait(58.5, dt=0.5)
    assert _lock_note(kiosk) == "Too many wrong PINs. Try again in 2 seconds."
    kiosk.wait(1.0, dt=0.5)
    assert _lock_note(kiosk) == "Too many wrong PINs. Try again in 1 second."
    kiosk.wait(1.0, dt=0.5)
    assert _lock_note(kiosk) == ""


def test_the_right_pin_resets_the_tally(kiosk: Harness) -> None:
    _open_pad(kiosk)
    for _ in range(5):
        _type_pin(kiosk, WRONG)
    kiosk.wait(61, dt=1.0)
    _type_pin(kiosk, PIN)
    assert kiosk.scene_name == "Panel"
    kiosk.tap_button("panel:close")
    _open_pad(kiosk)
    for _ in range(4):
        _type_pin(kiosk, WRONG)
    assert _locked_for(kiosk) == 0


def test_a_new_pin_set_while_the_pad_is_locked_opens_it(
    kiosk: Harness, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open_pad(kiosk)
    for _ in range(5):
        _type_pin(kiosk, WRONG)
    assert _locked_for(kiosk) > 55
    monkeypatch.setattr("sys.stdin", io.StringIO("8053\n"))
    assert main(["set-pin", "--stdin", "--config", str(station.folder / "config.yaml")]) == 0
    _type_pin(kiosk, "8053")
    assert kiosk.scene_name == "Panel"


def test_the_lockout_file_is_readable_by_its_owner_only(kiosk: Harness, station: Station) -> None:
    _open_pad(kiosk)
    _type_pin(kiosk, WRONG)
    path = station.data / LOCKOUT_FILE
    assert PIN not in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("content", ["{not json", '{"wrong": -3}', ""])
def test_a_broken_lockout_file_locks_for_a_minute_then_allows_one_try_at_a_time(
    station: Station, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    station.data.mkdir(parents=True)
    (station.data / LOCKOUT_FILE).write_text(content, encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="kiosk.librarian.lockout")
    with station.start() as kiosk:
        _open_pad(kiosk)
        assert 55 < _locked_for(kiosk) <= 60
        assert any(LOCKOUT_FILE in r.getMessage() for r in caplog.records)
        kiosk.wait(61, dt=1.0)
        _type_pin(kiosk, WRONG)
        assert _locked_for(kiosk) > 110
        kiosk.wait(121, dt=1.0)
        _open_pad(kiosk)
        _type_pin(kiosk, PIN)  # never locked for good
        assert kiosk.scene_name == "Panel"


def test_an_unwritable_lockout_file_still_locks_in_memory_and_says_so_in_the_log(
    station: Station, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def read_only_disk(target: Path, data: bytes) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("kiosk.librarian.lockout.atomic_write", read_only_disk)
    caplog.set_level(logging.WARNING, logger="kiosk.librarian.lockout")
    with station.start() as kiosk:
        _open_pad(kiosk)
        for _ in range(5):
            _type_pin(kiosk, WRONG)
        assert _locked_for(kiosk) > 55
        _type_pin(kiosk, PIN)
        assert kiosk.scene_name == "PinPad"
    written = [r.getMessage() for r in caplog.records if "cannot write" in r.getMessage()]
    assert len(written) == 1 and "Read-only file system" in written[0]


def test_a_day_without_wrong_pins_forgets_the_tally(kiosk: Harness) -> None:
    _open_pad(kiosk)
    for _ in range(5):
        _type_pin(kiosk, WRONG)
    kiosk.wait(25 * 3600, dt=60.0)
    _open_pad(kiosk)
    _type_pin(kiosk, WRONG)
    assert _locked_for(kiosk) == 0
    assert kiosk.app.pins.tries_left() == 4
