"""`UsageStore`: the usage sink that writes to SQLite on its own thread.

The render thread calls `record(event)`, which only puts the event on a queue. A single
writer thread owns the engine: it takes whatever is queued (up to `MAX_BATCH` events),
applies it, refreshes the totals of the hours that changed and commits — one durable
transaction (WAL, synchronous=FULL) per batch, normally a single event, a few
milliseconds after `record()`. A killed process therefore loses at most the events still
in the queue; everything committed stays, and the raw rows and their totals always agree.

Opening (`UsageStore.open`) happens on the writer thread too, and `open` waits for it:
create the data folder, move a damaged database aside, migrate, close sessions a crash left
open, purge old raw rows. Errors there raise `UsageStoreError` (see `kiosk.usage.errors`).
If a batch cannot be written, its events are retried one by one and the ones that still
fail are logged and counted in `dropped` — the kiosk keeps serving children.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from kiosk.config import Config
from kiosk.sessions import UsageEvent
from kiosk.usage.db import make_engine, prepare_database
from kiosk.usage.errors import UsageDatabaseError, UsageStoreError
from kiosk.usage.models import KV_DB_INSTANCE_ID, KeyValue, Problem
from kiosk.usage.retention import PurgeResult, purge
from kiosk.usage.writer import DirtyHours, EventWriter, recover_after_crash

log = logging.getLogger(__name__)

MAX_BATCH = 500

WallClock = Callable[[], datetime]


def _system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ProblemNote:
    """A problem for the librarian panel; `code` is stable, `message` is English detail."""

    id: int
    at: datetime
    code: str
    message: str


@dataclass(frozen=True)
class _Flush:
    done: threading.Event


@dataclass(frozen=True)
class _Dismiss:
    problem_id: int
    at: datetime


class _Stop:
    pass


_Item = UsageEvent | _Flush | _Dismiss | _Stop


class UsageStore:
    """Records usage events in ``<data folder>/usage.db``. Build with `UsageStore.open`."""

    def __init__(
        self,
        data_dir: Path,
        *,
        station: str,
        timezone: str,
        identity: str | None = None,
        retention_days: int,
        clock: WallClock = _system_clock,
    ) -> None:
        self.data_dir = data_dir
        #: "site/station": a database recorded for another one is moved aside at open.
        self.identity = identity
        self.zone = ZoneInfo(timezone)
        self.retention_days = retention_days
        self._clock = clock
        self._writer = EventWriter(station)
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._startup_error: UsageStoreError | None = None
        self._closed = False
        self._thread: threading.Thread | None = None
        self._problems: list[ProblemNote] = []
        #: Facts from opening, for the log and the librarian panel.
        self.db_path: Path | None = None
        self.db_instance_id = ""
        self.moved_aside: Path | None = None
        self.recovered_sessions = 0
        self.purged: PurgeResult | None = None
        #: Events that could not be written (logged); 0 in a healthy kiosk.
        self.dropped = 0

    @classmethod
    def open(cls, data_dir: Path, config: Config, *, clock: WallClock | None = None) -> UsageStore:
        """Open (creating if needed) the store in `data_dir` and start its writer thread.

        Raises UsageStoreError (DataFolderError, DatabaseTooNewError, UsageDatabaseError)."""
        store = cls(
            data_dir,
            station=config.station.id,
            timezone=config.site.timezone,
            identity=f"{config.site.id}/{config.station.id}",
            retention_days=config.usage.retention_days,
            clock=clock or _system_clock,
        )
        store._start()
        return store

    # ----- the UsageSink protocol ------------------------------------------------------

    def record(self, event: UsageEvent) -> None:
        """Queue an event; returns at once."""
        if self._closed:
            log.warning("usage: %s recorded after close; dropped", type(event).__name__)
            return
        self._queue.put(event)

    def close(self) -> None:
        """Write everything queued, then stop the writer thread. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_Stop())
        if self._thread is not None:
            self._thread.join()

    # ----- extras for the shell and tests ----------------------------------------------

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every event recorded so far is committed; False on timeout."""
        if self._closed:
            return True
        marker = _Flush(threading.Event())
        self._queue.put(marker)
        return marker.done.wait(timeout)

    def problems(self) -> list[ProblemNote]:
        """Problems not yet dismissed, oldest first (read at open; cheap to call)."""
        return list(self._problems)

    def dismiss_problem(self, problem_id: int) -> None:
        """The librarian has seen it: hide it from now on."""
        self._problems = [p for p in self._problems if p.id != problem_id]
        if not self._closed:
            self._queue.put(_Dismiss(problem_id, self._clock()))

    # ----- the writer thread -----------------------------------------------------------

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="usage-writer", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._closed = True
            raise self._startup_error

    def _run(self) -> None:
        engine: Engine | None = None
        try:
            engine = self._open_database()
        except UsageStoreError as exc:
            self._startup_error = exc
        except Exception as exc:  # anything else must still reach open(), as a clear error
            log.exception("usage: cannot open the store in %s", self.data_dir)
            self._startup_error = UsageDatabaseError(self.data_dir / "usage.db", repr(exc))
        finally:
            self._ready.set()
        if engine is None:
            return
        try:
            self._serve(engine)
        finally:
            engine.dispose()

    def _open_database(self) -> Engine:
        now = self._clock()
        prepared = prepare_database(self.data_dir, now, self.identity)
        self.db_path = prepared.path
        self.moved_aside = prepared.moved_aside
        engine = make_engine(prepared.path)
        try:
            with Session(engine) as db, db.begin():
                dirty = DirtyHours()
                self.recovered_sessions = recover_after_crash(db, dirty)
                dirty.refresh(db, self.zone)
                self.purged = purge(db.connection(), self.zone, now, self.retention_days)
                instance = db.get(KeyValue, KV_DB_INSTANCE_ID)
                self.db_instance_id = instance.value if instance is not None else ""
                open_problems = select(Problem).where(Problem.dismissed_at.is_(None))
                self._problems = [
                    ProblemNote(p.id, p.at, p.code, p.message)
                    for p in db.scalars(open_problems.order_by(Problem.id))
                ]
        except Exception:
            engine.dispose()
            raise
        return engine

    def _serve(self, engine: Engine) -> None:
        while True:
            items = [self._queue.get()]
            while len(items) < MAX_BATCH:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            events: list[UsageEvent] = []
            for item in items:
                if isinstance(item, _Flush | _Dismiss | _Stop):
                    self._write(engine, events)
                    events = []
                    if isinstance(item, _Stop):
                        return
                    if isinstance(item, _Flush):
                        item.done.set()
                    else:
                        self._dismiss(engine, item)
                else:
                    events.append(item)
            self._write(engine, events)

    def _write(self, engine: Engine, events: list[UsageEvent]) -> None:
        if not events:
            return
        try:
            with Session(engine) as db, db.begin():
                dirty = DirtyHours()
                for event in events:
                    self._writer.apply(db, event, dirty)
                dirty.refresh(db, self.zone)
        except Exception:
            if len(events) > 1:
                # Find the one event that cannot be written; keep all the others.
                for event in events:
                    self._write(engine, [event])
                return
            self.dropped += 1
            log.exception("usage: could not write %r; dropped", events[0])

    def _dismiss(self, engine: Engine, item: _Dismiss) -> None:
        try:
            with Session(engine) as db, db.begin():
                db.execute(
                    update(Problem)
                    .where(Problem.id == item.problem_id)
                    .values(dismissed_at=item.at)
                )
        except Exception:
            log.exception("usage: could not dismiss problem %s", item.problem_id)
