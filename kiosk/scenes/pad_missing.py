"""A game controller was pulled out mid-game: the game waits and the screen says which pad.

The shell puts this overlay over the activity (which gets `on_pause`, like under "Are you
still there?") when a pad goes while an activity is on screen. It closes by itself when a
pad is plugged in again (it takes the missing pad's number, see `kiosk.pads`), or when
someone chooses to play on without it — by touch, the keyboard or another pad's A.
Everything else is held here: B on another pad does not leave the game meanwhile.

When teams play with pads (the group setup's Controllers step), the card names the team
whose pad is missing ("Team Owl's controller is unplugged.") instead of its number."""

from __future__ import annotations

import pygame

from kiosk.input import InputEvent
from kiosk.pads import Pads
from kiosk.scenes.base import Scene, Shell
from kiosk.ui import draw
from kiosk.ui.theme import INK, WHITE, YES_COLOR
from kiosk.ui.widgets import Button, ButtonGroup, speak


class PadMissing(Scene):
    opaque = False

    def __init__(self, shell: Shell, pads: Pads) -> None:
        super().__init__(shell)
        self.pads = pads
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self.shown: list[int] = sorted(pads.missing)
        self._veil: pygame.Surface | None = None

    def on_enter(self) -> None:
        super().on_enter()
        speak(self.ui, self.message(), self.services.translator.lang)

    def message(self) -> str:
        """What the card says: one line per pad that is missing, then what to do."""
        _, ngettext = self._, self.services.translator.ngettext
        teams = self.shell.session.teams
        lines = []
        for slot in self.shown:
            team = teams.of_pad(slot) if teams is not None else None
            if team is not None:
                lines.append(team.unplugged(_))
            else:
                lines.append(_("Controller %(n)d is unplugged.") % {"n": slot + 1})
        lines.append(
            ngettext(
                "Plug it in again to play on.", "Plug them in again to play on.", len(self.shown)
            )
        )
        return "\n".join(lines)

    @property
    def frame_rate(self) -> int:
        return 5  # notices a pad that comes back (and a second one going) quickly enough

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        self.card = pygame.Rect(0, 0, min(w - 2 * m.margin, m.px(860)), m.px(560))
        self.card.center = (w // 2, h // 2)
        bw, bh = min(self.card.width - m.px(80), m.px(520)), m.px(110)
        play_on = Button(
            id="play-on",
            rect=pygame.Rect(self.card.centerx - bw // 2, self.card.bottom - bh - m.px(36), bw, bh),
            color=YES_COLOR,
            label=self.services.translator.ngettext(
                "Play on without it", "Play on without them", len(self.shown)
            ),
            on_press=self._play_on,
        )
        self.buttons.set_buttons([play_on])
        self.buttons.focus_index = 0
        self._veil = None

    def _play_on(self) -> None:
        self.pads.forget_missing()
        self.shell.pop(self)

    def handle_event(self, event: InputEvent) -> bool:
        self.buttons.handle(event)
        return True  # the game underneath waits: nothing reaches it

    def update(self, dt: float) -> None:
        if not self.pads.missing:
            self.shell.pop(self)  # the pad is back
            return
        missing = sorted(self.pads.missing)
        if missing != self.shown:
            self.shown = missing
            self.layout()  # the button says "it" or "them"
            self.shell.invalidate(self.card)

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        if self._veil is None:
            self._veil = pygame.Surface(self.size, pygame.SRCALPHA)
            self._veil.fill((60, 40, 30, 140))
        if surface.get_clip() == surface.get_rect():
            surface.blit(self._veil, (0, 0))
        radius = m.px(36)
        surface.blit(draw.rounded_card(self.card.size, radius, WHITE), self.card)
        plug = self.ui.images.emoji("electric-plug", m.px(110))
        surface.blit(plug, plug.get_rect(midtop=(self.card.centerx, self.card.top + m.px(30))))
        text_top = self.card.top + m.px(160)
        text_bottom = self.buttons.buttons[0].rect.top - m.px(20)
        text = self.ui.text.fit(
            self.message(),
            (self.card.width - 2 * m.px(40), text_bottom - text_top),
            m.font_size("heading"),
            INK,
            weight="bold",
            max_lines=2 * len(self.shown) + 2,
        )
        surface.blit(text, text.get_rect(midtop=(self.card.centerx, text_top)))
        self.buttons.draw(surface)
