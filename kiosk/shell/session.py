"""The child's visit as the shell keeps it: idle time-out, group clock, heartbeat, and the
librarian's way in (the unlock gesture and the station's own language while the PIN pad
or panel shows).

Sessions and runs themselves are opened and closed by the `SessionManager`
(kiosk/sessions.py), the only thing that tells the usage sink; this controller decides
*when* — from the clock and the input — and which screen follows."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

import pygame

from kiosk import routes
from kiosk.activities import RegisteredActivity
from kiosk.config import Config
from kiosk.i18n import Translator
from kiosk.input import InputEvent
from kiosk.librarian.access import GroupClock, UnlockGesture
from kiosk.sessions import SessionEndReason, SessionManager
from kiosk.teams import Teams
from kiosk.ui.scoreboard import TeamScore

HEARTBEAT_S = 30.0


class Navigator(Protocol):
    """What the controller asks of the shell that owns the scenes."""

    def go(self, route: routes.Route) -> None: ...

    def push(self, route: routes.Route) -> None: ...

    def showing(self, kind: type[routes.Route]) -> bool:
        """A scene for this kind of route is open (anywhere in the stack)."""

    def top_in_session(self) -> bool:
        """The top scene shows the child's session (launcher, activity)."""

    def team_scores(self) -> list[TeamScore]:
        """The running team game's scores, if one runs."""

    def language_changed(self) -> None:
        """Tell every open scene the interface language changed."""


