"""The drawing board's picture: a fixed-size canvas, its undo history and its scaled copy
on screen.

Every change happens between `begin()` and `end()`, which records one undo step: the
changed rectangle's pixels from before. The history keeps at most `UNDO_STEPS`
steps and `UNDO_BYTES` of pixels, so a long session cannot eat the PC's memory. The copy
on screen is scaled once and then refreshed only where the canvas changed."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import pygame

Color = tuple[int, int, int]

CANVAS_SIZE = (1280, 720)
WHITE: Color = (255, 255, 255)
UNDO_STEPS = 20
UNDO_BYTES = 48 << 20
#: Colour distance still counted as "the same colour" by the fill (soft stamp edges).
FILL_TOLERANCE = 48
#: The screen copy is refreshed in whole blocks of this many canvas pixels (no seams).
BLOCK = 8


@dataclass
class Step:
    """One undoable change: the canvas pixels of `rect` to put back. Undoing a step makes
    the redo step from the pixels it replaces (and the other way round), so only one copy
    of each change is kept."""

    rect: pygame.Rect
    pixels: pygame.Surface

    @property
    def bytes(self) -> int:
        return self.rect.width * self.rect.height * self.pixels.get_bytesize()

    def swap(self, surface: pygame.Surface) -> Step:
        """Put the pixels back on `surface`; the step that reverts this."""
        replaced = Step(self.rect, surface.subsurface(self.rect).copy())
        surface.blit(self.pixels, self.rect)
        return replaced


class Canvas:
    """The picture and its history. Every change happens between `begin()` and `end()`;
    `changes` collects the canvas rectangles the screen must refresh."""

    def __init__(self, size: tuple[int, int] = CANVAS_SIZE) -> None:
        self.surface = pygame.Surface(size)
        self.surface.fill(WHITE)
        self.rect = self.surface.get_rect()
        self.undo_steps: deque[Step] = deque()
        self.redo_steps: list[Step] = []
        self.changes: list[pygame.Rect] = []
        self._before: pygame.Surface | None = None
        self._touched: pygame.Rect | None = None
        self._shown: pygame.Surface | None = None

    @property
    def busy(self) -> bool:
        return self._before is not None

    def begin(self) -> None:
        if self._before is None:
            self._before = self.surface.copy()
            self._touched = None

    def _touch(self, rect: pygame.Rect) -> None:
        rect = rect.clip(self.rect)
        if rect.width <= 0 or rect.height <= 0:
            return
        self._touched = rect if self._touched is None else self._touched.union(rect)
        self.changes.append(rect)

    def end(self) -> bool:
        """Close the change; True when it painted anything (it is then undoable)."""
        before, touched = self._before, self._touched
        self._before = self._touched = None
        if before is None or touched is None:
            return False
        self.undo_steps.append(Step(touched, before.subsurface(touched).copy()))
        self.redo_steps.clear()
        total = sum(s.bytes for s in self.undo_steps)
        while len(self.undo_steps) > UNDO_STEPS or (
            total > UNDO_BYTES and len(self.undo_steps) > 1
        ):
            total -= self.undo_steps.popleft().bytes
        return True

    # ----- painting ----------------------------------------------------------------------

    def line(
        self, a: tuple[float, float], b: tuple[float, float], color: Color, width: int
    ) -> None:
        """A thick line with round ends from `a` to `b` (a dot when they are equal)."""
        r = width / 2
        pygame.draw.circle(self.surface, color, a, r)
        pygame.draw.circle(self.surface, color, b, r)
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = math.hypot(dx, dy)
        if length > 0.5:
            nx, ny = -dy / length * r, dx / length * r
            pygame.draw.polygon(
                self.surface,
                color,
                [
                    (a[0] + nx, a[1] + ny),
                    (b[0] + nx, b[1] + ny),
                    (b[0] - nx, b[1] - ny),
                    (a[0] - nx, a[1] - ny),
                ],
            )
        pad = int(r) + 3
        left, top = int(min(a[0], b[0])) - pad, int(min(a[1], b[1])) - pad
        self._touch(pygame.Rect(left, top, int(abs(dx)) + 2 * pad, int(abs(dy)) + 2 * pad))

    def fill(self, pos: tuple[int, int], color: Color) -> bool:
        """Flood the area of similar colour around `pos`; False when nothing changes."""
        if not self.rect.collidepoint(pos):
            return False
        target = self.surface.get_at(pos)
        if tuple(target)[:3] == color:
            return False
        tolerance = (FILL_TOLERANCE, FILL_TOLERANCE, FILL_TOLERANCE, 255)
        same = pygame.mask.from_threshold(self.surface, target, tolerance)
        region = same.connected_component(pos)
        bounds = region.get_bounding_rects()
        if not bounds:
            return False
        region.to_surface(self.surface, setcolor=color, unsetcolor=None)
        self._touch(bounds[0].unionall(bounds[1:]))
        return True

    def stamp(self, picture: pygame.Surface, center: tuple[int, int]) -> None:
        rect = self.surface.blit(picture, picture.get_rect(center=center))
        self._touch(rect)

    def clear(self) -> None:
        self.surface.fill(WHITE)
        self._touch(self.rect)

    def load(self, picture: pygame.Surface) -> None:
        """Start over from `picture` (scaled to the canvas), with an empty history."""
        self.surface.fill(WHITE)
        if picture.get_size() != self.rect.size:
            picture = pygame.transform.smoothscale(picture.convert(32), self.rect.size)
        self.surface.blit(picture, (0, 0))
        self.undo_steps.clear()
        self.redo_steps.clear()
        self.changes.append(self.rect.copy())

    def undo(self) -> bool:
        if self.busy or not self.undo_steps:
            return False
        step = self.undo_steps.pop()
        self.redo_steps.append(step.swap(self.surface))
        self.changes.append(step.rect.copy())
        return True

    def redo(self) -> bool:
        if self.busy or not self.redo_steps:
            return False
        step = self.redo_steps.pop()
        self.undo_steps.append(step.swap(self.surface))
        self.changes.append(step.rect.copy())
        return True

    # ----- the copy on screen ------------------------------------------------------------

    def shown(self, size: tuple[int, int]) -> pygame.Surface:
        """The canvas scaled to `size`, made once and then kept up to date."""
        if self._shown is None or self._shown.get_size() != size:
            self._shown = pygame.transform.smoothscale(self.surface, size)
            self.changes.clear()
        elif self.changes:
            self.refresh_shown()
        return self._shown

    def forget_shown(self) -> None:
        """Scale the whole canvas again at the next `shown()` (a new picture, a new size)."""
        self._shown = None

    def refresh_shown(self) -> list[pygame.Rect] | None:
        """Copy the changes to the screen copy; the rectangles it changed (relative to it),
        or None when there is no copy yet (the next `shown()` makes it whole)."""
        shown = self._shown
        if shown is None:
            self.changes.clear()
            return None
        sx = shown.get_width() / self.rect.width
        sy = shown.get_height() / self.rect.height
        done = []
        for rect in self.changes:
            left, top = rect.left // BLOCK * BLOCK, rect.top // BLOCK * BLOCK
            right, bottom = -(-rect.right // BLOCK) * BLOCK, -(-rect.bottom // BLOCK) * BLOCK
            block = pygame.Rect(left, top, right - left, bottom - top).clip(self.rect)
            x0, y0 = round(block.left * sx), round(block.top * sy)
            x1, y1 = round(block.right * sx), round(block.bottom * sy)
            if x1 <= x0 or y1 <= y0:
                continue
            part = pygame.transform.smoothscale(self.surface.subsurface(block), (x1 - x0, y1 - y0))
            shown.blit(part, (x0, y0))
            done.append(pygame.Rect(x0, y0, x1 - x0, y1 - y0))
        self.changes.clear()
        return done
