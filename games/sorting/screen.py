"""What Sort it out's layout and painting read and set: the game's state, as a protocol,
so that they depend on this description and not on the game (game.py uses them both)."""

from __future__ import annotations

from typing import Protocol

import pygame

from games.sorting.motion import Carry, Motion
from games.sorting.race_play import RacePlay
from games.sorting.rules import SortingRound
from kiosk.api import ActivityContext, ButtonGroup, Pack, Word, kit


class SortingScreen(Protocol):
    ctx: ActivityContext
    flow: kit.RoundFlow[Pack]
    banner: kit.StarsBanner
    round: SortingRound | None
    #: The race being played (or just finished) when teams play with pads.
    race: RacePlay | None
    #: The race's end screen: the teams' score cards and the line on how they count.
    race_board: pygame.Rect
    race_rule: pygame.Rect
    buttons: ButtonGroup
    speakers: ButtonGroup
    #: Composed pictures of this round (cards, badges), see painting.py.
    looks: dict[tuple[object, ...], pygame.Surface]
    title_rect: pygame.Rect
    prompt_rect: pygame.Rect
    #: Where the thing to sort rests on the table.
    home: pygame.Rect
    carry: Carry | None
    motion: Motion | None
    selected: bool
    hover: int | None
    hint: int | None
    hint_at: float
    popped: tuple[int, float] | None
    time: float

    @property
    def phase(self) -> str: ...
    @property
    def pack(self) -> Pack | None: ...
    @property
    def level(self) -> int: ...
    @property
    def stars(self) -> int: ...

    def item_word(self) -> Word | None: ...
    def won_message(self) -> str: ...
    def start(self, level: int) -> None: ...
    def sort_into(self, index: int, start: tuple[int, int] | None = None) -> None: ...
    def show_topics(self) -> None: ...
