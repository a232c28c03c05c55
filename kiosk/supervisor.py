"""`kiosk run` keeps the kiosk shell alive: if it dies, it is started again at once.

The shell runs as a child process. A clean exit (status 0: the librarian's "Exit to
desktop", or a system shutdown) ends supervision; any other end is a crash, logged, and the
shell restarts — the usage store then closes the interrupted session as `crash`. After 5
crashes within a minute the supervisor shows the "out of order, please tell the librarian"
screen for a minute before trying again, instead of flickering through restarts."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from types import FrameType

log = logging.getLogger(__name__)

MAX_CRASHES = 5
CRASH_WINDOW_S = 60.0
BACKOFF_S = 60.0


class Supervisor:
    def __init__(
        self,
        child: Sequence[str],
        out_of_order: Sequence[str] | None = None,
        *,
        max_crashes: int = MAX_CRASHES,
        window_s: float = CRASH_WINDOW_S,
        backoff_s: float = BACKOFF_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.child = list(child)
        self.out_of_order = list(out_of_order) if out_of_order else None
        self.max_crashes = max_crashes
        self.window_s = window_s
        self.backoff_s = backoff_s
        self.clock = clock
        self.crashes: deque[float] = deque()
        self.restarts = 0
        self.stopping = False
        self.process: subprocess.Popen[bytes] | None = None

    def _forward(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True
        if self.process is None or self.process.poll() is not None:
            return
        if sys.platform == "win32":
            # Windows sends no signals between processes: Popen can only terminate
            # (SIGTERM) and refuses SIGINT. Ctrl+C reaches every process of the console,
            # the shell included, by itself; a SIGTERM raised here ends the shell.
            if signum == signal.SIGTERM:
                self.process.terminate()
            return
        self.process.send_signal(signum)

    def run(self) -> int:
        """Supervise until the shell exits cleanly or a stop signal arrives."""
        previous = {
            sig: signal.signal(sig, self._forward) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            return self._supervise()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _supervise(self) -> int:
        while True:
            self.process = subprocess.Popen(self.child)
            log.info("kiosk shell started (pid %d)", self.process.pid)
            status = self.process.wait()
            if self.stopping or status == 0:
                log.info("kiosk shell ended (status %d); supervision ends", status)
                return 0
            if status == 2:
                # A bad config or a broken installation: restarting cannot help.
                log.error("kiosk shell refused to start (status 2); supervision ends")
                return 2
            now = self.clock()
            self.crashes.append(now)
            while self.crashes and now - self.crashes[0] > self.window_s:
                self.crashes.popleft()
            log.error("kiosk shell crashed (status %d); restarting it", status)
            self.restarts += 1
            if len(self.crashes) >= self.max_crashes:
                log.error(
                    "%d crashes within %.0f s: out of order for %.0f s",
                    len(self.crashes),
                    self.window_s,
                    self.backoff_s,
                )
                self._out_of_order()
                self.crashes.clear()
                if self.stopping:
                    return 0

    def _out_of_order(self) -> None:
        if self.out_of_order is None:
            deadline = self.clock() + self.backoff_s
            while not self.stopping and self.clock() < deadline:
                time.sleep(0.2)  # a real wait between real processes, not a test clock
            return
        self.process = subprocess.Popen(self.out_of_order)
        try:
            self.process.wait(timeout=self.backoff_s)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
