"""Still screens cost almost nothing: the attract screen rests, a still activity idles."""

from __future__ import annotations

import pygame

from kiosk import routes
from kiosk.harness import Harness
from kiosk.scenes.attract import ANIMATION_FPS, REST_AFTER_S


def _painted_frames(kiosk: Harness, seconds: float) -> int:
    """How many of the next frames repainted anything."""
    painted = 0
    original = pygame.display.update

    def counting_update(*args: object) -> None:
        nonlocal painted
        painted += 1
        original(*args)  # type: ignore[arg-type]

    pygame.display.update = counting_update  # type: ignore[assignment]
    try:
        kiosk.wait(seconds)
    finally:
        pygame.display.update = original
    return painted


def test_attract_screen_animates_then_rests_and_a_touch_wakes_it(kiosk: Harness) -> None:
    assert kiosk.scene_name == "Attract"
    assert kiosk.app.frame_rate == ANIMATION_FPS
    assert _painted_frames(kiosk, 2.0) >= ANIMATION_FPS  # the pictures bob

    kiosk.wait(REST_AFTER_S)
    assert kiosk.app.frame_rate == 0  # the main loop falls back to its calm input poll
    assert _painted_frames(kiosk, 5.0) == 0

    kiosk.key(pygame.K_LSHIFT)  # any input wakes it, without starting a session
    assert kiosk.scene_name == "Attract"
    assert kiosk.app.sessions.current is None
    assert kiosk.app.frame_rate == ANIMATION_FPS
    assert _painted_frames(kiosk, 2.0) >= ANIMATION_FPS


def test_a_resting_attract_screen_still_starts_a_session_at_the_first_touch(
    kiosk: Harness,
) -> None:
    kiosk.wait(REST_AFTER_S + 1)
    kiosk.tap_button("start")
    assert kiosk.app.sessions.current is not None
    assert kiosk.scene_name in ("AgePicker", "Launcher")


def test_a_still_activity_lets_the_loop_poll_calmly(kiosk: Harness) -> None:
    kiosk.tap_button("start")
    if kiosk.scene_name == "AgePicker":
        kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:memory")
    assert kiosk.app.frame_rate > 0  # just opened: it may animate
    kiosk.wait(2.0)  # Memory pairs waits on its topic picker: nothing moves
    assert kiosk.app.frame_rate == 0
    kiosk.tap_button(kiosk.buttons()[1].id)  # a topic: the child is playing again
    assert kiosk.app.frame_rate > 0


def test_a_covered_screen_does_not_repaint_the_panel_on_top_of_it(kiosk: Harness) -> None:
    """The attract screen keeps its animation running under the librarian panel; its
    repaints must not make the panel draw itself again a dozen times a second."""
    kiosk.app.push(routes.Panel())
    kiosk.step(5)
    assert _painted_frames(kiosk, 3.0) == 0
