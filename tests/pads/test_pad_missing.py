"""A pad pulled out mid-game: the game waits, says which pad, goes on when it is back."""

from __future__ import annotations

import pygame
import pytest

from kiosk import routes
from kiosk.harness import Harness
from kiosk.virtual_pads import VirtualPads
from tests.pads.recorder import RECORDER, open_recorder

A = pygame.CONTROLLER_BUTTON_A
B = pygame.CONTROLLER_BUTTON_B


def _message(kiosk: Harness) -> str:
    overlay = kiosk.app.scene(routes.PadMissing)
    assert overlay is not None
    return overlay.message()  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("kiosk", [{**RECORDER, "lang": "en"}], indirect=True)
def test_the_game_waits_for_a_pulled_out_pad_and_goes_on_when_it_is_back(
    kiosk: Harness, pads: VirtualPads
) -> None:
    recorder = open_recorder(kiosk)
    first, second = pads.plug(), pads.plug()
    kiosk.step()
    second.unplug()
    kiosk.step()
    assert kiosk.scene_name == "PadMissing"
    assert _message(kiosk).splitlines()[0] == "Controller 2 is unplugged."
    assert recorder.pauses == 1
    # Meanwhile nothing reaches the game, and B does not leave it.
    first.press(pygame.CONTROLLER_BUTTON_DPAD_LEFT, kiosk.step)
    first.press(B, kiosk.step)
    kiosk.key(pygame.K_ESCAPE)
    assert recorder.keys == []
    assert kiosk.scene_name == "PadMissing"
    kiosk.screenshot()  # the card paints in every language's length
    again = pads.plug()
    kiosk.step(2)
    assert kiosk.scene_name == "ActivityHost"
    assert recorder.resumes == 1
    again.press(A, kiosk.step)
    assert [(e.key, e.pad) for e in recorder.keys] == [(pygame.K_RETURN, 1)]


@pytest.mark.parametrize("kiosk", [{**RECORDER, "lang": "lv"}], indirect=True)
def test_the_missing_pad_is_named_in_the_childs_language(kiosk: Harness, pads: VirtualPads) -> None:
    open_recorder(kiosk)
    plugged = [pads.plug() for _ in range(3)]
    kiosk.step()
    plugged[0].unplug()
    plugged[2].unplug()
    kiosk.step()
    assert _message(kiosk).splitlines() == [
        "Pults 1 ir atvienota.",
        "Pults 3 ir atvienota.",
        "Pievieno tās atkal, lai spēlētu tālāk.",
    ]
    kiosk.app.set_language("lt")
    assert _message(kiosk).splitlines()[0] == "Valdiklis 1 atjungtas."
    kiosk.screenshot()
    assert kiosk.app.ui.text.overflows == []
    # One comes back: it takes the lowest missing number; the card still waits for pad 3.
    pads.plug()
    kiosk.step(2)
    assert kiosk.app.pads.connected == [0, 1]
    assert _message(kiosk).splitlines()[0] == "Valdiklis 3 atjungtas."


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_another_pad_can_choose_to_play_on_without_it(kiosk: Harness, pads: VirtualPads) -> None:
    recorder = open_recorder(kiosk)
    first, second = pads.plug(), pads.plug()
    kiosk.step()
    first.unplug()
    kiosk.step()
    second.press(A, kiosk.step)  # "Play on without it" has the focus
    assert kiosk.scene_name == "ActivityHost"
    kiosk.step(3)
    assert kiosk.scene_name == "ActivityHost"  # it does not come back by itself
    second.press(A, kiosk.step)
    assert [(e.key, e.pad) for e in recorder.keys] == [(pygame.K_RETURN, 1)]


@pytest.mark.parametrize("kiosk", [RECORDER], indirect=True)
def test_a_pad_pulled_out_between_games_stops_nothing(kiosk: Harness, pads: VirtualPads) -> None:
    pad = pads.plug()
    kiosk.step()
    kiosk.tap_button("start")
    pad.unplug()
    kiosk.step()
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:keys")
    kiosk.step(3)
    assert kiosk.scene_name == "ActivityHost"
