"""The librarian panel's week card: today's and this week's counts and a bar chart of
child visits per day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pygame

from kiosk.ui.theme import INK, INK_SOFT, TILE_COLORS
from kiosk.ui.widgets import UI

if TYPE_CHECKING:
    from kiosk.usage.stats import RecentUsage


def week_lines(usage: RecentUsage, ngettext: Callable[[str, str, int], str]) -> list[str]:
    """Today's and this week's counts, both in sessions and child visits."""
    today, week = usage.today, usage.week
    return [
        ngettext("Today: %(n)d session", "Today: %(n)d sessions", today.sessions)
        % {"n": today.sessions}
        + " · "
        + ngettext("%(n)d child visit", "%(n)d child visits", today.child_visits)
        % {"n": today.child_visits},
        ngettext("This week: %(n)d session", "This week: %(n)d sessions", week.sessions)
        % {"n": week.sessions}
        + " · "
        + ngettext("%(n)d child visit", "%(n)d child visits", week.child_visits)
        % {"n": week.child_visits},
    ]


def draw_week(
    surface: pygame.Surface,
    ui: UI,
    card: pygame.Rect,
    usage: RecentUsage,
    lang: str,
    heading_text: str,
    lines: list[str],
) -> None:
    """The heading, `lines` and the chart inside `card` (already painted)."""
    m = ui.metrics
    text = ui.text
    inner = card.inflate(-2 * m.px(20), -2 * m.px(16))
    heading = text.fit(
        heading_text,
        (inner.width, m.px(40)),
        m.font_size("body"),
        INK,
        weight="bold",
        align="left",
    )
    surface.blit(heading, inner.topleft)
    y = inner.y + m.px(44)
    for line in lines:
        rendered = text.fit(
            line, (inner.width, m.px(34)), m.font_size("small"), INK_SOFT, align="left"
        )
        surface.blit(rendered, (inner.x, y))
        y += m.px(34)
    # The chart counts child visits per day, like the lines above it, each bar with
    # its number on top.
    number_h = m.px(26)
    bars = pygame.Rect(
        inner.x, y + m.px(4) + number_h, inner.width, inner.bottom - y - m.px(36) - number_h
    )
    most = max((d.child_visits for d in usage.days), default=0) or 1
    slot = bars.width // len(usage.days)
    for i, day in enumerate(usage.days):
        bar_h = int(bars.height * day.child_visits / most)
        bar = pygame.Rect(
            bars.x + i * slot + slot // 5, bars.bottom - bar_h, slot * 3 // 5, max(2, bar_h)
        )
        pygame.draw.rect(
            surface, TILE_COLORS[2] if i < 6 else TILE_COLORS[0], bar, border_radius=m.px(6)
        )
        number = text.fit(
            str(day.child_visits),
            (slot, number_h),
            m.font_size("small"),
            INK,
            weight="bold",
            max_lines=1,
        )
        surface.blit(number, number.get_rect(midbottom=(bar.centerx, bar.top - m.px(2))))
        label = text.render(_weekday(day.day, lang), m.font_size("small"), INK_SOFT)
        surface.blit(label, label.get_rect(midtop=(bar.centerx, bars.bottom + m.px(4))))


def _weekday(day: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, "EEE", locale=lang)
