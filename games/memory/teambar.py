"""How Memory in turns looks: the bar above the cards that says whose turn it is and how
many pairs each team has, drawn from the turns' state only.

On the left the turn marker, in the playing team's colour with its animal: "Team Fox's
turn" — or, for a moment after another team's pad pressed, the gentle reminder "Wait a
moment — it's Team Fox's turn!". On the right one chip per team in joining order: its
animal and its pairs; the playing team's chip stands out (full colour, thick white
border, a pointer under it), the others rest paler."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from kiosk.api import ActivityContext, Team, draw, kit, theme

#: The bar's height, in layout units.
BAR_H = 84


def turn_text(team: Team, ctx: ActivityContext) -> str:
    """ "Team Fox's turn" in the current language."""
    texts = {
        "fox": ctx.gettext("Team Fox's turn"),
        "bear": ctx.gettext("Team Bear's turn"),
        "frog": ctx.gettext("Team Frog's turn"),
        "owl": ctx.gettext("Team Owl's turn"),
    }
    return texts[team.animal]


def wait_text(team: Team, ctx: ActivityContext) -> str:
    """What the other teams read when their pad pressed out of turn."""
    return ctx.gettext("Wait a moment — it's %(team)s's turn!") % {"team": team.name(ctx.gettext)}


def pairs_text(pairs: int, ctx: ActivityContext) -> str:
    return ctx.ngettext("%(n)d pair", "%(n)d pairs", pairs) % {"n": pairs}


@dataclass(frozen=True)
class BarLayout:
    """Where the bar's parts go on the screen."""

    bar: pygame.Rect
    marker: pygame.Rect
    chips: tuple[pygame.Rect, ...]
    #: What the bar paints: the bar and the pointer under the playing team's chip.
    painted: pygame.Rect
    #: What is left of the area for the cards (and their focus ring).
    cards: pygame.Rect


def bar_layout(ctx: ActivityContext, area: pygame.Rect, teams: int) -> BarLayout:
    """The bar across the top of `area` (inside its margin) for `teams` teams, and the
    room left below it for the cards."""
    m = ctx.ui.metrics
    inner = area.inflate(-2 * m.margin, 0)
    bar = pygame.Rect(inner.left, area.top + m.px(12), inner.width, m.px(BAR_H))
    gap = m.px(14)
    # The marker gets the room its sentence needs; the chips share the rest.
    marker_w = int(bar.width * (0.44 if teams <= 3 else 0.36))
    marker = pygame.Rect(bar.left, bar.top, marker_w, bar.height)
    room = bar.right - (marker.right + m.px(24))
    chip_w = (room - (teams - 1) * gap) // teams
    chips = tuple(
        pygame.Rect(marker.right + m.px(24) + i * (chip_w + gap), bar.top, chip_w, bar.height)
        for i in range(teams)
    )
    # The pointer under the playing team's chip reaches below the bar.
    painted = bar.inflate(0, 0)
    painted.height += m.px(14)
    top = painted.bottom + m.px(16)
    cards = pygame.Rect(area.left, top, area.width, area.bottom - top)
    return BarLayout(bar, marker, chips, painted, cards)


class TeamBar:
    """The bar's picture, drawn again only when the turn, a team's pairs, the reminder or
    the language change."""

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx
        self._cached: tuple[object, pygame.Surface] | None = None

    def draw(
        self,
        surface: pygame.Surface,
        layout: BarLayout,
        teams: Sequence[Team],
        pairs: Sequence[int],
        turn: int,
        waiting: bool,
    ) -> None:
        """The bar at `layout.bar`; `waiting` shows the reminder instead of the turn."""
        key = (tuple(pairs), turn, waiting, self.ctx.lang, layout.bar.size, len(teams))
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, self._picture(layout, teams, pairs, turn, waiting))
        surface.blit(self._cached[1], layout.bar)

    def _picture(
        self,
        layout: BarLayout,
        teams: Sequence[Team],
        pairs: Sequence[int],
        turn: int,
        waiting: bool,
    ) -> pygame.Surface:
        ui = self.ctx.ui
        m = ui.metrics
        bar = layout.bar
        picture = pygame.Surface(layout.painted.size, pygame.SRCALPHA)
        h = bar.height

        def local(rect: pygame.Rect) -> pygame.Rect:
            return rect.move(-bar.left, -bar.top)

        playing = teams[turn]
        marker = local(layout.marker)
        picture.blit(
            draw.rounded_card(marker.size, h // 2, playing.color, m.px(5), theme.INK), marker
        )
        text = wait_text(playing, self.ctx) if waiting else turn_text(playing, self.ctx)
        kit.draw_turn_line(
            picture,
            ui,
            marker,
            playing.animal,
            text,
            picture_px=int(h * 0.78),
            text_height=int(h * 0.9),
            max_lines=2,
        )
        size = self._chip_text_size(layout.chips[0])
        for team, rect in zip(teams, layout.chips, strict=True):
            self._chip(picture, local(rect), team, pairs[team.index], team.index == turn, size)
        return picture

    def _text_box(self, chip: pygame.Rect) -> pygame.Rect:
        """Where a chip's "3 pairs" goes: right of the animal's place."""
        m = self.ctx.ui.metrics
        h = chip.height
        left = chip.left + h // 6 + int(h * 0.66) + m.px(6)
        return pygame.Rect(left, chip.top + h // 10, chip.right - h // 5 - left, int(h * 0.8))

    def _chip_text_size(self, chip: pygame.Rect) -> int:
        """One text size for every chip, whatever its count (up to a level's 10 pairs), so
        the chips look alike and keep their size as the pairs are found."""
        ui = self.ctx.ui
        m = ui.metrics
        width = self._text_box(chip).width
        texts = [pairs_text(n, self.ctx) for n in range(11)]
        size = m.font_size("heading")
        while size > m.px(14):
            font = ui.text.font(size, "bold")
            if all(font.size(text)[0] <= width for text in texts):
                break
            size -= max(1, size // 20)
        return size

    def _chip(
        self,
        picture: pygame.Surface,
        rect: pygame.Rect,
        team: Team,
        pairs: int,
        active: bool,
        text_size: int,
    ) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        h = rect.height
        fill = team.color if active else theme.lighten(team.color, 0.55)
        border = m.px(6) if active else m.px(2)
        picture.blit(draw.rounded_card(rect.size, h // 2, fill, border, theme.WHITE), rect)
        slot = int(h * 0.66)
        animal = ui.images.emoji(team.animal, slot)
        if not active:
            animal = animal.copy()
            animal.fill((255, 255, 255, 150), special_flags=pygame.BLEND_RGBA_MULT)
        picture.blit(animal, animal.get_rect(center=(rect.left + h // 6 + slot // 2, rect.centery)))
        box = self._text_box(rect)
        words = ui.text.fit(
            pairs_text(pairs, self.ctx),
            box.size,
            text_size,
            theme.INK,
            weight="bold",
            max_lines=1,
            min_size=m.px(14),
        )
        picture.blit(words, words.get_rect(center=box.center))
        if active:
            # A pointer under the playing team's chip: the turn reads at a glance.
            tip = rect.bottom + m.px(12)
            half = m.px(12)
            pygame.draw.polygon(
                picture,
                theme.INK,
                [
                    (rect.centerx, tip),
                    (rect.centerx - half, rect.bottom),
                    (rect.centerx + half, rect.bottom),
                ],
            )
