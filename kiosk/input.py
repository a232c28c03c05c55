"""Mouse, touch and keyboard turned into one small set of input events.

Scenes and activities never see raw pygame mouse or finger events. A touch arrives from
SDL twice — as a finger event and as an emulated mouse event marked `touch` — and is
counted once here, as a finger.

Typed text comes from KEYDOWN's `unicode`. A letter composed without a key of its own
(a dead key, AltGr sequences, an input method: `ā` as `'` then `a` on some Latvian
layouts) arrives only as SDL's TEXTINPUT; it becomes a `KeyEvent` with `key == 0` and
the text. The TEXTINPUT that merely repeats the KEYDOWN just before it is dropped, so
a letter is never typed twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pygame

PointerKind = Literal["down", "move", "up"]

MOUSE_POINTER = -1


@dataclass(frozen=True)
class PointerEvent:
    kind: PointerKind
    pos: tuple[int, int]
    #: MOUSE_POINTER for the mouse, else the finger's id (several fingers on a whiteboard).
    pointer: int = MOUSE_POINTER
    #: Whether a button or finger is held (for "move").
    pressed: bool = False


@dataclass(frozen=True)
class KeyEvent:
    key: int
    mod: int = 0
    unicode: str = ""


InputEvent = PointerEvent | KeyEvent


class InputTranslator:
    """Turns pygame events into `InputEvent`s for a window of the given size."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self._mouse_down = False
        #: The text of the KEYDOWN just translated, until the next event.
        self._key_text = ""

    def translate(self, event: pygame.event.Event) -> InputEvent | None:
        etype = event.type
        key_text, self._key_text = self._key_text, ""
        if etype == pygame.TEXTINPUT:
            text = getattr(event, "text", "")
            if not text or text == key_text or not text.isprintable():
                return None
            return KeyEvent(0, 0, text)
        if etype in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(event, "touch", False):
                return None  # SDL's mouse emulation of a touch: the finger event counts
            if etype == pygame.MOUSEMOTION:
                return PointerEvent("move", _int_pos(event.pos), MOUSE_POINTER, self._mouse_down)
            if getattr(event, "button", 1) != 1:
                return None  # right button, wheel: not used by children
            down = etype == pygame.MOUSEBUTTONDOWN
            self._mouse_down = down
            return PointerEvent("down" if down else "up", _int_pos(event.pos), MOUSE_POINTER, down)
        if etype in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            w, h = self.size
            pos = (int(event.x * w), int(event.y * h))
            finger = int(getattr(event, "finger_id", 0))
            if etype == pygame.FINGERDOWN:
                return PointerEvent("down", pos, finger, True)
            if etype == pygame.FINGERUP:
                return PointerEvent("up", pos, finger, False)
            return PointerEvent("move", pos, finger, True)
        if etype == pygame.KEYDOWN:
            self._key_text = getattr(event, "unicode", "")
            return KeyEvent(event.key, getattr(event, "mod", 0), self._key_text)
        return None


def _int_pos(pos: tuple[float, float]) -> tuple[int, int]:
    return int(pos[0]), int(pos[1])
