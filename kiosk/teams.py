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

from collections.abc import Callable, Iterator, Sequence
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


def _unplugged(gettext: Callable[[str], str]) -> dict[str, str]:
    # One whole sentence per team: Latvian and Lithuanian need the team's name in the
    # genitive here ("Pūču komandas pults…"), which a name put into a pattern would miss.
    return {
        "fox": gettext("Team Fox's controller is unplugged."),
        "bear": gettext("Team Bear's controller is unplugged."),
        "frog": gettext("Team Frog's controller is unplugged."),
        "owl": gettext("Team Owl's controller is unplugged."),
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

    def unplugged(self, gettext: Callable[[str], str]) -> str:
        """ "Team Fox's controller is unplugged." in the current language."""
        return _unplugged(gettext)[self.animal]


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

    @classmethod
    def from_places(cls, places: Sequence[int | None]) -> Teams:
        """Teams for the Controllers step's four places (Fox, Bear, Frog, Owl), each the pad
        that holds it or None. A team keeps its look when a team before it leaves: pads
        at places [0, None, 2] are Team Fox and Team Frog (indices 0 and 1)."""
        if len(places) > MAX_TEAMS:
            raise ValueError(f"at most {MAX_TEAMS} places, not {list(places)}")
        held = [pad for pad in places if pad is not None]
        if len(set(held)) != len(held):
            raise ValueError(f"a pad holds two places: {list(places)}")
        teams: list[Team] = []
        for place, pad in enumerate(places):
            if pad is not None:
                color, animal = LOOKS[place]
                teams.append(Team(len(teams), pad, color, animal))
        return cls(tuple(teams))

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
