"""A still screen costs little more than a bare window's event loop (issue #14): a turn of
the main loop with no input and nothing due only polls input, and while the attract screen
rests the sound device is closed (SDL's audio thread mixes silence forty times a second)
until the first input, whose sound is still heard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.config import parse_config
from kiosk.harness import FRAME_S, Harness
from kiosk.librarian.pin import set_pin
from kiosk.paths import APP_ROOT
from kiosk.scenes.attract import HOURS_CHECK_S, REST_AFTER_S, Attract
from kiosk.shell.app import App
from kiosk.shell.turns import IDLE_POLL_FPS, REST_POLL_FPS
from kiosk.virtual_pads import VirtualPads
from tests.voice.sounds import RATE, peak, samples_of

POLL_S = 1 / IDLE_POLL_FPS


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The times (the kiosk's clock) at which the shell's `update` ran."""
    calls: list[float] = []
    original = App.update

    def counted(self: App, dt: float) -> None:
        calls.append(self.clock.monotonic())
        original(self, dt)

    monkeypatch.setattr(App, "update", counted)
    yield calls


def _rest(kiosk: Harness) -> None:
    kiosk.wait(REST_AFTER_S + 1)
    assert isinstance(kiosk.app.top, Attract) and kiosk.app.top.resting


def test_a_resting_attract_screen_updates_only_to_look_at_the_opening_hours(
    kiosk: Harness, updates: list[float]
) -> None:
    _rest(kiosk)
    updates.clear()
    turns = round(3 * HOURS_CHECK_S / POLL_S)
    kiosk.step(turns, POLL_S)
    # One update per look at the opening hours; every other turn only polled input.
    assert 2 <= len(updates) <= 4
    assert kiosk.app.turns.quiet >= turns - 4


def test_a_resting_attract_screen_polls_input_calmly_and_wakes_at_the_first_touch(
    kiosk: Harness, updates: list[float]
) -> None:
    assert kiosk.app.turns.poll_fps >= IDLE_POLL_FPS
    _rest(kiosk)
    assert kiosk.app.turns.poll_fps == REST_POLL_FPS
    updates.clear()
    kiosk.post(pygame.MOUSEMOTION, pos=(5, 5), rel=(1, 1), buttons=(0, 0, 0), touch=False)
    kiosk.step(1, POLL_S)
    assert len(updates) == 1  # the turn that saw the input updated at once
    assert not kiosk.app.top.resting  # type: ignore[union-attr]
    assert kiosk.app.frame_rate > 0
    assert kiosk.app.turns.poll_fps >= IDLE_POLL_FPS
    kiosk.step(10, POLL_S)
    assert len(updates) == 11  # animating again: every turn


def test_the_launcher_waiting_for_a_touch_updates_only_when_the_idle_prompt_is_due(
    kiosk: Harness, updates: list[float]
) -> None:
    kiosk.tap_button("start")
    if kiosk.scene_name == "AgePicker":
        kiosk.tap_button("age:skip")
    assert kiosk.scene_name == "Launcher"
    kiosk.step(5, POLL_S)
    updates.clear()
    timeout = kiosk.app.config.session.idle_timeout_s
    kiosk.wait(timeout - 2, POLL_S)
    # The heartbeat every 30 s, nothing else: the launcher has no timers of its own.
    assert len(updates) <= timeout / 30 + 1
    kiosk.wait(3, POLL_S)
    assert kiosk.scene_name == "IdlePrompt"  # on time, not a turn late


def test_a_game_on_its_picker_updates_only_after_input_and_in_play_every_turn(
    kiosk: Harness, updates: list[float]
) -> None:
    """A kit game's topic and level pickers change only with input
    (`Activity.waiting_for_input`); in play a game's own timers are its business: its
    update runs at every turn, still or not."""
    kiosk.tap_button("start")
    if kiosk.scene_name == "AgePicker":
        kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:memory")
    kiosk.wait(2.0)
    assert kiosk.app.frame_rate == 0
    updates.clear()
    kiosk.step(20, POLL_S)
    assert len(updates) <= 1  # the heartbeat at the most
    for prefix in ("topic:", "level:"):  # a topic (when there are several), then a level
        chosen = [b.id for b in kiosk.buttons() if b.id.startswith(prefix)]
        if chosen:
            kiosk.tap_button(chosen[0])
    assert kiosk.app.top.activity.phase == "play"  # type: ignore[attr-defined]
    kiosk.wait(2.0)
    assert kiosk.app.frame_rate == 0
    updates.clear()
    kiosk.step(20, POLL_S)
    assert len(updates) == 20


