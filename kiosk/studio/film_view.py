"""How the stop-motion studio looks: where the stage, the tools and the strip stand, and
the stage, strip marks, picker and "saved" screen drawn from the film's state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pygame

from kiosk.api import ActivityContext, Button, theme
from kiosk.studio.common import cell_picture, duration_text, page_arrow
from kiosk.studio.film_model import Film, FilmFiles
from kiosk.studio.picker import PickItem, draw_picker, picker_panel
from kiosk.studio.stage import Countdown, StudioView, draw_saved, draw_stage_frame
from kiosk.studio.strip import StripLook

FPS_CHOICES = ((5, "snail"), (8, "turtle"), (12, "rabbit"))
#: A band this tall (units) under a stage beside the wide tool column calls for the
#: narrow column instead.
NARROW_AFTER_BAND = 120
PICK_COLUMNS, PICK_ROWS = 4, 2
RECORDING_RED = (229, 57, 53)
STRIP = StripLook("frame", arrow=(56, 30), thumb=(130, 10), action=86, actions=6, next_gap=True)


class FilmView(StudioView):
    """The studio's screen for one area: `layout()` places it, the draw methods paint it."""

    def __init__(self, ctx: ActivityContext) -> None:
        super().__init__(ctx, STRIP)
        self.narrow = False
        self._onion_cache: dict[tuple[str, tuple[int, int], int], pygame.Surface] = {}

    def layout(self) -> None:
        m = self.ctx.ui.metrics
        a = self.ctx.area
        pad = m.margin
        gap = m.px(16)
        self.strip.rect = pygame.Rect(
            a.left + pad, a.bottom - pad // 2 - m.px(150), a.width - 2 * pad, m.px(150)
        )
        room_h = self.strip.rect.top - gap - (a.top + gap)
        column_w = m.px(640)
        stage_w = min(room_h * 4 // 3, a.width - 3 * pad - column_w)
        # On a squarer screen (5:4, 4:3) the wide column leaves the 4:3 stage short and an
        # empty band above the strip: the tools then stand in a narrow column of two.
        self.narrow = room_h - stage_w * 3 // 4 > m.px(NARROW_AFTER_BAND)
        if self.narrow:
            column_w = 2 * m.px(112) + m.px(14)
            stage_w = min(room_h * 4 // 3, a.width - 3 * pad - column_w)
        stage_h = stage_w * 3 // 4
        self.place((stage_w, stage_h), gap, room_h if self.narrow else stage_h)
        self.forget_onion()

    def forget_onion(self) -> None:
        self._onion_cache.clear()

    def tool_rects(self) -> dict[str, pygame.Rect]:
        """Where each tool button stands in the column: three rows beside a wide stage,
        or, in the narrow column of a squarer screen, the camera on top and pairs below."""
        m = self.ctx.ui.metrics
        col = self.column
        gap = m.px(14)
        rects: dict[str, pygame.Rect] = {}
        if self.narrow:
            big = min(m.px(170), col.width)
            rects["capture"] = pygame.Rect(col.centerx - big // 2, col.top, big, big)
            half = (col.width - gap) // 2
            row_h = min(m.px(130), (col.height - big - 4 * gap) // 4)
            y = col.top + big + gap
            for left_id, right_id in (("timer", "play"), ("onion", "opacity")):
                rects[left_id] = pygame.Rect(col.left, y, half, row_h)
                rects[right_id] = pygame.Rect(col.left + half + gap, y, half, row_h)
                y += row_h + gap
            third = (col.width - 2 * gap) // 3
            for i, (fps, _icon) in enumerate(FPS_CHOICES):
                rects[f"fps:{fps}"] = pygame.Rect(col.left + i * (third + gap), y, third, row_h)
            y += row_h + gap
            rects["add-picture"] = pygame.Rect(col.left, y, half, row_h)
            rects["save"] = pygame.Rect(col.left + half + gap, y, half, row_h)
            return rects
        big = min(m.px(170), col.height // 2)
        row_h = (col.height - big - 2 * gap) // 2
        small = min(m.px(120), big)
        rects["capture"] = pygame.Rect(col.left, col.top, big, big)
        top = col.top + (big - small) // 2
        rects["timer"] = pygame.Rect(col.left + big + gap, top, small, small)
        rects["play"] = pygame.Rect(col.left + big + small + 2 * gap, top, small, small)
        y = col.top + big + gap
        onion_w = m.px(130)
        rects["onion"] = pygame.Rect(col.left, y, onion_w, row_h)
        rects["opacity"] = pygame.Rect(col.left + onion_w + gap, y, onion_w, row_h)
        x = col.left + 2 * (onion_w + gap)
        fps_w = min(m.px(110), (col.right - x - 2 * gap) // 3)
        for fps, _icon in FPS_CHOICES:
            rects[f"fps:{fps}"] = pygame.Rect(x, y, fps_w, row_h)
            x += fps_w + gap
        y += row_h + gap
        wide = (col.width - gap) // 2
        rects["add-picture"] = pygame.Rect(col.left, y, wide, row_h)
        rects["save"] = pygame.Rect(col.left + wide + gap, y, wide, row_h)
        return rects

    # ----- a frame's sound -------------------------------------------------------------

    def sound_rects(self) -> dict[str, pygame.Rect]:
        """The sound recorder in the tool column: the big record/stop button, play and
        delete beside it, the level meter under them and Done at the bottom."""
        m = self.ctx.ui.metrics
        col = self.column
        gap = m.px(16)
        big = min(m.px(170), col.width // 2)
        small = min(m.px(110), (col.width - big - 2 * gap) // 2)
        top = col.top + (big - small) // 2
        done = pygame.Rect(0, 0, min(m.px(280), col.width), m.px(110))
        done.bottomleft = (col.left, col.bottom)
        meter_top = col.top + big + gap
        return {
            "record": pygame.Rect(col.left, col.top, big, big),
            "play": pygame.Rect(col.left + big + gap, top, small, small),
            "delete": pygame.Rect(col.left + big + small + 2 * gap, top, small, small),
            "meter": pygame.Rect(col.left, meter_top, col.width, done.top - gap - meter_top),
            "done": done,
        }

    def draw_sound_panel(
        self, surface: pygame.Surface, level: float, seconds: float, blink: bool
    ) -> None:
        """The level meter and the seconds while recording (or of the frame's sound)."""
        ui = self.ctx.ui
        m = ui.metrics
        box = self.sound_rects()["meter"]
        if box.height < m.px(40):
            return
        bar = pygame.Rect(box.left, box.top, box.width, min(m.px(40), box.height // 2))
        pygame.draw.rect(surface, theme.lighten(theme.INK_SOFT, 0.7), bar, border_radius=m.px(8))
        if level > 0:
            filled = bar.copy()
            filled.width = max(m.px(8), int(bar.width * min(1.0, level)))
            pygame.draw.rect(surface, theme.GOOD, filled, border_radius=m.px(8))
        if seconds > 0:
            label = ui.text.fit(
                duration_text(seconds, self.ctx.lang, self.ctx.gettext, self.ctx.ngettext),
                (box.width, box.bottom - bar.bottom - m.px(8)),
                m.font_size("heading"),
                theme.INK,
                weight="bold",
            )
            surface.blit(label, label.get_rect(midtop=(box.centerx, bar.bottom + m.px(8))))
        if blink:
            dot = m.px(14)
            pygame.draw.circle(surface, RECORDING_RED, (bar.right - dot, bar.centery), dot)

    # ----- the stage -------------------------------------------------------------------

    def draw_stage(
        self,
        surface: pygame.Surface,
        film: Film,
        files: FilmFiles,
        camera: Any,
        live: pygame.Surface | None,
        countdown: Countdown,
        flash: float,
    ) -> None:
        stage = self.stage
        draw_stage_frame(self.ctx, surface, stage, 6, 12)
        picture = self._stage_picture(film, files, camera, live)
        if picture is None:
            surface.fill(theme.lighten(theme.INK_SOFT, 0.8), stage)
            if camera is None and not film.frames:
                self._draw_no_camera(surface)
            return
        surface.blit(pygame.transform.scale(picture, stage.size), stage)
        if camera is not None and not film.playing and film.onion and film.selected is not None:
            for age in range(film.onion):
                index = film.selected - age
                if index < 0:
                    break
                layer = self._onion_layer(files, film.frames[index].file, age, film.onion_alpha)
                if layer is not None:
                    surface.blit(layer, stage)
        countdown.draw(surface, stage, 220, 6)
        if flash > 0:
            veil = pygame.Surface(stage.size)
            veil.fill(theme.WHITE)
            veil.set_alpha(int(220 * flash))
            surface.blit(veil, stage)

    @staticmethod
    def _stage_picture(
        film: Film, files: FilmFiles, camera: Any, live: pygame.Surface | None
    ) -> pygame.Surface | None:
        if film.playing and film.frames:
            return files.picture(film.frames[film.play_index % len(film.frames)].file)
        if camera is not None and live is not None:
            return live
        if film.selected is not None and film.frames:
            return files.picture(film.frames[film.selected].file)
        return None

    def _onion_layer(
        self, files: FilmFiles, file: str, age: int, onion_alpha: int
    ) -> pygame.Surface | None:
        alpha = int(onion_alpha * (1 - age * 0.3))
        key = (file, self.stage.size, alpha)
        layer = self._onion_cache.get(key)
        if layer is None:
            picture = files.picture(file)
            if picture is None:
                return None
            layer = pygame.transform.smoothscale(picture, self.stage.size)
            layer.set_alpha(alpha)
            self._onion_cache[key] = layer
        return layer

    def _draw_no_camera(self, surface: pygame.Surface) -> None:
        """Picture first: a camera with a 'no' sign, then pictures → film."""
        ui = self.ctx.ui
        m = ui.metrics
        stage = self.stage
        size = min(stage.height // 3, m.px(150))
        camera = ui.images.emoji("camera", size)
        center = (stage.centerx - size, stage.top + size * 2 // 3 + m.px(10))
        surface.blit(camera, camera.get_rect(center=center))
        pygame.draw.circle(surface, theme.BAD, center, size * 6 // 10, max(3, size // 12))
        d = int(size * 0.42)
        pygame.draw.line(
            surface,
            theme.BAD,
            (center[0] - d, center[1] + d),
            (center[0] + d, center[1] - d),
            max(3, size // 12),
        )
        palette = ui.images.emoji("artist-palette", size)
        surface.blit(palette, palette.get_rect(center=(stage.centerx + size, center[1])))
        text = ui.text.fit(
            self.ctx.gettext("No camera here. Make a film from pictures!"),
            (stage.width - 2 * m.px(20), stage.bottom - center[1] - size * 2 // 3 - m.px(10)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(
            text, text.get_rect(midtop=(stage.centerx, center[1] + size * 2 // 3 + m.px(4)))
        )

    # ----- the strip -------------------------------------------------------------------

    def draw_strip(self, surface: pygame.Surface, film: Film) -> None:
        self.strip.draw_card(surface)
        if not film.frames:
            m = self.ctx.ui.metrics
            band = self.strip.geometry()[0]
            text = self.ctx.ui.text.fit(
                self.ctx.gettext("Your frames appear here"),
                (band.width, self.strip.rect.height - m.px(20)),
                m.font_size("body"),
                theme.INK_SOFT,
                weight="bold",
            )
            surface.blit(text, text.get_rect(center=band.center))

    def draw_strip_marks(
        self,
        surface: pygame.Surface,
        film: Film,
        buttons: list[Any],
        drag: dict[str, Any] | None,
    ) -> None:
        """Thumbnails with their hold badges, and the dragged frame under the finger."""
        ui = self.ctx.ui
        m = ui.metrics
        note = ui.images.emoji("studio-microphone", m.px(34))
        for index, button in self.strip.draw_thumbs(surface, buttons, self._thumb(film)):
            if film.frames[index].sound:
                surface.blit(note, (button.rect.left + m.px(6), button.rect.top + m.px(6)))
            hold = film.frames[index].hold
            if hold > 1:
                badge = ui.text.render(f"×{hold}", m.font_size("small"), theme.WHITE, "bold")
                box = badge.get_rect(
                    topright=(button.rect.right - m.px(6), button.rect.top + m.px(6))
                )
                pygame.draw.rect(
                    surface, theme.INK, box.inflate(m.px(10), m.px(4)), border_radius=m.px(8)
                )
                surface.blit(badge, box)
        if drag is not None and drag["active"]:
            thumb = film.frames[drag["index"]].thumb
            band, thumb_w, _fits = self.strip.geometry()
            picture = pygame.transform.smoothscale(thumb, (thumb_w, thumb_w * 3 // 4))
            rect = picture.get_rect(center=drag["pos"])
            pygame.draw.rect(
                surface, theme.ACCENT, rect.inflate(m.px(10), m.px(10)), border_radius=m.px(8)
            )
            surface.blit(picture, rect)
            slot = self.strip.drop_index(drag["pos"][0], len(film.frames)) - self.strip.first
            x = band.left + slot * (thumb_w + self.strip.gap) - m.px(6)
            pygame.draw.line(surface, theme.FOCUS, (x, band.top), (x, band.bottom), m.px(6))

    @staticmethod
    def _thumb(film: Film) -> Any:
        return lambda index: film.frames[index].thumb

    # ----- the picker and the saved screen ---------------------------------------------

    def _pick_grid(self) -> tuple[pygame.Rect, int, int, int]:
        """The picker's grid of 4×2 square cells: its room, a cell's side, its top left."""
        m = self.ctx.ui.metrics
        panel = picker_panel(self.ctx)
        gap = m.px(20)
        heading = m.px(80)
        bottom = m.px(130)
        grid = pygame.Rect(
            panel.left + m.px(110),
            panel.top + heading,
            panel.width - 2 * m.px(110),
            panel.height - heading - bottom,
        )
        side = min(
            (grid.width - (PICK_COLUMNS - 1) * gap) // PICK_COLUMNS,
            (grid.height - (PICK_ROWS - 1) * gap) // PICK_ROWS,
        )
        left = grid.centerx - (PICK_COLUMNS * side + (PICK_COLUMNS - 1) * gap) // 2
        top = grid.centery - (PICK_ROWS * side + (PICK_ROWS - 1) * gap) // 2
        return grid, side, left, top

    def pick_buttons(
        self, items: Sequence[PickItem], on_pick: Callable[[PickItem], None], enabled: bool
    ) -> list[Button]:
        """One page of pictures to add (``pick:<item id>``); the child's drawings tinted."""
        gap = self.ctx.ui.metrics.px(20)
        _grid, side, left, top = self._pick_grid()
        buttons: list[Button] = []
        for i, item in enumerate(items):
            row, col = divmod(i, PICK_COLUMNS)
            buttons.append(
                Button(
                    id=f"pick:{item.id}",
                    rect=pygame.Rect(
                        left + col * (side + gap), top + row * (side + gap), side, side
                    ),
                    color=theme.lighten(theme.TILE_COLORS[2], 0.5)
                    if item.drawing is not None
                    else theme.WHITE,
                    image=self._pick_preview(item, side),
                    on_press=partial(on_pick, item),
                    enabled=enabled,
                )
            )
        return buttons

    def pick_arrows(self, on_turn: Callable[[int], None], enabled: bool) -> list[Button]:
        """The picker's page arrows at the card's sides (``pick-prev``, ``pick-next``)."""
        m = self.ctx.ui.metrics
        panel = picker_panel(self.ctx)
        grid = self._pick_grid()[0]
        arrow = m.px(90)
        return [
            page_arrow(
                f"pick-{name}",
                (x + arrow // 2, grid.centery),
                arrow,
                direction,
                partial(on_turn, direction),
                enabled=enabled,
            )
            for name, direction, x in (
                ("prev", -1, panel.left + m.px(10)),
                ("next", 1, panel.right - m.px(10) - arrow),
            )
        ]

    def _pick_preview(self, item: PickItem, side: int) -> pygame.Surface:
        if item.drawing is not None:
            has_thumb = item.drawing.has("thumb.png")
            thumb = item.drawing.load_png("thumb.png") if has_thumb else None
            return thumb if thumb is not None else self.ctx.ui.images.placeholder(side)
        assert item.pack is not None and item.picture is not None
        return cell_picture(self.ctx.picture(item.pack, item.picture, side), side)

    def draw_picker(self, surface: pygame.Surface, film: Film) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        draw_picker(
            self.ctx, surface, self.ctx.gettext("Tap pictures to add them to your film"), 42
        )
        panel = picker_panel(self.ctx)
        count = self.ctx.ngettext("%(n)d frame", "%(n)d frames", len(film.frames)) % {
            "n": len(film.frames)
        }
        label = ui.text.fit(
            count, (m.px(260), m.px(60)), m.font_size("body"), theme.INK_SOFT, weight="bold"
        )
        surface.blit(
            label, label.get_rect(midleft=(panel.left + m.px(30), panel.bottom - m.px(64)))
        )

    def draw_saved(self, surface: pygame.Surface, film: Film) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        message = self.ctx.gettext("Your film is saved! The librarian can show it to everyone.")
        rect = draw_saved(self.ctx, surface, message, 110, 12)
        small = ui.text.fit(
            duration_text(film.seconds, self.ctx.lang, self.ctx.gettext, self.ctx.ngettext),
            (m.px(400), m.px(44)),
            m.font_size("body"),
            theme.INK_SOFT,
        )
        surface.blit(small, small.get_rect(midtop=(self.ctx.area.centerx, rect.bottom + m.px(14))))
