"""The librarian's ways in and the group session's clock, as the shell sees them.

`UnlockGesture` watches every input (without taking it from the scenes): a press held
3 seconds in the top-right corner, or Ctrl+Alt+L, asks for the PIN pad. `GroupClock`
counts down a group session's timer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.input import InputEvent, KeyEvent

HOLD_S = 3.0
#: The hold shows its progress ring only after this long, so a quick touch shows nothing.
HOLD_VISIBLE_AFTER_S = 0.6


class UnlockGesture:
    def __init__(self, corner: Callable[[], pygame.Rect]) -> None:
        self._corner = corner
        self._pointer: int | None = None
        self._since: float | None = None

    def observe(self, event: InputEvent, now: float) -> bool:
        """Track one input; True for Ctrl+Alt+L."""
        if isinstance(event, KeyEvent):
            return (
                event.key == pygame.K_l
                and bool(event.mod & pygame.KMOD_CTRL)
                and bool(event.mod & pygame.KMOD_ALT)
            )
        corner = self._corner()
        if event.kind == "down" and corner.collidepoint(event.pos):
            self._pointer, self._since = event.pointer, now
        elif event.pointer == self._pointer and (
            event.kind == "up" or not corner.collidepoint(event.pos)
        ):
            self._pointer, self._since = None, None
        return False

    def progress(self, now: float) -> float | None:
        """0..1 while a hold is under way, None otherwise."""
        if self._since is None:
            return None
        return min(1.0, (now - self._since) / HOLD_S)

    def completed(self, now: float) -> bool:
        """True once, when a hold reaches 3 seconds."""
        progress = self.progress(now)
        if progress is not None and progress >= 1.0:
            self._pointer, self._since = None, None
            return True
        return False

    @property
    def holding(self) -> bool:
        return self._since is not None


@dataclass
class GroupClock:
    """A group session's timer: when it ends, on the shell's monotonic clock."""

    ends_at: float

    def remaining(self, now: float) -> float:
        return max(0.0, self.ends_at - now)

    def extend(self, seconds: float) -> None:
        self.ends_at += seconds

    @staticmethod
    def label(remaining: float) -> str:
        """m:ss, rounded up so it never shows 0:00 while time is left."""
        whole = int(remaining + 0.999)
        return f"{whole // 60}:{whole % 60:02d}"
