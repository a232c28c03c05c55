"""`SyncService`: the kiosk's background sync, on its own thread.

Every `sync.interval_minutes` (and at once when the librarian presses "Sync now") the
worker pushes the pending totals to the office (`kiosk.sync.client.push_pending`). When
the office cannot be reached it tries again after a backoff with full jitter (30 s, 60 s,
… up to an hour); a refused token or a refused body waits for the normal interval.

The render thread never waits for it: the panel reads `status()`, a small immutable
snapshot taken under a lock. The last success, the last error and the last conflict count
are also kept in the usage database (through `kiosk.usage.outbox`), so the panel shows them
after a restart. `stop()` returns within about a second even while a request is on its way:
the thread is a daemon and is left to finish on its own.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Config

if TYPE_CHECKING:
    import httpx

    from kiosk.sync.client import Backoff, OfficeClient, PushResult
    from kiosk.usage import Outbox

log = logging.getLogger(__name__)

#: Seconds after start-up before the first sync: the kiosk's first minutes belong to the
#: children's screen, not to the network.
FIRST_DELAY_S = 60.0
STOP_WAIT_S = 1.0


@dataclass(frozen=True)
class SyncStatus:
    """What the librarian panel shows about sync, at one moment."""

    #: "" when set up; else "office_url" or "token_file" (the config setting that is empty).
    not_set_up: str = ""
    #: A push is on its way now.
    running: bool = False
    last_success_at: datetime | None = None
    #: Stable code of the last attempt's failure ("" after a success); see kiosk.sync.client.
    last_error: str = ""
    #: The HTTP status behind `last_error`, when the office answered.
    last_error_status: int | None = None
    #: Rows the office ignored (conflicts) in the last push.
    last_conflicts: int = 0
    #: Totals rows not yet at the office; None until first counted.
    rows_waiting: int | None = None
    #: Seconds until the next automatic attempt, when the last one failed and backs off.
    retry_in_s: float | None = None
    #: Pushes finished since start (tests wait on it).
    attempts: int = 0


class SyncService:
    """Background sync for one kiosk. Build, `start()`, and `stop()` at shutdown."""

    def __init__(
        self,
        config: Config,
        data_dir: Path,
        *,
        wall: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        backoff: Backoff | None = None,
        http: Callable[[], httpx.Client] | None = None,
        first_delay_s: float = FIRST_DELAY_S,
    ) -> None:
        self.config = config
        self.data_dir = data_dir
        self._wall = wall
        self._monotonic = monotonic
        self._rng = rng or random.Random()
        self._backoff = backoff
        self._http_factory = http
        self._first_delay_s = first_delay_s
        self._interval_s = config.sync.interval_minutes * 60.0
        self._lock = threading.Condition()
        self._wake = threading.Event()
        self._stopping = False
        self._sync_requested = False
        self._count_requested = False
        self._failures = 0
        #: The worker has taken a push on (guarded by _lock).
        self._pushing = False
        self._retry_at: float | None = None
        self._status = SyncStatus(not_set_up=_not_set_up(config))
        self._thread: threading.Thread | None = None

    # ----- for the shell and the panel ---------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="office-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        """Ask the worker to end and wait at most `timeout` seconds for it."""
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def sync_now(self) -> int:
        """Push as soon as the worker is free; returns the attempt count to wait for."""
        with self._lock:
            self._sync_requested = True
            target = self._status.attempts + (2 if self._pushing else 1)
            self._status = replace(self._status, running=not self._status.not_set_up)
        self._wake.set()
        return target

    def refresh(self) -> None:
        """Count the rows waiting again (the panel was opened), without syncing."""
        with self._lock:
            self._count_requested = True
        self._wake.set()

    def status(self) -> SyncStatus:
        with self._lock:
            status = self._status
            if self._retry_at is not None and status.last_error:
                status = replace(status, retry_in_s=max(0.0, self._retry_at - self._monotonic()))
            return status

    def wait_for_attempt(self, attempt: int, timeout: float) -> bool:
        """Wait until `attempt` pushes have finished (tests and `kiosk sync`-like callers)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._status.attempts >= attempt, timeout)

    # ----- the worker --------------------------------------------------------------------

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            self._lock.notify_all()

    def _run(self) -> None:
        from kiosk.sync.client import Backoff, OfficeClient

        backoff = self._backoff or Backoff()
        outbox: Outbox | None = None
        office: OfficeClient | None = None
        try:
            outbox = self._open_outbox()
            if outbox is not None:
                self._load_state(outbox)
            if not self._status.not_set_up and self.config.sync.office_url:
                try:
                    http = self._http_factory() if self._http_factory else None
                    office = OfficeClient(self.config.sync.office_url, http=http)
                except Exception as exc:  # a bad address: show it, keep the kiosk running
                    from kiosk.sync.client import SyncError

                    code = exc.code if isinstance(exc, SyncError) else SyncError.code
                    log.warning("sync: cannot use the office address: %s", exc)
                    self._set(last_error=code)
            due = self._monotonic() + self._first_delay_s
            while True:
                self._wake.wait(max(0.0, due - self._monotonic()))
                self._wake.clear()
                with self._lock:
                    if self._stopping:
                        return
                    requested, self._sync_requested = self._sync_requested, False
                    count, self._count_requested = self._count_requested, False
                    push = requested or self._monotonic() >= due
                    self._pushing = push
                if outbox is None:
                    outbox = self._open_outbox()
                if push:
                    delay = self._attempt(outbox, office, backoff)
                    due = self._monotonic() + delay
                elif count and outbox is not None:
                    self._count(outbox)
        except Exception:
            log.exception("sync: the background sync stopped")
        finally:
            with self._lock:
                self._status = replace(self._status, running=False)
                self._lock.notify_all()
            if office is not None:
                office.close()
            if outbox is not None:
                outbox.close()

    def _open_outbox(self) -> Outbox | None:
        from kiosk.usage import Outbox, UsageStoreError

        try:
            return Outbox.open(self.data_dir)
        except UsageStoreError as exc:
            log.warning("sync: %s", exc)
            self._set(last_error="database")
            return None

    def _load_state(self, outbox: Outbox) -> None:
        try:
            state = outbox.read_state()
            waiting = outbox.rows_waiting()
        except Exception:
            log.exception("sync: cannot read the sync state")
            return
        self._set(
            last_success_at=state.last_success_at,
            last_error=state.last_error,
            last_conflicts=state.last_conflicts,
            rows_waiting=waiting,
        )

    def _count(self, outbox: Outbox) -> None:
        try:
            self._set(rows_waiting=outbox.rows_waiting())
        except Exception:
            log.exception("sync: cannot count the rows waiting")

    def _attempt(
        self, outbox: Outbox | None, office: OfficeClient | None, backoff: Backoff
    ) -> float:
        """One push; returns the seconds until the next automatic one."""
        from kiosk.fleet.client import content_after_totals
        from kiosk.sync.client import LocalDatabaseError, OfficeUnavailable, push_pending

        status = self.status()
        if status.not_set_up or office is None:
            self._finish(replace(status, running=False))
            return self._interval_s
        self._set(running=True)
        if outbox is None:
            self._finish(replace(status, running=False, last_error=LocalDatabaseError.code))
            return self._interval_s
        result: PushResult = push_pending(outbox, office, self.config, now=self._wall)
        error = result.error
        if error is None:
            self._failures = 0
            self._retry_at = None
            delay = self._interval_s
            log.info(
                "sync: %d row(s) sent in %d batch(es), %d conflict(s)",
                result.rows_sent,
                len(result.batches),
                result.conflicts,
            )
            content_after_totals(self.config, self.data_dir)  # packs and settings (kiosk.fleet)
            status = replace(
                status,
                last_error="",
                last_error_status=None,
                last_conflicts=result.conflicts,
                last_success_at=self._wall(),
            )
        else:
            if isinstance(error, OfficeUnavailable):
                self._failures += 1
                delay = backoff.delay(self._failures, self._rng)
            else:
                self._failures = 0
                delay = self._interval_s
            self._retry_at = self._monotonic() + delay
            log.warning("sync: %s (next try in %.0f s)", error, delay)
            status = replace(
                status,
                last_error=error.code,
                last_error_status=error.status,
                last_conflicts=result.conflicts if result.batches else status.last_conflicts,
            )
        self._finish(self._save(outbox, status))
        return delay

    def _finish(self, status: SyncStatus) -> None:
        """Publish the outcome of an attempt (tests and callers wait on `attempts`)."""
        with self._lock:
            self._pushing = False
            self._status = replace(
                status,
                running=False,
                retry_in_s=None,
                attempts=self._status.attempts + 1,
            )
            self._lock.notify_all()

    def _save(self, outbox: Outbox, status: SyncStatus) -> SyncStatus:
        """Keep the outcome in the usage database; returns it with the rows waiting."""
        from kiosk.usage import SyncState

        try:
            outbox.write_state(
                SyncState(
                    last_success_at=status.last_success_at,
                    last_attempt_at=self._wall(),
                    last_error=status.last_error,
                    last_conflicts=status.last_conflicts,
                )
            )
            return replace(status, rows_waiting=outbox.rows_waiting())
        except Exception:
            log.exception("sync: cannot save the sync state")
            return status


def _not_set_up(config: Config) -> str:
    if not config.sync.office_url:
        return "office_url"
    if not config.sync.token_file:
        return "token_file"
    return ""


def start_sync_service(
    config: Config, data_dir: Path | None, wall: Callable[[], datetime]
) -> SyncService | None:
    """The shell's background sync: started when the config names an office and the kiosk
    keeps a data folder; None otherwise (the panel then says sync is not set up)."""
    if not config.sync.office_url or data_dir is None:
        return None
    service = SyncService(config, data_dir, wall=wall)
    service.start()
    return service
