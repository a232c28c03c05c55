"""The strip editor the film and the story share: a band of thumbnails under the stage
(frames, pages) with arrows to scroll it and the buttons that act on the chosen one.

A tool owns its items and its selection; the `Strip` knows where things stand, which
items are in view, and builds the buttons: ``strip:prev`` / ``strip:next``, one
``<item>:<n>`` per thumbnail in view (n from 1) and the tool's `StripAction`s."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import pygame

from kiosk.api import ActivityContext, Button, draw, theme
from kiosk.studio.pictures import arrow_icon, blit_thumb


@dataclass(frozen=True)
class StripLook:
    """One tool's strip, in layout units (the film's frames are smaller than pages)."""

    #: The thumbnails' button ids are ``<item>:<n>``.
    item: str
    #: The arrows' width, and how far they stand in from the strip's top and bottom.
    arrow: tuple[int, int]
    #: A thumbnail's width, and how far it stands in from the strip's top and bottom.
    thumb: tuple[int, int]
    #: The side of the buttons beside the strip.
    action: int
    actions: int
    #: Whether the next arrow keeps a gap from the last thumbnail.
    next_gap: bool


@dataclass
class StripAction:
    """A button beside the strip that acts on the chosen item (move, copy, delete…)."""

    id: str
    enabled: bool
    on_press: Callable[[], None]
    image: pygame.Surface | None = None
    icon: str | None = None
    color: theme.Color = theme.WHITE
    label: str = ""
    icon_share: float = Button.icon_share


class Strip:
    """Where the strip's parts stand and which items are in view (`first` onwards)."""

    def __init__(self, ctx: ActivityContext, look: StripLook) -> None:
        self.ctx = ctx
        self.look = look
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.first = 0

    @property
    def gap(self) -> int:
        return self.ctx.ui.metrics.px(10)

    def geometry(self) -> tuple[pygame.Rect, int, int]:
        """The thumbnails' band, one thumbnail's width and how many fit."""
        m = self.ctx.ui.metrics
        look, strip, gap = self.look, self.rect, self.gap
        arrow = m.px(look.arrow[0])
        band = pygame.Rect(
            strip.left + arrow + gap,
            strip.top,
            strip.width - look.actions * m.px(look.action) - 2 * arrow - (look.actions + 3) * gap,
            strip.height,
        )
        thumb_w = m.px(look.thumb[0])
        return band, thumb_w, max(1, (band.width + gap) // (thumb_w + gap))

    @property
    def fits(self) -> int:
        return self.geometry()[2]

    def keep_in_view(self, index: int) -> None:
        """Scroll just enough for item `index` to show."""
        fits = self.fits
        if index < self.first:
            self.first = index
        elif index >= self.first + fits:
            self.first = index - fits + 1

    def scroll(self, step: int) -> None:
        """A page of thumbnails on (1) or back (-1), keeping one in view."""
        self.first = max(0, self.first + step * max(1, self.fits - 1))

    def drop_index(self, x: int, count: int) -> int:
        """Where an item dragged to `x` lands, among `count` items."""
        band, thumb_w, _fits = self.geometry()
        slot = round((x - band.left - thumb_w / 2) / (thumb_w + self.gap))
        return max(0, min(count - 1, self.first + slot))

    def buttons(
        self,
        count: int,
        selected: int | None,
        on_select: Callable[[int], None],
        on_scroll: Callable[[int], None],
        actions: Sequence[StripAction],
    ) -> list[Button]:
        m = self.ctx.ui.metrics
        look, strip, gap = self.look, self.rect, self.gap
        band, thumb_w, fits = self.geometry()
        arrow = m.px(look.arrow[0])
        self.first = max(0, min(self.first, count - fits))
        arrow_h = strip.height - m.px(2 * look.arrow[1])
        next_x = band.right + (gap if look.next_gap else 0)
        buttons = [
            Button(
                id=f"strip:{name}",
                rect=pygame.Rect(x, strip.top + m.px(look.arrow[1]), arrow, arrow_h),
                color=theme.WHITE,
                image=arrow_icon(arrow, step),
                on_press=partial(on_scroll, step),
                enabled=enabled,
            )
            for name, step, x, enabled in (
                ("prev", -1, strip.left, self.first > 0),
                ("next", 1, next_x, self.first + fits < count),
            )
        ]
        inset = m.px(look.thumb[1])
        for offset in range(min(fits, count - self.first)):
            index = self.first + offset
            buttons.append(
                Button(
                    id=f"{look.item}:{index + 1}",
                    rect=pygame.Rect(
                        band.left + offset * (thumb_w + gap),
                        strip.top + inset,
                        thumb_w,
                        strip.height - m.px(2 * look.thumb[1]),
                    ),
                    color=theme.ACCENT if index == selected else theme.WHITE,
                    on_press=partial(on_select, index),
                )
            )
        side = m.px(look.action)
        x = next_x + arrow + gap
        y = strip.top + (strip.height - side) // 2
        for action in actions:
            buttons.append(
                Button(
                    id=action.id,
                    rect=pygame.Rect(x, y, side, side),
                    color=action.color,
                    image=action.image,
                    icon=action.icon,
                    label=action.label,
                    icon_share=action.icon_share,
                    on_press=action.on_press,
                    enabled=action.enabled,
                )
            )
            x += side + gap
        return buttons

    def draw_card(self, surface: pygame.Surface) -> None:
        """The strip's grey card, under its buttons."""
        m = self.ctx.ui.metrics
        card = draw.rounded_card(self.rect.size, m.px(20), theme.lighten(theme.INK_SOFT, 0.75))
        surface.blit(card, self.rect)

    def draw_thumbs(
        self,
        surface: pygame.Surface,
        buttons: Sequence[Button],
        thumb_of: Callable[[int], pygame.Surface | None],
    ) -> list[tuple[int, Button]]:
        """Each item's thumbnail over its button (item `n - 1` for ``<item>:<n>``); returns
        the (index, button) pairs drawn, for marks on top."""
        m = self.ctx.ui.metrics
        prefix = f"{self.look.item}:"
        shown = []
        for button in buttons:
            if button.id.startswith(prefix):
                index = int(button.id[len(prefix) :]) - 1
                thumb = thumb_of(index)
                if thumb is not None:
                    blit_thumb(surface, thumb, button, m.px(10), m.px(4))
                shown.append((index, button))
        return shown
