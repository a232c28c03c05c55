"""Mouse, touch, keyboard and game controllers turned into one small set of input events.

Scenes and activities never see raw pygame mouse or finger events. A touch arrives from
SDL twice — as a finger event and as an emulated mouse event marked `touch` — and is
counted once here, as a finger.

Typed text comes from KEYDOWN's `unicode`. A letter composed without a key of its own
(a dead key, AltGr sequences, an input method: `ā` as `'` then `a` on some Latvian
layouts) arrives only as SDL's TEXTINPUT; it becomes a `KeyEvent` with `key == 0` and
the text. The TEXTINPUT that merely repeats the KEYDOWN just before it is dropped, so
a letter is never typed twice.

Game controllers (`kiosk.pads`) become the keys the shell and games already know, so
everything a keyboard reaches, a pad reaches too: the d-pad and the left stick are the
arrow keys (the stick past a dead zone, with hysteresis so a wobbling thumb does not
flicker), and a held direction repeats like a held key; A and Start are Enter, X is Space,
B and Back are Escape (one step back: in the kiosk Escape never leaves the program), the
shoulder buttons are Shift+Tab and Tab. The Guide button, Y, the stick clicks, the right
stick and the triggers do nothing. A pad's `KeyEvent` carries its slot in `pad` (0–3) for
team games; a pad has no modifier keys, so no pad can type the librarian's Ctrl+Alt+L."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pygame

if TYPE_CHECKING:
    from kiosk.pads import Pads

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
    #: The slot (0–3) of the game controller it came from; None for the keyboard.
    pad: int | None = None


InputEvent = PointerEvent | KeyEvent


class InputTranslator:
    """Turns pygame events into `InputEvent`s for a window of the given size (and the
    events of the game controllers in `pads`, when given)."""

    def __init__(self, size: tuple[int, int], pads: Pads | None = None) -> None:
        self.size = size
        self.pads = pads
        self._pad_keys = PadKeys()
        self._mouse_down = False
        #: The text of the KEYDOWN just translated, until the next event.
        self._key_text = ""

    def repeats(self, now: float) -> list[KeyEvent]:
        """The repeats of held pad directions due at `now` (call once a frame)."""
        return self._pad_keys.repeats(now)

    @property
    def repeating(self) -> bool:
        """A pad direction is held, so `repeats` must be asked at every frame."""
        return self._pad_keys.holding

    def translate(self, event: pygame.event.Event) -> InputEvent | None:
        etype = event.type
        key_text, self._key_text = self._key_text, ""
        if CONTROLLER_FIRST <= etype <= CONTROLLER_LAST:
            return self._translate_pad(event)
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

    def _translate_pad(self, event: pygame.event.Event) -> KeyEvent | None:
        pads = self.pads
        if pads is None:
            return None
        if event.type == pygame.CONTROLLERDEVICEREMOVED:
            gone = pads.slot(int(event.instance_id))
            if gone is not None:
                self._pad_keys.release_all(gone)
        if pads.handle_device_event(event):
            return None
        slot = pads.slot(int(getattr(event, "instance_id", -1)))
        if slot is None:
            return None  # a pad we did not open (a fifth one)
        if event.type == pygame.CONTROLLERBUTTONDOWN:
            return self._pad_keys.button(slot, int(event.button), True)
        if event.type == pygame.CONTROLLERBUTTONUP:
            return self._pad_keys.button(slot, int(event.button), False)
        if event.type == pygame.CONTROLLERAXISMOTION:
            return self._pad_keys.axis(slot, int(event.axis), int(event.value))
        return None


#: SDL's controller event types lie in one block.
CONTROLLER_FIRST = pygame.CONTROLLERAXISMOTION
CONTROLLER_LAST = pygame.CONTROLLERSENSORUPDATE

#: What each pad button is (buttons not listed do nothing: Guide, Y, the stick clicks).
PAD_BUTTON_KEYS: dict[int, tuple[int, int]] = {
    pygame.CONTROLLER_BUTTON_A: (pygame.K_RETURN, 0),
    pygame.CONTROLLER_BUTTON_START: (pygame.K_RETURN, 0),
    pygame.CONTROLLER_BUTTON_X: (pygame.K_SPACE, 0),
    pygame.CONTROLLER_BUTTON_B: (pygame.K_ESCAPE, 0),
    pygame.CONTROLLER_BUTTON_BACK: (pygame.K_ESCAPE, 0),
    pygame.CONTROLLER_BUTTON_LEFTSHOULDER: (pygame.K_TAB, pygame.KMOD_LSHIFT),
    pygame.CONTROLLER_BUTTON_RIGHTSHOULDER: (pygame.K_TAB, 0),
}
PAD_DPAD_KEYS: dict[int, int] = {
    pygame.CONTROLLER_BUTTON_DPAD_UP: pygame.K_UP,
    pygame.CONTROLLER_BUTTON_DPAD_DOWN: pygame.K_DOWN,
    pygame.CONTROLLER_BUTTON_DPAD_LEFT: pygame.K_LEFT,
    pygame.CONTROLLER_BUTTON_DPAD_RIGHT: pygame.K_RIGHT,
}
AXIS_FULL = 32767
#: The stick points somewhere once pushed past this share of its travel…
STICK_ENTER = 0.6
#: …and keeps pointing there until it falls back under this share (hysteresis).
STICK_LEAVE = 0.35
#: A held direction repeats after this long, then at this interval (like a held key).
REPEAT_DELAY_S = 0.45
REPEAT_INTERVAL_S = 0.15


@dataclass
class _Held:
    key: int
    #: "stick", or the d-pad button that holds it.
    source: int | str
    #: When its repeat clock started (at the first `repeats` call after the press).
    since: float | None = None
    next_at: float = 0.0


@dataclass
class _PadState:
    x: int = 0
    y: int = 0
    stick: int | None = None
    held: _Held | None = None


class PadKeys:
    """Pad buttons and the left stick as keys, per slot, with repeat of held directions."""

    def __init__(self) -> None:
        self._pads: dict[int, _PadState] = {}

    def _state(self, slot: int) -> _PadState:
        return self._pads.setdefault(slot, _PadState())

    @property
    def holding(self) -> bool:
        """A pad direction is held: its repeats are due frame by frame."""
        return any(state.held is not None for state in self._pads.values())

    def release_all(self, slot: int) -> None:
        """The pad went: nothing of it stays held."""
        self._pads.pop(slot, None)

    def button(self, slot: int, button: int, down: bool) -> KeyEvent | None:
        state = self._state(slot)
        if button in PAD_DPAD_KEYS:
            key = PAD_DPAD_KEYS[button]
            if down:
                state.held = _Held(key, button)
                return KeyEvent(key, 0, "", slot)
            if state.held is not None and state.held.source == button:
                state.held = None
            return None
        if not down or button not in PAD_BUTTON_KEYS:
            return None
        key, mod = PAD_BUTTON_KEYS[button]
        return KeyEvent(key, mod, "", slot)

    def axis(self, slot: int, axis: int, value: int) -> KeyEvent | None:
        state = self._state(slot)
        if axis == pygame.CONTROLLER_AXIS_LEFTX:
            state.x = value
        elif axis == pygame.CONTROLLER_AXIS_LEFTY:
            state.y = value
        else:
            return None  # the right stick and the triggers do nothing
        direction = _stick_direction(state.x / AXIS_FULL, state.y / AXIS_FULL, state.stick)
        if direction == state.stick:
            return None
        state.stick = direction
        if direction is None:
            if state.held is not None and state.held.source == "stick":
                state.held = None
            return None
        state.held = _Held(direction, "stick")
        return KeyEvent(direction, 0, "", slot)

    def repeats(self, now: float) -> list[KeyEvent]:
        due: list[KeyEvent] = []
        for slot, state in sorted(self._pads.items()):
            held = state.held
            if held is None:
                continue
            if held.since is None:
                held.since, held.next_at = now, now + REPEAT_DELAY_S
            elif now >= held.next_at:
                due.append(KeyEvent(held.key, 0, "", slot))
                # After a long frame: one repeat, not a burst.
                held.next_at = max(held.next_at + REPEAT_INTERVAL_S, now)
        return due


def _stick_direction(x: float, y: float, current: int | None) -> int | None:
    """The arrow key the stick points to: its stronger axis, past the dead zone."""
    if current is not None:
        along = {pygame.K_LEFT: -x, pygame.K_RIGHT: x, pygame.K_UP: -y, pygame.K_DOWN: y}[current]
        across = abs(y) if current in (pygame.K_LEFT, pygame.K_RIGHT) else abs(x)
        if along >= STICK_LEAVE and not (across >= STICK_ENTER and across > along):
            return current
    if max(abs(x), abs(y)) < STICK_ENTER:
        return None
    if abs(x) >= abs(y):
        return pygame.K_RIGHT if x > 0 else pygame.K_LEFT
    return pygame.K_DOWN if y > 0 else pygame.K_UP


def _int_pos(pos: tuple[float, float]) -> tuple[int, int]:
    return int(pos[0]), int(pos[1])