class SessionController:
    """One per shell. Scenes read the group state and ask it to end or start sessions."""

    def __init__(
        self,
        config: Config,
        sessions: SessionManager,
        translator: Translator,
        activities: list[RegisteredActivity],
        monotonic: Callable[[], float],
        corner: Callable[[], pygame.Rect],
        nav: Navigator,
        room_open: Callable[[], bool] = lambda: True,
    ) -> None:
        self.config = config
        self.sessions = sessions
        self.translator = translator
        self.activities = activities
        self._now = monotonic
        self._nav = nav
        self._room_open = room_open
        #: Watches every input for the librarian's hold in the corner or Ctrl+Alt+L.
        self.unlock = UnlockGesture(corner)
        self.group_clock: GroupClock | None = None
        #: In a group session the librarian may fix one activity: the launcher shows only it.
        self.fixed_activity: str | None = None
        #: The activity the launcher opened last: Home returns to the page that holds it.
        self.launcher_activity: str | None = None
        #: The group's teams with game controllers (the setup's Controllers step); every
        #: activity of the session gets them as `ctx.session.teams`.
        self.teams: Teams | None = None
        #: Why the session is ending while the scenes close (activities' on_session_end).
        self.ending: str | None = None
        #: The child's language while the PIN pad or panel shows the station's own.
        self._child_language: str | None = None
        self._last_input = monotonic()
        self._last_heartbeat = monotonic()

    # ----- input -----------------------------------------------------------------------

    def note_input(self) -> None:
        """Count as child activity (also for input scenes synthesise)."""
        self._last_input = self._now()

    def observe(self, event: InputEvent) -> bool:
        """Every input passes here first; True when it opened the librarian's PIN pad (the
        scenes then do not see it)."""
        now = self._now()
        self._last_input = now
        if self.unlock.observe(event, now):
            self.open_librarian()
            return True
        return False

    # ----- sessions --------------------------------------------------------------------

    def _forget_group(self) -> None:
        self.group_clock = None
        self.fixed_activity = None
        self.launcher_activity = None
        self.teams = None

    def end_session(self, reason: SessionEndReason) -> None:
        """End the current session (and its open run) and return to the attract screen."""
        self.sessions.end_session(reason, run_outcome="idle" if reason == "idle" else "quit")
        self._forget_group()
        self.translator.set_language(self.translator.default)
        self._leave(reason, routes.Attract())

    def _leave(self, reason: str, route: routes.Route) -> None:
        self.ending = reason
        try:
            self._nav.go(route)
        finally:
            self.ending = None

    def start_group(
        self,
        headcount: int,
        age_band: str | None,
        activity: str | None,
        minutes: int | None,
        teams: Teams | None = None,
    ) -> None:
        """A librarian's group session: it replaces whatever session was open. `teams` are
        the teams that joined with game controllers; the session's record keeps only how
        many."""
        if self.sessions.current is not None:
            self.sessions.end_session("librarian")
        self.sessions.start_session(
            "group",
            headcount,
            age_band,
            self.translator.lang,
            controllers=len(teams) if teams else None,
        )
        self.teams = teams if teams else None
        self.fixed_activity = activity
        self.launcher_activity = None
        self.group_clock = GroupClock(self._now() + minutes * 60) if minutes else None
        self._nav.go(routes.Launcher())

    def group_home(self) -> None:
        """Where the launcher's waving hand leads in a group session, which only the
        librarian or the timer ends: the group's fixed activity, or a fresh launcher."""
        self.launcher_activity = None
        fixed = next((a for a in self.activities if a.id == self.fixed_activity), None)
        if fixed is not None:
            self._nav.go(routes.Activity(fixed))
        else:
            self._nav.go(routes.Launcher())

    def room_closed(self) -> bool:
        """Outside the opening hours the office set: the attract screen starts nothing."""
        return not self._room_open()

    def _group_time_is_up(self) -> None:
        """The timer ran out: a team game's scores are read before it closes, so the
        "time is up" screen can show them as the final score."""
        teams = tuple(self._nav.team_scores())
        self.sessions.end_session("timer")
        self._forget_group()
        self._leave("timer", routes.TimeUp(teams))

    # ----- the librarian ---------------------------------------------------------------

    def _librarian_open(self) -> bool:
        return self._nav.showing(routes.PinPad) or self._nav.showing(routes.Panel)

    def open_librarian(self) -> None:
        """The PIN pad (unless it or the panel is already open), in the station's own
        language: the child's comes back when the librarian returns to the children."""
        if self._librarian_open():
            return
        if self._child_language is None:
            self._child_language = self.translator.lang
        # Not set_language: the session's language stays the child's.
        self.translator.set_language(self.translator.default)
        self._nav.push(routes.PinPad())

    def forget_child_language(self) -> None:
        """The whole screen changed: whatever the librarian did next decides the language."""
        self._child_language = None

    def _leave_librarian_language(self) -> bool:
        """True when the child's language came back (the screen must be repainted)."""
        if self._child_language is None or self._librarian_open():
            return False
        lang, self._child_language = self._child_language, None
        if lang != self.translator.lang:
            self.translator.set_language(lang)
            self._nav.language_changed()
        return True

    # ----- every frame -----------------------------------------------------------------

    def update(self) -> bool:
        """Heartbeat, the unlock hold, the group timer and idleness; True when the whole
        screen must be repainted. Called after the scenes' own update."""
        now = self._now()
        session = self.sessions.current
        if session is not None and now - self._last_heartbeat >= HEARTBEAT_S:
            self._last_heartbeat = now
            self.sessions.heartbeat()
        if self.unlock.completed(now):
            self.open_librarian()
        clock = self.group_clock
        if clock is not None and clock.remaining(now) <= 0 and not self._nav.showing(routes.TimeUp):
            self._group_time_is_up()
            return True
        if self._may_go_idle() and now - self._last_input >= self.config.session.idle_timeout_s:
            self._nav.push(routes.IdlePrompt())
        return False

    def _may_go_idle(self) -> bool:
        session = self.sessions.current
        return (
            self._nav.top_in_session()
            and (session is None or session.kind == "solo")  # groups end by timer or librarian
            and not self._nav.showing(routes.IdlePrompt)
        )

    def update_due(self, now: float) -> float:
        """When `update` and `before_update` next have something to do if no input comes
        (kiosk.scenes.base.Scene.update_due): the heartbeat, the idle time-out; every turn
        while a group's clock runs or a hold is under way. (The child's language comes back
        when the librarian's screens close: the turn after a change of scenes updates.)"""
        if self.group_clock is not None or self.unlock.holding:
            return now
        due = math.inf
        if self.sessions.current is not None:
            due = self._last_heartbeat + HEARTBEAT_S
        if self._may_go_idle():
            due = min(due, self._last_input + self.config.session.idle_timeout_s)
        return due

    def before_update(self) -> bool:
        """Checked before the scenes update, not at `pop`: the PIN pad closes itself just
        before the panel opens. True when the screen must be repainted."""
        return self._leave_librarian_language()
