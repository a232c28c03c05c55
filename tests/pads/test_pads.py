"""Pads in slots, their buttons and sticks as keys (kiosk.pads, kiosk.input)."""

from __future__ import annotations

import pygame
import pytest

from kiosk.api import KeyEvent
from kiosk.harness import Harness
from kiosk.virtual_pads import VirtualPads
from tests.pads.recorder import RECORDER, open_recorder

A = pygame.CONTROLLER_BUTTON_A
LEFTX = pygame.CONTROLLER_AXIS_LEFTX
LEFTY = pygame.CONTROLLER_AXIS_LEFTY


def _keys(events: list[KeyEvent]) -> list[tuple[int, int | None]]:
    return [(e.key, e.pad) for e in events]


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_each_pad_keeps_its_slot_and_its_keys_say_which(kiosk: Harness, pads: VirtualPads) -> None:
    recorder = open_recorder(kiosk)
    first, second, third = pads.plug(), pads.plug(), pads.plug()
    kiosk.step()
    assert kiosk.app.pads.connected == [0, 1, 2]
    for pad in (third, first, second):
        pad.press(A, kiosk.step)
    enter = pygame.K_RETURN
    assert _keys(recorder.keys) == [(enter, 2), (enter, 0), (enter, 1)]
    # The first pad goes and a new one comes: it takes the free slot, the others keep theirs.
    first.unplug()
    kiosk.step()
    kiosk.tap_button("play-on")  # the game goes on without it (see test_pad_missing)
    fourth = pads.plug()
    kiosk.step()
    recorder.keys.clear()
    for pad in (fourth, third):
        pad.press(A, kiosk.step)
    assert _keys(recorder.keys) == [(pygame.K_RETURN, 0), (pygame.K_RETURN, 2)]


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_a_fifth_pad_is_left_out(kiosk: Harness, pads: VirtualPads) -> None:
    recorder = open_recorder(kiosk)
    plugged = [pads.plug() for _ in range(5)]
    kiosk.step()
    assert kiosk.app.pads.connected == [0, 1, 2, 3]
    plugged[4].press(A, kiosk.step)
    assert recorder.keys == []


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_buttons_are_the_keys_games_know_and_guide_does_nothing(
    kiosk: Harness, pads: VirtualPads
) -> None:
    recorder = open_recorder(kiosk)
    pad = pads.plug()
    kiosk.step()
    for button in (
        pygame.CONTROLLER_BUTTON_GUIDE,
        pygame.CONTROLLER_BUTTON_Y,
        pygame.CONTROLLER_BUTTON_START,
        pygame.CONTROLLER_BUTTON_X,
        pygame.CONTROLLER_BUTTON_DPAD_UP,
        pygame.CONTROLLER_BUTTON_DPAD_LEFT,
        pygame.CONTROLLER_BUTTON_RIGHTSHOULDER,
    ):
        pad.press(button, kiosk.step)
    assert [e.key for e in recorder.keys] == [
        pygame.K_RETURN,
        pygame.K_SPACE,
        pygame.K_UP,
        pygame.K_LEFT,
        pygame.K_TAB,
    ]
    assert all(e.mod == 0 and e.pad == 0 for e in recorder.keys)
    assert kiosk.scene_name == "ActivityHost"


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_the_stick_moves_past_its_dead_zone_once_per_push(
    kiosk: Harness, pads: VirtualPads
) -> None:
    recorder = open_recorder(kiosk)
    pad = pads.plug()
    kiosk.step()
    for value in (8000, 15000):  # a thumb resting on the stick
        pad.set_axis(LEFTX, value)
        kiosk.step()
    assert recorder.keys == []
    for value in (25000, 32767, 14000, 26000):  # wobbling, but never back near the middle
        pad.set_axis(LEFTX, value)
        kiosk.step()
    pad.set_axis(LEFTX, 0)
    kiosk.step()
    pad.set_axis(LEFTY, -30000)
    kiosk.step()
    pad.set_axis(LEFTY, 0)
    kiosk.step()
    assert [e.key for e in recorder.keys] == [pygame.K_RIGHT, pygame.K_UP]


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_a_held_direction_repeats_like_a_held_key(kiosk: Harness, pads: VirtualPads) -> None:
    recorder = open_recorder(kiosk)
    pad = pads.plug()
    kiosk.step()
    pad.set_button(pygame.CONTROLLER_BUTTON_DPAD_DOWN, True)
    kiosk.step()
    kiosk.wait(0.4, dt=0.05)
    assert len(recorder.keys) == 1  # not yet: a short press is one step
    kiosk.wait(0.55, dt=0.05)  # 0.95 s held: repeats at 0.45, 0.6, 0.75 and 0.9 s
    assert [e.key for e in recorder.keys] == [pygame.K_DOWN] * 5
    pad.set_button(pygame.CONTROLLER_BUTTON_DPAD_DOWN, False)
    kiosk.step()
    kiosk.wait(1.0, dt=0.05)
    assert len(recorder.keys) == 5


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_a_pad_pulled_out_while_held_stops_repeating(kiosk: Harness, pads: VirtualPads) -> None:
    recorder = open_recorder(kiosk)
    pad = pads.plug()
    kiosk.step()
    pad.set_axis(LEFTX, -32768)
    kiosk.step()
    pad.unplug()
    kiosk.step()
    kiosk.tap_button("play-on")
    kiosk.wait(2.0, dt=0.05)
    assert [e.key for e in recorder.keys] == [pygame.K_LEFT]
