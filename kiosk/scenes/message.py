"""A calm full-screen message with a picture and one OK button, which also goes on by itself.

The base of the "Oops" screen (after an activity failed) and the group's "time is up"."""

from __future__ import annotations

import pygame

from kiosk.input import InputEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.draw import paint_background
from kiosk.ui.theme import INK, YES_COLOR
from kiosk.ui.widgets import Button, ButtonGroup


class MessageScreen(Scene):
    #: The bundled picture above the message.
    picture = "turtle"
    #: Seconds after which the screen goes on as if OK were pressed.
    auto_continue_s = 8.0

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self._touch_began = False
        self.elapsed = 0.0

    def message(self) -> str:
        raise NotImplementedError

    def go_on(self) -> None:
        raise NotImplementedError

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
            on_press=self.go_on,
        )
        self.buttons.set_buttons([ok])
        self.buttons.focus_index = 0

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        if isinstance(event, PointerEvent):
            # Only a touch that began on this screen counts: the release of the press
            # that brought us here must not go on by itself.
            if event.kind == "down":
                self._touch_began = True
            elif event.kind == "up" and self._touch_began:
                self.go_on()
        return True

    def update(self, dt: float) -> None:
        self.elapsed += dt
        if self.elapsed >= self.auto_continue_s:
            self.go_on()

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        paint_background(surface)
        picture = self.ui.images.emoji(self.picture, m.px(170))
        surface.blit(picture, picture.get_rect(center=(w // 2, int(h * 0.25))))
        text = self.ui.text.fit(
            self.message(),
            (min(w - 2 * m.margin, m.px(1000)), m.px(190)),
            m.font_size("title"),
            INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(center=(w // 2, int(h * 0.52))))
        self.buttons.draw(surface)
