"""Pictures Sort it out composes once and keeps: the item card, the level pictures and
the bin counters. Each is built from finished pieces (pack pictures, fitted text), so
a frame only blits."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.api import UI, draw, theme

#: Units of the item card (at 1280×720) and the share of it the picture takes.
CARD_W, CARD_H = 230, 244
PICTURE_SHARE = 0.58


def kept(
    store: dict[tuple[object, ...], pygame.Surface],
    key: tuple[object, ...],
    make: Callable[[], pygame.Surface],
) -> pygame.Surface:
    """The picture kept in `store` under `key`, made by `make` the first time."""
    surface = store.get(key)
    if surface is None:
        surface = store[key] = make()
    return surface


def card_radius(ui: UI) -> int:
    return ui.metrics.px(24)


def shadow_reach(ui: UI) -> int:
    """How far the card's shadow (and a lifted card's larger one) reaches past it."""
    return ui.metrics.px(22)


def item_card(
    ui: UI, picture: pygame.Surface, label: str, size: tuple[int, int], lifted: bool
) -> pygame.Surface:
    """A white card with the item's picture and word, with its shadow, `shadow_reach`
    larger than `size` on every side. A lifted card (being carried) casts a softer,
    lower shadow."""
    m = ui.metrics
    w, h = size
    reach = shadow_reach(ui)
    look = pygame.Surface((w + 2 * reach, h + 2 * reach), pygame.SRCALPHA)
    blur = m.px(14) if lifted else m.px(8)
    drop = m.px(14) if lifted else m.px(5)
    shade = draw.shadow(size, card_radius(ui), blur, alpha=60 if lifted else 75)
    look.blit(shade, (reach - blur, reach - blur + drop))
    face = draw.rounded_card(size, card_radius(ui), theme.WHITE, m.px(4), theme.WHITE).copy()
    pad = m.px(12)
    picture_top = pad + m.px(6)
    face.blit(picture, picture.get_rect(midtop=(w // 2, picture_top)))
    text_top = picture_top + picture.get_height() + m.px(6)
    box = (w - 2 * pad, h - text_top - pad)
    text = ui.text.fit(label, box, m.font_size("body"), theme.INK, weight="bold", max_lines=2)
    face.blit(text, text.get_rect(center=(w // 2, text_top + box[1] // 2)))
    look.blit(face, (reach, reach))
    return look


def card_back(ui: UI, size: tuple[int, int]) -> pygame.Surface:
    """A card of the pile still to sort, seen from behind its top card."""
    m = ui.metrics
    reach = shadow_reach(ui)
    look = pygame.Surface((size[0] + 2 * reach, size[1] + 2 * reach), pygame.SRCALPHA)
    blur = m.px(8)
    look.blit(draw.shadow(size, card_radius(ui), blur, alpha=55), (reach - blur, reach - blur))
    color = theme.lighten(theme.ACCENT, 0.55)
    look.blit(draw.rounded_card(size, card_radius(ui), color, m.px(4)), (reach, reach))
    return look


def level_picture(pictures: list[pygame.Surface], size: int, ui: UI) -> pygame.Surface:
    """The level's bins as little tiles: two side by side, three as a triangle, four in a
    square — more bins, harder round."""
    m = ui.metrics
    picture = pygame.Surface((size, size), pygame.SRCALPHA)
    count = len(pictures)
    rows = [pictures[:2], pictures[2:]] if count > 2 else [pictures]
    gap = max(2, size // 16)
    cell = (size - gap) // 2
    top = (size - (len(rows) * cell + (len(rows) - 1) * gap)) // 2
    for r, row in enumerate(rows):
        left = (size - (len(row) * cell + (len(row) - 1) * gap)) // 2
        for c, image in enumerate(row):
            rect = pygame.Rect(left + c * (cell + gap), top + r * (cell + gap), cell, cell)
            color = theme.lighten(theme.TILE_COLORS[(r * 2 + c) % len(theme.TILE_COLORS)], 0.45)
            picture.blit(draw.rounded_card(rect.size, m.px(14), color, m.px(3)), rect)
            inner = int(cell * 0.74)
            fitted = _fit(image, inner)
            picture.blit(fitted, fitted.get_rect(center=rect.center))
    return picture


def _fit(image: pygame.Surface, size: int) -> pygame.Surface:
    w, h = image.get_size()
    scale = size / max(w, h, 1)
    return pygame.transform.smoothscale(image, (max(1, round(w * scale)), max(1, round(h * scale))))


def counter(ui: UI, count: int, diameter: int) -> pygame.Surface:
    """The round badge on a bin telling how many items it holds."""
    m = ui.metrics
    badge = draw.circle(diameter, theme.ACCENT_DARK, max(2, m.px(3)), theme.WHITE).copy()
    inner = int(diameter * 0.62)
    text = ui.text.fit(str(count), (inner, inner), int(diameter * 0.6), theme.WHITE, "bold")
    badge.blit(text, text.get_rect(center=(diameter // 2, diameter // 2)))
    return badge
