"""The attract screen: friendly pictures bobbing, "Touch to start", language flags.

A touch anywhere (but on a flag) starts a solo session. Only the bobbing pictures and the
pulsing start button are repainted while it waits, a dozen times a second."""

from __future__ import annotations

import math
from functools import partial

import pygame

from kiosk.i18n import FLAG_EMOJI, NATIVE_NAMES
from kiosk.input import InputEvent, KeyEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.draw import scene_background as background
from kiosk.ui.theme import ACCENT, INK, INK_SOFT, WHITE
from kiosk.ui.widgets import Button, ButtonGroup

PICTURES = ("puzzle", "artist-palette", "teddy-bear", "firefighter", "books", "rocket")
ANIMATION_FPS = 12


class Attract(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self._touch_began = False
        self.t = 0.0
        self._since_paint = 0.0
        self._pictures_area = pygame.Rect(0, 0, 0, 0)
        self._start_area = pygame.Rect(0, 0, 0, 0)

    @property
    def animating(self) -> bool:
        return True

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        languages = self.shell.translator.languages
        d = m.px(104)
        gap = m.px(56)
        total = len(languages) * d + (len(languages) - 1) * gap
        x = (w - total) // 2
        flag_top = h - m.px(190)
        flags = []
        for lang in languages:
            flags.append(
                Button(
                    id=f"lang:{lang}",
                    rect=pygame.Rect(x, flag_top, d, d),
                    color=WHITE,
                    icon=FLAG_EMOJI[lang],
                    on_press=partial(self.shell.set_language, lang),
                    round=True,
                )
            )
            x += d + gap
        self.flag_top = flag_top
        self.flag_diameter = d
        start_w, start_h = m.px(520), m.px(116)
        start = Button(
            id="start",
            rect=pygame.Rect((w - start_w) // 2, int(h * 0.60) - start_h // 2, start_w, start_h),
            color=ACCENT,
            label=self._("Touch to start"),
            label_color=WHITE,
            on_press=self._start,
        )
        self.buttons.set_buttons([start, *flags])
        picture = m.px(120)
        self._picture_size = picture
        row_w = len(PICTURES) * picture + (len(PICTURES) - 1) * m.px(36)
        self._pictures_area = pygame.Rect(
            (w - row_w) // 2 - m.px(10),
            int(h * 0.30) - picture // 2 - m.px(30),
            row_w + m.px(20),
            picture + m.px(60),
        )
        hand_area = pygame.Rect(0, 0, m.px(110), m.px(150))
        hand_area.midtop = (start.rect.right - m.px(40), start.rect.bottom - m.px(70))
        self._start_area = hand_area

    def _start(self) -> None:
        self.shell.sessions.start_session("solo", 1, None, self.shell.translator.lang)
        self.shell.go("age_picker" if self.shell.config.session.age_picker else "launcher")

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        if isinstance(event, PointerEvent):
            # Only a touch that began on this screen counts: the release of the press
            # that brought us here must not go on by itself.
            if event.kind == "down":
                self._touch_began = True
            elif event.kind == "up" and self._touch_began:
                self._start()  # a touch anywhere starts
            return True
        if isinstance(event, KeyEvent) and event.key in (pygame.K_RETURN, pygame.K_SPACE):
            self._start()
            return True
        return False

    def update(self, dt: float) -> None:
        self.t += dt
        self._since_paint += dt
        if self._since_paint >= 1 / ANIMATION_FPS:
            self._since_paint = 0.0
            self.shell.invalidate(self._pictures_area)
            self.shell.invalidate(self._start_area)

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        surface.blit(background((w, h)), (0, 0))
        title = self.ui.text.fit(
            "Telpa", (m.px(600), m.px(110)), m.font_size("huge"), INK, weight="bold"
        )
        surface.blit(title, title.get_rect(midtop=(w // 2, int(h * 0.06))))
        site = self.ui.text.fit(
            self.shell.config.site.name, (m.px(900), m.px(44)), m.font_size("body"), INK_SOFT
        )
        surface.blit(site, site.get_rect(midtop=(w // 2, int(h * 0.06) + m.px(104))))

        step = self._picture_size + m.px(36)
        x0 = self._pictures_area.x + m.px(10)
        cy = self._pictures_area.centery
        for i, name in enumerate(PICTURES):
            bob = math.sin(self.t * 2.0 + i * 0.9) * m.px(14)
            picture = self.ui.images.emoji(name, self._picture_size)
            surface.blit(
                picture,
                picture.get_rect(center=(x0 + i * step + self._picture_size // 2, int(cy + bob))),
            )
        self.buttons.draw(surface)
        # A hand taps the start button, again and again: "do this".
        start = self.buttons.by_id("start").rect
        press = max(0.0, math.sin(self.t * 3.0)) * m.px(22)
        hand = self.ui.images.emoji("backhand-index-pointing-up", m.px(84))
        surface.blit(
            hand,
            hand.get_rect(midtop=(start.right - m.px(40), start.bottom - m.px(34) - int(press))),
        )

        for lang in self.shell.translator.languages:
            flag = self.buttons.by_id(f"lang:{lang}")
            color = INK if lang == self.shell.translator.lang else INK_SOFT
            label = self.ui.text.fit(
                NATIVE_NAMES[lang],
                (m.px(200), m.px(40)),
                m.font_size("small"),
                color,
                weight="bold" if lang == self.shell.translator.lang else "regular",
            )
            surface.blit(
                label, label.get_rect(midtop=(flag.rect.centerx, flag.rect.bottom + m.px(12)))
            )
