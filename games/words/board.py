"""Word builder's board: the letter tiles, the timings of their moves, and the state the
input (controls.py) and the screens (screens.py) work on — a protocol the game (game.py)
fulfils, so neither of them imports the game."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pygame

from games.words.letters import SpellWord
from games.words.look import Looks, TileStyle
from kiosk.api import ActivityContext, kit

PLACE_S = 0.16
WIGGLE_S = 0.6
RETURN_S = 0.3
CELEBRATE_S = 1.6
#: How long "not this letter" stays under the word after a wrong letter.
MESSAGE_S = 2.4


@dataclass(eq=False)
class Tile:
    letter: str
    home: pygame.Rect
    #: The first letter of a helped level, fixed in slot 0.
    given: bool = False
    slot: int | None = None
    style: TileStyle = "plain"
    glide_from: pygame.Rect | None = None
    glide_at: float = 0.0
    glide_s: float = PLACE_S
    wiggle_at: float | None = None
    drag_center: tuple[int, int] | None = None
    #: Where the tile was painted since it was last touched: a moving tile must repaint
    #: what it left behind.
    drawn: pygame.Rect | None = None


class Ring(Protocol):
    """The keyboard's blue ring on a loose tile."""

    @property
    def focus(self) -> int | None: ...
    @property
    def show_focus(self) -> bool: ...


class WordBoard(Protocol):
    """What the controls move and the screens draw."""

    ctx: ActivityContext
    flow: kit.RoundFlow[None]
    banner: kit.StarsBanner
    looks: Looks
    tiles: list[Tile]
    slots: list[Tile | None]
    slot_rects: list[pygame.Rect]
    picture_rect: pygame.Rect
    round_words: list[SpellWord]
    index: int
    score: int
    side: int
    dots_y: int
    time: float
    solved_at: float | None
    wrong_at: float | None

    @property
    def phase(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def stars(self) -> int: ...
    @property
    def word(self) -> SpellWord: ...
    @property
    def busy(self) -> bool: ...
    @property
    def ring(self) -> Ring: ...

    def start(self, level: int) -> None: ...
    def place(self, tile: Tile, slot: int | None = None) -> None: ...
    def drop(self, tile: Tile) -> None: ...
    def send_home(self, tile: Tile, seconds: float = PLACE_S) -> None: ...
    def touch_tile(self, tile: Tile) -> None: ...
    def rect_of(self, tile: Tile) -> pygame.Rect: ...
    def say_letter(self, letter: str) -> None: ...
    def hint_slot(self) -> int | None: ...
    def alphabet(self) -> str: ...
