"""The attract screen: friendly pictures bobbing, "Touch to start", language flags.

A touch anywhere (but on a flag) starts a solo session. Only the bobbing pictures and the
pulsing start button are repainted while it waits, a dozen times a second; after
`REST_AFTER_S` without input the screen rests (nothing moves, nothing is repainted) and the
first touch, key or mouse move wakes it. On a quiet day the attract screen is on show for
hours: resting keeps the PC's CPU, fan and power bill near those of a still picture."""

from __future__ import annotations

import math
from functools import partial

import pygame

from kiosk import routes
from kiosk.i18n import FLAG_EMOJI, NATIVE_NAMES
from kiosk.input import InputEvent, KeyEvent, PointerEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.ui.draw import paint_background
from kiosk.ui.theme import ACCENT, INK, INK_SOFT, WHITE
from kiosk.ui.widgets import SPEAKER_SIZE, Button, ButtonGroup, speaker_button

PICTURES = ("puzzle", "artist-palette", "teddy-bear", "firefighter", "books", "rocket")
ANIMATION_FPS = 12
#: Seconds without input before the attract screen stops animating.
REST_AFTER_S = 60.0
#: How often the attract screen looks whether the room opened or closed.
HOURS_CHECK_S = 20.0


class Attract(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self._touch_began = False
        self.t = 0.0
        self._since_paint = 0.0
        #: The shell's time of the last input (or of coming on screen).
        self._input_at = shell.now()
        self._pictures_area = pygame.Rect(0, 0, 0, 0)
        self._start_area = pygame.Rect(0, 0, 0, 0)
        #: Outside the opening hours the office set: the button says so, nothing starts.
        self.closed = shell.session.room_closed()
        self._hours_check_at = shell.now() + HOURS_CHECK_S

    @property
    def resting(self) -> bool:
        return self.shell.now() - self._input_at >= REST_AFTER_S

    @property
    def frame_rate(self) -> int:
        return 0 if self.resting else ANIMATION_FPS

    def update_due(self, now: float) -> float:
        # At rest only the opening hours are looked at: the main loop sleeps until then.
        return self._hours_check_at if self.resting else now

    def on_enter(self) -> None:
        super().on_enter()
        self._input_at = self.shell.now()

    def _wake(self) -> None:
        if self.resting:
            self.shell.invalidate(self._pictures_area)
            self.shell.invalidate(self._start_area)
        self._input_at = self.shell.now()

    def layout(self) -> None:
        """A vertical stack measured in layout units, centred on the screen:
        title, library name, pictures, start button, flags with their names."""
        m = self.ui.metrics
        w, h = self.size
        title_h, site_h, pictures_h, start_h, flag_d, name_h = 100, 44, 160, 116, 104, 44
        gaps = (0, 20, 34, 66, 10)  # room for the bobbing pictures and the tapping hand
        total = title_h + site_h + pictures_h + start_h + flag_d + name_h + sum(gaps)
        assert total <= 720, "the stack must fit the 16:9 minimum of 720 units"
        y = max(0, (h - m.px(total)) // 2)
        self.title_rect = pygame.Rect(0, y, w, m.px(title_h))
        y = self.title_rect.bottom + m.px(gaps[0])
        self.site_rect = pygame.Rect(0, y, w, m.px(site_h))
        y = self.site_rect.bottom + m.px(gaps[1])
        picture = m.px(120)
        self._picture_size = picture
        row_w = len(PICTURES) * picture + (len(PICTURES) - 1) * m.px(36)
        self._pictures_area = pygame.Rect(
            (w - row_w) // 2 - m.px(10), y, row_w + m.px(20), m.px(pictures_h)
        )
        y = self._pictures_area.bottom + m.px(gaps[2])
        start_w = m.px(520)
        start = Button(
            id="start",
            rect=pygame.Rect((w - start_w) // 2, y, start_w, m.px(start_h)),
            color=INK_SOFT if self.closed else ACCENT,
            label=self._("The room is closed now") if self.closed else self._("Touch to start"),
            label_color=WHITE,
            on_press=self._start,
        )
        # The call read aloud for a child who cannot read it yet: left of the button (the
        # tapping hand is on its right).
        speaker = speaker_button(
            self.ui,
            "speak",
            (start.rect.left - m.px(40 + SPEAKER_SIZE // 2), start.rect.centery),
            start.label,
            self.services.translator.lang,
        )
        y = start.rect.bottom + m.px(gaps[3])
        languages = self.services.translator.languages
        d = m.px(flag_d)
        gap = m.px(56)
        x = (w - (len(languages) * d + (len(languages) - 1) * gap)) // 2
        flags = []
        for lang in languages:
            flags.append(
                Button(
                    id=f"lang:{lang}",
                    rect=pygame.Rect(x, y, d, d),
                    color=WHITE,
                    icon=FLAG_EMOJI[lang],
                    on_press=partial(self.shell.set_language, lang),
                    round=True,
                )
            )
            x += d + gap
        self.name_height = m.px(name_h)
        self.buttons.set_buttons([start, *flags] + ([speaker] if speaker else []))
        hand_area = pygame.Rect(0, 0, m.px(110), m.px(150))
        hand_area.midtop = (start.rect.right - m.px(40), start.rect.bottom - m.px(70))
        self._start_area = hand_area

    def _start(self) -> None:
        if self.closed:
            return
        self.shell.sessions.start_session("solo", 1, None, self.services.translator.lang)
        self.shell.go(
            routes.AgePicker() if self.services.config.session.age_picker else routes.Launcher()
        )

    def handle_event(self, event: InputEvent) -> bool:
        self._wake()
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
        now = self.shell.now()
        if now >= self._hours_check_at:
            self._hours_check_at = now + HOURS_CHECK_S
            if self.shell.session.room_closed() != self.closed:
                self.closed = not self.closed
                self.layout()
                self.shell.invalidate()
        if self.resting:
            return
        # Waking from a rest, dt holds the whole rest: the pictures go on from where they
        # stood, and the start button's hand does not catch up on missed beats.
        dt = min(dt, 0.25)
        self.t += dt
        self._since_paint += dt
        if self._since_paint >= 1 / ANIMATION_FPS:
            self._since_paint -= 1 / ANIMATION_FPS
            self.shell.invalidate(self._pictures_area)
            self.shell.invalidate(self._start_area)

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, h = self.size
        paint_background(surface)
        title = self.ui.text.fit(
            "Telpa",
            (m.px(600), self.title_rect.height),
            m.font_size("huge"),
            INK,
            weight="bold",
        )
        surface.blit(title, title.get_rect(midbottom=self.title_rect.midbottom))
        site = self.ui.text.fit(
            self.services.config.site.name,
            (m.px(900), self.site_rect.height),
            m.font_size("body"),
            INK_SOFT,
        )
        surface.blit(site, site.get_rect(midtop=self.site_rect.midtop))

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
        # A hand taps the start button, again and again: "do this" (not while closed).
        if not self.closed:
            start = self.buttons.by_id("start").rect
            press = max(0.0, math.sin(self.t * 3.0)) * m.px(22)
            hand = self.ui.images.emoji("backhand-index-pointing-up", m.px(84))
            surface.blit(
                hand,
                hand.get_rect(
                    midtop=(start.right - m.px(40), start.bottom - m.px(34) - int(press))
                ),
            )

        for lang in self.services.translator.languages:
            flag = self.buttons.by_id(f"lang:{lang}")
            chosen = lang == self.services.translator.lang
            color = INK if chosen else INK_SOFT
            if chosen:
                ring = m.px(6)
                pygame.draw.circle(
                    surface,
                    ACCENT,
                    flag.rect.center,
                    flag.rect.width // 2 + ring + m.px(2),
                    width=ring,
                )
            label = self.ui.text.fit(
                NATIVE_NAMES[lang],
                (m.px(200), self.name_height - m.px(12)),
                m.font_size("small"),
                color,
                weight="bold" if lang == self.services.translator.lang else "regular",
            )
            surface.blit(
                label, label.get_rect(midtop=(flag.rect.centerx, flag.rect.bottom + m.px(12)))
            )
