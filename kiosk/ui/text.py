"""Text rendered once and cached, and fitted to its box by measurement.

`TextRenderer.fit()` wraps words and shrinks the size step by step until the text fits
the box. When even the smallest allowed size does not fit, the text is still drawn (cut
at the box) and the overflow is recorded in `overflows`: the layout tests sweep every
screen in every language at the supported sizes and fail on any entry there."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.ui.cache import SurfaceCache
from kiosk.ui.theme import Color

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overflow:
    text: str
    box: tuple[int, int]
    needed: tuple[int, int]


class TextRenderer:
    def __init__(self, regular: Path, bold: Path, budget_bytes: int = 16 << 20) -> None:
        self._paths = {"regular": regular, "bold": bold}
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._cache = SurfaceCache(budget_bytes)
        self.overflows: list[Overflow] = []

    def font(self, size: int, weight: str = "regular") -> pygame.font.Font:
        key = (weight, size)
        font = self._fonts.get(key)
        if font is None:
            font = pygame.font.Font(str(self._paths[weight]), size)
            self._fonts[key] = font
        return font

    def _remember(self, key: tuple[object, ...], surface: pygame.Surface) -> pygame.Surface:
        return self._cache.put(key, surface)

    def render(self, text: str, size: int, color: Color, weight: str = "regular") -> pygame.Surface:
        """One line of text, cached."""
        key = ("line", text, size, color, weight)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        surface = self.font(size, weight).render(text, True, color)
        return self._remember(key, surface)

    def _wrap(self, text: str, font: pygame.font.Font, width: int) -> list[str] | None:
        """Break into lines no wider than `width`; None when one word alone is wider."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words = paragraph.split(" ")
            current = ""
            for word in words:
                candidate = f"{current} {word}" if current else word
                if font.size(candidate)[0] <= width:
                    current = candidate
                    continue
                if not current or font.size(word)[0] > width:
                    return None
                lines.append(current)
                current = word
            lines.append(current)
        return lines

    def fit(
        self,
        text: str,
        box: tuple[int, int],
        max_size: int,
        color: Color,
        weight: str = "regular",
        min_size: int | None = None,
        align: str = "center",
        max_lines: int = 3,
    ) -> pygame.Surface:
        """Render `text` as large as possible (≤ max_size) within `box`, wrapping words."""
        key = ("fit", text, box, max_size, color, weight, min_size, align, max_lines)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        width, height = max(1, box[0]), max(1, box[1])
        floor = min_size if min_size is not None else max(8, round(max_size * 0.45))
        size = max_size
        lines: list[str] | None = None
        while size >= floor:
            font = self.font(size, weight)
            lines = self._wrap(text, font, width)
            if lines is not None and len(lines) <= max_lines:
                if len(lines) * font.get_linesize() <= height:
                    break
            size = size - max(1, size // 12)
        else:
            size = floor
            font = self.font(size, weight)
            lines = self._wrap(text, font, width) or [text]
            needed = (
                max(font.size(line)[0] for line in lines),
                len(lines) * font.get_linesize(),
            )
            self.overflows.append(Overflow(text, (width, height), needed))
            log.warning("text does not fit its box %sx%s: %r", width, height, text)
        assert lines is not None
        font = self.font(size, weight)
        rendered = [font.render(line, True, color) for line in lines]
        line_height = font.get_linesize()
        surface = pygame.Surface(
            (
                min(width, max(r.get_width() for r in rendered)),
                min(height, line_height * len(rendered)),
            ),
            pygame.SRCALPHA,
        )
        for i, line_surface in enumerate(rendered):
            if align == "left":
                x = 0
            else:
                x = (surface.get_width() - line_surface.get_width()) // 2
            surface.blit(line_surface, (x, i * line_height))
        return self._remember(key, surface)
