"""A cache of surfaces bounded by the memory they take, not by how many there are.

A kiosk runs for weeks: every cache of rendered text or scaled pictures must stop growing.
Counting entries is not enough — one 4K background weighs as much as a thousand labels —
so these caches count bytes and drop the least recently used surfaces first."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import ParamSpec

import pygame

P = ParamSpec("P")


def surface_bytes(surface: pygame.Surface) -> int:
    return surface.get_width() * surface.get_height() * surface.get_bytesize()


def budget_for(screen: tuple[int, int], screens: float) -> int:
    """A budget of `screens` full screens' worth of 32-bit pixels."""
    return int(screen[0] * screen[1] * 4 * screens)


class SurfaceCache:
    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self.used = 0
        self._items: OrderedDict[Hashable, pygame.Surface] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> pygame.Surface | None:
        surface = self._items.get(key)
        if surface is not None:
            self._items.move_to_end(key)
        return surface

    def put(self, key: Hashable, surface: pygame.Surface) -> pygame.Surface:
        old = self._items.pop(key, None)
        if old is not None:
            self.used -= surface_bytes(old)
        self._items[key] = surface
        self.used += surface_bytes(surface)
        while self.used > self.budget and len(self._items) > 1:
            _key, dropped = self._items.popitem(last=False)
            self.used -= surface_bytes(dropped)
        return surface

    def values(self) -> list[pygame.Surface]:
        return list(self._items.values())


def memoize_surfaces(
    budget_bytes: int,
) -> Callable[[Callable[P, pygame.Surface]], Callable[P, pygame.Surface]]:
    """Like functools.lru_cache for functions that make surfaces, bounded in bytes."""

    def wrap(function: Callable[P, pygame.Surface]) -> Callable[P, pygame.Surface]:
        cache = SurfaceCache(budget_bytes)

        @functools.wraps(function)
        def cached(*args: P.args, **kwargs: P.kwargs) -> pygame.Surface:
            key = (args, tuple(sorted(kwargs.items())))
            surface = cache.get(key)
            if surface is None:
                surface = cache.put(key, function(*args, **kwargs))
            return surface

        cached.cache = cache  # type: ignore[attr-defined]
        return cached

    return wrap
