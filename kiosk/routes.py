"""Where a scene may send the shell: one frozen value per destination, with its arguments.

Scenes never import each other (DESIGN §2); they import these values and hand one to the
shell (`shell.go(routes.Launcher())`, `shell.push(routes.Panel())`). The shell maps each
kind of route to the scene that shows it (kiosk/shell/scene_table.py), so a misspelt
destination or a missing argument is a type error, not a KeyError at run time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.activities import RegisteredActivity
    from kiosk.pads import Pads
    from kiosk.ui.scoreboard import TeamScore


@dataclass(frozen=True)
class Attract:
    """The attract screen: no session; a tap starts one."""


@dataclass(frozen=True)
class OutOfOrder:
    """The supervisor's pause, or the librarian's "out of order" sign."""


@dataclass(frozen=True)
class AgePicker:
    """The optional age question at the start of a child's session."""


@dataclass(frozen=True)
class Launcher:
    """The activity tiles of the open session."""


@dataclass(frozen=True)
class Activity:
    """One activity, hosted by the shell (which catches whatever it raises)."""

    activity: RegisteredActivity


@dataclass(frozen=True)
class Oops:
    """ "Something went wrong" after an activity failed; goes on to the launcher."""


@dataclass(frozen=True)
class IdlePrompt:
    """The overlay asking whether anyone is still playing."""


@dataclass(frozen=True)
class TimeUp:
    """A group's timer ran out; `teams` is the final score of a team game, if one ran."""

    teams: tuple[TeamScore, ...] = ()


@dataclass(frozen=True)
class PinPad:
    """The librarian's PIN pad (an overlay)."""


@dataclass(frozen=True)
class Panel:
    """The librarian panel."""


@dataclass(frozen=True)
class GroupSetup:
    """The librarian starts a group session."""


@dataclass(frozen=True)
class ControllersStep:
    """The group setup's last step: teams join with their game controllers. It carries
    the librarian's choices so far, and starts the session with them."""

    headcount: int
    age_band: str | None
    activity: str | None
    minutes: int | None


@dataclass(frozen=True)
class Creations:
    """The librarian reviews the children's creations."""


@dataclass(frozen=True)
class VoiceClips:
    """The librarian records or removes voice clips."""


@dataclass(frozen=True)
class Showtime:
    """The group's creations shown one after another on the big screen; with
    `creation_id`, only that one (the librarian watches and hears it before sharing it),
    and Done goes back to where it was opened from."""

    creation_id: str | None = None


@dataclass(frozen=True)
class PadMissing:
    """A game controller was pulled out mid-game (an overlay that waits for it)."""

    pads: Pads


Route = (
    Attract
    | OutOfOrder
    | AgePicker
    | Launcher
    | Activity
    | Oops
    | IdlePrompt
    | TimeUp
    | PinPad
    | Panel
    | GroupSetup
    | ControllersStep
    | Creations
    | VoiceClips
    | Showtime
    | PadMissing
)
