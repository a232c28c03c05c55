"""The drawing board: brushes, colours, eraser, fill, stamps, undo and redo, on a picture
that is saved as a creation and can be reused in films and stories.

The picture is a fixed 1280×720 canvas, whatever the screen: a drawing looks the same on
a PC and on a whiteboard, and exports at 720p. The screen shows a scaled copy that is
refreshed only where the canvas changed. Several fingers may draw at once (a whiteboard
in front of a group); everything painted while any finger is down is one undo step.

Saving: the work is autosaved as a draft a few seconds after a change; "Save" makes it a
saved picture (and counts the run as completed). Leaving with unsaved changes keeps them
as a saved picture too; a session that ends by idle keeps the draft for the librarian,
marked `closed_by="idle"`, and the next child never sees it. "My pictures" shows only the
pictures made in this session.

This module is over 500 lines because its screens (the board with its brushes, colours,
stamps and sizes, and "my pictures") all work on the one canvas and its multi-finger
strokes; the canvas's own pixels and undo steps are `canvas.py`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Literal

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
from kiosk.studio.canvas import CANVAS_SIZE, Canvas
from kiosk.studio.common import (
    CONFIRM_S,
    PALETTE,
    WHITE,
    Autosave,
    Color,
    ConfirmTap,
    Note,
    PictureGrid,
    creation_picture,
    palette_buttons,
    tool_button,
)

log = logging.getLogger(__name__)

#: Brush diameters in canvas pixels: thin, medium, thick.
BRUSH_SIZES = (8, 22, 48)
STAMP_SIZE = 160
#: The saved picture inside the creation folder (also its one page and timeline shot).
PICTURE = "render/page-01.png"
PICTURE_SECONDS = 3.0
#: Stamps that are always there, before the content packs' pictograms.
BUILT_IN_STAMPS = ("star", "red-heart", "sun", "rainbow", "blossom", "cat", "dog", "butterfly")

Tool = Literal["brush", "eraser", "fill", "stamp"]
Panel = Literal["draw", "pictures"]


@dataclass(frozen=True)
class Stamp:
    key: str
    emoji: str | None = None
    pack: Pack | None = None
    picture_id: str = ""


class DrawingBoard(Activity):
    info = ActivityInfo(
        id="draw",
        title={"lv": "Zīmēšana", "lt": "Piešimas", "en": "Drawing board"},
        icon="crayon",
        category="create",
        levels=1,
        supports_teams=False,
    )

    def on_enter(self) -> None:
        self.canvas = Canvas()
        self.tool: Tool = "brush"
        self.color: Color = PALETTE[1]
        self.size_index = 1
        self.panel: Panel = "draw"
        self.strokes: dict[int, tuple[float, float]] = {}
        self.creation: Creation | None = None
        self.unsaved = False
        self.ending: str | None = None
        self.round_open = True
        self.autosave = Autosave(self.ctx.now)
        self._told_failure = False
        self.confirm_clear = ConfirmTap(self.ctx.now)
        self.note = Note(self.ctx)
        self.question = Note(self.ctx, seconds=CONFIRM_S)
        self.stamps = self._find_stamps()
        self.stamp = self.stamps[0]
        self.stamp_grid = PictureGrid(
            "stamp", [(s.key, partial(self._stamp_picture, s)) for s in self.stamps], 8, 1
        )
        self.picture_grid = PictureGrid("mine", [], 3, 2, aspect=16 / 9)
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.ctx.start_round()
        self.layout()

    def on_language_changed(self) -> None:
        self.layout()

    # ----- stamps --------------------------------------------------------------------

    def _find_stamps(self) -> list[Stamp]:
        stamps = [Stamp(f"emoji-{name}", emoji=name) for name in BUILT_IN_STAMPS]
        seen = set(BUILT_IN_STAMPS)
        for pack in self.ctx.packs:
            for picture_id, picture in pack.pictures.items():
                if picture.emoji is None or picture.emoji in seen:
                    continue
                seen.add(picture.emoji)
                stamps.append(Stamp(f"{pack.pack}-{picture_id}", pack=pack, picture_id=picture_id))
        return stamps

    def _stamp_picture(self, stamp: Stamp, size: int) -> pygame.Surface:
        if stamp.pack is not None:
            return self.ctx.picture(stamp.pack, stamp.picture_id, size)
        return self.ctx.ui.images.emoji(stamp.emoji or "", size)

    # ----- layout --------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        gap = m.px(14)
        inner = area.inflate(-2 * m.margin, -2 * m.margin)
        tool_side = m.px(84)
        left_w = 2 * tool_side + gap
        right_w = m.px(128)
        strip_h = m.px(100)
        room = pygame.Rect(
            inner.left + left_w + 2 * gap,
            inner.top,
            inner.width - left_w - right_w - 4 * gap,
            inner.height - strip_h - gap,
        )
        scale = min(room.width / CANVAS_SIZE[0], room.height / CANVAS_SIZE[1])
        self.view = pygame.Rect(0, 0, round(CANVAS_SIZE[0] * scale), round(CANVAS_SIZE[1] * scale))
        block = self.view.height + gap + strip_h
        self.view.midtop = (room.centerx, inner.top + (inner.height - block) // 2)
        self.scale = scale
        self.strip = pygame.Rect(self.view.left, self.view.bottom + gap, self.view.width, strip_h)
        save_h = m.px(120)
        tools_h = min(4 * tool_side + 3 * gap, inner.height - save_h - gap)
        side = min(tool_side, (tools_h - 3 * gap) // 4)
        # Tools and colours line up with the picture (on 4:3 screens it has room above).
        column_top = max(inner.top, min(self.view.top, inner.bottom - save_h - gap - tools_h))
        self.tools_rect = pygame.Rect(inner.left, column_top, 2 * side + gap, 4 * side + 3 * gap)
        self.save_rect = pygame.Rect(
            inner.left, self.tools_rect.bottom + gap, self.tools_rect.width, save_h
        )
        self.tool_side = side
        self.palette_rect = pygame.Rect(
            inner.right - right_w, self.view.top, right_w, self.strip.bottom - self.view.top
        )
        self.canvas.forget_shown()
        self._rebuild_buttons()
        self.ctx.invalidate()

    def _rebuild_buttons(self) -> None:
        m = self.ctx.ui.metrics
        _ = self.ctx.gettext
        side, gap = self.tool_side, m.px(14)
        left, top = self.tools_rect.topleft

        def cell(i: int) -> pygame.Rect:
            row, col = divmod(i, 2)
            return pygame.Rect(left + col * (side + gap), top + row * (side + gap), side, side)

        stamp_icon = self._stamp_picture(self.stamp, side)
        armed = self.confirm_clear.armed
        has_store = self.ctx.creations is not None
        buttons = [
            tool_button(
                "tool:brush",
                cell(0),
                partial(self.pick_tool, "brush"),
                icon="paintbrush",
                on=self.tool == "brush",
            ),
            tool_button(
                "tool:eraser",
                cell(1),
                partial(self.pick_tool, "eraser"),
                icon="sponge",
                on=self.tool == "eraser",
            ),
            tool_button(
                "tool:fill",
                cell(2),
                partial(self.pick_tool, "fill"),
                icon="bucket",
                on=self.tool == "fill",
            ),
            tool_button(
                "tool:stamp",
                cell(3),
                partial(self.pick_tool, "stamp"),
                image=stamp_icon,
                on=self.tool == "stamp",
            ),
            tool_button(
                "undo",
                cell(4),
                self.undo,
                icon="right-arrow-curving-left",
                enabled=bool(self.canvas.undo_steps),
            ),
            tool_button(
                "redo",
                cell(5),
                self.redo,
                icon="left-arrow-curving-right",
                enabled=bool(self.canvas.redo_steps),
            ),
            tool_button("clear", cell(6), self.clear, icon="wastebasket"),
            tool_button(
                "pictures",
                cell(7),
                self.toggle_pictures,
                icon="framed-picture",
                on=self.panel == "pictures",
                enabled=has_store,
            ),
        ]
        if armed:
            buttons[6].color = theme.BAD
        buttons.append(
            Button(
                id="save",
                rect=self.save_rect,
                color=theme.YES_COLOR,
                icon="floppy-disk",
                label=_("Save"),
                icon_share=0.5,
                on_press=self.save,
                enabled=has_store,
            )
        )
        buttons += palette_buttons(
            self.ctx,
            self.palette_rect,
            self.color if self.tool != "eraser" else None,
            self.pick_color,
        )
        if self.panel == "pictures":
            buttons += self._pictures_buttons()
        elif self.tool in ("brush", "eraser"):
            buttons += self._size_buttons()
        elif self.tool == "stamp":
            buttons += self.stamp_grid.buttons(
                self.ctx, self.strip, self.pick_stamp, self._turn_stamps
            )
        self.buttons.set_buttons(buttons)
        self.ctx.invalidate()

    def _size_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        side = self.strip.height
        gap = m.px(24)
        left = self.strip.centerx - (3 * side + 2 * gap) // 2
        color = WHITE if self.tool == "eraser" else self.color
        buttons = []
        for i, width in enumerate(BRUSH_SIZES):
            dot = pygame.Surface((side, side), pygame.SRCALPHA)
            d = max(4, round(width * self.scale * 1.2))
            outline = theme.INK_SOFT
            pygame.draw.circle(dot, outline, (side // 2, side // 2), d // 2 + 2)
            pygame.draw.circle(dot, color, (side // 2, side // 2), d // 2)
            buttons.append(
                Button(
                    id=f"size:{i}",
                    rect=pygame.Rect(left + i * (side + gap), self.strip.top, side, side),
                    color=theme.ACCENT if i == self.size_index else WHITE,
                    image=dot,
                    on_press=partial(self.pick_size, i),
                    round=True,
                )
            )
        return buttons

    def _pictures_buttons(self) -> list[Button]:
        m = self.ctx.ui.metrics
        store = self.ctx.creations
        mine = store.drawings_in_session() if store is not None else []
        self.picture_grid.items = [(c.id, partial(self._picture_of, c)) for c in mine]
        self.picture_grid.page = min(self.picture_grid.page, self.picture_grid.pages - 1)
        body = self.view.inflate(-2 * m.px(24), -2 * m.px(24))
        body.height -= m.px(120)
        buttons = self.picture_grid.buttons(self.ctx, body, self.open_picture, self._turn_pictures)
        row_top = self.view.bottom - m.px(24) - m.px(100)
        w = min(m.px(300), (self.view.width - 3 * m.px(24)) // 2)
        buttons.append(
            Button(
                id="mine:new",
                rect=pygame.Rect(self.view.centerx - w - m.px(12), row_top, w, m.px(100)),
                color=theme.TILE_COLORS[6],
                icon="sparkles",
                label=self.ctx.gettext("New picture"),
                icon_share=0.5,
                on_press=self.new_picture,
            )
        )
        buttons.append(
            Button(
                id="mine:close",
                rect=pygame.Rect(self.view.centerx + m.px(12), row_top, w, m.px(100)),
                color=theme.NEUTRAL_COLOR,
                icon="paintbrush",
                label=self.ctx.gettext("Back"),
                icon_share=0.5,
                on_press=self.toggle_pictures,
            )
        )
        return buttons

    def _picture_of(self, creation: Creation, size: int) -> pygame.Surface:
        picture = creation_picture(creation, size)
        return picture if picture is not None else self.ctx.ui.images.placeholder(size)

    # ----- what the buttons do ---------------------------------------------------------

    def pick_tool(self, tool: Tool) -> None:
        self.tool = tool
        self.panel = "draw"
        self._rebuild_buttons()

    def pick_color(self, color: Color) -> None:
        self.color = color
        if self.tool == "eraser":
            self.tool = "brush"
        self._rebuild_buttons()

    def pick_size(self, index: int) -> None:
        self.size_index = index
        self._rebuild_buttons()

    def pick_stamp(self, key: str) -> None:
        self.stamp = next(s for s in self.stamps if s.key == key)
        self.tool = "stamp"
        self._rebuild_buttons()

    def _turn_stamps(self, step: int) -> None:
        self.stamp_grid.turn(step)
        self._rebuild_buttons()

    def _turn_pictures(self, step: int) -> None:
        self.picture_grid.turn(step)
        self._rebuild_buttons()

    def undo(self) -> None:
        self._finish_gesture()
        if self.canvas.undo():
            self._changed()

    def redo(self) -> None:
        self._finish_gesture()
        if self.canvas.redo():
            self._changed()

    def clear(self) -> None:
        if not self.confirm_clear.tap():
            self.question.show(self.ctx.gettext("Sure? Tap again."), icon="wastebasket")
            self._rebuild_buttons()
            return
        self.question.hide()
        self._finish_gesture()
        if self.creation is not None and self.creation.state == "saved":
            # The saved picture stays as it is; what is drawn next is a new picture.
            self._write("draft")
            self.creation = None
        self.canvas.begin()
        self.canvas.clear()
        self.canvas.end()
        self._changed()

    def toggle_pictures(self) -> None:
        self._finish_gesture()
        if self.panel == "draw" and self.unsaved:
            self._write("draft")
        self.panel = "pictures" if self.panel == "draw" else "draw"
        self._rebuild_buttons()

    def open_picture(self, creation_id: str) -> None:
        """Go on drawing one of this session's pictures."""
        store = self.ctx.creations
        creation = store.open(creation_id) if store is not None else None
        if creation is None:
            return
        rel = str(creation.data.get("canvas") or (creation.pages[0] if creation.pages else PICTURE))
        picture = creation.load_png(rel)
        if picture is None:
            return
        self.canvas.load(picture)
        self.creation = creation
        self.unsaved = False
        self.autosave.done()
        self.panel = "draw"
        self.canvas.forget_shown()
        self._rebuild_buttons()

    def new_picture(self) -> None:
        if self.unsaved:
            self._write("draft")
        self.canvas.load(pygame.Surface(CANVAS_SIZE))
        self.canvas.surface.fill(WHITE)
        self.creation = None
        self.unsaved = False
        self.autosave.done()
        self.panel = "draw"
        self.canvas.forget_shown()
        self._rebuild_buttons()

    def save(self) -> None:
        """The child's Save: the picture is kept, and the run counts as completed."""
        self._finish_gesture()
        if self._write("saved"):
            self.ctx.complete()
            self.round_open = False
            self.ctx.play_sound("success")
            self.note.show(self.ctx.gettext("Saved!"))

    # ----- saving ----------------------------------------------------------------------

    def _write(self, state: Literal["draft", "saved"]) -> bool:
        store = self.ctx.creations
        if store is None:
            return False
        try:
            if self.creation is None:
                self.creation = store.new("drawing", self.ctx.lang)
            creation = self.creation
            rel = creation.write_png(PICTURE, self.canvas.surface)
            creation.data = {"canvas": rel, "size": list(CANVAS_SIZE)}
            creation.timeline = [{"image": rel, "seconds": PICTURE_SECONDS, "audio": None}]
            creation.pages = [rel]
            if self.ending == "idle":
                creation.closed_by = "idle"
            creation.save(state, thumbnail=self.canvas.surface)
        except OSError:
            log.exception("the drawing could not be saved")
            self.note.show(self.ctx.gettext("The picture could not be saved."), icon="warning")
            return False
        self.unsaved = False
        self.autosave.done()
        return True

    def _changed(self) -> None:
        self.unsaved = True
        self.autosave.changed()
        if not self.round_open:
            self.ctx.start_round()
            self.round_open = True
        self._rebuild_buttons()

    def on_session_end(self, reason: str) -> None:
        self.ending = reason

    def on_exit(self) -> None:
        self._finish_gesture()
        if self.ending == "idle":
            # Kept for the librarian, never shown to the next child.
            if self.creation is not None or self.unsaved:
                self._write("draft")
        elif self.unsaved:
            self._write("saved")

    # ----- input -----------------------------------------------------------------------

    def _to_canvas(self, pos: tuple[int, int]) -> tuple[float, float]:
        return ((pos[0] - self.view.x) / self.scale, (pos[1] - self.view.y) / self.scale)

    def _width(self) -> int:
        return BRUSH_SIZES[self.size_index]

    def _paint_color(self) -> Color:
        return WHITE if self.tool == "eraser" else self.color

    def _finish_gesture(self) -> None:
        self.strokes.clear()
        if self.canvas.end():
            self._changed()

    def handle_event(self, event: InputEvent) -> bool:
        if isinstance(event, KeyEvent):
            ctrl = bool(event.mod & pygame.KMOD_CTRL)
            if ctrl and event.key == pygame.K_z:
                self.redo() if event.mod & pygame.KMOD_SHIFT else self.undo()
                return True
            if ctrl and event.key == pygame.K_y:
                self.redo()
                return True
            return self.buttons.handle(event)
        if event.pointer in self.strokes:
            return self._continue_stroke(event)
        if self.buttons.handle(event):
            return True
        if event.kind != "down" or self.panel != "draw" or not self.view.collidepoint(event.pos):
            return False
        point = self._to_canvas(event.pos)
        spot = (min(CANVAS_SIZE[0] - 1, int(point[0])), min(CANVAS_SIZE[1] - 1, int(point[1])))
        if self.tool == "fill":
            self.canvas.begin()
            self.canvas.fill(spot, self.color)
            self._finish_gesture()
        elif self.tool == "stamp":
            self.canvas.begin()
            self.canvas.stamp(self._stamp_picture(self.stamp, STAMP_SIZE), spot)
            self._finish_gesture()
        else:
            self.canvas.begin()
            self.strokes[event.pointer] = point
            self.canvas.line(point, point, self._paint_color(), self._width())
        self._refresh_view()
        return True

    def _continue_stroke(self, event: PointerEvent) -> bool:
        last = self.strokes[event.pointer]
        point = self._to_canvas(event.pos)
        self.canvas.line(last, point, self._paint_color(), self._width())
        if event.kind == "up":
            del self.strokes[event.pointer]
            if not self.strokes:
                self._finish_gesture()
        else:
            self.strokes[event.pointer] = point
        self._refresh_view()
        return True

    # ----- frames ----------------------------------------------------------------------

    def update(self, dt: float) -> None:
        self.note.update()
        self.question.update()
        if self.confirm_clear.expired():
            self._rebuild_buttons()
        if self.autosave.due() and not self.strokes:
            self._write("draft")
        # Writes run on the store's thread: a failure is seen here, a frame later.
        failed = self.creation is not None and self.creation.write_failed
        if failed and not self._told_failure:
            self.note.show(self.ctx.gettext("The picture could not be saved."), icon="warning")
        self._told_failure = failed

    def _refresh_view(self) -> None:
        """Show the changed parts of the canvas on screen."""
        changed = self.canvas.refresh_shown()
        if changed is None:
            self.ctx.invalidate(self.view)
            return
        for rect in changed:
            self.ctx.invalidate(rect.move(self.view.topleft))

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ctx.ui.metrics
        if self.canvas.changes:
            self._refresh_view()
        clip = surface.get_clip()
        draw.paint_background(surface, clip)
        frame = self.view.inflate(2 * m.px(6), 2 * m.px(6))
        blur = m.px(12)
        surface.blit(draw.shadow(frame.size, m.px(12), blur), frame.move(-blur, -blur + m.px(6)))
        surface.blit(draw.rounded_card(frame.size, m.px(12), WHITE), frame)
        if self.panel == "pictures":
            self._draw_pictures_panel(surface)
        else:
            surface.blit(self.canvas.shown(self.view.size), self.view)
        self.buttons.draw(surface)
        if self.panel == "pictures":
            self.picture_grid.draw_pictures(surface, self.buttons.buttons, m.px(4))
        self.note.draw(surface)
        self.question.draw(surface)

    def _draw_pictures_panel(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        pygame.draw.rect(surface, theme.lighten(theme.TILE_COLORS[2], 0.75), self.view)
        if not self.picture_grid.items:
            text = ui.text.fit(
                self.ctx.gettext("Your saved pictures will be here."),
                (self.view.width - 2 * m.px(40), m.px(120)),
                m.font_size("heading"),
                theme.INK,
                weight="bold",
            )
            surface.blit(
                text, text.get_rect(center=(self.view.centerx, self.view.centery - m.px(60)))
            )
