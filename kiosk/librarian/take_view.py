"""What the voice clips screen shows of a take: the level meter, the 3-2-1 countdown, the
seconds recorded (with a blinking dot) and what to do next."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.ui.theme import ACCENT, GOOD, INK, INK_SOFT, WHITE, Color
from kiosk.ui.widgets import UI

#: A clip says one text; the voice refuses clips over 20 s, so a take stops well before.
MAX_RECORDING_S = 15.0
RECORD_COLOR = (230, 80, 70)


@dataclass(frozen=True)
class TakeShown:
    """The take's state as drawn now."""

    #: Seconds left of the 3-2-1 countdown; None when none runs.
    countdown: float | None
    recording: bool
    #: The microphone's seconds so far (None without a microphone).
    microphone_seconds: float | None
    #: The input level, 0..1 (0 when not recording).
    level: float
    #: The length of the take recorded and not yet kept.
    take_seconds: float | None
    #: The recording dot's blink, on or off.
    blink_on: bool
    message: str
    message_color: Color
    #: A microphone is there and nothing runs: the screen says how to start.
    ready_to_record: bool


def draw_meter(surface: pygame.Surface, ui: UI, meter: pygame.Rect, level: float) -> None:
    m = ui.metrics
    pygame.draw.rect(surface, WHITE, meter, border_radius=m.px(12))
    filled = meter.inflate(-m.px(10), -m.px(10))
    height = int(filled.height * min(1.0, level))
    if height > 0:
        bar = pygame.Rect(filled.left, filled.bottom - height, filled.width, height)
        pygame.draw.rect(surface, GOOD if level < 0.8 else ACCENT, bar, border_radius=m.px(8))
    pygame.draw.rect(surface, INK_SOFT, meter, width=m.px(3), border_radius=m.px(12))


def draw_status(
    surface: pygame.Surface,
    ui: UI,
    rect: pygame.Rect,
    shown: TakeShown,
    _: Callable[[str], str],
) -> None:
    """Beside the meter: the countdown, or the seconds and then what happened."""
    m = ui.metrics
    top_h = m.px(70)
    if shown.countdown is not None:
        # 3, 2, 1 beside the meter, where the seconds will run: the text stays readable.
        number = str(max(1, math.ceil(shown.countdown)))
        big = ui.text.render(number, min(rect.height, m.px(150)), ACCENT, weight="bold")
        surface.blit(big, big.get_rect(midleft=(rect.left, rect.centery)))
        return
    if shown.recording and shown.microphone_seconds is not None:
        seconds = shown.microphone_seconds
        clock = _("%(n)d s of %(max)d s") % {"n": int(seconds), "max": MAX_RECORDING_S}
    elif shown.take_seconds is not None:
        clock = _("%(n)d s") % {"n": math.ceil(shown.take_seconds)}
    else:
        clock = ""
    if clock:
        text = ui.text.fit(
            clock,
            (rect.width, top_h),
            m.font_size("title"),
            INK,
            weight="bold",
            align="left",
            max_lines=1,
        )
        surface.blit(text, text.get_rect(midleft=(rect.left, rect.top + top_h // 2)))
        if shown.recording and shown.blink_on:
            dot = m.px(14)
            pygame.draw.circle(
                surface,
                RECORD_COLOR,
                (rect.left + text.get_width() + m.px(20) + dot, rect.top + top_h // 2),
                dot,
            )
    message = shown.message
    if shown.recording:
        message = _("Say the text now, then press the stop button.")
    elif not message and shown.ready_to_record:
        message = _("Press the red button: after 3, 2, 1 say the text above.")
    if message:
        box = pygame.Rect(rect.left, rect.top + top_h, rect.width, rect.height - top_h)
        text = ui.text.fit(
            message,
            box.size,
            m.font_size("body"),
            shown.message_color,
            weight="bold",
            align="left",
            max_lines=3,
        )
        surface.blit(text, box.topleft)
