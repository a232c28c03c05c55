""" "Are you still there?": a countdown over whatever is on screen.

Any touch or key keeps the session; at zero the session ends as idle and the next child
gets the attract screen in the default language."""

from __future__ import annotations

import math

import pygame

from kiosk.input import InputEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui import draw
from kiosk.ui.theme import ACCENT, INK, WHITE, YES_COLOR
from kiosk.ui.widgets import SPEAKER_SIZE, Button, ButtonGroup, speak, speaker_button


class IdlePrompt(Scene):
    opaque = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self.remaining = float(shell.services.config.session.idle_prompt_s)
        self._shown_seconds = math.ceil(self.remaining)
        self._veil: pygame.Surface | None = None
        #: The paused screen underneath with the veil over it, kept after the first paint.
        self._backdrop: pygame.Surface | None = None

    def on_enter(self) -> None:
        super().on_enter()
        # A prompt the child must understand: read out by itself as it appears.
        speak(self.ui, self._("Are you still there?"), self.services.translator.lang)

    @property
    def frame_rate(self) -> int:
        return 10

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        self.card = pygame.Rect(0, 0, min(w - 2 * m.margin, m.px(760)), m.px(520))
        self.card.center = (w // 2, h // 2)
        bw, bh = m.px(420), m.px(110)
        here = Button(
            id="still-here",
            rect=pygame.Rect(self.card.centerx - bw // 2, self.card.bottom - bh - m.px(36), bw, bh),
            color=YES_COLOR,
            label=self._("Yes, I'm here!"),
            on_press=self._dismiss,
        )
        # The question at the top of the card with its speaker button on its left.
        question = self._("Are you still there?")
        d, gap = m.px(SPEAKER_SIZE), m.px(20)
        self.question = self.ui.text.fit(
            question,
            (self.card.width - 2 * m.px(40) - d - gap, m.px(120)),
            m.font_size("title"),
            INK,
            weight="bold",
        )
        self.question_rect = self.question.get_rect(
            midtop=(self.card.centerx + (d + gap) // 2, self.card.top + m.px(36))
        )
        speaker = speaker_button(
            self.ui,
            "speak",
            (self.question_rect.left - gap - d // 2, self.question_rect.centery),
            question,
            self.services.translator.lang,
        )
        self.buttons.set_buttons([here, *([speaker] if speaker else [])])
        self.buttons.focus_index = 0
        self.ring = pygame.Rect(0, 0, m.px(150), m.px(150))
        self.ring.center = (self.card.centerx, self.card.top + m.px(250))
        self._veil = None
        self._backdrop = None
        self.opaque = False  # the next full paint draws the scene below once more

    def _dismiss(self) -> None:
        if self.ui.voice is not None:
            self.ui.voice.stop()  # the question is answered
        self.shell.pop(self)

    def handle_event(self, event: InputEvent) -> bool:
        if not self.buttons.handle(event):
            self._dismiss()  # any touch or key means someone is there
        return True

    def update(self, dt: float) -> None:
        self.remaining -= dt
        if self.remaining <= 0:
            self.shell.session.end_session("idle")
            return
        seconds = math.ceil(self.remaining)
        if seconds != self._shown_seconds:
            self._shown_seconds = seconds
            self.shell.invalidate(self.ring.inflate(8, 8))

    def _draw_card(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        radius = m.px(36)
        blur = m.px(16)
        surface.blit(
            draw.shadow(self.card.size, radius, blur), self.card.move(-blur, -blur + m.px(8))
        )
        surface.blit(draw.rounded_card(self.card.size, radius, WHITE), self.card)
        surface.blit(self.question, self.question_rect)

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        if self._backdrop is not None:
            surface.blit(self._backdrop, (0, 0))
        else:
            if self._veil is None:
                self._veil = pygame.Surface(self.size, pygame.SRCALPHA)
                self._veil.fill((60, 40, 30, 140))
            surface.blit(self._veil, (0, 0))
            self._draw_card(surface)
            if surface.get_clip() == surface.get_rect():
                # What is underneath is paused while we ask: keep it, veiled and with the
                # card on top, as one picture instead of repainting it every second.
                self._backdrop = surface.copy()
                self.opaque = True
        surface.blit(draw.circle(self.ring.width, ACCENT), self.ring)
        number = self.ui.text.render(
            str(self._shown_seconds), m.font_size("huge"), WHITE, weight="bold"
        )
        surface.blit(number, number.get_rect(center=self.ring.center))
        self.buttons.draw(surface)
