"""The game controller's A button drawn as children know it from the pad: a green disc with
a white A. The Controllers step ("Press A to join") and the quiz's buzzer ("Press A to
buzz!") show it next to their words, for children who do not read yet."""

from __future__ import annotations

import pygame

from kiosk.ui import draw
from kiosk.ui.theme import GOOD, WHITE
from kiosk.ui.widgets import UI


def pad_button(ui: UI, side: int) -> pygame.Surface:
    """The A button, `side` pixels across."""
    disc = draw.circle(side, GOOD, max(2, side // 16), WHITE).copy()
    letter = ui.text.render("A", max(1, int(side * 0.62)), WHITE, weight="bold")
    disc.blit(letter, letter.get_rect(center=(side // 2, side // 2)))
    return disc
