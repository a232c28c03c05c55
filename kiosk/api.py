"""The Activity API: the only part of Telpa that games and creative tools import.

An activity is a class with an `info` and the scene lifecycle::

    class Counting(Activity):
        info = ActivityInfo(id="counting", icon="abacus", category="play", levels=3,
                            title={"lv": "Skaitīšana", "lt": "Skaičiavimas", "en": "Counting"})

        def on_enter(self) -> None:
            self.ctx.start_round(level=1)
        def handle_event(self, event: InputEvent) -> bool: ...
        def update(self, dt: float) -> None: ...
        def draw(self, surface: pygame.Surface) -> None: ...

It is registered in its package's pyproject.toml under the entry-point group
``kiosk.activities`` and appears in the launcher at the next start.

The shell owns the top bar with the Home button (top-left, always), Escape, idle time-outs
and usage recording. The activity owns `ctx.area`, reports rounds through its context —
`start_round`, `set_score`, `complete` — and may ask to leave with `go_home()`. An
exception raised by any method is caught by the shell: the child sees a friendly
message, the run is recorded as `error` and the traceback goes to the log.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import pygame

from kiosk.input import MOUSE_POINTER, InputEvent, KeyEvent, PointerEvent
from kiosk.ui import draw, theme
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import UI, Button, ButtonGroup

__all__ = [
    "MOUSE_POINTER",
    "UI",
    "Activity",
    "ActivityContext",
    "ActivityInfo",
    "Button",
    "ButtonGroup",
    "InputEvent",
    "KeyEvent",
    "Metrics",
    "PointerEvent",
    "SessionInfo",
    "draw",
    "theme",
]

Category = Literal["play", "create"]


@dataclass(frozen=True)
class ActivityInfo:
    id: str
    #: The launcher title in each language the activity supports ("lv", "lt", "en").
    title: dict[str, str]
    #: A picture name from assets/emoji (e.g. "puzzle").
    icon: str
    category: Category = "play"
    #: Number of difficulty levels (1 for tools without levels).
    levels: int = 3
    #: Whether the activity shows a two-team score bar in group sessions.
    supports_teams: bool = False


@dataclass(frozen=True)
class SessionInfo:
    kind: Literal["solo", "group"]
    headcount: int
    age_band: str | None


@dataclass(eq=False)
class ActivityContext:
    """What the shell offers a running activity. Built by the shell, one per visit."""

    area: pygame.Rect
    ui: UI
    lang: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    pick: Callable[[dict[str, str]], str]
    session: SessionInfo
    random: random.Random
    now: Callable[[], float]
    _invalidate: Callable[[pygame.Rect | None], None]
    _start_round: Callable[[int | None], None]
    _set_progress: Callable[[int | None, int | None], None]
    _complete: Callable[[int | None, int | None], None]
    _go_home: Callable[[], None]
    extras: dict[str, object] = field(default_factory=dict)

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        """Ask for `rect` (default: the whole area) to be redrawn at the next frame."""
        self._invalidate(rect if rect is not None else self.area)

    def start_round(self, level: int | None = None) -> None:
        """A round begins: the shell opens a run (an unfinished earlier one ends as quit)."""
        self._start_round(level)

    def set_level(self, level: int) -> None:
        self._set_progress(level, None)

    def set_score(self, score: int) -> None:
        self._set_progress(None, score)

    def complete(self, score: int | None = None, level: int | None = None) -> None:
        """The round was played to the end: its run is recorded as completed."""
        self._complete(score, level)

    def go_home(self) -> None:
        """Leave to the launcher, as the Home button does."""
        self._go_home()

    def play_sound(self, name: str) -> None:
        """One of: tap, flip, good, try-again, success. Silent where sound is off."""
        self.ui.sounds.play(name)


class Activity:
    """Base class for mini-games and creative tools. Override what you need."""

    info: ClassVar[ActivityInfo]

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx

    def on_enter(self) -> None:
        """The child opened the activity; `ctx.area` is ready."""

    def on_exit(self) -> None:
        """The activity is closing (Home, idle time-out, or session end)."""

    def on_pause(self) -> None:
        """Something covers the activity (e.g. "Are you still there?")."""

    def on_resume(self) -> None:
        """It is uncovered again."""

    def on_language_changed(self) -> None:
        """`ctx.gettext` and `ctx.pick` now answer in `ctx.lang`: rebuild labels."""

    def handle_event(self, event: InputEvent) -> bool:
        """Return True when the event was used."""
        return False

    def update(self, dt: float) -> None:
        """Advance animations and timers by `dt` seconds (from the shell's clock)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Paint `ctx.area` of `surface`. Called when something was invalidated."""
