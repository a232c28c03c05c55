"""The creations' writer thread: the render thread hands over what to write and goes on.

Encoding a picture and the fsyncs of an atomic write take tens of milliseconds on an old
PC, more on a busy disk; a tool that autosaved from `update()` stalled the screen that
long. Tools still call `Creation.write_png()` and `Creation.save()` as before; with a
`CreationWriter` the store gives each creation, those calls only queue a job.

Jobs run one at a time in the order they were queued, so a creation.json that names a
picture is written after the picture. Every file is still written atomically
(`kiosk.fileio.atomic_write`): a killed process loses at most the jobs still waiting,
never leaves half a file, and the folder holds the previous consistent version. A job that
fails is logged and the next one runs (the child's work goes on in memory)."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Seconds `close()` waits for the last jobs before it leaves them (the kiosk is stopping).
CLOSE_WAIT_S = 30.0

Job = Callable[[], None]


class CreationWriter:
    """One daemon thread writing creations' files in order; started at the first job."""

    def __init__(self, name: str = "creations-writer") -> None:
        self.name = name
        self._jobs: deque[Job] = deque()
        self._changed = threading.Condition()
        self._busy = False
        self._thread: threading.Thread | None = None
        self._closing = False

    @property
    def waiting(self) -> int:
        """Jobs queued or running."""
        with self._changed:
            return len(self._jobs) + (1 if self._busy else 0)

    def submit(self, job: Job) -> None:
        """Queue `job`; returns at once."""
        with self._changed:
            self._jobs.append(job)
            self._closing = False
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every job queued so far has run; False when `timeout` ran out first.
        For readers off the render thread (the librarian's review, exports, shutdown)."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._jobs and not self._busy, timeout)

    def close(self, timeout: float = CLOSE_WAIT_S) -> None:
        """Write what is queued (waiting at most `timeout`) and let the thread end."""
        done = self.flush(timeout)
        if not done:
            log.warning("creations: %d writes were still waiting at shutdown", self.waiting)
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None and done:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._jobs) or self._closing)
                if not self._jobs:
                    self._thread = None
                    return
                job = self._jobs.popleft()
                self._busy = True
            try:
                job()
            except Exception:
                log.exception("creations: a write failed; the folder keeps its previous version")
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()
