"""Librarian mode end to end: the hidden way in, the PIN, group sessions, lockdown."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk import routes
from kiosk.cli import main
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.sessions import SessionEnded, SessionStarted
from kiosk.usage import UsageStore

PIN = "2468"


@pytest.fixture
def librarian(tmp_path: Path) -> Iterator[Harness]:
    """A kiosk whose config lives in tmp_path, with the PIN 2468 set next to it."""
    config = parse_config("{}", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    with Harness(config) as kiosk:
        yield kiosk


def _hold_corner(kiosk: Harness, seconds: float) -> None:
    w, _h = kiosk.app.screen.get_size()
    kiosk.post(pygame.MOUSEBUTTONDOWN, pos=(w - 12, 12), button=1, touch=False)
    kiosk.wait(seconds, dt=0.1)
    kiosk.post(pygame.MOUSEBUTTONUP, pos=(w - 12, 12), button=1, touch=False)
    kiosk.step()


def _type_pin(kiosk: Harness, pin: str) -> None:
    for digit in pin:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")


def test_holding_the_corner_3_seconds_then_the_pin_opens_the_panel(librarian: Harness) -> None:
    _hold_corner(librarian, 3.2)
    assert librarian.scene_name == "PinPad"
    _type_pin(librarian, PIN)
    assert librarian.scene_name == "Panel"


def test_a_short_press_in_the_corner_does_nothing(librarian: Harness) -> None:
    _hold_corner(librarian, 2.0)
    assert librarian.app.scene(routes.PinPad) is None


def test_ctrl_alt_l_opens_the_pin_pad_and_escape_closes_it(librarian: Harness) -> None:
    librarian.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    assert librarian.scene_name == "PinPad"
    librarian.key(pygame.K_ESCAPE)
    assert librarian.scene_name == "Attract"


def test_the_pin_can_be_typed_on_a_keyboard(librarian: Harness) -> None:
    librarian.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        librarian.key(getattr(pygame, f"K_{digit}"), unicode=digit)
    librarian.key(pygame.K_RETURN)
    assert librarian.scene_name == "Panel"


def test_five_wrong_pins_lock_the_pad_for_a_minute(librarian: Harness) -> None:
    librarian.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for _ in range(5):
        _type_pin(librarian, "1111")
    assert librarian.app.pins.locked_for(librarian.app.wall_now()) > 59
    _type_pin(librarian, PIN)  # even the right PIN is refused while locked
    assert librarian.scene_name == "PinPad"
    librarian.wait(61, dt=1.0)
    _type_pin(librarian, PIN)
    assert librarian.scene_name == "Panel"


def test_without_a_pin_the_pad_explains_and_nothing_unlocks(tmp_path: Path) -> None:
    config = parse_config("{}", path=str(tmp_path / "config.yaml"))
    with Harness(config) as kiosk:
        kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
        assert kiosk.scene_name == "PinPad"
        assert [b.id for b in kiosk.buttons()] == ["pin:close"]


def test_the_panel_closes_itself_after_two_minutes(librarian: Harness) -> None:
    librarian.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    _type_pin(librarian, PIN)
    librarian.wait(119, dt=1.0)
    assert librarian.scene_name == "Panel"
    librarian.wait(2, dt=1.0)
    assert librarian.scene_name == "Attract"


def _open_panel(kiosk: Harness) -> None:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    _type_pin(kiosk, PIN)


def test_a_group_of_23_with_a_10_minute_timer_ends_by_timer(tmp_path: Path) -> None:
    config = parse_config("{}", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    data = tmp_path / "data"
    store = UsageStore.open(data, config)
    with Harness(config, sink=store, data_folder=data) as kiosk:
        _hold_corner(kiosk, 3.2)
        _type_pin(kiosk, PIN)
        kiosk.tap_button("panel:group")
        kiosk.tap_button("group:digit:2")
        kiosk.tap_button("group:digit:3")
        kiosk.tap_button("group:timer:10")
        kiosk.tap_button("group:start")
        assert kiosk.scene_name == "Launcher"
        kiosk.tap_button("tile:memory")
        kiosk.tap_button("topic:animals")
        kiosk.tap_button("level:1")
        kiosk.wait(300, dt=1.0)  # groups do not get "Are you still there?"
        assert kiosk.scene_name == "ActivityHost"
        kiosk.wait(301, dt=1.0)
        assert kiosk.scene_name == "TimeUp"
        kiosk.tap_button("ok")
        assert kiosk.scene_name == "Attract"
    import sqlite3

    with sqlite3.connect(data / "usage.db") as db:
        rows = db.execute("SELECT kind, headcount, end_reason FROM sessions").fetchall()
    assert rows == [("group", 23, "timer")]


def test_a_fixed_activity_is_the_only_tile_and_the_timer_can_be_extended(
    librarian: Harness,
) -> None:
    _open_panel(librarian)
    librarian.tap_button("panel:group")
    librarian.tap_button("group:activity:memory")
    librarian.tap_button("group:timer:10")
    librarian.tap_button("group:start")
    tiles = [b.id for b in librarian.buttons() if b.id.startswith("tile:")]
    assert tiles == ["tile:memory"]
    clock = librarian.app.group_clock
    assert clock is not None
    before = clock.remaining(librarian.app.now())
    _open_panel(librarian)
    librarian.tap_button("panel:extend")
    assert clock.remaining(librarian.app.now()) > before + 290


def test_the_librarian_ends_a_session(librarian: Harness) -> None:
    librarian.tap_button("start")
    _open_panel(librarian)
    librarian.tap_button("panel:end")
    assert librarian.scene_name == "Attract"
    ended = librarian.sink.of_type(SessionEnded)
    assert [e.reason for e in ended] == ["librarian"]  # type: ignore[union-attr]


def test_out_of_order_stays_until_unlocked(librarian: Harness) -> None:
    _open_panel(librarian)
    librarian.tap_button("panel:out-of-order")
    assert librarian.scene_name == "OutOfOrder"
    librarian.click((400, 400))
    librarian.key(pygame.K_RETURN)
    librarian.wait(300, dt=1.0)
    assert librarian.scene_name == "OutOfOrder"
    assert librarian.sink.of_type(SessionStarted) == []
    _open_panel(librarian)
    librarian.tap_button("panel:close")
    assert librarian.scene_name == "OutOfOrder"


def test_exit_to_desktop_stops_the_kiosk(librarian: Harness) -> None:
    _open_panel(librarian)
    librarian.tap_button("panel:exit")
    assert not librarian.app.running


def test_set_pin_stores_only_a_salted_hash_readable_by_its_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("97531\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 0
    secrets = tmp_path / "secrets.json"
    text = secrets.read_text(encoding="utf-8")
    assert "97531" not in text
    record = json.loads(text)["pin"]
    assert record["algorithm"] == "scrypt" and len(record["salt"]) == 32
    if os.name == "posix":
        assert stat.S_IMODE(secrets.stat().st_mode) == 0o600


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", ""])
def test_set_pin_refuses_what_is_not_4_to_8_digits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pin: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(pin + "\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 2
    assert not (tmp_path / "secrets.json").exists()
