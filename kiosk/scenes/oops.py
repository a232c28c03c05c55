"""The friendly screen after an activity failed: no traceback, just a way on."""

from __future__ import annotations

import pygame

from kiosk.input import InputEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.draw import scene_background as background
from kiosk.ui.theme import INK, YES_COLOR
from kiosk.ui.widgets import Button, ButtonGroup

AUTO_CONTINUE_S = 8.0


class Oops(Scene):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self._touch_began = False
        self.elapsed = 0.0

    @property
    def frame_rate(self) -> int:
        return 5

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        bw, bh = m.px(300), m.px(110)
        ok = Button(
            id="ok",
            rect=pygame.Rect((w - bw) // 2, int(h * 0.72), bw, bh),
            color=YES_COLOR,
            label=self._("OK"),
            on_press=self._continue,
        )
        self.buttons.set_buttons([ok])
        self.buttons.focus_index = 0

    def _continue(self) -> None:
        self.shell.go("launcher")

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        if isinstance(event, PointerEvent):
            # Only a touch that began on this screen counts: the release of the press
            # that brought us here must not go on by itself.
            if event.kind == "down":
                self._touch_began = True
            elif event.kind == "up" and self._touch_began:
                self._continue()
            return True
        return False

    def update(self, dt: float) -> None:
        self.elapsed += dt
        if self.elapsed >= AUTO_CONTINUE_S:
            self._continue()

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        surface.blit(background(self.size), (0, 0))
        picture = self.ui.images.emoji("turtle", m.px(170))
        surface.blit(picture, picture.get_rect(center=(w // 2, int(h * 0.25))))
        text = self.ui.text.fit(
            self._("Oops! This game needs a little rest. Let's pick another one."),
            (min(w - 2 * m.margin, m.px(1000)), m.px(190)),
            m.font_size("title"),
            INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(center=(w // 2, int(h * 0.52))))
        self.buttons.draw(surface)
