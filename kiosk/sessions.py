"""Sessions and activity runs as the shell sees them, reported as usage events.

The shell never writes usage data itself (DESIGN §2: one store owner). It tells a
`UsageSink` what happened — a session started, a run ended — and the sink records it:
`MemoryUsageSink` keeps events in a list (tests, `kiosk monkey`); the usage store
(`kiosk.usage`) writes them to SQLite on its own thread.

Nothing here identifies a child: ids are random, and the only facts are the kind of
session, a headcount, an optional age band, the language and times."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.usage.errors import DiskTrouble
    from kiosk.usage.stats import RecentUsage

SessionKind = Literal["solo", "group"]
SessionEndReason = Literal["idle", "home", "librarian", "timer", "crash", "shutdown"]
RunOutcome = Literal["completed", "quit", "idle", "error"]


# What a usage reader tells the librarian panel (defined here, beside the reader's
# protocol, so the shell needs nothing from the store to name them).


@dataclass(frozen=True)
class ProblemNote:
    """A problem for the librarian panel; `code` is stable, `message` is English detail."""

    id: int
    at: datetime
    code: str
    message: str


@dataclass(frozen=True)
class RecordingPaused:
    """Why usage is not being written right now (the librarian panel warns)."""

    #: "full": the disk (or a quota) has no room; "unwritable": read-only or failing.
    trouble: DiskTrouble
    #: The data folder on the disk in question.
    folder: Path
    #: The error as the OS or SQLite put it (English, for the log).
    detail: str
    since: datetime


@dataclass(frozen=True)
class SessionStarted:
    session_id: str
    kind: SessionKind
    headcount: int
    age_band: str | None
    language: str
    at: datetime
    #: How many game controllers play in this (group) session: the teams that joined in
    #: the setup's Controllers step. None when no pad joined. A number, never an identity.
    controllers: int | None = None


@dataclass(frozen=True)
class SessionChanged:
    """The age band or language was picked after the session began."""

    session_id: str
    age_band: str | None
    language: str


@dataclass(frozen=True)
class SessionHeartbeat:
    session_id: str
    at: datetime


@dataclass(frozen=True)
class SessionEnded:
    session_id: str
    reason: SessionEndReason
    at: datetime


@dataclass(frozen=True)
class RunStarted:
    run_id: str
    session_id: str
    activity: str
    level: int | None
    at: datetime


@dataclass(frozen=True)
class RunEnded:
    run_id: str
    outcome: RunOutcome
    level: int | None
    score: int | None
    at: datetime


UsageEvent = (
    SessionStarted | SessionChanged | SessionHeartbeat | SessionEnded | RunStarted | RunEnded
)


class UsageSink(Protocol):
    def record(self, event: UsageEvent) -> None:
        """Take an event; must return at once (never block a frame)."""

    def close(self) -> None:
        """Flush and stop; called once at shutdown."""


class UsageReader(Protocol):
    """What the librarian panel reads back from the usage store (`kiosk.usage.UsageStore`)."""

    #: Set while the disk takes no writes; None when recording runs.
    recording_paused: RecordingPaused | None
    #: Events that could not be written (logged); 0 in a healthy kiosk.
    dropped: int

    def problems(self) -> list[ProblemNote]:
        """Problems not yet dismissed, oldest first."""

    def recent_usage(self, today: date) -> RecentUsage:
        """Totals of `today` and the six days before it, read through the store's reader."""


@dataclass
class MemoryUsageSink:
    events: list[UsageEvent] = field(default_factory=list)

    def record(self, event: UsageEvent) -> None:
        self.events.append(event)

    def close(self) -> None:
        pass

    def of_type(self, kind: type) -> list[UsageEvent]:
        return [e for e in self.events if isinstance(e, kind)]


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class OpenRun:
    run_id: str
    activity: str
    level: int | None = None
    score: int | None = None


@dataclass
class OpenSession:
    session_id: str
    kind: SessionKind
    headcount: int
    age_band: str | None
    language: str
    #: Wall-clock start (the librarian panel shows how long a group has been going).
    started_at: datetime
    run: OpenRun | None = None
    controllers: int | None = None


class SessionManager:
    """Opens and closes sessions and runs, and tells the sink. At most one of each is open."""

    def __init__(self, sink: UsageSink, wall_clock: Callable[[], datetime]) -> None:
        self.sink = sink
        self._wall = wall_clock
        self.current: OpenSession | None = None

    def start_session(
        self,
        kind: SessionKind,
        headcount: int,
        age_band: str | None,
        language: str,
        *,
        controllers: int | None = None,
    ) -> OpenSession:
        if self.current is not None:
            self.end_session("home")
        session = OpenSession(
            new_id(), kind, headcount, age_band, language, self._wall(), controllers=controllers
        )
        self.current = session
        self.sink.record(
            SessionStarted(
                session.session_id,
                kind,
                headcount,
                age_band,
                language,
                session.started_at,
                controllers=controllers,
            )
        )
        return session

    def change_session(self, *, age_band: str | None = None, language: str | None = None) -> None:
        session = self.current
        if session is None:
            return
        if age_band is not None:
            session.age_band = age_band
        if language is not None:
            session.language = language
        self.sink.record(SessionChanged(session.session_id, session.age_band, session.language))

    def heartbeat(self) -> None:
        if self.current is not None:
            self.sink.record(SessionHeartbeat(self.current.session_id, self._wall()))

    def end_session(self, reason: SessionEndReason, run_outcome: RunOutcome = "quit") -> None:
        session = self.current
        if session is None:
            return
        self.end_run(run_outcome)
        self.sink.record(SessionEnded(session.session_id, reason, self._wall()))
        self.current = None

    def start_run(self, activity: str, level: int | None = None) -> OpenRun | None:
        session = self.current
        if session is None:
            return None
        self.end_run("quit")
        run = OpenRun(new_id(), activity, level)
        session.run = run
        self.sink.record(RunStarted(run.run_id, session.session_id, activity, level, self._wall()))
        return run

    def begin_round(self, activity: str, level: int | None, *, first: bool) -> None:
        """An activity starts a round: the run opened when the child came in becomes the
        `first` round (it takes the level); any later round is a run of its own."""
        run = self.run
        if run is not None and first:
            run.level = level
        else:
            self.start_run(activity, level)

    def set_progress(self, level: int | None = None, score: int | None = None) -> None:
        """The open run's level and score so far (recorded when it ends)."""
        run = self.run
        if run is not None:
            run.level = run.level if level is None else level
            run.score = run.score if score is None else score

    @property
    def run(self) -> OpenRun | None:
        return self.current.run if self.current is not None else None

    def end_run(self, outcome: RunOutcome) -> None:
        run = self.run
        if run is None or self.current is None:
            return
        self.sink.record(RunEnded(run.run_id, outcome, run.level, run.score, self._wall()))
        self.current.run = None