def test_the_panel_gets_the_two_frames_a_second_it_asks_for_and_no_more(
    tmp_path: Path, updates: list[float]
) -> None:
    config = parse_config("{}", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", "2468")
    with Harness(config, lang="lt") as kiosk:
        kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
        for digit in "2468":
            kiosk.tap_button(f"pin:{digit}")
        kiosk.tap_button("pin:ok")
        assert kiosk.scene_name == "Panel"
        kiosk.step(5, POLL_S)
        assert kiosk.app.frame_rate == 2
        updates.clear()
        kiosk.step(round(5 / POLL_S), POLL_S)
        assert 9 <= len(updates) <= 11


def test_a_pad_press_wakes_the_resting_attract_screen(kiosk: Harness) -> None:
    with VirtualPads() as pads:
        pad = pads.plug()
        kiosk.step()
        _rest(kiosk)
        assert kiosk.app.sound_rest.resting and pygame.mixer.get_init() is None
        pad.press(pygame.CONTROLLER_BUTTON_A, kiosk.step)
        assert not kiosk.app.sound_rest.resting and pygame.mixer.get_init() is not None
        assert kiosk.app.sessions.current is not None  # A starts, like a touch
        pad.unplug()
        kiosk.step()


def test_at_rest_the_sound_device_is_closed_and_reopened_by_the_first_touch(
    kiosk: Harness,
) -> None:
    sounds = kiosk.app.ui.sounds
    assert pygame.mixer.get_init() is not None
    _rest(kiosk)
    assert kiosk.app.sound_rest.resting and pygame.mixer.get_init() is None
    assert not kiosk.app.voice.available  # says nothing while the device is closed
    kiosk.tap_button("start")
    assert pygame.mixer.get_init() is not None
    assert kiosk.app.voice.available and getattr(sounds, "available", False)
    assert kiosk.app.sessions.current is not None


CAPTURE = """
import json, os, sys, time
from pathlib import Path
import pygame
from kiosk.harness import Harness
from kiosk.scenes.attract import REST_AFTER_S

out = Path(os.environ["SDL_DISKAUDIOFILE"])

def audio_threads():
    names = []
    for tid in os.listdir("/proc/self/task"):
        try:
            names.append(Path(f"/proc/self/task/{tid}/comm").read_text().strip())
        except OSError:
            pass  # a thread that has just ended
    return sorted(name for name in names if name.startswith("SDLAudio"))

harness = Harness(data_folder=Path(sys.argv[1]))
report = {"before": audio_threads()}
harness.wait(REST_AFTER_S + 1)
report["at_rest"] = audio_threads()
report["mixer_at_rest"] = pygame.mixer.get_init()
harness.tap_button("start")  # the first touch: its tap must be heard
deadline = time.monotonic() + 20
while out.stat().st_size < 4 * 22050 and time.monotonic() < deadline:
    time.sleep(0.005)  # the disk driver writes in (sped-up) real time: 2 s of sound
report["after"] = audio_threads()
harness.close()
print(json.dumps(report))
"""


def test_the_first_touch_after_a_rest_is_heard(tmp_path: Path) -> None:
    """SDL's disk audio driver writes what plays to a file; closing the device closes
    the file, and opening it again starts a new one: what it holds after the touch is
    what the child heard after waking the screen."""
    env = {
        **os.environ,
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(tmp_path / "out.raw"),
        "SDL_DISKAUDIODELAY": "2",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", CAPTURE, str(tmp_path / "data")],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["before"] and report["after"]  # the audio thread runs while awake
    assert report["at_rest"] == [] and report["mixer_at_rest"] is None
    heard = samples_of((tmp_path / "out.raw").read_bytes())
    assert len(heard) >= 2 * RATE
    assert peak(heard) > 2000  # the tap


def test_a_frame_still_paints_what_was_invalidated_between_turns(kiosk: Harness) -> None:
    _rest(kiosk)
    painted: list[object] = []
    original = pygame.display.flip

    def counting_flip() -> None:
        painted.append(None)
        original()

    pygame.display.flip = counting_flip  # type: ignore[assignment]
    try:
        kiosk.app.invalidate()
        kiosk.step(1, FRAME_S)
    finally:
        pygame.display.flip = original
    assert painted
