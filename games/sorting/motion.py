"""How a thing moves: carried by a pointer, or animated by the clock (popping up onto the
table, flying into a bin, sliding back home, nudging towards a wrong bin and back)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from kiosk.api import Word

MotionKind = Literal["appear", "in", "back", "nudge"]

DURATIONS: dict[MotionKind, float] = {"appear": 0.25, "in": 0.4, "back": 0.35, "nudge": 0.45}

Point = tuple[int, int]


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t))


@dataclass
class Motion:
    kind: MotionKind
    word: Word
    start: Point
    end: Point
    t0: float
    #: For "in": the bin the thing flies into.
    bin: int | None = None

    def progress(self, now: float) -> float:
        return min(1.0, max(0.0, (now - self.t0) / DURATIONS[self.kind]))

    def finished(self, now: float) -> bool:
        return now - self.t0 >= DURATIONS[self.kind]

    def place(self, now: float) -> tuple[Point, float]:
        """The thing's centre and scale at `now`."""
        t = self.progress(now)
        if self.kind == "appear":
            # grows from a little smaller with a soft overshoot
            return self.start, 0.7 + 0.3 * math.sin(t * math.pi * 0.75) / math.sin(math.pi * 0.75)
        if self.kind == "in":
            eased = t * t * (3 - 2 * t)
            return _lerp(self.start, self.end, eased), 1.0 - 0.75 * eased
        if self.kind == "back":
            eased = 1 - (1 - t) ** 3
            return _lerp(self.start, self.end, eased), 1.0
        # nudge: a little way towards the bin, then home again
        return _lerp(self.start, self.end, 0.28 * math.sin(t * math.pi)), 1.0


@dataclass
class Carry:
    """A thing held by one pointer (the mouse or one finger) and moved with it."""

    pointer: int
    grab: Point
    home: Point
    pos: Point = field(default=(0, 0))

    def __post_init__(self) -> None:
        self.pos = self.grab

    @property
    def center(self) -> Point:
        return (
            self.home[0] + self.pos[0] - self.grab[0],
            self.home[1] + self.pos[1] - self.grab[1],
        )

    def travelled(self) -> float:
        return math.hypot(self.pos[0] - self.grab[0], self.pos[1] - self.grab[1])
