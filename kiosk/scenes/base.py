"""The scene contract and what a scene may ask of the shell.

Scenes form a stack. Each has the same small lifecycle (`on_enter`, `on_exit`,
`on_pause`, `on_resume`, `handle_event`, `update`, `draw`). Drawing starts at the top-most
opaque scene, so covered scenes cost nothing. Scenes never import each other: they ask
the shell for a transition with a typed route (`shell.go(routes.Launcher())`,
kiosk/routes.py)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Protocol

import pygame

from kiosk.input import InputEvent, KeyEvent

if TYPE_CHECKING:
    from datetime import datetime

    from kiosk.librarian.access import GroupClock
    from kiosk.pads import Pads
    from kiosk.routes import Route
    from kiosk.services import Services
    from kiosk.sessions import SessionEndReason, SessionManager, UsageReader
    from kiosk.sync.service import SyncService
    from kiosk.teams import Teams
    from kiosk.usage.stats import RecentUsage


class SessionControl(Protocol):
    """The child's visit as the shell keeps it (kiosk/shell/session.py)."""

    group_clock: GroupClock | None
    #: In a group session the librarian may fix one activity: the launcher shows only it.
    fixed_activity: str | None
    #: The activity the launcher opened last (Home returns to the page that holds it).
    launcher_activity: str | None
    #: Why the session is ending while the scenes close (idle, home…); None otherwise.
    ending: str | None
    #: The teams of a group session that joined with game controllers; None otherwise.
    teams: Teams | None

    def end_session(self, reason: SessionEndReason) -> None:
        """End the current session (and its open run) and return to the attract screen."""

    def start_group(
        self,
        headcount: int,
        age_band: str | None,
        activity: str | None,
        minutes: int | None,
        teams: Teams | None = None,
    ) -> None:
        """Start a librarian's group session (with the teams that joined with pads)."""

    def group_home(self) -> None:
        """In a group session: back to the group's fixed activity or a fresh launcher."""

    def room_closed(self) -> bool:
        """Outside the opening hours set at the office (nothing may start)."""


class Desk(Protocol):
    """What the librarian panel reads and does beyond scenes (kiosk/shell/desk.py)."""

    #: The usage store read back (None with a memory sink).
    usage: UsageReader | None
    #: Background sync to the project office (None when not set up).
    sync: SyncService | None

    def recent_usage(self) -> RecentUsage:
        """The last seven days' counts."""

    def usage_problems(self) -> list[str]:
        """Problems the usage store reports."""

    def exit_to_desktop(self) -> None:
        """Stop the kiosk on the librarian's request."""

    def group_defaults(self) -> dict[str, Any]:
        """The group form's starting values set at the office (headcount, minutes, age_band)."""


class Shell(Protocol):
    """What a scene sees of the shell: services, the records, the visit, the librarian's
    desk, and eight calls."""

    @property
    def services(self) -> Services: ...

    @property
    def sessions(self) -> SessionManager:
        """Sessions and runs: the only way to open, change or close them."""

    @property
    def session(self) -> SessionControl: ...

    @property
    def desk(self) -> Desk: ...

    @property
    def pads(self) -> Pads:
        """The game controllers plugged in (the Controllers step reads them)."""

    def go(self, route: Route) -> None:
        """Replace the whole stack with the scene for `route`."""

    def push(self, route: Route) -> None:
        """Put the scene for `route` on top (an overlay)."""

    def pop(self, scene: Scene) -> None:
        """Remove `scene` (an overlay) from the stack."""

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        """Repaint `rect` (default: everything) at the next frame."""

    def now(self) -> float:
        """Seconds on the shell's monotonic clock."""

    def wall_now(self) -> datetime:
        """The shell's wall-clock time, in UTC (fake in tests, like `now`)."""

    def set_language(self, lang: str) -> None:
        """Switch the interface language for everything on screen."""

    def report_error(self, where: str) -> None:
        """Log the exception being handled and count it; shows nothing by itself."""


class Scene:
    #: False for overlays that let the scene below show through.
    opaque: bool = True
    #: Scenes that show the child's session (launcher, activities) count toward idle time;
    #: the attract screen does not.
    in_session: bool = True
    #: Leaving it frees much memory (an activity's pictures): the shell collects garbage.
    releases_memory: bool = False

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.services = shell.services
        self.ui = shell.services.ui

    @property
    def size(self) -> tuple[int, int]:
        return self.ui.metrics.width, self.ui.metrics.height

    def _(self, message: str) -> str:
        return self.services.translator.gettext(message)

    def on_enter(self) -> None:
        self.layout()

    def on_exit(self) -> None:
        pass

    def on_pause(self) -> None:
        pass

    def on_resume(self) -> None:
        pass

    def layout(self) -> None:
        """Build widgets for the current size and language."""

    def on_language_changed(self) -> None:
        self.layout()

    @property
    def frame_rate(self) -> int:
        """Frames per second the scene needs now (animations, countdowns); 0 when still.
        The main loop runs no faster than the top need, so a calm screen costs little."""
        return 0

    def update_due(self, now: float) -> float:
        """While nothing moves (every scene's `frame_rate` is 0) and no input comes: the
        shell's time (`shell.now()`) at which `update` next has something to do. The main
        loop skips the turns before it (kiosk/shell/app.py), so a still screen costs only
        its input poll. The default asks for every turn, unless the scene has no `update`
        of its own."""
        return now if type(self).update is not Scene.update else math.inf

    def handle_event(self, event: InputEvent) -> bool:
        return False

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass


def is_back_key(event: InputEvent) -> bool:
    return isinstance(event, KeyEvent) and event.key == pygame.K_ESCAPE
