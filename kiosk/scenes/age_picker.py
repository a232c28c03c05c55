""" "How old are you?": three age bands and Skip, big enough for a small hand."""

from __future__ import annotations

from functools import partial

import pygame

from kiosk import routes
from kiosk.input import InputEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.scenes.common import corner_button
from kiosk.ui.draw import paint_background
from kiosk.ui.theme import INK, TILE_COLORS, WHITE
from kiosk.ui.widgets import SPEAKER_SIZE, Button, ButtonGroup, speaker_button

#: (age band, picture, tile colour index)
BANDS = (("6-8", "teddy-bear", 0), ("9-11", "bicycle", 1), ("12-14", "headphone", 2))


class AgePicker(Scene):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        tile_w, tile_h = m.px(250), m.px(300)
        gap = m.px(40)
        count = len(BANDS) + 1
        x = (w - (count * tile_w + (count - 1) * gap)) // 2
        top = max(m.bar_height + m.px(130), (h - tile_h) // 2 + m.px(40))
        buttons = [
            corner_button(m, "bye", "waving-hand", lambda: self.shell.session.end_session("home"))
        ]
        for band, icon, color in BANDS:
            buttons.append(
                Button(
                    id=f"age:{band}",
                    rect=pygame.Rect(x, top, tile_w, tile_h),
                    color=TILE_COLORS[color],
                    icon=icon,
                    label=band.replace("-", "–"),
                    on_press=partial(self._pick, band),
                )
            )
            x += tile_w + gap
        buttons.append(
            Button(
                id="age:skip",
                rect=pygame.Rect(x, top, tile_w, tile_h),
                color=WHITE,
                icon="right-arrow",
                label=self._("Skip"),
                on_press=lambda: self._pick(None),
            )
        )
        self.tiles_top = top
        # The question, and its speaker button on its left, centred together.
        question = self._("How old are you?")
        d, gap = m.px(SPEAKER_SIZE), m.px(24)
        self.question = self.ui.text.fit(
            question,
            (w - 2 * m.px(140) - 2 * (d + gap), m.px(120)),
            m.font_size("title"),
            INK,
            weight="bold",
        )
        self.question_rect = self.question.get_rect(midbottom=(w // 2, top - m.px(40)))
        self.question_rect.x += (d + gap) // 2
        speaker = speaker_button(
            self.ui,
            "speak",
            (self.question_rect.left - gap - d // 2, self.question_rect.centery),
            question,
            self.services.translator.lang,
        )
        self.buttons.set_buttons(buttons + ([speaker] if speaker else []))

    def _pick(self, band: str | None) -> None:
        if band is not None:
            self.shell.sessions.change_session(age_band=band)
        self.shell.go(routes.Launcher())

    def handle_event(self, event: InputEvent) -> bool:
        return self.buttons.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        paint_background(surface)
        surface.blit(self.question, self.question_rect)
        self.buttons.draw(surface)
