"""The librarian's review of children's creations: look, confirm consent, export, delete.

Opened from the librarian panel (`shell.push(routes.Creations())`), never by children. A grid
shows saved creations and the drafts kept after an idle end, newest first. Choosing one
shows it large with what the librarian may do:

- "The family agreed to share this" must be switched on before anything is exported
  (recorded in creation.json as `consent_at`);
- a target: a USB stick or other removable drive found now, or the exports folder in
  the kiosk's data folder;
- a format (drawing: PNG, PDF; film: MP4, GIF; story: MP4, PDF), which starts the export
  on a worker thread (kiosk.media.export.ExportJob) with a progress bar;
- Delete, after a second tap.

It closes itself after two minutes without input (unless an export runs or the librarian
watches a creation), so a child never finds another child's work left open on the screen.

The module is over 500 lines because the grid, the detail with its consent, targets and
formats, and the running export are one screen sharing one state (the chosen creation, the
target, the job); the drawing of cards and the export work already live in
kiosk/librarian."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pygame

from kiosk import routes
from kiosk.creations import Creation, CreationStore
from kiosk.librarian.creation_cards import CreationCards
from kiosk.librarian.drives import removable_drives
from kiosk.librarian.exports import FORMATS, export_outcome, start_export
from kiosk.librarian.screen import LibrarianScreen
from kiosk.media.export import ExportJob
from kiosk.scenes.base import Shell
from kiosk.scenes.common import corner_button
from kiosk.studio.common import duration_text
from kiosk.ui import draw
from kiosk.ui.theme import (
    BAD,
    FOCUS,
    GOOD,
    INK,
    INK_SOFT,
    NEUTRAL_COLOR,
    TILE_COLORS,
    WHITE,
    YES_COLOR,
    lighten,
)
from kiosk.ui.widgets import Button

COLUMNS, ROWS = 4, 2


class CreationsReview(LibrarianScreen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.store: CreationStore | None = shell.services.creations
        self.cards = CreationCards(self.ui, self.services.translator, self.services.config)
        self.items: list[Creation] = []
        #: The chosen creation plays over this screen (Showtime pushed on top).
        self.watching = False
        self.page = 0
        self.chosen: Creation | None = None
        self.target: Path | None = None
        self.targets: list[tuple[Path, str]] = []
        self.job: ExportJob | None = None
        self._preview: pygame.Surface | None = None

    @property
    def frame_rate(self) -> int:
        return 15 if self.job is not None else 0

    def on_enter(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.items = self.store.for_review() if self.store is not None else []
        self.layout()

    # ----- layout --------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        self.title_rect = pygame.Rect(
            m.bar_height + m.px(16), 0, w - 2 * m.bar_height - m.px(32), m.bar_height
        )
        self.body = pygame.Rect(m.margin, m.bar_height + m.px(8), w - 2 * m.margin, 0)
        self.body.height = h - self.body.top - m.margin
        buttons = [corner_button(m, "review:back", "left-arrow", self.back)]
        if self.chosen is None:
            buttons += self._grid_buttons()
        else:
            buttons += self._detail_buttons()
        self.buttons.set_buttons(buttons)
        self.shell.invalidate()

    def _grid_buttons(self) -> list[Button]:
        m = self.ui.metrics
        gap = m.px(20)
        arrow = m.px(72)
        pages = max(1, -(-len(self.items) // (COLUMNS * ROWS)))
        self.page = min(self.page, pages - 1)
        inner = self.body.inflate(-2 * (arrow + gap), 0)
        card_w = (inner.width - (COLUMNS - 1) * gap) // COLUMNS
        card_h = min((inner.height - (ROWS - 1) * gap) // ROWS, card_w * 5 // 4)
        top = inner.top + (inner.height - (ROWS * card_h + (ROWS - 1) * gap)) // 2
        shown = self.items[self.page * COLUMNS * ROWS : (self.page + 1) * COLUMNS * ROWS]
        buttons = []
        for i, creation in enumerate(shown):
            row, col = divmod(i, COLUMNS)
            rect = pygame.Rect(
                inner.left + col * (card_w + gap), top + row * (card_h + gap), card_w, card_h
            )
            pad = m.px(12)
            side = min(rect.width, rect.height) - 2 * pad
            buttons.append(
                Button(
                    id=f"review:{creation.id}",
                    rect=rect,
                    color=WHITE,
                    image=self.cards.picture(creation, side),
                    on_press=partial(self.choose, creation),
                )
            )
        if pages > 1:
            cy = self.body.centery - arrow // 2
            for step, icon, x in (
                (-1, "left-arrow", self.body.left),
                (1, "right-arrow", self.body.right - arrow),
            ):
                buttons.append(
                    Button(
                        id=f"review:{'prev' if step < 0 else 'next'}",
                        rect=pygame.Rect(x, cy, arrow, arrow),
                        color=WHITE,
                        icon=icon,
                        round=True,
                        on_press=partial(self._turn, step, pages),
                    )
                )
        return buttons

    def _detail_buttons(self) -> list[Button]:
        m = self.ui.metrics
        creation = self.chosen
        assert creation is not None
        gap = m.px(16)
        self.preview_rect = pygame.Rect(
            self.body.left, self.body.top, self.body.width * 52 // 100, 0
        )
        self.preview_rect.height = min(
            self.preview_rect.width * 9 // 16, self.body.height - m.px(150)
        )
        self.info_rect = pygame.Rect(
            self.body.left,
            self.preview_rect.bottom + gap,
            self.preview_rect.width,
            self.body.bottom - self.preview_rect.bottom - gap,
        )
        right = pygame.Rect(self.preview_rect.right + m.px(28), self.body.top, 0, self.body.height)
        right.width = self.body.right - right.left
        consented = creation.consent_at is not None
        busy = self.job is not None
        row_h = min(m.px(96), (right.height - 6 * gap - 2 * m.px(40)) // 5)
        y = right.top
        buttons = []
        if creation.kind in ("film", "story") and creation.timeline:
            # A film's sounds and a story's narration are heard before anyone agrees to share.
            watch = pygame.Rect(0, self.info_rect.top, m.px(240), min(m.px(80), row_h))
            watch.right = self.info_rect.right
            self.info_rect.width -= watch.width + gap
            buttons.append(
                Button(
                    id="review:watch",
                    rect=watch,
                    color=YES_COLOR,
                    label=self._("Watch"),
                    on_press=self.watch,
                    enabled=not busy,
                )
            )
        buttons += [
            Button(
                id="review:consent",
                rect=pygame.Rect(right.left, y, right.width, row_h + m.px(14)),
                color=lighten(GOOD, 0.55) if consented else WHITE,
                on_press=self.toggle_consent,
                enabled=not busy,
            )
        ]
        self.consent_rect = pygame.Rect(right.left, y, right.width, row_h + m.px(14))
        y += row_h + m.px(14) + gap
        self.targets_heading = pygame.Rect(right.left, y, right.width, m.px(40))
        y += m.px(40)
        self.targets = self._targets()
        if self.target not in [p for p, _label in self.targets]:
            self.target = self.targets[-1][0] if len(self.targets) == 1 else None
        shown = self.targets[:3]
        tw = (right.width - (len(shown) - 1) * gap) // max(1, len(shown))
        for i, (path, label) in enumerate(shown):
            buttons.append(
                Button(
                    id=f"review:target:{i}",
                    rect=pygame.Rect(right.left + i * (tw + gap), y, tw, row_h),
                    color=TILE_COLORS[2] if path == self.target else WHITE,
                    label=label,
                    on_press=partial(self.pick_target, path),
                    enabled=not busy,
                )
            )
        y += row_h + gap
        self.formats_heading = pygame.Rect(right.left, y, right.width, m.px(40))
        y += m.px(40)
        formats = FORMATS.get(creation.kind, ())
        fw = (right.width - (len(formats) - 1) * gap) // max(1, len(formats))
        ready = consented and self.target is not None and not busy
        for i, fmt in enumerate(formats):
            buttons.append(
                Button(
                    id=f"review:export:{fmt}",
                    rect=pygame.Rect(right.left + i * (fw + gap), y, fw, row_h),
                    color=YES_COLOR,
                    label=fmt.upper(),
                    on_press=partial(self.export, fmt),
                    enabled=ready,
                )
            )
        y += row_h + gap
        self.status_rect = pygame.Rect(right.left, y, right.width, row_h)
        if busy:
            buttons.append(
                Button(
                    id="review:cancel",
                    rect=pygame.Rect(right.right - m.px(200), y, m.px(200), row_h),
                    color=NEUTRAL_COLOR,
                    label=self._("Stop"),
                    on_press=self.cancel_export,
                )
            )
            self.status_rect.width -= m.px(200) + gap
        armed = self._delete_armed()
        buttons.append(
            Button(
                id="review:delete",
                rect=pygame.Rect(right.right - m.px(300), right.bottom - row_h, m.px(300), row_h),
                color=BAD if armed else lighten(BAD, 0.55),
                label=self._("Delete for good?") if armed else self._("Delete"),
                label_color=WHITE if armed else INK,
                on_press=self.delete,
                enabled=not busy,
            )
        )
        return buttons

    def _checkbox(self, on: bool, size: int) -> pygame.Surface:
        if on:
            return self.ui.images.emoji("ballot-box-with-check", size)
        box = pygame.Surface((size, size), pygame.SRCALPHA)
        inner = int(size * 0.8)
        box.blit(
            draw.rounded_card((inner, inner), size // 6, WHITE, max(2, size // 14), INK_SOFT),
            ((size - inner) // 2, (size - inner) // 2),
        )
        return box

    def _exports_folder(self) -> Path | None:
        folder = self.services.data_folder
        return Path(folder) / "exports" if folder is not None else None

    def _targets(self) -> list[tuple[Path, str]]:
        found = [(drive, drive.name or str(drive)) for drive in removable_drives()]
        exports = self._exports_folder()
        if exports is not None:
            found = found[:2] + [(exports, self._("This computer"))]
        return found

    # ----- actions -------------------------------------------------------------------

    def back(self) -> None:
        if self.chosen is not None and self.job is None:
            self.chosen = None
            self.message = ""
            self._preview = None
            self.reload()
        elif self.chosen is None:
            self.shell.pop(self)

    def _turn(self, step: int, pages: int) -> None:
        self.page = (self.page + step) % pages
        self.layout()

    def choose(self, creation: Creation) -> None:
        self.chosen = creation
        self.message = ""
        self._preview = None
        self._delete_armed_at = None
        self.layout()

    def watch(self) -> None:
        """Play the chosen film or story fullscreen with its sound (Showtime, this one
        only); Done or Escape comes back here."""
        if self.chosen is not None:
            self.watching = True
            self.shell.push(routes.Showtime(creation_id=self.chosen.id))

    def on_resume(self) -> None:
        super().on_resume()
        self.watching = False
        self.idle = 0.0

    def toggle_consent(self) -> None:
        creation = self.chosen
        if creation is None:
            return
        now = self.store.now() if self.store is not None else datetime.now().astimezone()
        try:
            creation.record_consent(None if creation.consent_at is not None else now)
        except OSError as exc:
            self._say(
                self._("The creation could not be changed: %(error)s") % {"error": exc}, ok=False
            )
        self.layout()

    def pick_target(self, path: Path) -> None:
        self.target = path
        self.layout()

    def export(self, fmt: str) -> None:
        creation, target, busy = self.chosen, self.target, self.job is not None
        if creation is None or target is None or creation.consent_at is None or busy:
            return
        zone = ZoneInfo(self.services.config.site.timezone)
        self.job = start_export(creation, target, self._exports_folder(), fmt, zone)
        self.message = ""
        self.layout()

    def cancel_export(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _finish_export(self, job: ExportJob) -> None:
        self.job = None
        self._say(*export_outcome(job, self.chosen, self.store, self._))
        self.layout()

    def delete(self) -> None:
        creation = self.chosen
        if creation is None or self.store is None:
            return
        if not self._confirm_delete():
            return
        try:
            self.store.delete(creation.id)
        except OSError as exc:
            self._say(
                self._("The creation could not be deleted: %(error)s") % {"error": exc}, ok=False
            )
            self.layout()
            return
        self.chosen = None
        self._preview = None
        self.reload()

    # ----- frames --------------------------------------------------------------------

    def update(self, dt: float) -> None:
        job = self.job
        if job is not None:
            self.idle = 0.0
            if job.done:
                self._finish_export(job)
            elif self.chosen is not None:
                self.shell.invalidate(self.status_rect)
            return
        if not self.watching:  # the show may take longer than the time this screen waits
            self._tick(dt)

    def on_exit(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        surface.fill(lighten(FOCUS, 0.88))
        title = self.ui.text.fit(
            self._("Children's creations"),
            self.title_rect.size,
            m.font_size("title"),
            INK,
            weight="bold",
        )
        surface.blit(title, title.get_rect(center=self.title_rect.center))
        if self.chosen is None:
            if not self.items:
                text = self.ui.text.fit(
                    self._("No drawings, films or stories are waiting here."),
                    (self.body.width - 2 * m.px(80), m.px(140)),
                    m.font_size("heading"),
                    INK_SOFT,
                )
                surface.blit(text, text.get_rect(center=self.body.center))
        else:
            self._draw_detail(surface)
        self.buttons.draw(surface)
        if self.chosen is not None:
            self._draw_consent_label(surface)

    def _draw_consent_label(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        button = self.buttons.by_id("review:consent")
        rect = button.rect.move(0, m.px(4) if button.pressed else 0)
        consented = self.chosen is not None and self.chosen.consent_at is not None
        box = self._checkbox(consented, rect.height - m.px(28))
        surface.blit(box, box.get_rect(midleft=(rect.left + m.px(18), rect.centery)))
        text_box = pygame.Rect(
            rect.left + box.get_width() + m.px(30),
            rect.top + m.px(10),
            rect.width - box.get_width() - m.px(48),
            rect.height - m.px(20),
        )
        text = self.ui.text.fit(
            self._("The family agreed to share this"),
            text_box.size,
            m.font_size("body"),
            INK,
            weight="bold",
            align="left",
        )
        surface.blit(text, text.get_rect(midleft=text_box.midleft))

    def _preview_picture(self) -> pygame.Surface | None:
        creation = self.chosen
        if creation is None:
            return None
        if self._preview is None:
            rel = (
                creation.pages[0]
                if creation.pages
                else (creation.timeline[0]["image"] if creation.timeline else "thumb.png")
            )
            picture = creation.load_png(rel) or creation.load_png("thumb.png")
            if picture is None:
                return None
            pad = self.ui.metrics.px(8)
            box = self.preview_rect.inflate(-2 * pad, -2 * pad)
            scale = min(box.width / picture.get_width(), box.height / picture.get_height())
            size = (
                max(1, round(picture.get_width() * scale)),
                max(1, round(picture.get_height() * scale)),
            )
            self._preview = pygame.transform.smoothscale(picture, size)
        return self._preview

    def _draw_detail(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        creation = self.chosen
        assert creation is not None
        surface.blit(draw.rounded_card(self.preview_rect.size, m.px(16), WHITE), self.preview_rect)
        picture = self._preview_picture()
        if picture is not None:
            surface.blit(picture, picture.get_rect(center=self.preview_rect.center))
        lines = [f"{self.cards.kind_name(creation.kind)} · {self.cards.when(creation)}"]
        if creation.kind != "drawing":
            translator = self.services.translator
            seconds = duration_text(
                creation.seconds, translator.lang, translator.gettext, translator.ngettext
            )
            lines.append(f"{self.cards.contents(creation)} · {seconds}")
        if creation.state == "draft":
            lines.append(self._("Draft: the session ended before it was saved."))
        y = self.info_rect.top
        line_h = min(m.px(40), self.info_rect.height // max(1, len(lines)))
        for i, line in enumerate(lines):
            text = self.ui.text.fit(
                line,
                (self.info_rect.width, line_h),
                m.font_size("body"),
                INK if i == 0 else INK_SOFT,
                align="left",
                max_lines=1,
            )
            surface.blit(text, (self.info_rect.left, y))
            y += line_h
        for rect, label in (
            (self.targets_heading, self._("Save to:")),
            (self.formats_heading, self._("Export as:")),
        ):
            text = self.ui.text.fit(
                label, rect.size, m.font_size("body"), INK, weight="bold", align="left", max_lines=1
            )
            surface.blit(text, text.get_rect(midleft=rect.midleft))
        self._draw_status(surface)

    def _draw_status(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        rect = self.status_rect
        job = self.job
        if job is not None:
            bar = pygame.Rect(rect.left, rect.centery - m.px(18), rect.width, m.px(36))
            pygame.draw.rect(surface, WHITE, bar, border_radius=bar.height // 2)
            done = bar.copy()
            done.width = max(bar.height, round(bar.width * job.progress))
            pygame.draw.rect(surface, GOOD, done, border_radius=bar.height // 2)
            return
        if not self.message:
            creation = self.chosen
            if creation is not None and creation.consent_at is None:
                hint = self._("Switch on the family's consent to export.")
            elif self.target is None:
                hint = self._("Choose where to save.")
            else:
                return
            text = self.ui.text.fit(
                hint, rect.size, m.font_size("small"), INK_SOFT, align="left", max_lines=2
            )
            surface.blit(text, text.get_rect(midleft=rect.midleft))
            return
        text = self.ui.text.fit(
            self.message,
            rect.size,
            m.font_size("small"),
            self.message_color,
            weight="bold",
            align="left",
            max_lines=3,
        )
        surface.blit(text, text.get_rect(midleft=rect.midleft))
