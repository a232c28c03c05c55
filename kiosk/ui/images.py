"""Pictures by name: the bundled emoji PNGs (Noto Color Emoji), scaled and cached.

A missing picture is never fatal: it is logged once and replaced by a soft placeholder
circle, so a child sees a gap rather than a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import pygame

from kiosk.ui.cache import SurfaceCache
from kiosk.ui.theme import INK_SOFT, lighten

log = logging.getLogger(__name__)


class ImageCache:
    def __init__(self, emoji_dir: Path, budget_bytes: int = 16 << 20) -> None:
        self.emoji_dir = emoji_dir
        self._originals: dict[str, pygame.Surface | None] = {}
        self._scaled = SurfaceCache(budget_bytes)
        self.missing: set[str] = set()

    def _original(self, name: str) -> pygame.Surface | None:
        if name not in self._originals:
            path = self.emoji_dir / f"{name}.png"
            try:
                image = pygame.image.load(str(path))
                if pygame.display.get_surface() is not None:
                    image = image.convert_alpha()
                self._originals[name] = image
            except (OSError, pygame.error) as exc:
                log.warning("picture %s is missing or unreadable: %s", path, exc)
                self.missing.add(name)
                self._originals[name] = None
        return self._originals[name]

    def has(self, name: str) -> bool:
        return self._original(name) is not None

    @staticmethod
    def placeholder(size: int) -> pygame.Surface:
        """A soft grey circle where a picture is missing."""
        surface = pygame.Surface((size, size), pygame.SRCALPHA)
        pygame.draw.circle(surface, lighten(INK_SOFT, 0.7), (size // 2, size // 2), size // 3)
        return surface

    def emoji(self, name: str, size: int) -> pygame.Surface:
        """The picture `name`, fitted into a size×size square (aspect kept)."""
        size = max(1, size)
        key = (name, size)
        cached = self._scaled.get(key)
        if cached is not None:
            return cached
        original = self._original(name)
        if original is None:
            surface = self.placeholder(size)
        else:
            w, h = original.get_size()
            scale = size / max(w, h)
            surface = pygame.transform.smoothscale(
                original, (max(1, round(w * scale)), max(1, round(h * scale)))
            )
        return self._scaled.put(key, surface)
