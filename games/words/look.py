"""How Word builder's pieces look: letter tiles, slots, the picture card and the level
pictures, each composed once per size and kept, so a frame only blits finished surfaces."""

from __future__ import annotations

from typing import Literal

import pygame

from kiosk.api import UI, draw, theme

TileStyle = Literal["plain", "given", "good", "wrong"]

TILE_COLORS: dict[TileStyle, theme.Color] = {
    "plain": (255, 236, 179),
    "given": (214, 228, 246),
    "good": theme.lighten(theme.GOOD, 0.55),
    "wrong": theme.lighten(theme.BAD, 0.6),
}
SLOT_COLOR: theme.Color = (255, 250, 240)
SLOT_EDGE: theme.Color = (236, 196, 160)
HINT_COLOR: theme.Color = theme.lighten(theme.INK_SOFT, 0.62)


class Looks:
    def __init__(self, ui: UI) -> None:
        self.ui = ui
        self._cache: dict[tuple[object, ...], pygame.Surface] = {}

    def clear(self) -> None:
        self._cache.clear()

    def _radius(self, side: int) -> int:
        return max(4, side // 5)

    def shadow_reach(self) -> int:
        m = self.ui.metrics
        return m.px(8) + m.px(5)

    def tile(self, letter: str, side: int, style: TileStyle) -> pygame.Surface:
        """A letter tile with its shadow, `shadow_reach()` larger than the tile each side."""
        key = ("tile", letter, side, style)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        m = self.ui.metrics
        reach = self.shadow_reach()
        blur = m.px(8)
        radius = self._radius(side)
        look = pygame.Surface((side + 2 * reach, side + 2 * reach), pygame.SRCALPHA)
        look.blit(
            draw.shadow((side, side), radius, blur, alpha=70),
            (reach - blur, reach - blur + m.px(5)),
        )
        face = draw.rounded_card((side, side), radius, TILE_COLORS[style], m.px(3), theme.WHITE)
        look.blit(face, (reach, reach))
        text = self._letter(letter, side, theme.INK)
        look.blit(text, text.get_rect(center=(reach + side // 2, reach + side // 2)))
        self._cache[key] = look
        return look

    def _letter(self, letter: str, side: int, color: theme.Color) -> pygame.Surface:
        box = (int(side * 0.8), int(side * 0.86))
        return self.ui.text.fit(letter, box, int(side * 0.66), color, weight="bold", max_lines=1)

    def slot(self, side: int, hint: str | None) -> pygame.Surface:
        """An empty place for a letter; on helped levels a faint letter shows what goes there."""
        key = ("slot", side, hint)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        m = self.ui.metrics
        look = draw.rounded_card(
            (side, side), self._radius(side), SLOT_COLOR, m.px(4), SLOT_EDGE
        ).copy()
        if hint is not None:
            text = self._letter(hint, side, HINT_COLOR)
            look.blit(text, text.get_rect(center=(side // 2, side // 2)))
        self._cache[key] = look
        return look

    def home(self, side: int) -> pygame.Surface:
        """Where a tile lay before it went into the word: a soft hollow."""
        key = ("home", side)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        look = draw.rounded_card(
            (side, side), self._radius(side), theme.lighten(SLOT_EDGE, 0.55)
        ).copy()
        look.set_alpha(150)
        self._cache[key] = look
        return look

    def card(self, side: int) -> pygame.Surface:
        """The white card the word's picture sits on, with its shadow."""
        key = ("card", side)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        m = self.ui.metrics
        reach = self.shadow_reach()
        blur = m.px(8)
        radius = m.px(28)
        look = pygame.Surface((side + 2 * reach, side + 2 * reach), pygame.SRCALPHA)
        look.blit(
            draw.shadow((side, side), radius, blur, alpha=70),
            (reach - blur, reach - blur + m.px(5)),
        )
        look.blit(draw.rounded_card((side, side), radius, theme.WHITE), (reach, reach))
        self._cache[key] = look
        return look

    def level_picture(self, letters: str, rows: int, size: int) -> pygame.Surface:
        """A few letter tiles in `rows` rows: more tiles, longer words, harder level."""
        per_row = -(-len(letters) // rows)
        gap = max(2, size // 24)
        side = min((size - (per_row - 1) * gap) // per_row, (size - (rows - 1) * gap) // rows)
        side = min(side, size // 2)
        picture = pygame.Surface((size, size), pygame.SRCALPHA)
        top = (size - (rows * side + (rows - 1) * gap)) // 2
        for row in range(rows):
            chunk = letters[row * per_row : (row + 1) * per_row]
            left = (size - (len(chunk) * side + (len(chunk) - 1) * gap)) // 2
            for col, letter in enumerate(chunk):
                face = draw.rounded_card(
                    (side, side), self._radius(side), TILE_COLORS["plain"], max(1, side // 24)
                ).copy()
                font = self.ui.text.font(max(8, int(side * 0.62)), "bold")
                text = font.render(letter, True, theme.INK)
                face.blit(text, text.get_rect(center=(side // 2, side // 2)))
                picture.blit(face, (left + col * (side + gap), top + row * (side + gap)))
        return picture
