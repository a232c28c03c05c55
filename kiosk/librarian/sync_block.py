"""The office sync block at the top of the librarian panel's info card."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from kiosk.ui.theme import BAD, INK, INK_SOFT, lighten
from kiosk.ui.widgets import UI, Button


def draw_sync(
    surface: pygame.Surface,
    ui: UI,
    row: pygame.Rect,
    inner: pygame.Rect,
    heading_text: str,
    lines: Sequence[tuple[str, bool]],
    button: Button | None,
) -> int:
    """The heading in `row` (beside "Sync now", when shown), then `lines` as (text,
    is_problem) in `inner`; returns the y below the block."""
    m = ui.metrics
    text = ui.text
    heading_w = row.width - (button.rect.width + m.px(16) if button is not None else 0)
    heading = text.fit(
        heading_text,
        (heading_w, row.height),
        m.font_size("body"),
        INK,
        weight="bold",
        align="left",
        max_lines=1,
    )
    surface.blit(heading, heading.get_rect(midleft=(row.x, row.centery)))
    y = row.bottom + m.px(8)
    for line, is_problem in lines:
        rendered = text.fit(
            line,
            (inner.width, m.px(32)),
            m.font_size("small"),
            BAD if is_problem else INK,
            align="left",
            max_lines=1,
        )
        surface.blit(rendered, (inner.x, y))
        y += m.px(34)
    y += m.px(4)
    pygame.draw.line(surface, lighten(INK_SOFT, 0.7), (inner.x, y), (inner.right, y), 1)
    return y + m.px(10)
