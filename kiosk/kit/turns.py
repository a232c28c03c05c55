"""Whose turn it is, on a team game's bar: the playing team's picture and words side by side,
centred as one line on its coloured marker."""

from __future__ import annotations

import pygame

from kiosk.ui import theme
from kiosk.ui.widgets import UI


def draw_turn_line(
    surface: pygame.Surface,
    ui: UI,
    marker: pygame.Rect,
    picture: str,
    text: str,
    *,
    picture_px: int,
    text_height: int,
    max_lines: int = 1,
) -> None:
    """`picture` (an emoji name, `picture_px` tall) then `text` (bold heading, up to
    `max_lines` lines in `text_height`), centred together on `marker`."""
    m = ui.metrics
    icon = ui.images.emoji(picture, picture_px)
    words = ui.text.fit(
        text,
        (marker.width - icon.get_width() - m.px(48), text_height),
        m.font_size("heading"),
        theme.INK,
        weight="bold",
        max_lines=max_lines,
    )
    row_w = icon.get_width() + m.px(12) + words.get_width()
    left = marker.centerx - row_w // 2
    surface.blit(icon, icon.get_rect(midleft=(left, marker.centery)))
    spot = (left + icon.get_width() + m.px(12), marker.centery)
    surface.blit(words, words.get_rect(midleft=spot))
