"""The calm end of a group session whose timer ran out."""

from __future__ import annotations

import pygame

from kiosk.input import InputEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.draw import scene_background as background
from kiosk.ui.theme import INK, YES_COLOR
from kiosk.ui.widgets import Button, ButtonGroup

AUTO_CONTINUE_S = 60.0


class TimeUp(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self.elapsed = 0.0
        self._touch_began = False

    @property
    def frame_rate(self) -> int:
        return 2

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        bw, bh = m.px(300), m.px(110)
        self.buttons.set_buttons(
            [
                Button(
                    "ok",
                    pygame.Rect((w - bw) // 2, int(h * 0.72), bw, bh),
                    YES_COLOR,
                    label=self._("OK"),
                    on_press=self._done,
                )
            ]
        )
        self.buttons.focus_index = 0

    def _done(self) -> None:
        self.shell.end_session("timer")  # already ended; this resets language and screen

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        if isinstance(event, PointerEvent):
            if event.kind == "down":
                self._touch_began = True
            elif event.kind == "up" and self._touch_began:
                self._done()
        return True

    def update(self, dt: float) -> None:
        self.elapsed += dt
        if self.elapsed >= AUTO_CONTINUE_S:
            self._done()

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        surface.blit(background(self.size), (0, 0))
        clock = self.ui.images.emoji("alarm-clock", m.px(160))
        surface.blit(clock, clock.get_rect(center=(w // 2, int(h * 0.24))))
        text = self.ui.text.fit(
            self._("Time is up! Thank you for playing together."),
            (min(w - 2 * m.margin, m.px(1000)), m.px(190)),
            m.font_size("title"),
            INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(center=(w // 2, int(h * 0.5))))
        self.buttons.draw(surface)
