"""The scene contract and what a scene may ask of the shell.

Scenes form a stack. Each has the same small lifecycle (`on_enter`, `on_exit`,
`on_pause`, `on_resume`, `handle_event`, `update`, `draw`). Drawing starts at the top-most
opaque scene, so covered scenes cost nothing. Scenes never import each other: they ask
the shell for a transition by name (`shell.go("launcher")`)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Protocol

import pygame

from kiosk.input import InputEvent, KeyEvent

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from kiosk.activities import RegisteredActivity
    from kiosk.config import Config
    from kiosk.creations import CreationStore
    from kiosk.i18n import Translator
    from kiosk.librarian.access import GroupClock
    from kiosk.librarian.pin import PinCheck
    from kiosk.packs.library import PackLibrary, PackPictures
    from kiosk.sessions import SessionManager
    from kiosk.sync.service import SyncService
    from kiosk.ui.widgets import UI
    from kiosk.usage.stats import RecentUsage


class Shell(Protocol):
    config: Config
    ui: UI
    translator: Translator
    sessions: SessionManager
    activities: list[RegisteredActivity]
    kiosk_mode: bool
    random: random.Random
    packs: PackLibrary
    pictures: PackPictures
    pins: PinCheck
    group_clock: GroupClock | None
    fixed_activity: str | None
    #: The activity the launcher opened last (Home returns to the page that holds it).
    launcher_activity: str | None
    data_folder: Path | None
    #: Children's creations (None without a data folder).
    creations: CreationStore | None
    #: Background sync to the project office (None when not set up).
    sync: SyncService | None
    #: Why the session is ending while the scenes close (idle, home…); None otherwise.
    ending_session: str | None

    def go(self, name: str, **kwargs: Any) -> None:
        """Replace the whole stack with the named scene."""

    def push(self, name: str, **kwargs: Any) -> None:
        """Put the named scene on top (an overlay)."""

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

    def end_session(self, reason: str) -> None:
        """End the current session (and its open run) and return to the attract screen."""

    def group_home(self) -> None:
        """In a group session: back to the group's fixed activity or a fresh launcher."""

    def group_defaults(self) -> dict[str, Any]:
        """The group form's starting values set at the office (headcount, minutes, age_band)."""

    def room_closed(self) -> bool:
        """Outside the opening hours set at the office (nothing may start)."""

    def report_error(self, where: str) -> None:
        """Log the exception being handled and count it; shows nothing by itself."""

    def recent_usage(self) -> RecentUsage:
        """The last seven days' counts (librarian panel)."""

    def usage_problems(self) -> list[str]:
        """Problems the usage store reports (librarian panel)."""

    def exit_to_desktop(self) -> None:
        """Stop the kiosk on the librarian's request."""

    def start_group(
        self, headcount: int, age_band: str | None, activity: str | None, minutes: int | None
    ) -> None:
        """Start a librarian's group session."""


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
        self.ui = shell.ui

    @property
    def size(self) -> tuple[int, int]:
        return self.ui.metrics.width, self.ui.metrics.height

    def _(self, message: str) -> str:
        return self.shell.translator.gettext(message)

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

    def handle_event(self, event: InputEvent) -> bool:
        return False

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass


def is_back_key(event: InputEvent) -> bool:
    return isinstance(event, KeyEvent) and event.key == pygame.K_ESCAPE
