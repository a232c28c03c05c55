"""Word builder's input: taps and drags of letter tiles (mouse and fingers alike, several
fingers at once on a whiteboard) and the keyboard — typed letters, a blue ring moved by
arrows/Tab and chosen with Enter, Backspace to take the last letter back."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from games.words.board import Tile, WordBoard
from games.words.letters import normalize
from kiosk.api import KeyEvent, PointerEvent, kit

#: A press that moves farther than this (units) is a drag, not a tap.
DRAG_START = 14


@dataclass(eq=False)
class Press:
    tile: Tile
    start: tuple[int, int]
    dragging: bool = False


class Controls:
    def __init__(self, game: WordBoard) -> None:
        self.game = game
        self.presses: dict[int, Press] = {}
        #: Index into game.tiles of the tile the ring is on, and whether the ring shows
        #: (only after a key was used: a finger needs no ring).
        self.focus: int | None = None
        self.show_focus = False

    def new_word(self) -> None:
        self.presses.clear()
        self.focus = 0 if self.game.tiles else None

    def placed(self, tile: Tile) -> None:
        """`tile` went into the word: the ring moves on to the next loose tile."""
        if self.focus is not None and self.game.tiles[self.focus] is tile:
            self._move_focus(1)

    def _loose_tile_at(self, pos: tuple[int, int]) -> Tile | None:
        for tile in self.game.tiles:
            if tile.slot is None and tile.home.collidepoint(pos):
                return tile
        return None

    def _slot_at(self, pos: tuple[int, int], reach: int = 0) -> int | None:
        for i, rect in enumerate(self.game.slot_rects):
            if rect.inflate(2 * reach, 2 * reach).collidepoint(pos):
                return i
        return None

    def pointer(self, event: PointerEvent) -> bool:
        m = self.game.ctx.ui.metrics
        if event.kind == "down":
            if self.game.busy:
                return True
            tile = self._loose_tile_at(event.pos)
            if tile is not None:
                self.presses[event.pointer] = Press(tile, event.pos)
                self.game.say_letter(tile.letter)
                self._set_focus(self.game.tiles.index(tile), visible=False)
                return True
            slot = self._slot_at(event.pos)
            held = self.game.slots[slot] if slot is not None else None
            if held is not None and not held.given:
                self.game.send_home(held)
                self.game.ctx.play_sound("tap")
                return True
            return False
        press = self.presses.get(event.pointer)
        if press is None:
            return False
        tile = press.tile
        if event.kind == "move":
            far = math.dist(event.pos, press.start) > m.px(DRAG_START)
            if (press.dragging or far) and tile.slot is None and not self.game.busy:
                press.dragging = True
                self.game.touch_tile(tile)
                tile.glide_from = None
                tile.drag_center = event.pos
                self.game.touch_tile(tile)
            return True
        del self.presses[event.pointer]
        if tile.slot is not None or self.game.busy:
            if tile.drag_center is not None:  # another finger finished the word meanwhile
                self.game.drop(tile)
            return True
        if press.dragging:
            slot = self._slot_at(event.pos, reach=m.px(12))
            taken = self.game.slots[slot] if slot is not None else None
            if slot is not None and not (taken and taken.given):
                self.game.place(tile, slot)
            else:
                self.game.drop(tile)  # let go beside the word: back home
        else:
            self.game.place(tile)
        return True

    def key(self, event: KeyEvent) -> bool:
        key = event.key
        if self.game.busy:
            return key != pygame.K_ESCAPE
        moves = {pygame.K_RIGHT: 1, pygame.K_LEFT: -1}
        if key == pygame.K_TAB:
            self._move_focus(-1 if event.mod & pygame.KMOD_SHIFT else 1, visible=True)
            return True
        if key in moves:
            self._move_focus(moves[key], visible=True)
            return True
        if key in (pygame.K_UP, pygame.K_DOWN):
            self._move_focus_row(1 if key == pygame.K_DOWN else -1)
            return True
        if kit.is_choose_key(event):
            if self.focus is not None:
                self._set_focus(self.focus, visible=True)
                tile = self.game.tiles[self.focus]
                if tile.slot is None:
                    self.game.say_letter(tile.letter)
                self.game.place(tile)
            return True
        if key == pygame.K_BACKSPACE:
            taken = [t for t in self.game.slots if t is not None and not t.given]
            if taken:
                self.game.send_home(taken[-1])
                self.game.ctx.play_sound("tap")
            return True
        typed = normalize(event.unicode)
        if len(typed) == 1 and typed.isalpha():
            loose = [t for t in self.game.tiles if t.slot is None and t.letter == typed]
            if loose:
                self.game.place(loose[0])
            return True
        return False

    def _set_focus(self, index: int | None, visible: bool) -> None:
        if self.focus is not None and self.focus < len(self.game.tiles):
            self.game.touch_tile(self.game.tiles[self.focus])
        self.focus = index
        self.show_focus = visible
        if index is not None:
            self.game.touch_tile(self.game.tiles[index])

    def _move_focus(self, step: int, visible: bool | None = None) -> None:
        """Move the ring to the next loose tile in reading order (wrapping round)."""
        loose = [i for i, t in enumerate(self.game.tiles) if t.slot is None]
        show = self.show_focus if visible is None else visible
        if not loose:
            self._set_focus(None, show)
            return
        start = self.focus if self.focus is not None else -1
        n = len(self.game.tiles)
        for k in range(1, n + 1):
            candidate = (start + step * k) % n
            if candidate in loose:
                self._set_focus(candidate, show)
                return

    def _move_focus_row(self, direction: int) -> None:
        if self.focus is None:
            self._move_focus(1, visible=True)
            return
        here = self.game.tiles[self.focus].home
        below = [
            (abs(t.home.centerx - here.centerx), i)
            for i, t in enumerate(self.game.tiles)
            if t.slot is None and (t.home.centery - here.centery) * direction > 0
        ]
        if below:
            self._set_focus(min(below)[1], visible=True)
        else:
            self._set_focus(self.focus, visible=True)
