"""What the librarian panel reads and does beyond scenes: the week's usage, recording
health, the office sync, and leaving the kiosk."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.sessions import SessionManager, UsageReader

if TYPE_CHECKING:
    from kiosk.fleet.station import OfficeContent
    from kiosk.sync.service import SyncService
    from kiosk.usage.stats import RecentUsage

log = logging.getLogger(__name__)


class LibrarianDesk:
    def __init__(
        self,
        config: Config,
        usage: UsageReader | None,
        sessions: SessionManager,
        wall: Callable[[], datetime],
        stop: Callable[[], None],
        office: OfficeContent,
    ) -> None:
        #: The settings in force (the office may replace them between visits).
        self.config = config
        self._office = office
        #: The usage store read back (None with a memory sink: nothing to show).
        self.usage = usage
        self._sessions = sessions
        self._wall = wall
        self._stop = stop
        #: Background sync to the project office (set once started; None when not set up).
        self.sync: SyncService | None = None

    def recent_usage(self) -> RecentUsage:
        """The last seven days' counts, in the site's dates, through the store's reader."""
        today = self._wall().astimezone(ZoneInfo(self.config.site.timezone)).date()
        if self.usage is None:
            from kiosk.usage.stats import empty_recent_usage

            return empty_recent_usage(today)
        return self.usage.recent_usage(today)

    def usage_problems(self) -> list[str]:
        """Problems the usage store wants the librarian to know of."""
        return [] if self.usage is None else [note.message for note in self.usage.problems()]

    def group_defaults(self) -> dict[str, Any]:
        """The group form's starting values set at the office (headcount, minutes, age_band)."""
        return self._office.group_defaults()

    def exit_to_desktop(self) -> None:
        """The librarian leaves the kiosk: a clean stop that the supervisor respects."""
        log.info("librarian exit to desktop")
        self._sessions.end_session("librarian")
        self._stop()
