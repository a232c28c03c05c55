"""The stop-motion studio: take pictures one by one and play them as a film.

The stage shows the camera's live view with the last 1–3 frames faintly on top (the
"onion skin"), so the child sees how far to move the toy. The big round button takes a
picture (after 3-2-1 when the self-timer is on). Below, the frame strip: tap a frame to
pick it, drag it to a new place, or use the buttons beside the strip to move, copy,
hold (show it for 1–4 ticks) or delete it. Snail, turtle and rabbit pick 5, 8 or 12
frames a second; the play button loops the film on the stage.

Without a camera the stage says so with a picture, and the film is made from the child's
drawings (this session only) and the content packs' pictures instead.

Frames live on disk only (``frames/0001.png``… at 640×480 in the creation); memory holds a
small thumbnail per frame and a few full frames for the stage, so a 100-frame film costs
a few megabytes. The creation's data is ``{"fps", "frames": [{"file", "hold"}]}``; its
timeline (one shot per frame, hold/fps seconds) is written at every save."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import pygame

from kiosk.api import (
    Activity,
    ActivityInfo,
    Button,
    ButtonGroup,
    Creation,
    InputEvent,
    KeyEvent,
    Pack,
    PointerEvent,
    draw,
    theme,
)
from kiosk.studio.common import cell_picture, duration_text, page_arrow, saved_buttons
from kiosk.studio.pictures import (
    arrow_icon,
    blit_thumb,
    copy_icon,
    fit_onto,
    opacity_icon,
    pack_picture_frame,
    play_icon,
)

FRAME_SIZE = (640, 480)
THUMB_SIZE = (160, 120)
FPS_CHOICES = ((5, "snail"), (8, "turtle"), (12, "rabbit"))
#: A band this tall (units) under a stage beside the wide tool column calls for the
#: narrow column instead.
NARROW_AFTER_BAND = 120
ONION_ALPHAS = (77, 128, 179)  # 30 %, 50 %, 70 %
MAX_FRAMES = 300
MAX_HOLD = 4
#: Full frames kept in memory for the stage (onion skin, playback): about 35 MB.
FULL_FRAMES_KEPT = 30
AUTOSAVE_S = 3.0
COUNTDOWN_S = 3
DRAG_START_UNITS = 24
PICKS_PER_PAGE = 8

CAPTURE_COLOR = (255, 112, 67)
CHOSEN_COLOR = theme.lighten(theme.GOOD, 0.35)

Mode = Literal["edit", "pick", "saved"]


@dataclass(eq=False)
class Frame:
    file: str
    hold: int
    thumb: pygame.Surface


@dataclass(frozen=True)
class PickItem:
    """A picture the child can add: a drawing of this session or a pack's picture."""

    id: str
    drawing: Creation | None = None
    pack: Pack | None = None
    picture: str | None = None


