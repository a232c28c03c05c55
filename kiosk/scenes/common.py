"""Pieces several scenes share: the calm background, the corner button, flags."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pygame

from kiosk.i18n import FLAG_EMOJI, NATIVE_NAMES
from kiosk.ui.theme import HOME_COLOR, INK, WHITE, Metrics
from kiosk.ui.widgets import UI, Button

#: The group badge's width in layout units (the bars' free room on the right is 200).
GROUP_BADGE_W = 188


def corner_button(
    metrics: Metrics, button_id: str, icon: str, on_press: Callable[[], None]
) -> Button:
    """The round button in the top-left corner: Home in activities, Bye elsewhere.

    Always the same place and size, so a child learns it once."""
    d = metrics.corner_button
    margin = (metrics.bar_height - d) // 2
    return Button(
        id=button_id,
        rect=pygame.Rect(margin + metrics.px(8), margin, d, d),
        color=HOME_COLOR,
        icon=icon,
        on_press=on_press,
        round=True,
        starts_focus=False,  # a child's first press of a key or pad never means "leave"
    )


def language_buttons(
    ui: UI,
    languages: tuple[str, ...],
    right: int,
    top: int,
    diameter: int,
    on_pick: Callable[[str], None],
) -> list[Button]:
    """Small round flag buttons ending at x=`right` (for bars)."""
    gap = ui.metrics.px(14)
    buttons = []
    x = right - len(languages) * diameter - (len(languages) - 1) * gap
    for lang in languages:
        buttons.append(
            Button(
                id=f"lang:{lang}",
                rect=pygame.Rect(x, top, diameter, diameter),
                color=WHITE,
                icon=FLAG_EMOJI[lang],
                on_press=partial(on_pick, lang),
                round=True,
                starts_focus=False,  # the first key press starts on the screen's own choices
            )
        )
        x += diameter + gap
    return buttons


def language_name(lang: str) -> str:
    return NATIVE_NAMES[lang]


def librarian_corner(metrics: Metrics) -> pygame.Rect:
    """The top-right square kept free for the librarian's press-and-hold."""
    side = metrics.bar_height
    return pygame.Rect(metrics.width - side, 0, side, side)


def group_badge_rect(metrics: Metrics) -> pygame.Rect:
    """Where the group badge sits in a group session: in the top bar, just left of the
    librarian's corner. Every bar keeps this room free: activity titles end before it, the
    launcher's greeting too, and the launcher hides its flags in group sessions."""
    corner = librarian_corner(metrics)
    width = metrics.px(GROUP_BADGE_W)
    rect = pygame.Rect(0, 0, width, metrics.bar_height - metrics.px(20))
    rect.midright = (corner.left - metrics.px(8), metrics.bar_height // 2)
    return rect


def draw_screen_title(ui: UI, surface: pygame.Surface, text: str, rect: pygame.Rect) -> None:
    """A librarian screen's title: one bold line, left in `rect`, centred on its height."""
    title = ui.text.fit(
        text,
        rect.size,
        ui.metrics.font_size("title"),
        INK,
        weight="bold",
        align="left",
        max_lines=1,
    )
    surface.blit(title, title.get_rect(midleft=rect.midleft))
