"""The launcher: big picture tiles for every activity, grouped as Play and Create.

Bye (top-left, where Home is inside activities) ends a child's session; in a group
session, which only the librarian or the timer ends, it leads back to the group's fixed
activity or the first page. Flags in the bar switch the language (not in group sessions:
the group badge sits there). When more tiles exist than fit, round arrows page through
them, and Home from an activity comes back to the page that holds it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import pygame

from kiosk import routes
from kiosk.activities import RegisteredActivity
from kiosk.input import InputEvent
from kiosk.scenes.base import Scene, Shell
from kiosk.scenes.common import corner_button, language_buttons, librarian_corner
from kiosk.ui.draw import paint_background
from kiosk.ui.theme import ACCENT, INK, TILE_COLORS, WHITE
from kiosk.ui.widgets import SPEAKER_SIZE, Button, ButtonGroup, speaker_button

TILE_W, GAP = 236, 28
#: Tiles shrink down to this (layout units) to keep every activity on one page.
MIN_TILE = 190


@dataclass(frozen=True)
class Row:
    """One row of the launcher: a section's heading, or a row of its tiles."""

    category: str
    activities: list[RegisteredActivity] = field(default_factory=list)
    heading: bool = False

    def holds(self, activity_id: str) -> bool:
        return any(a.id == activity_id for a in self.activities)


