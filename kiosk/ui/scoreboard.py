"""Final team scores, as a group sees them at the end of a team game or when its time runs
out: one card per team (its animal, name and points), a trophy for the winner, and a line
that names the winner or the tie and praises every team.

The tie rule: teams level on the most points share the win — each gets a trophy and the
line names them together ("Team Fox and Team Owl share the win!"); when every team is
level it is simply a tie. No tie-break question: the children have played the game they
chose, and a shared win is the kind end of it.

Games reach it through `kiosk.api` (`TeamScore`, `final_scores`; `verdict` and `winners`
so that a game saying who won out loud follows the same rule); the shell's "time is up"
screen draws the same picture from what the game reported, so a result is never lost."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pygame

from kiosk.ui import draw, theme
from kiosk.ui.widgets import UI

#: What a team's score counts. The card says it in the language on screen when it is
#: drawn, with that language's plural forms; a new unit gets its ngettext line in
#: `score_text` (so the catalogs carry it).
ScoreUnit = Literal["points", "pairs"]


@dataclass(frozen=True)
class TeamScore:
    """One team's standing: its name in the current language ("Team Fox"), its picture
    (a bundled emoji name), its colour and its points — counted in `unit` (Memory counts
    pairs)."""

    name: str
    picture: str
    color: theme.Color
    points: int
    unit: ScoreUnit = "points"


def score_text(team: TeamScore, ngettext: Callable[[str, str, int], str]) -> str:
    """The team's score in its unit, in the current language ("7 points", "3 pairs")."""
    if team.unit == "pairs":
        return ngettext("%(n)d pair", "%(n)d pairs", team.points) % {"n": team.points}
    return ngettext("%(n)d point", "%(n)d points", team.points) % {"n": team.points}


def winners(teams: Sequence[TeamScore]) -> list[int]:
    """The indices of the teams with the most points (all of them for a tie)."""
    if not teams:
        return []
    best = max(team.points for team in teams)
    return [i for i, team in enumerate(teams) if team.points == best]


def verdict(
    teams: Sequence[TeamScore],
    gettext: Callable[[str], str],
) -> tuple[str, str]:
    """(who won or "a tie", praise for every team), in the current language."""
    top = winners(teams)
    names = [teams[i].name for i in top]
    if len(top) == len(teams):
        headline = gettext("It's a tie!")
    elif len(top) == 1:
        headline = gettext("%(team)s wins!") % {"team": names[0]}
    elif len(top) == 2:
        headline = gettext("%(first)s and %(second)s share the win!") % {
            "first": names[0],
            "second": names[1],
        }
    else:
        headline = gettext("%(first)s, %(second)s and %(third)s share the win!") % {
            "first": names[0],
            "second": names[1],
            "third": names[2],
        }
    return headline, gettext("Well done, every team! You played together beautifully.")


def card_rects(ui: UI, size: tuple[int, int], count: int) -> list[pygame.Rect]:
    """Where `final_scores` puts the cards of `count` teams on a board of `size`: side by
    side, centred, over the upper ~64 %."""
    m = ui.metrics
    w, h = size
    gap = m.px(40)
    cards_h = int(h * 0.64)
    card_w = min(m.px(420), (w - (count - 1) * gap) // max(1, count))
    left = (w - (count * card_w + (count - 1) * gap)) // 2
    return [pygame.Rect(left + i * (card_w + gap), 0, card_w, cards_h) for i in range(count)]


def final_scores(
    ui: UI,
    size: tuple[int, int],
    teams: Sequence[TeamScore],
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> pygame.Surface:
    """The score cards side by side over the whole of `size`, with the verdict under them.

    Cards take the upper part; the verdict's two lines the lower ~35 %."""
    m = ui.metrics
    w, h = size
    board = pygame.Surface(size, pygame.SRCALPHA)
    if not teams:
        return board
    best = winners(teams)
    # Shared winners each get a trophy; when every team is level nobody stands out.
    top = set(best) if len(best) < len(teams) else set()
    rects = card_rects(ui, size, len(teams))
    cards_h = rects[0].height
    for i, (team, rect) in enumerate(zip(teams, rects, strict=True)):
        card_w = rect.width
        won = i in top
        card = draw.rounded_card(
            rect.size,
            m.px(30),
            team.color if won or not top else theme.lighten(team.color, 0.35),
            m.px(8) if won else m.px(3),
            theme.WHITE,
        )
        board.blit(card, rect)
        pad = m.px(14)
        picture_side = int(cards_h * 0.42)
        picture = ui.images.emoji(team.picture, picture_side)
        board.blit(picture, picture.get_rect(midtop=(rect.centerx, rect.top + pad)))
        if won:
            trophy = ui.images.emoji("trophy", int(picture_side * 0.55))
            board.blit(trophy, trophy.get_rect(topright=(rect.right - pad, rect.top + pad)))
        name = ui.text.fit(
            team.name,
            (card_w - 2 * pad, int(cards_h * 0.18)),
            m.font_size("body"),
            theme.INK,
            weight="bold",
            max_lines=1,
        )
        name_top = rect.top + pad + picture_side + m.px(4)
        board.blit(name, name.get_rect(midtop=(rect.centerx, name_top)))
        points = ui.text.fit(
            score_text(team, ngettext),
            (card_w - 2 * pad, rect.bottom - pad - (name_top + int(cards_h * 0.18))),
            m.font_size("title"),
            theme.INK,
            weight="bold",
            max_lines=1,
        )
        board.blit(points, points.get_rect(midbottom=(rect.centerx, rect.bottom - pad)))
    headline, praise = verdict(teams, gettext)
    line_h = (h - cards_h - m.px(16)) // 2
    head = ui.text.fit(
        headline, (w, line_h), m.font_size("title"), theme.INK, weight="bold", max_lines=1
    )
    board.blit(head, head.get_rect(midtop=(w // 2, cards_h + m.px(12))))
    kind = ui.text.fit(praise, (w, line_h), m.font_size("heading"), theme.INK, max_lines=2)
    board.blit(kind, kind.get_rect(midtop=(w // 2, cards_h + m.px(16) + line_h)))
    return board
