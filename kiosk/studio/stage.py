"""What the film's and the story's stages share: the camera, the 3-2-1 countdown, the
stage's frame and the "saved!" screen."""

from __future__ import annotations

import math
from typing import Any

import pygame

from kiosk.api import ActivityContext, draw, theme
from kiosk.studio.strip import Strip, StripLook


def start_camera(ctx: ActivityContext, size: tuple[int, int]) -> Any:
    """The station's camera, started; None when there is none or it would not start."""
    camera = ctx.open_camera(size)
    if camera is not None:
        try:
            camera.start()
        except Exception:
            return None
    return camera


def newer_frame(camera: Any, shown: pygame.Surface | None) -> pygame.Surface | None:
    """The camera's newest picture when it is not the one `shown`, else None."""
    newest = camera.latest_frame() if camera is not None else None
    return newest if newest is not None and newest is not shown else None


class Countdown:
    """3-2-1 before the camera or the microphone starts: a tap sound on each number."""

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx
        self.left: float | None = None

    @property
    def running(self) -> bool:
        return self.left is not None

    def start(self, seconds: int) -> None:
        self.left = float(seconds)

    def stop(self) -> None:
        self.left = None

    def tick(self, dt: float) -> bool:
        """Let `dt` pass; True once, when the count reaches zero."""
        if self.left is None:
            return False
        before = math.ceil(self.left)
        self.left -= dt
        if math.ceil(self.left) != before:
            self.ctx.play_sound("tap")
        if self.left <= 0:
            self.left = None
            return True
        return False

    def draw(self, surface: pygame.Surface, stage: pygame.Rect, size: int, shade: int) -> None:
        """The number, `size` units high, with its shadow `shade` units down and right."""
        if self.left is None:
            return
        m = self.ctx.ui.metrics
        number = str(max(1, math.ceil(self.left)))
        text = self.ctx.ui.text.render(number, m.px(size), theme.WHITE, weight="bold")
        back = self.ctx.ui.text.render(number, m.px(size), theme.INK, weight="bold")
        offset = (stage.centerx + m.px(shade), stage.centery + m.px(shade))
        surface.blit(back, back.get_rect(center=offset))
        surface.blit(text, text.get_rect(center=stage.center))


def draw_stage_frame(
    ctx: ActivityContext, surface: pygame.Surface, stage: pygame.Rect, border: int, radius: int
) -> None:
    """The dark frame round a stage, `border` and `radius` in units."""
    m = ctx.ui.metrics
    width = m.px(border)
    pygame.draw.rect(
        surface, theme.INK, stage.inflate(2 * width, 2 * width), border_radius=m.px(radius)
    )


def draw_saved(
    ctx: ActivityContext, surface: pygame.Surface, message: str, height: int, gap: int
) -> pygame.Rect:
    """The "saved!" screen's party popper and `message` (in a box `height` units high,
    `gap` units under the picture); returns where the message went."""
    ui = ctx.ui
    m = ui.metrics
    a = ctx.area
    top = a.top + a.height * 3 // 10
    party = ui.images.emoji("party-popper", m.px(130))
    surface.blit(party, party.get_rect(midbottom=(a.centerx, top)))
    text = ui.text.fit(
        message,
        (min(a.width - 2 * m.margin, m.px(1000)), m.px(height)),
        m.font_size("heading"),
        theme.INK,
        weight="bold",
    )
    return surface.blit(text, text.get_rect(midtop=(a.centerx, top + m.px(gap))))


def draw_background(ctx: ActivityContext, surface: pygame.Surface) -> None:
    """The scene's soft background over the tool's area."""
    draw.paint_background(surface, ctx.area)


class StudioView:
    """A tool's screen: the stage, the column of tools beside it and the strip below;
    each tool's `layout()` places them."""

    def __init__(self, ctx: ActivityContext, look: StripLook) -> None:
        self.ctx = ctx
        self.strip = Strip(ctx, look)
        self.stage = pygame.Rect(0, 0, 0, 0)
        self.column = pygame.Rect(0, 0, 0, 0)

    def place(self, size: tuple[int, int], gap: int, column_height: int) -> None:
        """The stage of `size` at the area's top left, `gap` below its top, and the tool
        column `column_height` tall beside it."""
        pad = self.ctx.ui.metrics.margin
        a = self.ctx.area
        self.stage = pygame.Rect((a.left + pad, a.top + gap), size)
        right = self.stage.right + pad
        self.column = pygame.Rect(right, self.stage.top, a.right - pad - right, column_height)