class Launcher(Scene):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self.page = 0
        self.pages: list[list[Row]] = [[]]
        self.headings: list[tuple[str, pygame.Rect]] = []
        #: Open on the page holding this activity (the one the child just left).
        self._return_to: str | None = shell.session.launcher_activity

    def _in_group(self) -> bool:
        session = self.shell.sessions.current
        return session is not None and session.kind == "group"

    def _bye(self) -> None:
        if self._in_group():
            self.shell.session.group_home()
        else:
            self.shell.session.end_session("home")

    def visible_activities(self) -> list[RegisteredActivity]:
        fixed = self.shell.session.fixed_activity
        if fixed:
            return [a for a in self.services.activities if a.id == fixed]
        return self.services.activities

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        bar = m.bar_height
        buttons = [corner_button(m, "bye", "waving-hand", self._bye)]
        flag_d = m.px(64)
        # In a group session the group badge sits in the bar; the librarian chose the
        # language, so the flags make room for it.
        show_flags = not self._in_group()
        buttons += (
            []
            if not show_flags
            else language_buttons(
                self.ui,
                self.services.translator.languages,
                right=librarian_corner(m).left - m.px(8),
                top=(bar - flag_d) // 2,
                diameter=flag_d,
                on_pick=self.shell.set_language,
            )
        )

        gap = m.px(GAP)
        arrow = m.px(84)
        usable_w = w - 2 * (arrow + 2 * m.margin)
        heading_h = m.px(64)
        area_top = bar + m.px(20)
        usable_h = h - area_top - m.margin
        # The biggest tiles that show every activity on one page; if even MIN_TILE
        # needs a second page, full-size tiles paged by section.
        for units in (*range(TILE_W, MIN_TILE - 1, -4), TILE_W):
            tile_w = tile_h = m.px(units)
            cols = max(1, (usable_w + gap) // (tile_w + gap))
            self.pages = self._pages(cols, usable_h, heading_h, tile_h, gap)
            if len(self.pages) == 1:
                break
        if self._return_to is not None:
            self.page = next(
                (
                    i
                    for i, page in enumerate(self.pages)
                    if any(row.holds(self._return_to) for row in page)
                ),
                0,
            )
            self._return_to = None
        self.page = min(self.page, len(self.pages) - 1)
        on_page = self.pages[self.page]

        # Each section (Play, Create) is its heading and its own rows of tiles, so a
        # heading always has a row of its own and no tile can cover it.
        block_h = sum(heading_h if row.heading else tile_h + gap for row in on_page) - gap
        used_cols = max((len(row.activities) for row in on_page), default=1)
        block_w = used_cols * tile_w + (used_cols - 1) * gap
        left = (w - block_w) // 2
        y = area_top + max(0, (usable_h - block_h) // 2)
        tiles_top: int | None = None
        tiles_bottom = y
        self.headings = []
        index_of = {a.id: i for i, a in enumerate(self.services.activities)}
        for row in on_page:
            if row.heading:
                self.headings.append((row.category, pygame.Rect(left, y, block_w, heading_h)))
                y += heading_h
                continue
            if tiles_top is None:
                tiles_top = y
            for col, activity in enumerate(row.activities):
                rect = pygame.Rect(left + col * (tile_w + gap), y, tile_w, tile_h)
                buttons.append(
                    Button(
                        id=f"tile:{activity.id}",
                        rect=rect,
                        color=TILE_COLORS[index_of.get(activity.id, 0) % len(TILE_COLORS)],
                        icon=activity.cls.info.icon,
                        label=self.services.translator.pick(activity.cls.info.title),
                        on_press=partial(self._open, activity),
                    )
                )
            tiles_bottom = y + tile_h
            y += tile_h + gap
        if len(self.pages) > 1:
            cy = ((tiles_top or tiles_bottom) + tiles_bottom) // 2 - arrow // 2
            if self.page > 0:
                buttons.append(
                    Button(
                        id="page:prev",
                        rect=pygame.Rect(m.margin, cy, arrow, arrow),
                        color=WHITE,
                        icon="left-arrow",
                        round=True,
                        on_press=lambda: self._turn(-1),
                    )
                )
            if self.page < len(self.pages) - 1:
                buttons.append(
                    Button(
                        id="page:next",
                        rect=pygame.Rect(w - m.margin - arrow, cy, arrow, arrow),
                        color=WHITE,
                        icon="right-arrow",
                        round=True,
                        on_press=lambda: self._turn(1),
                    )
                )
        buttons += self._speaker([b for b in buttons if b.id.startswith("tile:")])
        self.buttons.set_buttons(buttons)

    def _speaker(self, tiles: list[Button]) -> list[Button]:
        """The greeting in the bar, and on its left a speaker button that reads it and
        then the names of the tiles on this page, in reading order (a speaker on every
        tile would crowd them)."""
        m = self.ui.metrics
        w, _h = self.size
        d, gap = m.px(SPEAKER_SIZE), m.px(16)
        greeting = self._("What would you like to do?")
        room = w - 2 * (m.bar_height + m.px(16)) - 2 * m.px(3 * 64 + 2 * 14 + 20)
        self.greeting = self.ui.text.fit(
            greeting,
            (room - 2 * (d + gap), m.bar_height),
            m.font_size("heading"),
            INK,
            weight="bold",
        )
        self.greeting_rect = self.greeting.get_rect(
            center=(w // 2 + (d + gap) // 2, m.bar_height // 2 + m.px(6))
        )
        names = " ".join([greeting, *(f"{tile.label}." for tile in tiles)])
        speaker = speaker_button(
            self.ui,
            "speak",
            (self.greeting_rect.left - gap - d // 2, m.bar_height // 2),
            names,
            self.services.translator.lang,
        )
        return [speaker] if speaker else []

    def _pages(
        self, cols: int, usable_h: int, heading_h: int, tile_h: int, gap: int
    ) -> list[list[Row]]:
        """The launcher's rows (a section heading, or up to `cols` tiles) cut into pages
        that fit `usable_h`. A page never ends on a heading, and a section that goes on
        over a page break shows its heading again."""
        rows: list[Row] = []
        for category in ("play", "create"):
            members = [a for a in self.visible_activities() if a.cls.info.category == category]
            if members:
                rows.append(Row(category, heading=True))
                rows += [Row(category, members[i : i + cols]) for i in range(0, len(members), cols)]
        pages: list[list[Row]] = []
        page: list[Row] = []
        used = 0
        for i, row in enumerate(rows):
            height = heading_h if row.heading else tile_h + gap
            # A heading needs its first row of tiles on the same page.
            needed = height + (tile_h + gap if row.heading else 0)
            if page and used + needed > usable_h + gap:
                pages.append(page)
                page, used = [], 0
            if not page and not row.heading and i > 0:
                page.append(Row(row.category, heading=True))
                used += heading_h
            page.append(row)
            used += height
        return [*pages, page] if page else pages or [[]]

    def _turn(self, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self.layout()
        self.shell.invalidate()

    def _open(self, activity: RegisteredActivity) -> None:
        self.shell.session.launcher_activity = activity.id
        self.shell.go(routes.Activity(activity))

    def handle_event(self, event: InputEvent) -> bool:
        # Escape on the launcher does nothing: there is nowhere further back to go.
        return self.buttons.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, _h = self.size
        paint_background(surface)
        surface.blit(self.greeting, self.greeting_rect)
        names = {"play": self._("Play"), "create": self._("Create")}
        icons = {"play": "game-die", "create": "artist-palette"}
        for category, rect in self.headings:
            icon = self.ui.images.emoji(icons[category], m.px(48))
            surface.blit(icon, icon.get_rect(midleft=(rect.x, rect.centery)))
            label = self.ui.text.fit(
                names[category],
                (rect.width - m.px(64), rect.height),
                m.font_size("heading"),
                INK,
                weight="bold",
                align="left",
            )
            surface.blit(label, label.get_rect(midleft=(rect.x + m.px(62), rect.centery)))
        self.buttons.draw(surface)
        for button in self.buttons.buttons:
            if button.id == f"lang:{self.services.translator.lang}":
                ring = m.px(5)
                pygame.draw.circle(
                    surface,
                    ACCENT,
                    button.rect.center,
                    button.rect.width // 2 + ring + m.px(2),
                    width=ring,
                )
