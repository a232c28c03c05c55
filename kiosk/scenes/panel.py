"""The librarian panel: group sessions, this week's counts, office sync, warnings, sound,
recorded voices, the way out.

Opened only through the PIN pad, always in the station's own language (the shell brings
the child's back afterwards); closes itself after 2 minutes without input. Touch targets
are as big as the children's, so it works on a whiteboard in front of a group. While a
group session runs, a block beside the title says so — headcount, minutes so far, minutes
left — with its own "End session".

Under the buttons, the station's sound: volume − / + in steps of 10 % and Mute, applied at
once to the feedback sounds and the voice and kept through restarts
(kiosk.librarian.sound_settings). "Voice clips" opens the scene where the librarian
records the texts of the content packs (kiosk.scenes.voice_clips); a clip that cannot be
played is listed with the warnings.

The office sync block reads the sync service's status snapshot twice a second (never the
network or the database itself) and redraws only when what it says has changed."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import pygame

from kiosk import routes
from kiosk.input import InputEvent
from kiosk.librarian.sound_row import SoundRow
from kiosk.librarian.sync_block import draw_sync
from kiosk.librarian.warnings import station_warnings
from kiosk.librarian.week_card import draw_week, week_lines
from kiosk.scenes.base import Scene, Shell
from kiosk.sync.service import SyncService
from kiosk.sync.words import status_lines
from kiosk.ui import draw
from kiosk.ui.theme import (
    BAD,
    FOCUS,
    INK,
    INK_SOFT,
    NEUTRAL_COLOR,
    TILE_COLORS,
    WHITE,
    YES_COLOR,
    Color,
    lighten,
)
from kiosk.ui.widgets import Button, ButtonGroup

IDLE_CLOSE_S = 120.0
SYNC_POLL_S = 0.5
EXTEND_S = 5 * 60


class Panel(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        self.idle = 0.0
        self.paused = False
        #: The librarian's volume and mute.
        self.sound = SoundRow(self.ui, shell.services.station_sound, self._, self._sound_changed)
        self.usage = shell.desk.recent_usage()
        self.warnings = station_warnings(self.services, self.shell.desk)
        # The shell's background sync (kiosk/shell/desk.py); None when it is not set up.
        self.sync: SyncService | None = shell.desk.sync
        if self.sync is not None:
            self.sync.refresh()
        self._sync_poll = 0.0
        self._sync_shown = self._sync_view()
        self.group_rect: pygame.Rect | None = None
        self._group_shown = self.group_lines()

    @property
    def frame_rate(self) -> int:
        return 2

    # ----- what it shows -------------------------------------------------------------

    # ----- layout --------------------------------------------------------------------

    def layout(self) -> None:
        m = self.ui.metrics
        w, h = self.size
        top = m.px(110)
        col_w = min(m.px(560), (w - 3 * m.margin) // 2)
        self.left = pygame.Rect(m.margin, top, col_w, h - top - m.margin)
        self.right = pygame.Rect(
            self.left.right + m.margin, top, w - self.left.right - 2 * m.margin, h - top - m.margin
        )
        session = self.shell.sessions.current
        self.group_rect = None
        group_buttons: list[Button] = []
        if session is not None and session.kind == "group":
            # In the title row, beside the title: the week's chart keeps all its room.
            self.group_rect = pygame.Rect(
                self.right.x, m.px(10), self.right.width, top - m.px(10) - m.px(10)
            )
            end_w = min(m.px(190), self.group_rect.width // 3)
            group_buttons.append(
                Button(
                    "panel:group-end",
                    pygame.Rect(
                        self.group_rect.right - m.px(10) - end_w,
                        self.group_rect.y + m.px(10),
                        end_w,
                        self.group_rect.height - m.px(20),
                    ),
                    lighten(BAD, 0.3),
                    label=self._("End session"),
                    on_press=self._end_session,
                )
            )
        group = self.shell.session.group_clock is not None
        actions: list[tuple[str, str, str, Color, Callable[[], None], bool]] = [
            (
                "group",
                "busts-in-silhouette",
                self._("Start a group session"),
                TILE_COLORS[1],
                partial(self.shell.push, routes.GroupSetup()),
                True,
            ),
            (
                "end",
                "stop-sign",
                self._("End the session"),
                lighten(BAD, 0.3),
                self._end_session,
                session is not None,
            ),
            (
                "extend",
                "hourglass-not-done",
                self._("5 more minutes"),
                TILE_COLORS[6],
                self._extend,
                group,
            ),
            (
                "creations",
                "framed-picture",
                self._("Children's creations"),
                TILE_COLORS[4],
                partial(self.shell.push, routes.Creations()),
                self.services.creations is not None,
            ),
            (
                "showtime",
                "admission-tickets",
                self._("Showtime"),
                TILE_COLORS[2],
                partial(self.shell.go, routes.Showtime()),
                self.services.creations is not None,
            ),
            (
                "voices",
                "studio-microphone",
                self._("Voice clips"),
                TILE_COLORS[5],
                partial(self.shell.push, routes.VoiceClips()),
                self.ui.voice is not None,
            ),
            (
                "out-of-order",
                "construction",
                self._("Out of order"),
                NEUTRAL_COLOR,
                self._out_of_order,
                True,
            ),
            (
                "exit",
                "door",
                self._("Exit to desktop"),
                lighten(INK_SOFT, 0.5),
                self.shell.desk.exit_to_desktop,
                True,
            ),
            ("close", "right-arrow", self._("Back to the children"), YES_COLOR, self._close, True),
        ]
        gap = m.px(18)
        sound_h = m.px(104)
        self.sound.rect = pygame.Rect(
            self.left.x, self.left.bottom - sound_h, self.left.width, sound_h
        )
        bw = (self.left.width - gap) // 2
        rows = (len(actions) + 1) // 2
        room = self.left.height - sound_h - gap
        bh = min(m.px(150), (room - (rows - 1) * gap) // rows)
        buttons = []
        for i, (key, icon, label, color, action, enabled) in enumerate(actions):
            row, col = divmod(i, 2)
            # An odd last button (the way back to the children) takes the whole row.
            width = self.left.width if i == len(actions) - 1 and col == 0 else bw
            rect = pygame.Rect(
                self.left.x + col * (bw + gap), self.left.y + row * (bh + gap), width, bh
            )
            buttons.append(
                Button(
                    f"panel:{key}",
                    rect,
                    color,
                    label=label,
                    icon=icon,
                    # Five rows (with Showtime) leave short buttons: more room for the label.
                    icon_share=0.45 if rows <= 4 else 0.36,
                    on_press=action,
                    enabled=enabled,
                )
            )
        buttons += group_buttons
        buttons += self.sound.buttons()
        button = self._sync_button()
        if button is not None:
            buttons.append(button)
        self.buttons.set_buttons(buttons)

    def sound_lines(self) -> list[str]:
        """What the sound row says beside its speaker (kiosk/librarian/sound_row.py)."""
        return self.sound.lines()

    def _chart_share(self) -> float:
        """Height of the week's chart as a share of the right column: smaller when there
        are warnings, so they fit under the sync block and are never pushed out."""
        return 0.4 if self.warnings else 0.5

    def _info_card(self) -> pygame.Rect:
        """The card under the week's chart: office sync, then notes and warnings."""
        m = self.ui.metrics
        right = self.right
        top = right.y + int(right.height * self._chart_share()) + m.px(16)
        return pygame.Rect(right.x, top, right.width, right.bottom - top)

    def _sync_row(self) -> pygame.Rect:
        """The sync block's first row: its heading, and "Sync now" on the right."""
        m = self.ui.metrics
        inner = self._info_card().inflate(-2 * m.px(20), -2 * m.px(14))
        return pygame.Rect(inner.x, inner.y, inner.width, m.px(58))

    def _sync_button(self) -> Button | None:
        if self.sync is None:
            return None
        row = self._sync_row()
        width = min(self.ui.metrics.px(300), row.width * 2 // 5)
        _lines, label, enabled = self._sync_view()
        return Button(
            "panel:sync-now",
            pygame.Rect(row.right - width, row.y, width, row.height),
            TILE_COLORS[3],
            label=label,
            on_press=self._sync_now,
            enabled=enabled,
        )

    # ----- actions -------------------------------------------------------------------

    def _close(self) -> None:
        self.shell.pop(self)

    def _sound_changed(self) -> None:
        self.layout()
        if self.sound.rect is not None:
            self.shell.invalidate(self.sound.rect)

    def on_pause(self) -> None:
        # Voice clips or the creations are open on top: the librarian is not idle.
        self.paused = True

    def on_resume(self) -> None:
        self.paused = False
        self.idle = 0.0
        # The voice may have met a damaged clip meanwhile (e.g. while listening).
        self.warnings = station_warnings(self.services, self.shell.desk)
        self.layout()
        self.shell.invalidate()

    def _sync_now(self) -> None:
        if self.sync is not None:
            self.sync.sync_now()
            self._refresh_sync()

    def _end_session(self) -> None:
        self.shell.session.end_session("librarian")

    def _extend(self) -> None:
        if self.shell.session.group_clock is not None:
            self.shell.session.group_clock.extend(EXTEND_S)
        self._close()

    def _out_of_order(self) -> None:
        if self.shell.sessions.current is not None:
            self.shell.sessions.end_session("librarian")
        self.shell.go(routes.OutOfOrder())

    def handle_event(self, event: InputEvent) -> bool:
        self.idle = 0.0
        self.buttons.handle(event)
        return True

    def update(self, dt: float) -> None:
        if not self.paused:
            self.idle += dt
        if self.idle >= IDLE_CLOSE_S:
            self._close()
            return
        lines = self.group_lines()
        if lines != self._group_shown:
            self._group_shown = lines
            if self.group_rect is not None:
                self.shell.invalidate(self.group_rect)
        self._sync_poll += dt
        if self.sync is not None and self._sync_poll >= SYNC_POLL_S:
            self._sync_poll = 0.0
            self._refresh_sync()

    def _refresh_sync(self) -> None:
        view = self._sync_view()
        if view == self._sync_shown:
            return
        self._sync_shown = view
        self.layout()  # the "Sync now" button's label and state
        self.shell.invalidate(self._info_card())

    # ----- the running group ----------------------------------------------------------

    def group_lines(self) -> tuple[str, str] | None:
        """The group block's heading and its facts ("10 children · started 23 min ago ·
        12 min left"); None when no group session runs."""
        session = self.shell.sessions.current
        if session is None or session.kind != "group":
            return None
        ngettext = self.services.translator.ngettext
        minutes = max(0, int((self.shell.wall_now() - session.started_at).total_seconds() // 60))
        facts = [
            ngettext("%(n)d child", "%(n)d children", session.headcount) % {"n": session.headcount},
            ngettext("started %(n)d minute ago", "started %(n)d minutes ago", minutes)
            % {"n": minutes},
        ]
        clock = self.shell.session.group_clock
        if clock is None:
            facts.append(self._("No timer"))
        else:
            left = math.ceil(clock.remaining(self.shell.now()) / 60)
            facts.append(ngettext("%(n)d minute left", "%(n)d minutes left", left) % {"n": left})
        return self._("Group session running"), " · ".join(facts)

    def _draw_group(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        rect = self.group_rect
        lines = self._group_shown
        if rect is None or lines is None:
            return
        surface.blit(draw.rounded_card(rect.size, m.px(24), lighten(TILE_COLORS[1], 0.55)), rect)
        icon = self.ui.images.emoji("busts-in-silhouette", m.px(52))
        surface.blit(icon, icon.get_rect(midleft=(rect.x + m.px(14), rect.centery)))
        button = self.buttons.by_id("panel:group-end")
        text_left = rect.x + m.px(14) + icon.get_width() + m.px(12)
        box_w = button.rect.left - m.px(12) - text_left
        heading, facts = lines
        head = self.ui.text.fit(
            heading,
            (box_w, m.px(30)),
            m.font_size("small"),
            INK,
            weight="bold",
            align="left",
            max_lines=1,
        )
        body = self.ui.text.fit(
            facts,
            (box_w, rect.height - m.px(12) - head.get_height()),
            m.font_size("small"),
            INK,
            align="left",
            max_lines=2,
        )
        top = rect.centery - (head.get_height() + body.get_height()) // 2
        surface.blit(head, (text_left, top))
        surface.blit(body, (text_left, top + head.get_height()))

    # ----- office sync, in words -------------------------------------------------------

    @property
    def sync_text(self) -> list[str]:
        """The sync block's lines as shown now (the tests read them)."""
        lines, _label, _enabled = self._sync_shown
        return [text for text, _problem in lines]

    def _sync_view(self) -> tuple[tuple[tuple[str, bool], ...], str, bool]:
        """(lines as (text, is_problem), button label, button enabled) for the sync block."""
        sync = self.sync
        status = sync.status() if sync is not None else None
        now = self.shell.wall_now()
        lines = tuple(status_lines(status, self.services.config, self.services.translator, now))
        running = status is not None and status.running
        label = self._("Syncing…") if running else self._("Sync now")
        enabled = status is not None and not status.not_set_up and not running
        return lines, label, enabled

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        w, _h = self.size
        surface.fill(lighten(FOCUS, 0.88))
        title_w = self.left.width if self.group_rect is not None else w - 2 * m.margin
        title = self.ui.text.fit(
            self._("Librarian panel"),
            (title_w, m.px(70)),
            m.font_size("title"),
            INK,
            weight="bold",
            align="left",
        )
        surface.blit(title, (m.margin, m.px(24)))
        self._draw_group(surface)
        self._draw_week(surface)
        if self.sound.rect is not None:
            self._card(surface, self.sound.rect)
            self.sound.draw(surface, self.buttons.by_id("panel:volume-down").rect)
        self.buttons.draw(surface)  # after the cards: "Sync now" sits on one

    def _card(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        m = self.ui.metrics
        surface.blit(draw.rounded_card(rect.size, m.px(24), WHITE), rect)

    def week_lines(self) -> list[str]:
        """Today's and this week's counts, both in sessions and child visits (the chart
        under them shows child visits per day)."""
        return week_lines(self.usage, self.services.translator.ngettext)

    def _draw_week(self, surface: pygame.Surface) -> None:
        m = self.ui.metrics
        right = self.right
        text = self.ui.text
        usage = self.usage
        card = pygame.Rect(right.x, right.y, right.width, int(right.height * self._chart_share()))
        self._card(surface, card)
        draw_week(
            surface,
            self.ui,
            card,
            usage,
            self.services.translator.lang,
            self._("Today and this week"),
            self.week_lines(),
        )
        info = self._info_card()
        self._card(surface, info)
        inner = info.inflate(-2 * m.px(20), -2 * m.px(14))
        button = next((b for b in self.buttons.buttons if b.id == "panel:sync-now"), None)
        y = draw_sync(
            surface,
            self.ui,
            self._sync_row(),
            inner,
            self._("Office sync"),
            self._sync_shown[0],
            button,
        )
        # Warnings first: when sync needs several lines, the card may not hold everything.
        rows: list[str] = list(self.warnings)
        if usage.top_activities:
            titles = {
                a.id: self.services.translator.pick(a.cls.info.title)
                for a in self.services.activities
            }
            names = ", ".join(titles.get(a, a) for a, _n in usage.top_activities[:3])
            rows.append(self._("Most played this week: %(names)s") % {"names": names})
        if not self.warnings:
            rows.append(self._("No warnings."))
        for row in rows:
            is_warning = row in self.warnings
            # A warning says what to do, so it may take up to three lines to stay readable.
            row_lines = 3 if is_warning else 1
            rendered = text.fit(
                row,
                (inner.width, m.px(32) * row_lines),
                m.font_size("small"),
                BAD if is_warning else INK,
                align="left",
                max_lines=row_lines,
            )
            if y + rendered.get_height() > inner.bottom:
                break
            surface.blit(rendered, (inner.x, y))
            y += max(m.px(34), rendered.get_height() + m.px(6))
