"""No text overflows its box and no button leaves the screen, in every language, at the
smallest PC screen, a 4:3 screen, full HD and a 4K whiteboard."""

from __future__ import annotations

from collections.abc import Callable

import pygame
import pytest

from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES

SIZES = [(1280, 720), (1366, 768), (1280, 1024), (1920, 1080), (3840, 2160)]


def _visit_every_screen(kiosk: Harness) -> list[tuple[str, Callable[[], None]]]:
    def attract() -> None:
        pass

    def age() -> None:
        kiosk.tap_button("start")

    def launcher() -> None:
        kiosk.tap_button("age:skip")

    def memory_topics() -> None:
        kiosk.tap_button("tile:memory")

    def memory_levels() -> None:
        kiosk.tap_button("topic:animals")

    def memory_play() -> None:
        kiosk.tap_button("level:3")

    def memory_won() -> None:
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        for i, card in enumerate(game.cards):
            for j in range(i + 1, len(game.cards)):
                if card.key == game.cards[j].key:
                    game.turn(i)
                    game.turn(j)
        kiosk.step(60)

    def idle_prompt() -> None:
        kiosk.wait(95, dt=1.0)

    def oops() -> None:
        kiosk.app.go("oops")

    return [
        ("attract", attract),
        ("age", age),
        ("launcher", launcher),
        ("memory-topics", memory_topics),
        ("memory-levels", memory_levels),
        ("memory-play", memory_play),
        ("memory-won", memory_won),
        ("idle", idle_prompt),
        ("oops", oops),
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_overflows_and_buttons_stay_on_screen(size: tuple[int, int], lang: str) -> None:
    with Harness(size=size, lang=lang) as kiosk:
        screen = pygame.Rect(0, 0, *size)
        for name, go in _visit_every_screen(kiosk):
            go()
            kiosk.screenshot()
            overflows = kiosk.app.ui.text.overflows
            assert overflows == [], f"{name}: {overflows}"
            for button in kiosk.buttons():
                assert screen.contains(button.rect), f"{name}: {button.id} {button.rect}"
            overlapping = [
                (a.id, b.id)
                for group in kiosk.button_groups()
                for i, a in enumerate(group.buttons)
                for b in group.buttons[i + 1 :]
                if a.rect.colliderect(b.rect)
            ]
            assert overlapping == [], name
        assert kiosk.app.errors == 0
