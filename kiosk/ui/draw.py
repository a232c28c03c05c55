"""Soft shapes: anti-aliased rounded cards, circles and shadows, cached by size.

pygame's own rounded rectangles have jagged corners; these are drawn four times larger
and scaled down once, then kept, so a frame only blits finished surfaces."""

from __future__ import annotations

import random
from functools import lru_cache

import pygame

from kiosk.ui.cache import memoize_surfaces
from kiosk.ui.theme import (
    BACKGROUND_BOTTOM,
    BACKGROUND_TOP,
    SHADOW,
    TILE_COLORS,
    Color,
    lighten,
)

_SUPERSAMPLE = 4


@memoize_surfaces(48 << 20)
def rounded_card(
    size: tuple[int, int],
    radius: int,
    color: Color,
    border: int = 0,
    border_color: Color = (255, 255, 255),
) -> pygame.Surface:
    """An anti-aliased rounded rectangle, optionally with an inner border.

    Only the four corners are drawn large: the rest is straight edges along whole pixels,
    which scaling down leaves as they are (a 4K screen's big cards would otherwise be
    drawn at 16 times their 8 million pixels each)."""
    w, h = max(1, size[0]), max(1, size[1])
    r = min(radius, w // 2, h // 2)
    if r <= border or 2 * border >= min(w, h):
        return _supersampled_card((w, h), r, color, border, border_color)
    card = pygame.Surface((w, h), pygame.SRCALPHA)
    if border:
        card.fill(border_color)
        card.fill(color, card.get_rect().inflate(-2 * border, -2 * border))
    else:
        card.fill(color)
    corners = _supersampled_card((2 * r, 2 * r), r, color, border, border_color)
    for x, y in ((0, 0), (w - r, 0), (0, h - r), (w - r, h - r)):
        area = pygame.Rect(0 if x == 0 else r, 0 if y == 0 else r, r, r)
        card.fill((0, 0, 0, 0), (x, y, r, r))
        card.blit(corners, (x, y), area, special_flags=pygame.BLEND_RGBA_MAX)  # a copy
    return card


def _supersampled_card(
    size: tuple[int, int], r: int, color: Color, border: int, border_color: Color
) -> pygame.Surface:
    """The whole card drawn `_SUPERSAMPLE` times larger and scaled down."""
    w, h = size
    s = _SUPERSAMPLE
    big = pygame.Surface((w * s, h * s), pygame.SRCALPHA)
    if border:
        pygame.draw.rect(big, border_color, big.get_rect(), border_radius=r * s)
        inner = big.get_rect().inflate(-2 * border * s, -2 * border * s)
        pygame.draw.rect(big, color, inner, border_radius=max(0, (r - border) * s))
    else:
        pygame.draw.rect(big, color, big.get_rect(), border_radius=r * s)
    return pygame.transform.smoothscale(big, (w, h))


@memoize_surfaces(8 << 20)
def circle(
    diameter: int, color: Color, border: int = 0, border_color: Color = (255, 255, 255)
) -> pygame.Surface:
    return rounded_card((diameter, diameter), diameter // 2, color, border, border_color)


#: A Gaussian blur this many times wider than this runs on a copy that many times smaller
#: (a 4K screen's shadows; up to full HD, whose widest is 7, every blur runs at full size).
_SHARPEST_BLUR = 5


@memoize_surfaces(32 << 20)
def shadow(size: tuple[int, int], radius: int, blur: int, alpha: int = 70) -> pygame.Surface:
    """A soft shadow the size of a card plus `blur` on each side.

    pygame's blur costs the area times the radius: a 4K screen's shadows (three times as
    wide, three times the radius) would cost 27 times a small screen's, about 0.1 s each.
    A shadow holds no detail to lose, so a wide blur runs on a copy scaled down by
    radius // `_SHARPEST_BLUR`, with the radius scaled alike, and is scaled back up."""
    w, h = size[0] + 2 * blur, size[1] + 2 * blur
    base = pygame.Surface((w, h), pygame.SRCALPHA)
    card = rounded_card(size, radius, SHADOW)
    base.blit(card, (blur, blur))
    if blur > 0:
        strength = max(1, blur // 2)
        shrink = strength // _SHARPEST_BLUR
        if shrink > 1:
            small = pygame.transform.smoothscale(base, (-(-w // shrink), -(-h // shrink)))
            small = pygame.transform.gaussian_blur(small, round(strength / shrink))
            base = pygame.transform.smoothscale(small, (w, h))
        else:
            base = pygame.transform.gaussian_blur(base, strength)
    base.fill((255, 255, 255, alpha), special_flags=pygame.BLEND_RGBA_MULT)
    return base


def vertical_gradient(size: tuple[int, int], top: Color, bottom: Color) -> pygame.Surface:
    """A full-size gradient, drawn once per screen size by the scenes that use it."""
    w, h = size
    strip = pygame.Surface((1, 256))
    for y in range(256):
        t = y / 255
        strip.set_at(
            (0, y),
            (
                round(top[0] + (bottom[0] - top[0]) * t),
                round(top[1] + (bottom[1] - top[1]) * t),
                round(top[2] + (bottom[2] - top[2]) * t),
            ),
        )
    return pygame.transform.smoothscale(strip, (w, h)).convert()


def blit_centered(
    target: pygame.Surface, image: pygame.Surface, center: tuple[int, int]
) -> pygame.Rect:
    rect = image.get_rect(center=center)
    return target.blit(image, rect)


#: The scene background's soft bubbles: how many, their alpha.
_BUBBLES, _BUBBLE_ALPHA = 14, 110


#: Rows [top, bottom) of one colour, and the bubbles with where they stand.
_Runs = tuple[tuple[int, int, pygame.Color], ...]
_Bubbles = tuple[tuple[pygame.Surface, pygame.Rect], ...]


@lru_cache(maxsize=2)
def _background_parts(size: tuple[int, int]) -> tuple[_Runs, _Bubbles]:
    """The scene background of a `size` screen as parts: its gradient as runs of rows of one
    colour (a few dozen: the colours change by one step every few rows) and its bubbles with
    where they stand. Kept instead of the whole picture, which would hold a screen's worth
    of pixels (8 MB at 1920×1080, 33 MB at 4K) for the whole day."""
    w, h = size
    column = vertical_gradient((1, h), BACKGROUND_TOP, BACKGROUND_BOTTOM)
    runs: list[tuple[int, int, pygame.Color]] = []
    for y in range(h):
        colour = column.get_at((0, y))
        if runs and runs[-1][2] == colour:
            runs[-1] = (runs[-1][0], y + 1, colour)
        else:
            runs.append((y, y + 1, colour))
    rng = random.Random(7)  # the same bubbles every time
    unit = min(w / 1280, h / 720)
    bubbles = []
    for i in range(_BUBBLES):
        diameter = int(rng.uniform(40, 170) * unit)
        color = lighten(TILE_COLORS[i % len(TILE_COLORS)], 0.55)
        bubble = circle(diameter, color).copy()
        bubble.set_alpha(_BUBBLE_ALPHA)
        spot = (int(rng.uniform(-0.05, 1.0) * w), int(rng.uniform(-0.05, 1.0) * h))
        bubbles.append((bubble, bubble.get_rect(topleft=spot)))
    return tuple(runs), tuple(bubbles)


def paint_background(
    target: pygame.Surface,
    area: pygame.Rect | None = None,
    screen_size: tuple[int, int] | None = None,
    at: tuple[int, int] | None = None,
) -> None:
    """Paint the part `area` (screen coordinates; default: `target`'s clip) of the scenes'
    background — a warm gradient with a few soft bubbles — of a screen of `screen_size`
    (default: `target`'s size) onto `target` at `at` (default: where `area` is). The same
    pixels as blitting that part of `scene_background(screen_size)`, without a whole
    screen of them kept in memory."""
    size = screen_size or target.get_size()
    wanted = (area if area is not None else target.get_clip()).clip(pygame.Rect((0, 0), size))
    x, y = at if at is not None else wanted.topleft
    dx, dy = x - wanted.x, y - wanted.y
    # Only what the target's clip lets through is painted (a blit would clip the same way).
    before = target.get_clip()
    shown = pygame.Rect(x, y, wanted.width, wanted.height).clip(before)
    if shown.width <= 0 or shown.height <= 0:
        return
    wanted = shown.move(-dx, -dy)
    runs, bubbles = _background_parts(size)
    for top, bottom, colour in runs:
        if bottom > wanted.top and top < wanted.bottom:
            first, last = max(top, wanted.top), min(bottom, wanted.bottom)
            target.fill(colour, (shown.x, first + dy, shown.width, last - first))
    target.set_clip(shown)
    for bubble, where in bubbles:
        if where.colliderect(wanted):
            target.blit(bubble, where.move(dx, dy))
    target.set_clip(before)


def scene_background(size: tuple[int, int]) -> pygame.Surface:
    """The scenes' background of a `size` screen as a new surface of its own. Scenes and
    games paint it with `paint_background` instead, which keeps no such surface."""
    surface = pygame.Surface(size).convert()
    paint_background(surface)
    return surface
