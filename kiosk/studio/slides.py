"""A story's slide: what it holds, how its text must fit, and its picture as saved.

A slide is drawn at 1280×720 with its title in a band at the top and its speech bubble
at the bottom right. Both boxes are fixed; `fits_on_slide` says whether a text still fits
its box at one of the sizes `TextRenderer.fit` will try (measured with the real font),
so the saved picture never loses a word."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pygame

from kiosk.api import UI, draw, theme

SLIDE_SIZE = (1280, 720)
THUMB_SIZE = (192, 108)
DURATIONS = (3, 5, 8)

#: Where the text sits on the 1280×720 slide, and how small it may get (pixels).
TITLE_BOX = pygame.Rect(40, 28, 1200, 150)
TITLE_TEXT = TITLE_BOX.inflate(-40, -10)
TITLE_SIZES = (64, 40)
TITLE_LINES = 2
BUBBLE_BOX = pygame.Rect(660, 330, 580, 270)
BUBBLE_PAD = 28
BUBBLE_TEXT = BUBBLE_BOX.inflate(-2 * BUBBLE_PAD, -2 * BUBBLE_PAD)
BUBBLE_SIZES = (46, 30)
BUBBLE_LINES = 3

Field = Literal["title", "bubble"]


@dataclass(eq=False)
class Slide:
    uid: int
    background: str | None = None
    title: str = ""
    bubble: str = ""
    audio: str | None = None
    audio_seconds: float = 0.0
    #: 3, 5 or 8 seconds; None: as long as the narration.
    duration: int | None = 5
    thumb: pygame.Surface | None = None

    @property
    def seconds(self) -> float:
        if self.duration is None and self.audio is not None and self.audio_seconds > 0:
            return round(max(1.0, self.audio_seconds), 2)
        return float(self.duration or DURATIONS[1])

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "background": self.background,
            "title": self.title,
            "bubble": self.bubble,
            "audio": self.audio,
            "audio_seconds": round(self.audio_seconds, 3),
            "duration": self.duration if self.duration is not None else "narration",
        }


def fit_sizes(largest: int, smallest: int) -> list[int]:
    """The sizes `TextRenderer.fit` tries, largest first (it steps down by a twelfth)."""
    sizes = []
    size = largest
    while size >= smallest:
        sizes.append(size)
        size -= max(1, size // 12)
    return sizes


def text_fits(font: Any, text: str, box: tuple[int, int], max_lines: int) -> bool:
    """Whether `text` wraps into `box` with `font` (words never broken), in ≤ max_lines,
    as `TextRenderer.fit` wraps it."""
    width, height = box
    lines = 0
    for paragraph in text.split("\n"):
        current = ""
        lines += 1
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if font.size(candidate)[0] <= width:
                current = candidate
                continue
            if not current or font.size(word)[0] > width:
                return False
            lines += 1
            current = word
    return lines <= max_lines and lines * font.get_linesize() <= height


def fits_on_slide(ui: UI, field: Field, text: str) -> bool:
    """Whether `text` fits the slide's title band or bubble without being cut."""
    if field == "title":
        box, sizes, lines = TITLE_TEXT.size, TITLE_SIZES, TITLE_LINES
    else:
        box, sizes, lines = BUBBLE_TEXT.size, BUBBLE_SIZES, BUBBLE_LINES
    return any(
        text_fits(ui.text.font(size, "bold"), text, box, lines) for size in fit_sizes(*sizes)
    )


def render_slide(ui: UI, slide: Slide, background: pygame.Surface | None) -> pygame.Surface:
    """The slide as it is saved: 1280×720 with its text baked in."""
    canvas = pygame.Surface(SLIDE_SIZE)
    if background is not None:
        canvas.blit(background, (0, 0))
    else:
        canvas.fill(theme.lighten(theme.TILE_COLORS[slide.uid % len(theme.TILE_COLORS)], 0.6))
    if slide.title:
        band = pygame.Surface(TITLE_BOX.size, pygame.SRCALPHA)
        band.blit(draw.rounded_card(TITLE_BOX.size, 28, theme.WHITE), (0, 0))
        band.set_alpha(225)
        canvas.blit(band, TITLE_BOX)
        text = ui.text.fit(
            slide.title,
            TITLE_TEXT.size,
            TITLE_SIZES[0],
            theme.INK,
            weight="bold",
            min_size=TITLE_SIZES[1],
            max_lines=TITLE_LINES,
        )
        canvas.blit(text, text.get_rect(center=TITLE_BOX.center))
    if slide.bubble:
        _draw_bubble(ui, canvas, slide.bubble)
    return canvas


def _draw_bubble(ui: UI, canvas: pygame.Surface, words: str) -> None:
    text = ui.text.fit(
        words,
        BUBBLE_TEXT.size,
        BUBBLE_SIZES[0],
        theme.INK,
        weight="bold",
        min_size=BUBBLE_SIZES[1],
        max_lines=BUBBLE_LINES,
    )
    # The bubble hugs its words and keeps its bottom-right corner.
    box = text.get_rect().inflate(2 * BUBBLE_PAD + 20, 2 * BUBBLE_PAD)
    box.bottomright = BUBBLE_BOX.bottomright
    # A tail from the bubble's bottom edge down to the left, towards the speaker.
    root = box.left + min(box.width * 0.3, 150)
    tail = [(root, box.bottom - 30), (root + 70, box.bottom - 30), (root - 70, box.bottom + 90)]
    pygame.draw.polygon(canvas, theme.INK, tail)
    canvas.blit(draw.rounded_card(box.size, 40, theme.INK), box)
    face = box.inflate(-10, -10)
    canvas.blit(draw.rounded_card(face.size, 36, theme.WHITE), face)
    inner_tail = [
        (root + 8, box.bottom - 40),
        (root + 58, box.bottom - 40),
        (root - 54, box.bottom + 74),
    ]
    pygame.draw.polygon(canvas, theme.WHITE, inner_tail)
    canvas.blit(text, text.get_rect(center=box.center))
