"""What the shell itself paints over every scene: the group badge and the hold ring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kiosk.i18n import Translator
from kiosk.librarian.access import HOLD_S, HOLD_VISIBLE_AFTER_S, GroupClock
from kiosk.scenes.common import group_badge_rect, librarian_corner
from kiosk.sessions import OpenSession
from kiosk.ui.draw import rounded_card
from kiosk.ui.theme import BAD, FOCUS, WHITE, darken
from kiosk.ui.widgets import UI

GROUP_COLOR = (94, 53, 177)
#: A group's timer warns this long before the end (on the badge; nothing blocks play).
GROUP_WARNING_S = 60.0


@dataclass(frozen=True)
class GroupBadge:
    """What the always-visible group badge shows now (the tests read it too)."""

    rect: pygame.Rect
    #: "Group · 10", or "Last minute!" during the last minute of a timer.
    headline: str
    #: "12:34 left" while a timer runs; None without a timer.
    time_left: str | None
    #: The last minute of the timer: the badge turns red and blinks, play goes on.
    warning: bool
    #: During the warning, the brighter of the blink's two reds (it flips every second).
    bright: bool = False


def group_badge(
    ui: UI,
    translator: Translator,
    session: OpenSession | None,
    clock: GroupClock | None,
    now: float,
) -> GroupBadge | None:
    """The badge for a group `session` (None for a solo one or none)."""
    if session is None or session.kind != "group":
        return None
    _ = translator.gettext
    time_left: str | None = None
    warning = bright = False
    if clock is not None:
        remaining = clock.remaining(now)
        warning = remaining <= GROUP_WARNING_S
        # Flips with the seconds shown, so every repaint of one second looks the same.
        bright = warning and int(remaining + 0.999) % 2 == 1
        time_left = _("%(time)s left") % {"time": GroupClock.label(remaining)}
    headline = _("Last minute!") if warning else _("Group · %(n)d") % {"n": session.headcount}
    return GroupBadge(group_badge_rect(ui.metrics), headline, time_left, warning, bright)


def paint_hold_ring(screen: pygame.Surface, ui: UI, progress: float | None) -> None:
    """The ring filling in the librarian's corner while a hold is under way."""
    if progress is None or progress * HOLD_S < HOLD_VISIBLE_AFTER_S:
        return
    m = ui.metrics
    corner = librarian_corner(m)
    radius = corner.width // 3
    arc = pygame.Rect(0, 0, 2 * radius, 2 * radius)
    arc.center = corner.center
    pygame.draw.arc(screen, FOCUS, arc, 1.5708, 1.5708 + progress * 6.2832, max(3, m.px(8)))


def paint_badge(screen: pygame.Surface, ui: UI, badge: GroupBadge) -> None:
    m = ui.metrics
    rect = badge.rect
    color = GROUP_COLOR
    if badge.warning:
        color = BAD if badge.bright else darken(BAD, 0.25)
    screen.blit(rounded_card(rect.size, rect.height // 3, color, m.px(3), WHITE), rect)
    icon_side = min(rect.height - m.px(20), m.px(40))
    icon = ui.images.emoji("alarm-clock" if badge.warning else "busts-in-silhouette", icon_side)
    screen.blit(icon, icon.get_rect(midleft=(rect.x + m.px(10), rect.centery)))
    text_box = pygame.Rect(
        rect.x + m.px(16) + icon_side,
        rect.y + m.px(6),
        rect.right - m.px(10) - (rect.x + m.px(16) + icon_side),
        rect.height - m.px(12),
    )
    lines = [badge.headline] if badge.time_left is None else [badge.headline, badge.time_left]
    line_h = text_box.height // len(lines)
    for i, line in enumerate(lines):
        rendered = ui.text.fit(
            line,
            (text_box.width, line_h),
            m.font_size("body") if len(lines) == 1 else m.font_size("small"),
            WHITE,
            weight="bold",
            max_lines=1,
        )
        screen.blit(
            rendered,
            rendered.get_rect(center=(text_box.centerx, text_box.y + i * line_h + line_h // 2)),
        )


def invalidate_badge(
    badge: GroupBadge | None,
    shown: tuple[object, ...] | None,
    ui: UI,
    invalidate: Callable[[pygame.Rect], None],
) -> tuple[object, ...] | None:
    """Repaint the badge's place when what it says changed; returns what is shown now."""
    now = None if badge is None else (badge.rect, badge.headline, badge.time_left)
    if now != shown:
        if badge is not None:
            invalidate(badge.rect)
        if shown is not None:
            invalidate(group_badge_rect(ui.metrics))
    return now
