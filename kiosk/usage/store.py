"""`UsageStore`: the usage sink that writes to SQLite on its own thread.

The render thread calls `record(event)`, which only puts the event on a queue. A single
writer thread owns the database connection (the standard library's `sqlite3`; see
`kiosk.usage.db`): it takes whatever is queued (up to `MAX_BATCH` events),
applies it, refreshes the totals of the hours that changed and commits — one durable
transaction (WAL, synchronous=FULL) per batch, normally a single event, a few
milliseconds after `record()`. A killed process therefore loses at most the events still
in the queue; everything committed stays, and the raw rows and their totals always agree.

Opening (`UsageStore.open`) happens on the writer thread too, and `open` waits for it:
create the data folder, move a damaged database aside, migrate, close sessions a crash left
open, purge old raw rows. Errors there raise `UsageStoreError` (see `kiosk.usage.errors`).
If a batch cannot be written because one of its events does not fit, its events are
retried one by one and only the bad one is logged and counted in `dropped`.

A full, read-only or failing disk (`disk_trouble`) is different: no event is to blame, so
none is dropped. Recording pauses (`recording_paused` says why, for the librarian panel):
events wait in memory, heartbeats of a session folded into its newest one, and the writer
tries again after `RETRY_FIRST_S`, then less often, up to every `RETRY_MAX_S` — so when
space returns everything is written and recording resumes by itself. Only beyond
`MAX_PENDING` waiting events is the oldest one dropped (counted and logged), and what still
waits when the store closes is counted as dropped too. The same holds when the disk is
already full at start: the store opens with recording paused and creates, migrates and
recovers the database once it can, so the kiosk keeps serving children either way.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.sessions import ProblemNote, RecordingPaused, SessionHeartbeat, UsageEvent
from kiosk.usage.db import connect, prepare_database, transaction
from kiosk.usage.errors import (
    UsageDatabaseError,
    UsageStoreError,
    disk_trouble,
    find_disk_trouble,
)
from kiosk.usage.retention import PurgeResult, purge
from kiosk.usage.schema import KV_DB_INSTANCE_ID, from_micros, to_micros
from kiosk.usage.writer import DirtyHours, EventWriter, recover_after_crash

if TYPE_CHECKING:
    from kiosk.usage.stats import RecentUsage

log = logging.getLogger(__name__)

MAX_BATCH = 500
#: Events kept in memory while the disk takes no writes: a busy day and night of a room.
MAX_PENDING = 10_000
#: While recording is paused, the first retry comes after this many seconds, then each
#: wait doubles up to `RETRY_MAX_S`.
RETRY_FIRST_S = 10.0
RETRY_MAX_S = 30.0

WallClock = Callable[[], datetime]


def _system_clock() -> datetime:
    return datetime.now(UTC)


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
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.data_dir = data_dir
        #: "site/station": a database recorded for another one is moved aside at open.
        self.identity = identity
        self.zone = ZoneInfo(timezone)
        self.retention_days = retention_days
        self._clock = clock
        self._monotonic = monotonic
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
        #: Set while the disk takes no writes; None when recording runs.
        self.recording_paused: RecordingPaused | None = None
        self.max_pending = MAX_PENDING
        # Owned by the writer thread: events not yet written, oldest first, and the
        # newest heartbeat of each session that arrived while recording was paused.
        self._pending: deque[UsageEvent] = deque()
        self._heartbeats: dict[str, SessionHeartbeat] = {}
        # The writer thread's connection; None before the database could be opened
        # (`_opened`) and after a failure, until the next write connects again.
        self._opened = False
        self._connection: sqlite3.Connection | None = None
        self._failed_retries = 0
        self._retry_at = 0.0
        self._dropped_while_paused = 0
        # The one read-only connection for readers on other threads (the librarian panel).
        self._reader: sqlite3.Connection | None = None
        self._reader_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        data_dir: Path,
        config: Config,
        *,
        clock: WallClock | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> UsageStore:
        """Open (creating if needed) the store in `data_dir` and start its writer thread.

        A full, read-only or failing disk does not raise: the store opens with recording
        paused (see `recording_paused`). Other problems raise UsageStoreError
        (DataFolderError, DatabaseTooNewError, UsageDatabaseError). `monotonic` times the
        retries while recording is paused (tests pass a fake one)."""
        store = cls(
            data_dir,
            station=config.station.id,
            timezone=config.site.timezone,
            identity=f"{config.site.id}/{config.station.id}",
            retention_days=config.usage.retention_days,
            clock=clock or _system_clock,
            monotonic=monotonic or time.monotonic,
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
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    # ----- extras for the shell and tests ----------------------------------------------

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every event recorded so far is committed — or, while recording is
        paused, kept in memory (`pending`); False on timeout. A retry that is due (see
        `monotonic`) happens first."""
        if self._closed:
            return True
        marker = _Flush(threading.Event())
        self._queue.put(marker)
        return marker.done.wait(timeout)

    @property
    def pending(self) -> int:
        """Events waiting in memory for the disk (0 when recording runs)."""
        return len(self._pending) + len(self._heartbeats)

    def recent_usage(self, today: date) -> RecentUsage:
        """The librarian panel's last seven days (`today` in the site's dates), read on the
        caller's thread through the store's one read-only connection, opened at the first
        call and closed with the store. Zeros while the database could not be opened yet."""
        from kiosk.usage.stats import empty_recent_usage, read_recent_usage

        with self._reader_lock:
            if self.db_path is None or self._closed:
                return empty_recent_usage(today)
            if self._reader is None:
                try:
                    self._reader = connect(self.db_path, writer=False)
                except sqlite3.Error:
                    log.exception("usage: cannot read %s for the librarian panel", self.db_path)
                    return empty_recent_usage(today)
            return read_recent_usage(self._reader, today)

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
        try:
            self._open_database()
        except Exception as exc:
            if disk_trouble(exc) is not None:
                self._pause(exc)  # the kiosk starts anyway; the database comes later
            elif isinstance(exc, UsageStoreError):
                self._startup_error = exc
            else:  # anything else must still reach open(), as a clear error
                log.exception("usage: cannot open the store in %s", self.data_dir)
                self._startup_error = UsageDatabaseError(self.data_dir / "usage.db", repr(exc))
        finally:
            self._ready.set()
        if self._startup_error is not None:
            return
        try:
            self._serve()
        finally:
            self._disconnect()

    def _open_database(self) -> None:
        """Prepare the database (see `kiosk.usage.db.prepare_database`), close what a crash
        left open and purge old raw rows, in one transaction."""
        now = self._clock()
        prepared = prepare_database(self.data_dir, now, self.identity)
        self.db_path = prepared.path
        self.moved_aside = prepared.moved_aside
        conn = self._connect()
        try:
            with transaction(conn):
                dirty = DirtyHours()
                self.recovered_sessions = recover_after_crash(conn, dirty)
                dirty.refresh(conn, self.zone)
                self.purged = purge(conn, self.zone, now, self.retention_days)
                row = conn.execute(
                    "SELECT value FROM kv WHERE key = ?", (KV_DB_INSTANCE_ID,)
                ).fetchone()
                self.db_instance_id = str(row[0]) if row is not None else ""
                self._problems = [
                    ProblemNote(problem_id, from_micros(at), code, message)
                    for problem_id, at, code, message in conn.execute(
                        "SELECT id, at, code, message FROM problems "
                        "WHERE dismissed_at IS NULL ORDER BY id"
                    ).fetchall()
                ]
        except Exception:
            self._disconnect()
            raise
        self._opened = True

    def _connect(self) -> sqlite3.Connection:
        """The writer's connection, opened again after a failure dropped it."""
        if self._connection is None:
            assert self.db_path is not None
            self._connection = connect(self.db_path)
        return self._connection

    def _disconnect(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                log.debug("usage: closing the database connection failed", exc_info=True)
            self._connection = None

    def _serve(self) -> None:
        while True:
            try:
                items = [self._queue.get(timeout=self._retry_wait())]
            except queue.Empty:
                self._write_pending()  # time for a retry
                continue
            while len(items) < MAX_BATCH:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            for item in items:
                if isinstance(item, _Stop):
                    self._write_pending(final=True)
                    return
                if isinstance(item, _Flush):
                    self._write_pending()
                    item.done.set()
                elif isinstance(item, _Dismiss):
                    self._write_pending()
                    self._dismiss(item)
                else:
                    self._keep(item)
            self._write_pending()

    def _retry_wait(self) -> float | None:
        """How long the writer may sleep: for ever unless recording is paused."""
        if self.recording_paused is None:
            return None
        # `monotonic` may be a test's fake clock: wake now and then to look at it.
        return min(max(self._retry_at - self._monotonic(), 0.0), RETRY_FIRST_S)

    def _keep(self, event: UsageEvent) -> None:
        if self.recording_paused is not None and isinstance(event, SessionHeartbeat):
            # Only a session's newest sign of life matters; a long pause must not fill
            # memory (or the log) with them.
            self._heartbeats[event.session_id] = event
            return
        if len(self._pending) >= self.max_pending:
            lost = self._pending.popleft()
            self.dropped += 1
            self._dropped_while_paused += 1
            if self._dropped_while_paused == 1:
                log.error(
                    "usage: %d events wait for the disk, more than can be kept in memory; "
                    "the oldest ones are dropped from now on (first: %r)",
                    self.max_pending,
                    lost,
                )
        self._pending.append(event)

    def _write_pending(self, final: bool = False) -> None:
        """Write what waits, unless recording is paused and no retry is due. At `final`
        (closing) one last try is made, and what still cannot be written is lost."""
        paused = self.recording_paused is not None
        due = not paused or self._monotonic() >= self._retry_at
        # While paused, a due retry runs even with nothing waiting: a database that could
        # not be opened at start is opened as soon as it can, and the panel's warning ends.
        if (due and (paused or self.pending)) or (final and self.pending):
            self._try_writing()
        if final and self.pending:
            lost = self.pending
            self.dropped += lost
            log.error(
                "usage: %d events could not be written before the kiosk stopped "
                "(the disk still takes no writes) and are lost",
                lost,
            )
            self._pending.clear()
            self._heartbeats.clear()

    def _try_writing(self) -> None:
        try:
            if not self._opened:
                self._open_database()
                log.info("usage: the database in %s is open", self.data_dir)
            while self._pending:
                batch = list(islice(self._pending, MAX_BATCH))
                self._write(batch)
            if self._heartbeats:
                self._write(list(self._heartbeats.values()))
                self._heartbeats.clear()
        except Exception as exc:
            if disk_trouble(exc) is None:
                # Not the disk, and not one event (those are handled in `_write`): keep
                # everything and try again later rather than lose it.
                log.exception("usage: could not write to the database in %s", self.data_dir)
            self._pause(exc)
            return
        if self.recording_paused is not None:
            self._resume()

    def _write(self, events: list[UsageEvent]) -> None:
        """Commit `events` and take them off `_pending` (when they are there). An event
        that does not fit is dropped and counted; disk trouble raises and keeps them all."""
        # Not connecting is not an event's fault: it raises and keeps them all.
        conn = self._connect()
        try:
            with transaction(conn):
                dirty = DirtyHours()
                for event in events:
                    self._writer.apply(conn, event, dirty)
                dirty.refresh(conn, self.zone)
        except Exception as exc:
            if disk_trouble(exc) is not None:
                raise
            if len(events) > 1:
                # Find the one event that cannot be written; keep all the others.
                for event in events:
                    self._write([event])
                return
            self.dropped += 1
            log.exception("usage: could not write %r; dropped", events[0])
        for event in events:
            if self._pending and self._pending[0] is event:
                self._pending.popleft()

    def _pause(self, exc: BaseException) -> None:
        self._failed_retries += 1
        delay = min(RETRY_FIRST_S * 2 ** (self._failed_retries - 1), RETRY_MAX_S)
        self._retry_at = self._monotonic() + delay
        # A fresh connection for the retry: the old one may be left in a failed state.
        self._disconnect()
        found = find_disk_trouble(exc)
        trouble, cause = found if found is not None else ("unwritable", exc)
        if self.recording_paused is not None:
            log.debug("usage: still no writes (%s); next try in %.0f s", cause, delay)
            return
        self.recording_paused = RecordingPaused(trouble, self.data_dir, str(cause), self._clock())
        self._dropped_while_paused = 0
        log.warning(
            "usage: recording paused: the disk holding %s takes no writes (%s). Events wait "
            "in memory (up to %d) and are written when it does again; next try in %.0f s",
            self.data_dir,
            cause,
            self.max_pending,
            delay,
        )

    def _resume(self) -> None:
        paused = self.recording_paused
        self.recording_paused = None
        self._failed_retries = 0
        if paused is not None:
            log.warning(
                "usage: recording resumed in %s (paused since %s); %d events were lost meanwhile",
                self.data_dir,
                paused.since.isoformat(timespec="seconds"),
                self._dropped_while_paused,
            )

    def _dismiss(self, item: _Dismiss) -> None:
        if not self._opened:
            return  # the database is not open yet; shown again until it is dismissed then
        try:
            conn = self._connect()
            with transaction(conn):
                conn.execute(
                    "UPDATE problems SET dismissed_at = ? WHERE id = ?",
                    (to_micros(item.at), item.problem_id),
                )
        except Exception:
            log.exception("usage: could not dismiss problem %s", item.problem_id)
