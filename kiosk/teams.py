"""Teams with game controllers in a group session: which pad is which team, and how each
team looks (its colour and animal) wherever it appears — the Controllers step of the
group setup, the team games' score bars, their end screens.

The group setup's Controllers step builds a `Teams` (each team pressed A on its pad to
join, in the order they joined) and the shell hands it to every activity of the session
as `ctx.session.teams`; None when the group plays without pads. A game that has a team
mode checks `ctx.session.teams` and finds the team of a key press with
`teams.of_pad(event.pad)`.

Only a number leaves the kiosk: the session's record says how many controllers played
(`len(teams)`), never which pads or who held them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kiosk.ui.theme import TILE_COLORS, Color

MAX_TEAMS = 4

#: The four team looks in joining order: colour and animal (a bundled emoji picture).
#: The first two are the quiz's long-standing Fox and Bear teams.
LOOKS: tuple[tuple[Color, str], ...] = (
    (TILE_COLORS[0], "fox"),
    (TILE_COLORS[2], "bear"),
    (TILE_COLORS[1], "frog"),
    (TILE_COLORS[3], "owl"),
)


def _team_names(gettext: Callable[[str], str]) -> dict[str, str]:
    return {
        "fox": gettext("Team Fox"),
        "bear": gettext("Team Bear"),
        "frog": gettext("Team Frog"),
        "owl": gettext("Team Owl"),
    }


@dataclass(frozen=True)
class Team:
    """One team: its place in joining order (0–3), the pad slot it plays with (0–3, see
    kiosk.pads), and its look."""

    index: int
    pad: int
    color: Color
    animal: str

    def name(self, gettext: Callable[[str], str]) -> str:
        """ "Team Fox" in the current language."""
        return _team_names(gettext)[self.animal]


@dataclass(frozen=True)
class Teams:
    """The teams of a group session, in joining order (1 to 4)."""

    teams: tuple[Team, ...]

    @classmethod
    def from_pads(cls, pads: list[int]) -> Teams:
        """Teams for pads in the order they joined: the first gets Fox, the second Bear…"""
        if len(pads) > MAX_TEAMS or len(set(pads)) != len(pads):
            raise ValueError(f"1 to {MAX_TEAMS} different pads, not {pads}")
        return cls(
            tuple(
                Team(index, pad, color, animal)
                for index, (pad, (color, animal)) in enumerate(zip(pads, LOOKS, strict=False))
            )
        )

    def of_pad(self, pad: int | None) -> Team | None:
        """The team playing with pad slot `pad`; None for the keyboard or a pad that did not
        join."""
        for team in self.teams:
            if team.pad == pad:
                return team
        return None

    def __len__(self) -> int:
        return len(self.teams)

    def __iter__(self) -> Iterator[Team]:
        return iter(self.teams)

    def __getitem__(self, index: int) -> Team:
        return self.teams[index]
