"""Tiles in centred rows, and keyboard focus over a grid of them.

Every screen of a game that shows a few big tiles (topics, levels, cards, pieces) lays
them out the same way: rows of at most `cols` tiles, each row centred, the last one
shorter. `FocusGrid` moves a focus over such a grid with the arrow keys and chooses with
Enter or Space — the only keys a game may rely on, because game controllers are mapped
onto exactly these (and Escape, which the shell takes for Home)."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk.input import InputEvent, KeyEvent

#: The keys that choose what has the focus.
CHOOSE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)
#: The arrow keys, as (columns, rows) steps.
ARROWS = {
    pygame.K_LEFT: (-1, 0),
    pygame.K_RIGHT: (1, 0),
    pygame.K_UP: (0, -1),
    pygame.K_DOWN: (0, 1),
}


def is_choose_key(event: InputEvent) -> bool:
    """Whether `event` is Enter or Space (a controller's A button)."""
    return isinstance(event, KeyEvent) and event.key in CHOOSE_KEYS


def centered_rows(
    count: int, cols: int, size: tuple[int, int], gap: int, centerx: int, top: int
) -> list[pygame.Rect]:
    """`count` tiles of `size`, `cols` to a row from `top` down, each row centred on
    `centerx` (the last row, when shorter, too)."""
    w, h = size
    rects = []
    for i in range(count):
        row, col = divmod(i, cols)
        in_row = min(cols, count - row * cols)
        left = centerx - (in_row * w + (in_row - 1) * gap) // 2
        rects.append(pygame.Rect(left + col * (w + gap), top + row * (h + gap), w, h))
    return rects


@dataclass
class FocusGrid:
    """Keyboard focus over `count` items laid out `cols` to a row (row by row).

    `handle` answers what a key did: "moved" (the focus changed, or stayed at an edge),
    "chosen" (Enter or Space on the focused item), or None (not a key for the grid).
    The focus shows only once the keyboard is used (`visible`); a pointer hides it."""

    count: int
    cols: int
    index: int = 0
    visible: bool = False
    #: Tab steps on to the next item (wrapping), as it always did; never needed.
    tab: bool = True

    def handle(self, event: InputEvent) -> str | None:
        if not isinstance(event, KeyEvent) or self.count == 0:
            return None
        if event.key in CHOOSE_KEYS:
            self.visible = True
            return "chosen"
        if event.key == pygame.K_TAB and self.tab:
            self.index = (self.index + 1) % self.count
            self.visible = True
            return "moved"
        step = ARROWS.get(event.key)
        if step is None:
            return None
        target = self.index + step[0] + step[1] * self.cols
        if 0 <= target < self.count:
            self.index = target
        self.visible = True
        return "moved"

    def point_at(self, index: int) -> None:
        """A pointer chose item `index`: the focus follows it, hidden."""
        self.index = index
        self.visible = False
