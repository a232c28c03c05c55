"""Cards and shadows: a 4K screen's big cards and wide blurs are cheap to draw and look as
they did when every pixel was drawn at full cost."""

from __future__ import annotations

import random

import pygame
import pytest

from kiosk.harness import Harness
from kiosk.ui import draw
from kiosk.ui.theme import SHADOW

# (card size, corner radius, blur) as buttons and cards ask for them on a 4K screen (blur
# px(10) is 30 there) and up to full HD (15 and less).
WIDE = [((1560, 348), 60, 30), ((750, 900), 72, 31), ((216, 216), 30, 30), ((400, 300), 30, 22)]
NARROW = [((100, 60), 20, 10), ((520, 116), 20, 15), ((320, 320), 40, 11)]


def full_size_blur(size: tuple[int, int], radius: int, blur: int, alpha: int) -> pygame.Surface:
    """The shadow blurred at full size (what `draw.shadow` did for every size)."""
    w, h = size[0] + 2 * blur, size[1] + 2 * blur
    base = pygame.Surface((w, h), pygame.SRCALPHA)
    base.blit(draw.rounded_card(size, radius, SHADOW), (blur, blur))
    base = pygame.transform.gaussian_blur(base, max(1, blur // 2))
    base.fill((255, 255, 255, alpha), special_flags=pygame.BLEND_RGBA_MULT)
    return base


def channel(surface: pygame.Surface, index: int) -> bytes:
    return pygame.image.tobytes(surface, "RGBA")[index::4]


@pytest.mark.parametrize(("size", "radius", "blur"), WIDE)
def test_a_wide_shadow_is_blurred_small_and_looks_like_the_full_size_blur(
    size: tuple[int, int], radius: int, blur: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    blurred: list[tuple[tuple[int, int], int]] = []
    real_blur = pygame.transform.gaussian_blur

    def spy(surface: pygame.Surface, radius: int) -> pygame.Surface:
        blurred.append((surface.get_size(), radius))
        return real_blur(surface, radius)

    monkeypatch.setattr(pygame.transform, "gaussian_blur", spy)
    shade = draw.shadow.__wrapped__(size, radius, blur, 85)  # type: ignore[attr-defined]
    monkeypatch.undo()

    w, h = size[0] + 2 * blur, size[1] + 2 * blur
    assert shade.get_size() == (w, h)
    ((small, small_radius),) = blurred
    # A quarter of the pixels and half the radius at most: 8 times less work at the least.
    assert small[0] * small[1] * 4 <= w * h
    assert small_radius <= (blur // 2 + 1) // 2
    reference = full_size_blur(size, radius, blur, 85)
    for index in (0, 3):  # red (SHADOW's colour) and alpha: at most 3 % of the range apart
        pairs = zip(channel(shade, index), channel(reference, index), strict=True)
        apart = max(abs(a - b) for a, b in pairs)
        assert apart <= 8, index
    alpha = channel(shade, 3)
    assert max(alpha) >= 80  # under the card: dark
    assert alpha[0] == 0 and alpha[-1] == 0  # the corners: clear


@pytest.mark.parametrize(("size", "radius", "blur"), NARROW)
def test_up_to_full_hd_a_shadow_is_the_full_size_blur(
    size: tuple[int, int], radius: int, blur: int
) -> None:
    shade = draw.shadow.__wrapped__(size, radius, blur, 70)  # type: ignore[attr-defined]
    reference = full_size_blur(size, radius, blur, 70)
    assert pygame.image.tobytes(shade, "RGBA") == pygame.image.tobytes(reference, "RGBA")


def whole_card_supersampled(
    size: tuple[int, int], radius: int, color: tuple[int, ...], border: int
) -> pygame.Surface:
    """The card drawn four times larger, every pixel of it, and scaled down (what
    `draw.rounded_card` did for every card)."""
    w, h = max(1, size[0]), max(1, size[1])
    big = pygame.Surface((w * 4, h * 4), pygame.SRCALPHA)
    r = min(radius, w // 2, h // 2) * 4
    if border:
        pygame.draw.rect(big, (250, 240, 230), big.get_rect(), border_radius=r)
        inner = big.get_rect().inflate(-8 * border, -8 * border)
        pygame.draw.rect(big, color, inner, border_radius=max(0, r - border * 4))
    else:
        pygame.draw.rect(big, color, big.get_rect(), border_radius=r)
    return pygame.transform.smoothscale(big, (w, h))


def test_a_card_is_pixel_for_pixel_the_whole_card_supersampled() -> None:
    rng = random.Random(4)
    cases: list[tuple[tuple[int, int], int, tuple[int, ...], int]] = [
        ((1560, 348), 60, (10, 20, 30), 0),  # a 4K button
        ((101, 57), 28, (200, 100, 50), 3),
        ((300, 300), 150, (1, 2, 3), 0),  # a circle
        ((50, 50), 25, (9, 9, 9), 6),
        ((7, 9), 3, (5, 5, 5), 1),
        ((40, 30), 2, (5, 5, 5), 4),  # a border wider than the corners
        ((1, 1), 0, (1, 1, 1), 0),
        ((200, 100), 10, (3, 4, 5, 128), 2),  # a see-through colour
    ]
    for _ in range(60):
        random_size = (rng.randint(1, 600), rng.randint(1, 400))
        random_color = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        border = rng.choice([0, 0, 1, 2, 3, 8, 20])
        cases.append((random_size, rng.randint(0, 200), random_color, border))
    for size, radius, color, border in cases:
        card = draw.rounded_card.__wrapped__(  # type: ignore[attr-defined]
            size, radius, color, border, (250, 240, 230)
        )
        reference = whole_card_supersampled(size, radius, color, border)
        assert pygame.image.tobytes(card, "RGBA") == pygame.image.tobytes(reference, "RGBA"), (
            size,
            radius,
            border,
        )


def test_a_big_card_draws_only_its_corners_large(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[int, int]] = []
    real = draw._supersampled_card

    def spy(size: tuple[int, int], *args: object) -> pygame.Surface:
        drawn.append(size)
        return real(size, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(draw, "_supersampled_card", spy)
    draw.rounded_card.__wrapped__((1560, 348), 60, (10, 20, 30))  # type: ignore[attr-defined]
    assert drawn == [(120, 120)]


def whole_background(size: tuple[int, int]) -> pygame.Surface:
    """The scenes' background drawn whole, as `draw.scene_background` once kept it."""
    from kiosk.ui.theme import BACKGROUND_BOTTOM, BACKGROUND_TOP, TILE_COLORS, lighten

    w, h = size
    surface = draw.vertical_gradient(size, BACKGROUND_TOP, BACKGROUND_BOTTOM)
    rng = random.Random(7)
    unit = min(w / 1280, h / 720)
    for i in range(14):
        diameter = int(rng.uniform(40, 170) * unit)
        bubble = draw.circle(diameter, lighten(TILE_COLORS[i % len(TILE_COLORS)], 0.55)).copy()
        bubble.set_alpha(110)
        surface.blit(bubble, (int(rng.uniform(-0.05, 1.0) * w), int(rng.uniform(-0.05, 1.0) * h)))
    return surface


@pytest.mark.parametrize("size", [(1366, 768), (1280, 1024), (1920, 1080), (3840, 2160)])
def test_the_background_painted_in_parts_is_the_whole_picture_pixel_for_pixel(
    size: tuple[int, int],
    kiosk: Harness,  # a display for .convert()
) -> None:
    whole = whole_background(size)
    screen = pygame.Surface(size).convert()
    rng = random.Random(size[0])
    parts = [pygame.Rect(0, 0, *size)] + [
        pygame.Rect(rng.randrange(-50, size[0]), rng.randrange(-50, size[1]), 333, 211)
        for _ in range(12)
    ]
    for part in parts:
        screen.fill((0, 0, 0))
        screen.set_clip(part)
        draw.paint_background(screen)  # what a scene does under the stack's clip
        screen.set_clip(None)
        inside = part.clip(screen.get_rect())
        assert pygame.image.tobytes(screen.subsurface(inside), "RGB") == pygame.image.tobytes(
            whole.subsurface(inside), "RGB"
        ), part
        outside = pygame.Rect(0, 0, *size)
        if inside != outside:  # nothing painted past the part
            corner = next(
                (x, y)
                for x, y in ((0, 0), (size[0] - 1, size[1] - 1), (0, size[1] - 1))
                if not inside.collidepoint(x, y)
            )
            assert screen.get_at(corner)[:3] == (0, 0, 0)
    lane = pygame.Rect(size[0] // 3, size[1] // 4, 300, 200)
    backdrop = pygame.Surface(lane.size).convert()
    draw.paint_background(backdrop, lane, size, (0, 0))  # a part on a surface of its own
    assert pygame.image.tobytes(backdrop, "RGB") == pygame.image.tobytes(
        whole.subsurface(lane), "RGB"
    )
