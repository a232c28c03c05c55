"""A child with a game controller alone: through the menus into a game and back."""

from __future__ import annotations

import pygame

from kiosk.harness import Harness
from kiosk.sessions import RunEnded, SessionChanged
from kiosk.virtual_pads import VirtualPad, VirtualPads

A = pygame.CONTROLLER_BUTTON_A
B = pygame.CONTROLLER_BUTTON_B
RB = pygame.CONTROLLER_BUTTON_RIGHTSHOULDER
RIGHT = pygame.CONTROLLER_BUTTON_DPAD_RIGHT
DOWN = pygame.CONTROLLER_BUTTON_DPAD_DOWN


def _plug(kiosk: Harness, pads: VirtualPads) -> VirtualPad:
    pad = pads.plug()
    kiosk.step()
    return pad


def test_a_pad_alone_reaches_a_game_and_back(kiosk: Harness, pads: VirtualPads) -> None:
    pad = _plug(kiosk, pads)
    pad.press(A, kiosk.step)
    assert kiosk.scene_name == "AgePicker"
    pad.press(RB, kiosk.step)  # focus: the first age band (never Bye: that leaves)
    pad.press(A, kiosk.step)
    assert kiosk.scene_name == "Launcher"
    assert kiosk.sink.of_type(SessionChanged)[0].age_band == "6-8"  # type: ignore[union-attr]
    for _ in range(5):
        pad.press(DOWN, kiosk.step)
    pad.press(A, kiosk.step)
    assert kiosk.scene_name == "ActivityHost"
    pad.press(B, kiosk.step)
    assert kiosk.scene_name == "Launcher"
    assert [e.outcome for e in kiosk.sink.of_type(RunEnded)] == ["quit"]  # type: ignore[union-attr]
    pad.press(B, kiosk.step)
    assert kiosk.scene_name == "Launcher"
    assert kiosk.app.running
