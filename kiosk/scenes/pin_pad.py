"""The librarian's PIN pad: big keys, dots for the digits typed, a lockout after 5 misses
that grows with every further miss (kiosk.librarian.lockout) and says how long it lasts.

With no PIN set it says how to set one and nothing unlocks — except on the embedded demo
config, where it steps aside for the panel so a person trying Telpa can leave it. It
closes by itself after 2 minutes without input (the child then sees what was there
before)."""

from __future__ import annotations

import logging
import math
from functools import partial

import pygame

from kiosk import routes
from kiosk.input import InputEvent, KeyEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui import draw
from kiosk.ui.theme import BAD, FOCUS, INK, INK_SOFT, NEUTRAL_COLOR, WHITE, YES_COLOR, lighten
from kiosk.ui.widgets import Button, ButtonGroup

log = logging.getLogger(__name__)

IDLE_CLOSE_S = 120.0
MAX_DIGITS = 8


class PinPad(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self.digits = ""
        self.message = ""
        self.idle = 0.0
        self.shake = 0.0

    @property
    def frame_rate(self) -> int:
        return 20

    def on_enter(self) -> None:
        if self.services.pins.opens_without_pin():
            log.warning("demo config without a librarian PIN: the panel opens without one")
            self.shell.pop(self)
            self.shell.push(routes.Panel())
            return
        super().on_enter()

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        key = min(m.px(108), (h - m.px(300)) // 4 - m.px(14))
        gap = m.px(16)
        pad_w = 3 * key + 2 * gap
        left = (w - pad_w) // 2
        top = h - m.margin - 4 * key - 3 * gap
        self.dots_y = top - m.px(60)
        self.title_bottom = self.dots_y - m.px(90)
        buttons: list[Button] = []
        if self.services.pins.is_set():
            labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"]
            for i, label in enumerate(labels):
                row, col = divmod(i, 3)
                rect = pygame.Rect(left + col * (key + gap), top + row * (key + gap), key, key)
                if label == "back":
                    buttons.append(
                        Button(
                            "pin:back",
                            rect,
                            NEUTRAL_COLOR,
                            icon="left-arrow",
                            on_press=self._backspace,
                        )
                    )
                elif label == "ok":
                    buttons.append(
                        Button("pin:ok", rect, YES_COLOR, label=self._("OK"), on_press=self._submit)
                    )
                else:
                    buttons.append(
                        Button(
                            f"pin:{label}",
                            rect,
                            WHITE,
                            label=label,
                            on_press=partial(self._type, label),
                        )
                    )
        close_w = m.px(200)
        buttons.append(
            Button(
                "pin:close",
                pygame.Rect(w - close_w - m.margin, m.margin, close_w, m.px(80)),
                lighten(BAD, 0.35),
                label=self._("Close"),
                on_press=self._close,
            )
        )
        self.buttons.set_buttons(buttons)

    # ----- keys ----------------------------------------------------------------------

    def _locked_for(self) -> float:
        return self.services.pins.locked_for(self.shell.wall_now())

    def _type(self, digit: str) -> None:
        if self._locked_for() > 0 or len(self.digits) >= MAX_DIGITS:
            return
        self.digits += digit
        self.message = ""
        self.shell.invalidate()

    def _backspace(self) -> None:
        self.digits = self.digits[:-1]
        self.shell.invalidate()

    def _submit(self) -> None:
        if not self.digits or self._locked_for() > 0:
            return
        if self.services.pins.check(self.digits, self.shell.wall_now()):
            self.shell.pop(self)
            self.shell.push(routes.Panel())
            return
        self.digits = ""
        self.shake = 0.4
        left = self.services.pins.tries_left()
        if self._locked_for() > 0:
            self.message = ""
        else:
            self.message = self.services.translator.ngettext(
                "Wrong PIN. %(n)d try left.", "Wrong PIN. %(n)d tries left.", left
            ) % {"n": left}
        self.shell.invalidate()

    def _close(self) -> None:
        self.shell.pop(self)

    def handle_event(self, event: InputEvent) -> bool:
        self.idle = 0.0
        if isinstance(event, KeyEvent):
            if event.unicode.isdigit() and len(event.unicode) == 1:
                self._type(event.unicode)
                return True
            if event.key == pygame.K_BACKSPACE:
                self._backspace()
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._submit()
                return True
            if event.key == pygame.K_ESCAPE:
                self._close()
                return True
        self.buttons.handle(event)
        return True  # nothing reaches the scenes underneath

    def update(self, dt: float) -> None:
        self.idle += dt
        if self.idle >= IDLE_CLOSE_S:
            self._close()
            return
        if self.shake > 0:
            self.shake = max(0.0, self.shake - dt)
            self.shell.invalidate()
        elif self._locked_for() > 0:
            self.shell.invalidate()

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, _h = self.size
        surface.fill(lighten(FOCUS, 0.85))
        pins = self.services.pins
        if not pins.is_set():
            text = self.ui.text.fit(
                self._(
                    "No librarian PIN is set on this computer. To set one, run "
                    "“kiosk set-pin” in a terminal in the Telpa folder."
                ),
                (min(w - 2 * m.margin, m.px(1000)), m.px(300)),
                m.font_size("heading"),
                INK,
                max_lines=5,
            )
            surface.blit(text, text.get_rect(center=(w // 2, self.size[1] // 2)))
            self.buttons.draw(surface)
            return
        title = self.ui.text.fit(
            self._("Enter the librarian PIN"),
            (w - 2 * m.px(240), m.px(80)),
            m.font_size("title"),
            INK,
            weight="bold",
        )
        surface.blit(title, title.get_rect(midbottom=(w // 2, self.title_bottom)))
        locked = self._locked_for()
        if locked > 0:
            self._note(surface, self._lock_note(locked), BAD)
        elif self.message:
            self._note(surface, self.message, BAD)
        offset = int(math.sin(self.shake * 40) * m.px(14)) if self.shake > 0 else 0
        dot = m.px(26)
        count = max(4, len(self.digits))
        x0 = w // 2 - (count * dot + (count - 1) * m.px(18)) // 2 + offset
        for i in range(count):
            filled = i < len(self.digits)
            surface.blit(
                draw.circle(dot, INK if filled else lighten(INK_SOFT, 0.6)),
                (x0 + i * (dot + m.px(18)), self.dots_y - dot // 2),
            )
        self.buttons.draw(surface)

    def _lock_note(self, locked: float) -> str:
        """How long the pad stays locked: seconds up to a minute, then whole minutes
        rounded up (a lock grows to an hour)."""
        ngettext = self.services.translator.ngettext
        seconds = math.ceil(locked)
        if seconds <= 60:
            return ngettext(
                "Too many wrong PINs. Try again in %(n)d second.",
                "Too many wrong PINs. Try again in %(n)d seconds.",
                seconds,
            ) % {"n": seconds}
        minutes = math.ceil(seconds / 60)
        return ngettext(
            "Too many wrong PINs. Try again in %(n)d minute.",
            "Too many wrong PINs. Try again in %(n)d minutes.",
            minutes,
        ) % {"n": minutes}

    @property
    def lock_note(self) -> str:
        """The lock's words as shown now ("" when the pad is open); the tests read it."""
        locked = self._locked_for()
        return self._lock_note(locked) if locked > 0 else ""

    def _note(self, surface: pygame.Surface, text: str, color: tuple[int, int, int]) -> None:
        m = self.ui.metrics
        w = self.size[0]
        rendered = self.ui.text.fit(text, (w - 2 * m.margin, m.px(44)), m.font_size("body"), color)
        surface.blit(rendered, rendered.get_rect(midbottom=(w // 2, self.dots_y - m.px(30))))
