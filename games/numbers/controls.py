"""The buttons of Number garden: big number buttons to choose from, and the number pad.

Numbers are drawn at exactly the size a button shows them, so they stay crisp."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial

import pygame

from kiosk.api import UI, Button, theme

PAD_ROWS = (("7", "8", "9"), ("4", "5", "6"), ("1", "2", "3"), ("back", "0", "ok"))
ANSWER_COLOR = theme.TILE_COLORS[6]
PAD_COLOR = theme.TILE_COLORS[2]


def number_image(ui: UI, text: str, button_size: tuple[int, int]) -> pygame.Surface:
    """`text` as big as a button of `button_size` shows a picture (never rescaled)."""
    m = ui.metrics
    side = min(button_size) - 2 * m.px(12)
    image = pygame.Surface((side, side), pygame.SRCALPHA)
    label = ui.text.fit(text, (side, side), int(side * 0.85), theme.INK, "bold", max_lines=1)
    image.blit(label, label.get_rect(center=(side // 2, side // 2)))
    return image


def answer_buttons(
    ui: UI,
    choices: tuple[int, ...],
    answer: int,
    wrong: Collection[int],
    solved: bool,
    midtop: tuple[int, int],
    on_answer: Callable[[int], None],
) -> list[Button]:
    """A row of number buttons: wrong tries fade out, the right answer turns green."""
    m = ui.metrics
    w, h, gap = m.px(190), m.px(132), m.px(40)
    x = midtop[0] - (len(choices) * w + (len(choices) - 1) * gap) // 2
    buttons = []
    for value in choices:
        right = solved and value == answer
        buttons.append(
            Button(
                id=f"answer:{value}",
                rect=pygame.Rect(x, midtop[1], w, h),
                color=theme.GOOD if right else ANSWER_COLOR,
                image=number_image(ui, str(value), (w, h)),
                on_press=partial(on_answer, value),
                enabled=value not in wrong and (right or not solved),
            )
        )
        x += w + gap
    return buttons


def pad_size(ui: UI) -> tuple[int, int]:
    key_w, key_h, gap = _pad_units(ui)
    return 3 * key_w + 2 * gap, 4 * key_h + 3 * gap


def _pad_units(ui: UI) -> tuple[int, int, int]:
    m = ui.metrics
    return m.px(124), m.px(94), m.px(14)


def pad_buttons(
    ui: UI,
    topleft: tuple[int, int],
    on_digit: Callable[[str], None],
    on_erase: Callable[[], None],
    on_submit: Callable[[], None],
) -> list[Button]:
    """The number pad: 7 8 9 / 4 5 6 / 1 2 3 / erase 0 OK (ids "key:7", "key:back"...)."""
    key_w, key_h, gap = _pad_units(ui)
    buttons = []
    for r, row in enumerate(PAD_ROWS):
        for c, key in enumerate(row):
            rect = pygame.Rect(
                topleft[0] + c * (key_w + gap), topleft[1] + r * (key_h + gap), key_w, key_h
            )
            if key == "ok":
                button = Button(
                    f"key:{key}",
                    rect,
                    theme.YES_COLOR,
                    icon="check-mark-button",
                    on_press=on_submit,
                )
            elif key == "back":
                button = Button(
                    f"key:{key}", rect, theme.NEUTRAL_COLOR, icon="left-arrow", on_press=on_erase
                )
            else:
                button = Button(
                    f"key:{key}",
                    rect,
                    PAD_COLOR,
                    image=number_image(ui, key, rect.size),
                    on_press=partial(on_digit, key),
                )
            buttons.append(button)
    return buttons
