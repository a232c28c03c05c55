"""How the story maker looks: where the stage, the tools, the strip and the keys stand in
each mode, and the stage, typing field, voice recorder, picker and "saved" screen drawn
from the story's state."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pygame

from kiosk.api import ActivityContext, OnScreenKeyboard, draw, theme
from kiosk.studio.picker import draw_picker
from kiosk.studio.slides import (
    BUBBLE_BOX,
    SLIDE_SIZE,
    TITLE_BOX,
    Field,
    Slide,
    fit_sizes,
    text_fits,
)
from kiosk.studio.stage import Countdown, StudioView, draw_saved, draw_stage_frame
from kiosk.studio.strip import StripLook

RECORD_COLOR = (229, 57, 53)
STRIP = StripLook("slide", arrow=(50, 25), thumb=(170, 8), action=100, actions=4, next_gap=False)


def plus_icon(size: int) -> pygame.Surface:
    """A fat white plus (the "new page" button)."""
    icon = pygame.Surface((size, size), pygame.SRCALPHA)
    bar = max(2, size // 6)
    for rect in (
        (size * 0.2, (size - bar) // 2, size * 0.6, bar),
        ((size - bar) // 2, size * 0.2, bar, size * 0.6),
    ):
        pygame.draw.rect(icon, theme.WHITE, rect, border_radius=bar // 2)
    return icon


class StoryView(StudioView):
    """The story maker's screen for one area: `layout()` places it for a mode."""

    def __init__(self, ctx: ActivityContext) -> None:
        super().__init__(ctx, STRIP)
        #: The chosen slide scaled to the stage, made again when it changes.
        self.stage_image: pygame.Surface | None = None
        self._preview_image: tuple[int, pygame.Surface] | None = None

    def layout(self, mode: str, keyboard: OnScreenKeyboard) -> None:
        m = self.ctx.ui.metrics
        a = self.ctx.area
        pad = m.margin
        gap = m.px(14)
        self.stage_image = None
        if mode == "keyboard":
            # The keys take what the slide (as wide as the side panel lets it be) leaves,
            # between 360 and 460 units: taller keys on a 4:3 screen.
            widest = a.width - 3 * pad - m.px(460)
            spare = a.height - widest * 9 // 16 - 3 * gap
            board_h = min(max(m.px(360), min(spare, m.px(460))), a.height * 3 // 5)
            board = pygame.Rect(a.left + pad, a.bottom - gap - board_h, a.width - 2 * pad, board_h)
            stage_h = board.top - gap - (a.top + gap)
            stage_w = min(stage_h * 16 // 9, a.width - 3 * pad - m.px(460))
            stage_h = stage_w * 9 // 16
            self.stage = pygame.Rect(a.left + pad, a.top + gap, stage_w, stage_h)
            keyboard.visible = True
            keyboard.layout(board)
            return
        keyboard.visible = False
        keyboard.keys.set_buttons([])
        strip = pygame.Rect(a.left + pad, a.bottom - gap - m.px(130), a.width - 2 * pad, m.px(130))
        self.strip.rect = strip
        column_w = m.px(420)
        stage_h = strip.top - 2 * gap - a.top
        stage_w = min(stage_h * 16 // 9, a.width - 3 * pad - column_w)
        stage_h = stage_w * 9 // 16
        self.place((stage_w, stage_h), gap, strip.top - gap - (a.top + gap))
        if mode == "preview":
            full_h = a.height - 2 * gap
            full_w = min(full_h * 16 // 9, a.width - 2 * pad)
            self.stage = pygame.Rect(0, 0, full_w, full_w * 9 // 16)
            self.stage.midtop = (a.centerx, a.top + gap)

    def keyboard(
        self,
        labels: dict[str, str],
        accept: Callable[[str], bool],
        on_text: Callable[[str], None],
        on_enter: Callable[[], None],
    ) -> OnScreenKeyboard:
        """The on-screen keys in the child's language, for the title and the bubble."""
        ctx = self.ctx
        return OnScreenKeyboard(
            ctx.ui,
            ctx.lang,
            ctx.invalidate,
            labels,
            accept=accept,
            on_text=on_text,
            on_enter=on_enter,
        )

    def beside_stage(self, to_bottom: bool) -> pygame.Rect:
        """The room right of the stage, as tall as the stage or down to the area's foot
        (the photo and voice screens)."""
        m = self.ctx.ui.metrics
        a = self.ctx.area
        bottom = a.bottom - m.margin if to_bottom else self.stage.bottom
        return pygame.Rect(
            self.stage.right + m.margin,
            self.stage.top,
            a.right - m.margin - self.stage.right - m.margin,
            bottom - self.stage.top,
        )

    def letters_icon(self, size: int) -> pygame.Surface:
        return self.ctx.ui.text.render("Aa", int(size * 0.7), theme.FOCUS, weight="bold")

    # ----- the stage -------------------------------------------------------------------

    def draw_live(self, surface: pygame.Surface, live: pygame.Surface) -> None:
        """The camera's picture covering the stage, the middle kept."""
        stage = self.stage
        w, h = live.get_size()
        scale = max(stage.width / w, stage.height / h)
        big = pygame.transform.scale(live, (math.ceil(w * scale), math.ceil(h * scale)))
        clip = surface.get_clip()
        surface.set_clip(clip.clip(stage))
        surface.blit(big, big.get_rect(center=stage.center))
        surface.set_clip(clip)

    def draw_preview(self, surface: pygame.Surface, slide: Slide, picture: Any) -> None:
        """`slide` full size; `picture()` renders it when it is not the one shown."""
        cached = self._preview_image
        if cached is None or cached[0] != slide.uid:
            cached = (slide.uid, pygame.transform.smoothscale(picture(), self.stage.size))
            self._preview_image = cached
        surface.blit(cached[1], self.stage)

    def forget_preview(self) -> None:
        self._preview_image = None

    def draw_slide(
        self,
        surface: pygame.Surface,
        picture: Any,
        typing: Field | None,
        countdown: Countdown,
    ) -> None:
        """The chosen slide (`picture()` renders it), the box being typed into, and the
        3-2-1 before a recording."""
        m = self.ctx.ui.metrics
        stage = self.stage
        if self.stage_image is None or self.stage_image.get_size() != stage.size:
            self.stage_image = pygame.transform.smoothscale(picture(), stage.size)
        surface.blit(self.stage_image, stage)
        if typing is not None:
            # Show where the letters go: a blinking caret after the text being typed.
            box = TITLE_BOX if typing == "title" else BUBBLE_BOX
            scale = stage.width / SLIDE_SIZE[0]
            rect = pygame.Rect(
                stage.left + int(box.left * scale),
                stage.top + int(box.top * scale),
                int(box.width * scale),
                int(box.height * scale),
            )
            pygame.draw.rect(
                surface, theme.FOCUS, rect, width=max(2, m.px(4)), border_radius=m.px(8)
            )
        countdown.draw(surface, stage, 200, 5)

    def draw_frame(self, surface: pygame.Surface) -> None:
        draw_stage_frame(self.ctx, surface, self.stage, 5, 10)

    # ----- typing ----------------------------------------------------------------------

    def draw_typing(
        self, surface: pygame.Surface, field_bottom: int, editing: Field, typed: str
    ) -> None:
        """The words being typed, big, beside the stage: the slide is small while the
        keys show."""
        ui = self.ctx.ui
        m = ui.metrics
        right = self.beside_stage(to_bottom=False)
        field = pygame.Rect(right.left, right.top, right.width, field_bottom - right.top)
        card = draw.rounded_card(field.size, m.px(20), theme.WHITE, m.px(4), theme.FOCUS)
        surface.blit(card, field)
        size = min(m.px(70), field.height - m.px(24))
        if editing == "bubble":
            icon = ui.images.emoji("speech-balloon", size)
        else:
            icon = self.letters_icon(size)
        surface.blit(icon, icon.get_rect(midleft=(field.left + m.px(14), field.centery)))
        box = (field.width - icon.get_width() - m.px(44), field.height - m.px(20))
        shown = self._field_text(typed, box)
        if shown:
            text = ui.text.fit(
                shown,
                box,
                m.font_size("heading"),
                theme.INK,
                weight="bold",
                min_size=m.px(14),
                align="left",
                max_lines=3,
            )
            surface.blit(
                text,
                text.get_rect(midleft=(field.left + icon.get_width() + m.px(30), field.centery)),
            )

    def _field_text(self, text: str, box: tuple[int, int]) -> str:
        """The typed text as the big field shows it: all of it, or "…" and its end when a
        long word would not fit the field (the slide itself always shows all of it)."""
        ui = self.ctx.ui
        sizes = fit_sizes(ui.metrics.font_size("heading"), ui.metrics.px(14))
        for cut in range(len(text)):
            shown = f"…{text[cut:]}" if cut else text
            if any(text_fits(ui.text.font(size, "bold"), shown, box, 3) for size in sizes):
                return shown
        return ""

    # ----- the voice -------------------------------------------------------------------

    def draw_recorder(
        self,
        surface: pygame.Surface,
        microphone: Any,
        recording: bool,
        slide: Slide,
        time: float,
    ) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        side = self.beside_stage(to_bottom=True)
        big = min(m.px(170), side.width // 2)
        meter = pygame.Rect(side.left + big + m.px(30), side.top + m.px(10), m.px(60), big)
        if microphone is None:
            text = ui.text.fit(
                self.ctx.gettext("No microphone here. Your story can still have words!"),
                (side.width - big - m.px(30), big),
                m.font_size("body"),
                theme.INK,
                weight="bold",
            )
            surface.blit(text, text.get_rect(midleft=(meter.left, meter.centery)))
            return
        pygame.draw.rect(surface, theme.WHITE, meter, border_radius=m.px(12))
        level = float(microphone.level) if recording else 0.0
        filled = meter.inflate(-m.px(10), -m.px(10))
        height = int(filled.height * min(1.0, level))
        if height > 0:
            bar = pygame.Rect(filled.left, filled.bottom - height, filled.width, height)
            color = theme.GOOD if level < 0.8 else theme.ACCENT
            pygame.draw.rect(surface, color, bar, border_radius=m.px(8))
        pygame.draw.rect(surface, theme.INK_SOFT, meter, width=m.px(3), border_radius=m.px(12))
        seconds = microphone.seconds if recording else slide.audio_seconds
        if recording or slide.audio is not None:
            label = self.ctx.gettext("%(n)d s") % {"n": int(seconds)}
            text = ui.text.fit(
                label, (m.px(160), m.px(70)), m.font_size("title"), theme.INK, weight="bold"
            )
            surface.blit(text, text.get_rect(midleft=(meter.right + m.px(20), meter.centery)))
        if recording and int(time * 2) % 2 == 0:
            dot = m.px(16)
            center = (meter.right + m.px(20) + dot, meter.top + dot)
            pygame.draw.circle(surface, RECORD_COLOR, center, dot)

    # ----- the picker and the saved screen ---------------------------------------------

    def draw_picker(self, surface: pygame.Surface) -> None:
        draw_picker(self.ctx, surface, self.ctx.gettext("Pick a picture for this page"), 45)

    def draw_saved(self, surface: pygame.Surface) -> None:
        message = self.ctx.gettext("Your story is saved! The librarian can show it to everyone.")
        draw_saved(self.ctx, surface, message, 130, 16)