class StopMotion(Activity):
    info = ActivityInfo(
        id="film",
        title={"lv": "Animācijas studija", "lt": "Animacijos studija", "en": "Stop-motion studio"},
        icon="video-camera",
        category="create",
        levels=1,
    )

    def on_enter(self) -> None:
        self.frames: list[Frame] = []
        self.selected: int | None = None
        self.fps = 8
        self.onion = 1
        self.onion_alpha = ONION_ALPHAS[1]
        self.self_timer = False
        self.countdown: float | None = None
        self.flash = 0.0
        self.playing = False
        self.play_index = 0
        self.play_clock = 0.0
        self.strip_first = 0
        self.mode: Mode = "edit"
        self.pick_page = 0
        self.time = 0.0
        self.creation: Creation | None = None
        self._next_number = 1
        self._dirty = False
        self._last_save = 0.0
        self._full: OrderedDict[str, pygame.Surface] = OrderedDict()
        self._onion_cache: dict[tuple[str, tuple[int, int], int], pygame.Surface] = {}
        self._drag: dict[str, Any] | None = None
        self._live: pygame.Surface | None = None
        self._session_end: str | None = None
        self.camera = self.ctx.open_camera(FRAME_SIZE)
        if self.camera is not None:
            try:
                self.camera.start()
            except Exception:
                self.camera = None
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.layout()

    def on_language_changed(self) -> None:
        self.layout()

    def on_session_end(self, reason: str) -> None:
        self._session_end = reason

    def on_exit(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
        if self.creation is not None:
            if self._session_end == "idle":
                self.creation.closed_by = "idle"
            self._save("draft")

    # ----- layout ----------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ctx.ui.metrics
        a = self.ctx.area
        pad = m.margin
        gap = m.px(16)
        self.strip_rect = pygame.Rect(
            a.left + pad, a.bottom - pad // 2 - m.px(150), a.width - 2 * pad, m.px(150)
        )
        room_h = self.strip_rect.top - gap - (a.top + gap)
        column_w = m.px(640)
        stage_w = min(room_h * 4 // 3, a.width - 3 * pad - column_w)
        # On a squarer screen (5:4, 4:3) the wide column leaves the 4:3 stage short and an
        # empty band above the strip: the tools then stand in a narrow column of two.
        self.narrow = room_h - stage_w * 3 // 4 > m.px(NARROW_AFTER_BAND)
        if self.narrow:
            column_w = 2 * m.px(112) + m.px(14)
            stage_w = min(room_h * 4 // 3, a.width - 3 * pad - column_w)
        stage_h = stage_w * 3 // 4
        self.stage = pygame.Rect(a.left + pad, a.top + gap, stage_w, stage_h)
        self.column = pygame.Rect(
            self.stage.right + pad,
            self.stage.top,
            a.right - pad - self.stage.right - pad,
            room_h if self.narrow else stage_h,
        )
        self._onion_cache.clear()
        self._rebuild_buttons()

    def _rebuild_buttons(self) -> None:
        if self.mode == "pick":
            self.buttons.set_buttons(self._pick_buttons())
        elif self.mode == "saved":
            self.buttons.set_buttons(self._saved_buttons())
        else:
            self.buttons.set_buttons(self._tool_buttons() + self._strip_buttons())
        self.ctx.invalidate()

    def _tool_rects(self) -> dict[str, pygame.Rect]:
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

    def _tool_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        _ = self.ctx.gettext
        rects = self._tool_rects()
        buttons = [
            Button(
                id="capture",
                rect=rects["capture"],
                color=CAPTURE_COLOR,
                icon="camera-with-flash",
                round=True,
                on_press=self.press_capture,
                enabled=self.camera is not None and len(self.frames) < MAX_FRAMES,
            ),
            Button(
                id="timer",
                rect=rects["timer"],
                color=CHOSEN_COLOR if self.self_timer else theme.WHITE,
                icon="alarm-clock",
                label="3-2-1",
                icon_share=0.5,
                on_press=self.toggle_timer,
                enabled=self.camera is not None,
            ),
            Button(
                id="play",
                rect=rects["play"],
                color=CHOSEN_COLOR if self.playing else theme.WHITE,
                image=play_icon(min(rects["play"].size), self.playing),
                on_press=self.toggle_play,
                enabled=bool(self.frames),
            ),
        ]
        onion_label = str(self.onion) if self.onion else ""
        buttons.append(
            Button(
                id="onion",
                rect=rects["onion"],
                color=CHOSEN_COLOR if self.onion else theme.WHITE,
                icon="onion",
                label=onion_label,
                icon_share=0.55,
                on_press=self.cycle_onion,
            )
        )
        buttons.append(
            Button(
                id="opacity",
                rect=rects["opacity"],
                color=theme.WHITE,
                image=opacity_icon(m.px(60), self.onion_alpha),
                label=f"{round(self.onion_alpha * 100 / 255)} %",
                icon_share=0.55,
                on_press=self.cycle_opacity,
                enabled=self.onion > 0,
            )
        )
        for fps, icon in FPS_CHOICES:
            buttons.append(
                Button(
                    id=f"fps:{fps}",
                    rect=rects[f"fps:{fps}"],
                    color=CHOSEN_COLOR if fps == self.fps else theme.WHITE,
                    icon=icon,
                    label=str(fps),
                    icon_share=0.55,
                    on_press=partial(self.set_fps, fps),
                )
            )
        buttons.append(
            Button(
                id="add-picture",
                rect=rects["add-picture"],
                color=theme.TILE_COLORS[4],
                icon="artist-palette",
                label=_("Pictures"),
                icon_share=0.5,
                on_press=self.open_picker,
                enabled=len(self.frames) < MAX_FRAMES,
            )
        )
        buttons.append(
            Button(
                id="save",
                rect=rects["save"],
                color=theme.YES_COLOR,
                icon="check-mark-button",
                label=_("Save"),
                icon_share=0.5,
                on_press=self.save,
                enabled=bool(self.frames),
            )
        )
        return buttons

    def _strip_geometry(self) -> tuple[pygame.Rect, int, int]:
        """The thumbnails' band, one thumbnail's width and how many fit."""
        m = self.ctx.ui.metrics
        strip = self.strip_rect
        action = m.px(86)
        gap = m.px(10)
        actions_w = 5 * action + 4 * gap
        arrow = m.px(56)
        band = pygame.Rect(
            strip.left + arrow + gap,
            strip.top,
            strip.width - actions_w - 2 * arrow - 4 * gap,
            strip.height,
        )
        thumb_w = m.px(130)
        return band, thumb_w, max(1, (band.width + gap) // (thumb_w + gap))

    def _strip_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        strip = self.strip_rect
        band, thumb_w, fits = self._strip_geometry()
        gap = m.px(10)
        arrow = m.px(56)
        thumb_h = strip.height - m.px(20)
        self.strip_first = max(0, min(self.strip_first, len(self.frames) - fits))
        buttons = [
            Button(
                id="strip:prev",
                rect=pygame.Rect(strip.left, strip.top + m.px(30), arrow, strip.height - m.px(60)),
                color=theme.WHITE,
                image=arrow_icon(arrow, -1),
                on_press=partial(self.scroll_strip, -1),
                enabled=self.strip_first > 0,
            ),
            Button(
                id="strip:next",
                rect=pygame.Rect(
                    band.right + gap, strip.top + m.px(30), arrow, strip.height - m.px(60)
                ),
                color=theme.WHITE,
                image=arrow_icon(arrow, 1),
                on_press=partial(self.scroll_strip, 1),
                enabled=self.strip_first + fits < len(self.frames),
            ),
        ]
        shown = self.frames[self.strip_first : self.strip_first + fits]
        for offset in range(len(shown)):
            index = self.strip_first + offset
            buttons.append(
                Button(
                    id=f"frame:{index + 1}",
                    rect=pygame.Rect(
                        band.left + offset * (thumb_w + gap),
                        strip.top + m.px(10),
                        thumb_w,
                        thumb_h,
                    ),
                    color=theme.ACCENT if index == self.selected else theme.WHITE,
                    on_press=partial(self.select, index),
                )
            )
        action = m.px(86)
        x = band.right + gap + arrow + gap
        y = strip.top + (strip.height - action) // 2
        has = self.selected is not None
        sel = self.selected if self.selected is not None else 0
        hold = self.frames[sel].hold if has else 1
        actions: list[tuple[str, pygame.Surface | None, str | None, bool, Callable[[], None]]] = [
            ("move-left", arrow_icon(action, -1), None, has and sel > 0, partial(self.move, -1)),
            (
                "move-right",
                arrow_icon(action, 1),
                None,
                has and sel < len(self.frames) - 1,
                partial(self.move, 1),
            ),
            ("copy", copy_icon(action), None, has and len(self.frames) < MAX_FRAMES, self.copy),
            ("hold", None, "hourglass-not-done", has, self.cycle_hold),
            ("delete", None, "wastebasket", has, self.delete),
        ]
        for name, image, icon, enabled, press in actions:
            buttons.append(
                Button(
                    id=f"frame-{name}",
                    rect=pygame.Rect(x, y, action, action),
                    color=theme.TILE_COLORS[6] if name == "hold" else theme.WHITE,
                    image=image,
                    icon=icon,
                    label=f"×{hold}" if name == "hold" else "",
                    icon_share=0.5,
                    on_press=press,
                    enabled=enabled,
                )
            )
            x += action + gap
        return buttons

    # ----- picking pictures ------------------------------------------------------------

    def _pick_items(self) -> list[PickItem]:
        items: list[PickItem] = []
        store = self.ctx.creations
        if store is not None:
            for drawing in store.drawings_in_session():
                items.append(PickItem(id=f"drawing:{drawing.id}", drawing=drawing))
        for pack in self.ctx.packs:
            for picture_id in pack.pictures:
                items.append(
                    PickItem(id=f"{pack.pack}:{picture_id}", pack=pack, picture=picture_id)
                )
        return items

    def open_picker(self) -> None:
        self.playing = False
        self.mode = "pick"
        self.pick_page = 0
        self._items = self._pick_items()
        self._rebuild_buttons()

    def close_picker(self) -> None:
        self.mode = "edit"
        self._rebuild_buttons()

    def turn_pick_page(self, step: int) -> None:
        pages = max(1, math.ceil(len(self._items) / PICKS_PER_PAGE))
        self.pick_page = (self.pick_page + step) % pages
        self._rebuild_buttons()

    def _pick_panel(self) -> pygame.Rect:
        m = self.ctx.ui.metrics
        return self.ctx.area.inflate(-2 * m.margin, -2 * m.px(12))

    def _pick_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        panel = self._pick_panel()
        gap = m.px(20)
        heading = m.px(80)
        bottom = m.px(130)
        cols, rows = 4, 2
        grid = pygame.Rect(
            panel.left + m.px(110),
            panel.top + heading,
            panel.width - 2 * m.px(110),
            panel.height - heading - bottom,
        )
        side = min(
            (grid.width - (cols - 1) * gap) // cols, (grid.height - (rows - 1) * gap) // rows
        )
        left = grid.centerx - (cols * side + (cols - 1) * gap) // 2
        top = grid.centery - (rows * side + (rows - 1) * gap) // 2
        buttons: list[Button] = []
        start = self.pick_page * PICKS_PER_PAGE
        for i, item in enumerate(self._items[start : start + PICKS_PER_PAGE]):
            row, col = divmod(i, cols)
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
                    on_press=partial(self.add_picture, item),
                    enabled=len(self.frames) < MAX_FRAMES,
                )
            )
        arrow = m.px(90)
        many = len(self._items) > PICKS_PER_PAGE
        for name, direction, x in (
            ("prev", -1, panel.left + m.px(10)),
            ("next", 1, panel.right - m.px(10) - arrow),
        ):
            buttons.append(
                page_arrow(
                    f"pick-{name}",
                    (x + arrow // 2, grid.centery),
                    arrow,
                    direction,
                    partial(self.turn_pick_page, direction),
                    enabled=many,
                )
            )
        done = pygame.Rect(0, 0, m.px(300), m.px(100))
        done.midbottom = (panel.centerx, panel.bottom - m.px(14))
        buttons.append(
            Button(
                id="pick-done",
                rect=done,
                color=theme.YES_COLOR,
                icon="check-mark-button",
                label=self.ctx.gettext("Done"),
                icon_share=0.5,
                on_press=self.close_picker,
            )
        )
        return buttons

    def _pick_preview(self, item: PickItem, side: int) -> pygame.Surface:
        if item.drawing is not None:
            thumb = item.drawing.load_png("thumb.png") if item.drawing.thumb.exists() else None
            return thumb if thumb is not None else self.ctx.ui.images.placeholder(side)
        assert item.pack is not None and item.picture is not None
        return cell_picture(self.ctx.picture(item.pack, item.picture, side), side)

    def _picture_frame(self, item: PickItem) -> pygame.Surface | None:
        """The chosen picture as a 640×480 frame on white."""
        if item.drawing is not None:
            drawing = item.drawing
            rel = drawing.pages[0] if drawing.pages else None
            if rel is None and drawing.timeline:
                rel = drawing.timeline[0]["image"]
            picture = drawing.load_png(rel) if rel else None
        else:
            assert item.pack is not None and item.picture is not None
            return pack_picture_frame(self.ctx, item.pack, item.picture, FRAME_SIZE)
        if picture is None:
            return None
        return fit_onto(picture, FRAME_SIZE)

    def add_picture(self, item: PickItem) -> None:
        frame = self._picture_frame(item)
        if frame is None:
            self.ctx.play_sound("try-again")
            return
        self._add_frame(frame)
        self.ctx.play_sound("good")
        self._rebuild_buttons()

    def _saved_buttons(self) -> list[Button]:
        return saved_buttons(
            self.ctx,
            "video-camera",
            self.keep_going,
            "new-film",
            self.ctx.gettext("New film"),
            self.new_film,
        )

    # ----- actions ---------------------------------------------------------------------

    def press_capture(self) -> None:
        if self.camera is None or self.countdown is not None:
            return
        self.playing = False
        if self.self_timer:
            self.countdown = float(COUNTDOWN_S)
            self.ctx.invalidate(self.stage)
        else:
            self.capture()

    def capture(self) -> None:
        """Take the camera's newest picture as a frame after the selected one."""
        picture = self._live
        if self.camera is not None:
            newest = self.camera.latest_frame()
            if newest is not None:
                picture = newest
        if picture is None or len(self.frames) >= MAX_FRAMES:
            self.ctx.play_sound("try-again")
            return
        if picture.get_size() != FRAME_SIZE:
            picture = fit_onto(picture, FRAME_SIZE, (0, 0, 0))
        else:
            picture = picture.copy()
        self._add_frame(picture)
        self.flash = 1.0
        self.ctx.play_sound("flip")
        self._rebuild_buttons()

    def _add_frame(self, picture: pygame.Surface) -> None:
        if self.creation is None:
            store = self.ctx.creations
            if store is not None:
                self.creation = store.new("film", self.ctx.lang)
        file = f"frames/{self._next_number:04d}.png"
        self._next_number += 1
        if self.creation is not None:
            self.creation.write_png(file, picture)
        self._remember_full(file, picture)
        frame = Frame(file, 1, pygame.transform.smoothscale(picture, THUMB_SIZE))
        at = len(self.frames) if self.selected is None else self.selected + 1
        self.frames.insert(at, frame)
        self.select(at, rebuild=False)
        self._changed()

    def select(self, index: int, rebuild: bool = True) -> None:
        self.selected = index
        _band, _w, fits = self._strip_geometry()
        if index < self.strip_first:
            self.strip_first = index
        elif index >= self.strip_first + fits:
            self.strip_first = index - fits + 1
        if rebuild:
            self._rebuild_buttons()

    def scroll_strip(self, step: int) -> None:
        _band, _w, fits = self._strip_geometry()
        self.strip_first = max(0, self.strip_first + step * max(1, fits - 1))
        self._rebuild_buttons()

    def move(self, step: int) -> None:
        self.move_to(self.selected, (self.selected or 0) + step)

    def move_to(self, index: int | None, target: int) -> None:
        if index is None or not self.frames:
            return
        target = max(0, min(len(self.frames) - 1, target))
        if target == index:
            return
        frame = self.frames.pop(index)
        self.frames.insert(target, frame)
        self.select(target, rebuild=False)
        self._changed()
        self._rebuild_buttons()

    def copy(self) -> None:
        if self.selected is None or len(self.frames) >= MAX_FRAMES:
            return
        frame = self.frames[self.selected]
        self.frames.insert(self.selected + 1, Frame(frame.file, frame.hold, frame.thumb))
        self.select(self.selected + 1, rebuild=False)
        self._changed()
        self._rebuild_buttons()

    def cycle_hold(self) -> None:
        if self.selected is None:
            return
        frame = self.frames[self.selected]
        frame.hold = frame.hold % MAX_HOLD + 1
        self._changed()
        self._rebuild_buttons()

    def delete(self) -> None:
        if self.selected is None:
            return
        self.frames.pop(self.selected)
        self.selected = min(self.selected, len(self.frames) - 1) if self.frames else None
        if not self.frames:
            self.playing = False
        self._changed()
        self._rebuild_buttons()

    def toggle_timer(self) -> None:
        self.self_timer = not self.self_timer
        self._rebuild_buttons()

    def toggle_play(self) -> None:
        self.playing = not self.playing and bool(self.frames)
        self.play_index = 0
        self.play_clock = 0.0
        self._rebuild_buttons()

    def cycle_onion(self) -> None:
        self.onion = (self.onion + 1) % 4
        self._rebuild_buttons()

    def cycle_opacity(self) -> None:
        i = ONION_ALPHAS.index(self.onion_alpha) if self.onion_alpha in ONION_ALPHAS else 0
        self.onion_alpha = ONION_ALPHAS[(i + 1) % len(ONION_ALPHAS)]
        self._onion_cache.clear()
        self._rebuild_buttons()

    def set_fps(self, fps: int) -> None:
        self.fps = fps
        self._changed()
        self._rebuild_buttons()

    def save(self) -> None:
        """The child's Save: the film becomes a saved creation and the round is complete."""
        if not self.frames:
            return
        self.playing = False
        self._save("saved")
        self.ctx.complete()
        self.ctx.play_sound("success")
        self.mode = "saved"
        self._rebuild_buttons()

    def keep_going(self) -> None:
        self.mode = "edit"
        self._rebuild_buttons()

    def new_film(self) -> None:
        self.creation = None
        self.frames = []
        self.selected = None
        self.strip_first = 0
        self._next_number = 1
        self._full.clear()
        self._onion_cache.clear()
        self._dirty = False
        self.mode = "edit"
        self.ctx.start_round()
        self._rebuild_buttons()

    # ----- storage ---------------------------------------------------------------------

    def _changed(self) -> None:
        self._dirty = True
        self._onion_cache.clear()

    def frames_data(self) -> list[dict[str, Any]]:
        return [{"file": f.file, "hold": f.hold} for f in self.frames]

    def _save(self, state: Literal["draft", "saved"]) -> None:
        creation = self.creation
        if creation is None:
            return
        creation.data = {"fps": self.fps, "frames": self.frames_data()}
        creation.timeline = [
            {"image": f.file, "seconds": f.hold / self.fps, "audio": None} for f in self.frames
        ]
        creation.pages = [f.file for f in self.frames]
        first = self._full_frame(self.frames[0].file) if self.frames else None
        creation.save(state, thumbnail=first if (state == "saved" or self._dirty) else None)
        if state == "saved":
            self._forget_unused_files()
        self._dirty = False
        self._last_save = self.time

    def _forget_unused_files(self) -> None:
        """Frames the child deleted leave the folder when the film is saved."""
        assert self.creation is not None
        self.creation.forget_files("frames", {f.file for f in self.frames})

    def _remember_full(self, file: str, picture: pygame.Surface) -> None:
        self._full[file] = picture
        self._full.move_to_end(file)
        while len(self._full) > FULL_FRAMES_KEPT:
            self._full.popitem(last=False)

    def _full_frame(self, file: str) -> pygame.Surface | None:
        picture = self._full.get(file)
        if picture is not None:
            self._full.move_to_end(file)
            return picture
        if self.creation is None:
            return None
        picture = self.creation.load_png(file)
        if picture is not None:
            self._remember_full(file, picture)
        return picture

    # ----- input and time --------------------------------------------------------------

    def handle_event(self, event: InputEvent) -> bool:
        if self.mode == "edit" and isinstance(event, PointerEvent) and self._drag_event(event):
            return True
        if self.buttons.handle(event):
            return True
        if isinstance(event, KeyEvent) and self.mode == "edit":
            if event.key == pygame.K_c and self.camera is not None:
                self.press_capture()
                return True
            if event.key == pygame.K_DELETE:
                self.delete()
                return True
        return False

    def _drag_event(self, event: PointerEvent) -> bool:
        """Dragging a thumbnail along the strip moves that frame; a tap still selects."""
        m = self.ctx.ui.metrics
        if event.kind == "down":
            for button in self.buttons.buttons:
                if button.id.startswith("frame:") and button.contains(event.pos):
                    self._drag = {
                        "index": int(button.id.split(":")[1]) - 1,
                        "pointer": event.pointer,
                        "start": event.pos,
                        "pos": event.pos,
                        "active": False,
                    }
            return False
        drag = self._drag
        if drag is None or drag["pointer"] != event.pointer:
            return False
        if event.kind == "move":
            dx = event.pos[0] - drag["start"][0]
            dy = event.pos[1] - drag["start"][1]
            if not drag["active"] and math.hypot(dx, dy) >= m.px(DRAG_START_UNITS):
                drag["active"] = True
                # Cancel the thumbnail's press: letting go elsewhere must not select it.
                self.buttons.handle(PointerEvent("up", (-(10**6), -(10**6)), event.pointer))
            drag["pos"] = event.pos
            if drag["active"]:
                self.ctx.invalidate(self.strip_rect.inflate(0, m.px(120)))
            return bool(drag["active"])
        self._drag = None
        if not drag["active"]:
            return False
        self.ctx.invalidate(self.strip_rect.inflate(0, m.px(120)))
        self.move_to(drag["index"], self._drop_index(event.pos[0]))
        return True

    def _drop_index(self, x: int) -> int:
        band, thumb_w, fits = self._strip_geometry()
        gap = self.ctx.ui.metrics.px(10)
        slot = round((x - band.left - thumb_w / 2) / (thumb_w + gap))
        return max(0, min(len(self.frames) - 1, self.strip_first + slot))

    def update(self, dt: float) -> None:
        self.time += dt
        if self.camera is not None and self.mode == "edit" and not self.playing:
            newest = self.camera.latest_frame()
            if newest is not None and newest is not self._live:
                self._live = newest
                self.ctx.invalidate(self.stage)
        if self.countdown is not None:
            before = math.ceil(self.countdown)
            self.countdown -= dt
            if math.ceil(self.countdown) != before:
                self.ctx.play_sound("tap")
            if self.countdown <= 0:
                self.countdown = None
                self.capture()
            self.ctx.invalidate(self.stage)
        if self.flash > 0:
            self.flash = max(0.0, self.flash - dt / 0.25)
            self.ctx.invalidate(self.stage)
        if self.playing and self.frames:
            self.play_clock += dt
            tick = 1 / self.fps
            while self.play_clock >= self.frames[self.play_index].hold * tick:
                self.play_clock -= self.frames[self.play_index].hold * tick
                self.play_index = (self.play_index + 1) % len(self.frames)
                self.ctx.invalidate(self.stage)
        if self._dirty and self.time - self._last_save >= AUTOSAVE_S:
            self._save("draft")

    # ----- drawing ---------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        a = self.ctx.area
        surface.blit(draw.scene_background(surface.get_size()), a, area=a)
        if self.mode == "pick":
            self._draw_picker(surface)
        elif self.mode == "saved":
            self._draw_saved(surface)
        else:
            self._draw_stage(surface)
            self._draw_strip(surface)
        self.buttons.draw(surface)
        if self.mode == "edit":
            self._draw_strip_marks(surface)

    def _stage_picture(self) -> pygame.Surface | None:
        if self.playing and self.frames:
            return self._full_frame(self.frames[self.play_index % len(self.frames)].file)
        if self.camera is not None and self._live is not None:
            return self._live
        if self.selected is not None and self.frames:
            return self._full_frame(self.frames[self.selected].file)
        return None

    def _draw_stage(self, surface: pygame.Surface) -> None:
        m = self.ctx.ui.metrics
        stage = self.stage
        border = m.px(6)
        pygame.draw.rect(
            surface, theme.INK, stage.inflate(2 * border, 2 * border), border_radius=m.px(12)
        )
        picture = self._stage_picture()
        if picture is None:
            surface.fill(theme.lighten(theme.INK_SOFT, 0.8), stage)
            if self.camera is None and not self.frames:
                self._draw_no_camera(surface)
            return
        surface.blit(pygame.transform.scale(picture, stage.size), stage)
        live = self.camera is not None and not self.playing
        if live and self.onion and self.selected is not None:
            for age in range(self.onion):
                index = self.selected - age
                if index < 0:
                    break
                layer = self._onion_layer(self.frames[index].file, age)
                if layer is not None:
                    surface.blit(layer, stage)
        if self.countdown is not None:
            number = str(max(1, math.ceil(self.countdown)))
            text = self.ctx.ui.text.render(number, m.px(220), theme.WHITE, weight="bold")
            shade = self.ctx.ui.text.render(number, m.px(220), theme.INK, weight="bold")
            surface.blit(
                shade, shade.get_rect(center=(stage.centerx + m.px(6), stage.centery + m.px(6)))
            )
            surface.blit(text, text.get_rect(center=stage.center))
        if self.flash > 0:
            veil = pygame.Surface(stage.size)
            veil.fill(theme.WHITE)
            veil.set_alpha(int(220 * self.flash))
            surface.blit(veil, stage)

    def _onion_layer(self, file: str, age: int) -> pygame.Surface | None:
        alpha = int(self.onion_alpha * (1 - age * 0.3))
        key = (file, self.stage.size, alpha)
        layer = self._onion_cache.get(key)
        if layer is None:
            picture = self._full_frame(file)
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

    def _draw_strip(self, surface: pygame.Surface) -> None:
        m = self.ctx.ui.metrics
        band = self.strip_rect
        veil = draw.rounded_card(band.size, m.px(20), theme.lighten(theme.INK_SOFT, 0.75))
        surface.blit(veil, band)
        if not self.frames:
            text = self.ctx.ui.text.fit(
                self.ctx.gettext("Your frames appear here"),
                (self._strip_geometry()[0].width, band.height - m.px(20)),
                m.font_size("body"),
                theme.INK_SOFT,
                weight="bold",
            )
            surface.blit(text, text.get_rect(center=self._strip_geometry()[0].center))

    def _draw_strip_marks(self, surface: pygame.Surface) -> None:
        """Hold badges on the thumbnails, and the dragged frame under the finger."""
        ui = self.ctx.ui
        m = ui.metrics
        for button in self.buttons.buttons:
            if not button.id.startswith("frame:"):
                continue
            frame = self.frames[int(button.id.split(":")[1]) - 1]
            blit_thumb(surface, frame.thumb, button, m.px(10), m.px(4))
            if frame.hold > 1:
                badge = ui.text.render(f"×{frame.hold}", m.font_size("small"), theme.WHITE, "bold")
                box = badge.get_rect(
                    topright=(button.rect.right - m.px(6), button.rect.top + m.px(6))
                )
                pygame.draw.rect(
                    surface, theme.INK, box.inflate(m.px(10), m.px(4)), border_radius=m.px(8)
                )
                surface.blit(badge, box)
        drag = self._drag
        if drag is not None and drag["active"]:
            thumb = self.frames[drag["index"]].thumb
            band, thumb_w, _fits = self._strip_geometry()
            size = (thumb_w, thumb_w * 3 // 4)
            picture = pygame.transform.smoothscale(thumb, size)
            rect = picture.get_rect(center=drag["pos"])
            pygame.draw.rect(
                surface, theme.ACCENT, rect.inflate(m.px(10), m.px(10)), border_radius=m.px(8)
            )
            surface.blit(picture, rect)
            slot = self._drop_index(drag["pos"][0]) - self.strip_first
            x = band.left + slot * (thumb_w + m.px(10)) - m.px(6)
            pygame.draw.line(surface, theme.FOCUS, (x, band.top), (x, band.bottom), m.px(6))

    def _draw_picker(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        panel = self._pick_panel()
        card = draw.rounded_card(panel.size, m.px(28), theme.lighten(theme.TILE_COLORS[2], 0.7))
        surface.blit(card, panel)
        text = ui.text.fit(
            self.ctx.gettext("Tap pictures to add them to your film"),
            (panel.width - 2 * m.px(40), m.px(70)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(center=(panel.centerx, panel.top + m.px(42))))
        count = self.ctx.ngettext("%(n)d frame", "%(n)d frames", len(self.frames)) % {
            "n": len(self.frames)
        }
        label = ui.text.fit(
            count, (m.px(260), m.px(60)), m.font_size("body"), theme.INK_SOFT, weight="bold"
        )
        surface.blit(
            label, label.get_rect(midleft=(panel.left + m.px(30), panel.bottom - m.px(64)))
        )

    def _draw_saved(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        a = self.ctx.area
        party = ui.images.emoji("party-popper", m.px(130))
        top = a.top + a.height * 3 // 10
        surface.blit(party, party.get_rect(midbottom=(a.centerx, top)))
        seconds = sum(f.hold for f in self.frames) / self.fps
        text = ui.text.fit(
            self.ctx.gettext("Your film is saved! The librarian can show it to everyone."),
            (min(a.width - 2 * m.margin, m.px(1000)), m.px(110)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        rect = surface.blit(text, text.get_rect(midtop=(a.centerx, top + m.px(12))))
        small = ui.text.fit(
            duration_text(seconds, self.ctx.lang, self.ctx.gettext, self.ctx.ngettext),
            (m.px(400), m.px(44)),
            m.font_size("body"),
            theme.INK_SOFT,
        )
        surface.blit(small, small.get_rect(midtop=(a.centerx, rect.bottom + m.px(14))))
