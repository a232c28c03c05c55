"""The topic picker and the level picker: big picture tiles a child taps (or reaches with
the arrows and chooses with Enter/Space), and the heading above them.

A game describes each choice as a `Tile` (what it shows and what a press does) and asks
for the buttons; it keeps them in its `ButtonGroup`, which gives them the focus ring and
the arrow keys."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pygame

from kiosk.kit.grid import centered_rows
from kiosk.packs.models import Pack
from kiosk.ui import theme
from kiosk.ui.widgets import UI, Button


@dataclass(frozen=True)
class Tile:
    """One choice on a picker: `id` is the button's ("topic:animals", "level:2")."""

    id: str
    label: str
    color: theme.Color
    on_press: Callable[[], None]
    image: pygame.Surface | None = None
    icon: str | None = None
    enabled: bool = True


def tile_buttons(tiles: Sequence[Tile], rects: Sequence[pygame.Rect]) -> list[Button]:
    """One button per tile, in the given places (e.g. from `centered_rows`)."""
    return [
        Button(
            id=tile.id,
            rect=rect,
            color=tile.color,
            label=tile.label,
            image=tile.image,
            icon=tile.icon,
            on_press=tile.on_press,
            enabled=tile.enabled,
        )
        for tile, rect in zip(tiles, rects, strict=True)
    ]


def picker_top(ui: UI, area: pygame.Rect, height: int) -> int:
    """Where a single row of level tiles `height` tall starts: a little below the middle of
    the area, leaving room for the heading above it on short screens."""
    m = ui.metrics
    return max(area.top + m.px(150), area.top + (area.height - height) // 2 + m.px(30))


def level_buttons(
    ui: UI,
    area: pygame.Rect,
    tiles: Sequence[Tile],
    size: tuple[int, int] = (300, 300),
    gap: int = 44,
    top: int | None = None,
) -> list[Button]:
    """The level picker: one centred row of tiles, `size` and `gap` in layout units, at
    `top` (default: `picker_top`)."""
    m = ui.metrics
    w, h = m.px(size[0]), m.px(size[1])
    y = picker_top(ui, area, h) if top is None else top
    rects = centered_rows(len(tiles), len(tiles), (w, h), m.px(gap), area.centerx, y)
    return tile_buttons(tiles, rects)


def level_colour(level: int) -> theme.Color:
    """Level tiles keep one colour per level (1-based) in every game."""
    return theme.TILE_COLORS[(level - 1) % len(theme.TILE_COLORS)]


def draw_heading(
    surface: pygame.Surface, ui: UI, area: pygame.Rect, text: str, tiles_top: int
) -> None:
    """The picker's question, in title size, just above the tiles that start at
    `tiles_top`."""
    m = ui.metrics
    title = ui.text.fit(
        text, (area.width - 2 * m.margin, m.px(110)), m.font_size("title"), theme.INK, "bold"
    )
    surface.blit(title, title.get_rect(midbottom=(area.centerx, tiles_top - m.px(40))))


def pack_topic_tiles(
    packs: Sequence[Pack],
    pick: Callable[[Any], str],
    picture: Callable[[Pack, str, int], pygame.Surface],
    picture_side: int,
    choose: Callable[[Pack], None],
) -> list[Tile]:
    """One topic tile per content pack ("topic:<pack>"): its title and icon, the tile
    colours in turn. `pick` and `picture` are the context's."""
    return [
        Tile(
            id=f"topic:{pack.pack}",
            label=pick(pack.title),
            color=theme.TILE_COLORS[i % len(theme.TILE_COLORS)],
            image=picture(pack, pack.icon, picture_side),
            on_press=partial(choose, pack),
        )
        for i, pack in enumerate(packs)
    ]


def draw_notice(
    surface: pygame.Surface,
    ui: UI,
    area: pygame.Rect,
    emoji: str,
    message: str,
    top: int,
    text_top: int,
    box: tuple[int, int] = (1000, 160),
) -> None:
    """A big picture at `top` and a kind message from `text_top` (in a box of `box`
    layout units), centred: what a game shows when no pack has anything for it."""
    m = ui.metrics
    picture = ui.images.emoji(emoji, m.px(160))
    surface.blit(picture, picture.get_rect(midtop=(area.centerx, top)))
    size = (min(area.width - 2 * m.margin, m.px(box[0])), m.px(box[1]))
    text = ui.text.fit(message, size, m.font_size("heading"), theme.INK, weight="bold")
    surface.blit(text, text.get_rect(midtop=(area.centerx, text_top)))
