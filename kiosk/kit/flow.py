"""A round's flow, with its phases named: topic → level → play → stars → (Play again |
Next level | another topic). "empty" is the kind message when no content pack has
anything for the game in the child's language.

`RoundFlow` keeps the phase, the chosen topic and level, and the stars, and tells the shell
about rounds (`start_round`, `complete`); the game keeps its own rules and asks the flow
to move on. After every change it calls the game's `on_change` so the game lays out the
new phase's screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

import pygame

from kiosk.input import InputEvent
from kiosk.kit.stars import APPEAR_S, CELEBRATE_S
from kiosk.ui.widgets import ButtonGroup

Phase = Literal["empty", "topic", "level", "play", "stars"]
T = TypeVar("T")


class RoundContext(Protocol):
    """What the flow needs of an `ActivityContext`."""

    def start_round(self, level: int | None = None) -> None: ...
    def complete(self, score: int | None = None, level: int | None = None) -> None: ...
    def play_sound(self, name: str) -> None: ...
    def invalidate(self, rect: pygame.Rect | None = None) -> None: ...


@dataclass(eq=False)
class RoundFlow(Generic[T]):
    ctx: RoundContext
    #: How many levels the game has (the last has no "Next level").
    levels: int
    #: Called after every change of phase: the game lays out the new screen.
    on_change: Callable[[], None]
    phase: Phase = "empty"
    topics: Sequence[T] = field(default_factory=list)
    topic: T | None = None
    level: int = 1
    stars: int = 0
    #: When the stars began to show (the game's own clock).
    finished_at: float = 0.0

    def offer(self, topics: Sequence[T]) -> None:
        """Show the topic picker; with one topic straight to its levels, with none the
        kind message."""
        self.topics = list(topics)
        if not self.topics:
            self.topic = None
            self.phase = "empty"
        elif len(self.topics) == 1:
            self.topic = self.topics[0]
            self.phase = "level"
        else:
            self.phase = "topic"
        self.on_change()

    def offer_levels(self) -> None:
        """Show the level picker (a game without topics starts here)."""
        self.phase = "level"
        self.on_change()

    @property
    def many_topics(self) -> bool:
        """Whether there is another topic to go back to."""
        return len(self.topics) > 1

    def choose_topic(self, topic: T) -> None:
        self.topic = topic
        self.phase = "level"
        self.on_change()

    def begin(self, level: int) -> None:
        """A round at `level` begins (the game has dealt it): the shell opens a run."""
        if not 1 <= level <= self.levels:
            raise ValueError(f"level {level} is not one of this game's 1..{self.levels}")
        self.level = level
        self.phase = "play"
        self.ctx.start_round(level)

    def show(self) -> None:
        """Lay out the screen of the phase the flow is in (e.g. after `begin`)."""
        self.on_change()

    def finish(self, stars: int, score: int, now: float) -> None:
        """The round was played to the end: recorded as completed, then the stars."""
        self.stars = stars
        self.ctx.complete(score=score, level=self.level)
        self.ctx.play_sound("success")
        self.phase = "stars"
        self.finished_at = now
        self.on_change()

    def appear(self, now: float) -> float:
        """How far the stars have lit up (0..1)."""
        return min(1.0, (now - self.finished_at) / APPEAR_S)

    def celebrating(self, now: float) -> bool:
        """Whether the stars banner still moves (and must be redrawn)."""
        return self.phase == "stars" and now - self.finished_at < CELEBRATE_S


class RoundGame:
    """Mixed into an `Activity` that plays its rounds through `self.flow`: the flow's
    phase, level and stars read as the game's own, and `layout_phase` (give it to the
    flow as `on_change`) lays out each phase's screen through the `layout_…` method the
    game overrides — by default a screen without buttons. Input goes to the screen's
    buttons first, then, in play, to `play_event`."""

    flow: RoundFlow[Any]
    buttons: ButtonGroup

    @property
    def phase(self) -> Phase:
        return self.flow.phase

    @property
    def level(self) -> int:
        return self.flow.level

    @property
    def stars(self) -> int:
        return self.flow.stars

    def layout_phase(self) -> None:
        layouts = {
            "empty": self.layout_empty,
            "topic": self.layout_topics,
            "level": self.layout_levels,
            "play": self.layout_play,
            "stars": self.layout_stars,
        }
        layouts[self.flow.phase]()
        self.flow.ctx.invalidate()

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        return self.flow.phase == "play" and self.play_event(event)

    def waiting_for_input(self) -> bool:
        """The pickers and the "nothing to play" message change only with input."""
        return self.flow.phase in ("empty", "topic", "level")

    def play_event(self, event: InputEvent) -> bool:
        """An event in play that no button took; True when it was used."""
        return False

    def on_language_changed(self) -> None:
        """Labels change with the language: lay out the screen again."""
        self.layout_phase()

    def layout_empty(self) -> None:
        self.buttons.set_buttons([])

    def layout_topics(self) -> None:
        self.buttons.set_buttons([])

    def layout_levels(self) -> None:
        self.buttons.set_buttons([])

    def layout_play(self) -> None:
        self.buttons.set_buttons([])

    def layout_stars(self) -> None:
        self.buttons.set_buttons([])
