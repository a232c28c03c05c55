"""`kiosk run` keeps the kiosk shell alive: if it dies, it is started again.

The shell runs as a child process. Supervision ends when the supervisor itself is asked
to stop (SIGTERM or SIGINT — a system shutdown, `systemctl stop`, Ctrl+C): it forwards the
signal to the shell, remembers that it did, and whatever the shell's status then, starts
none again. Otherwise it ends only on the shell's status 0, the librarian's "Exit to
desktop". Status 2 is the shell refusing to start over a bad config or a broken
installation (its message says what to fix): restarting cannot help, so supervision ends
with status 2. Any other end is a crash, logged, and the shell restarts at once — the
usage store then closes the interrupted session as `crash`. That includes a signal sent
to the shell alone (an out-of-memory killer, an administrator's stray `kill`): the shell
then ends cleanly with status 128 + the signal's number, never 0, so the room does not
get a desktop just because someone stopped the shell rather than the kiosk.

Crashes may heal (a driver comes back, a disk gets space again), so the supervisor never
gives up on them; it backs off. After 5 crashes within a minute it shows the "out of
order, please tell the librarian" screen for `backoff_s` (a minute) before trying again,
and every further such round doubles the wait, up to `max_backoff_s` (5 minutes), instead
of flickering through restarts. A shell that ran for a minute before it crashed starts the
count afresh. (A full disk is not even a crash: the shell keeps running with recording
paused, see `kiosk.usage.store`.)"""

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
MAX_BACKOFF_S = 300.0
#: The shell's status for "bad usage, config or input" (DESIGN §5): final.
REFUSED = 2


class Supervisor:
    def __init__(
        self,
        child: Sequence[str],
        out_of_order: Sequence[str] | None = None,
        *,
        max_crashes: int = MAX_CRASHES,
        window_s: float = CRASH_WINDOW_S,
        backoff_s: float = BACKOFF_S,
        max_backoff_s: float = MAX_BACKOFF_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.child = list(child)
        self.out_of_order = list(out_of_order) if out_of_order else None
        self.max_crashes = max_crashes
        self.window_s = window_s
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.clock = clock
        self.sleep = sleep
        self.crashes: deque[float] = deque()
        self.restarts = 0
        #: How long each out-of-order pause so far lasted, in seconds.
        self.pauses: list[float] = []
        self._next_pause_s = backoff_s
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

    def run(
        self,
        started: subprocess.Popen[bytes] | None = None,
        early_signals: Sequence[int] = (),
    ) -> int:
        """Supervise until the shell exits cleanly, refuses to start, or a stop signal
        arrives; returns 0, or 2 when the shell refused to start.

        `started`: the first shell, when the caller started it before it set up the
        supervisor (kiosk.launch, so the first screen comes sooner); `early_signals`: stop
        signals that arrived meanwhile, passed on to it now."""
        previous = {
            sig: signal.signal(sig, self._forward) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            if started is not None:
                self.process = started
                log.info("kiosk shell started (pid %d)", started.pid)
            for signum in early_signals:
                self._forward(signum, None)
            return self._supervise(started)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _supervise(self, first: subprocess.Popen[bytes] | None) -> int:
        while True:
            if first is None and self.stopping:  # a stop came between two shells: start none
                log.info("supervision ends")
                return 0
            started = self.clock()
            if first is not None:
                self.process, first = first, None
            else:
                self.process = subprocess.Popen(self.child)
                log.info("kiosk shell started (pid %d)", self.process.pid)
            status = self.process.wait()
            if self.stopping:
                # 128 + the signal: the shell took the stop and shut down in order.
                log.info("kiosk shell stopped as asked (status %d); supervision ends", status)
                return 0
            if status == 0:
                log.info("kiosk shell ended (status 0); supervision ends")
                return 0
            if status == REFUSED:
                # A bad config or a broken installation: restarting cannot help.
                log.error("kiosk shell refused to start (status 2); supervision ends")
                return REFUSED
            now = self.clock()
            if now - started >= self.window_s:
                # It served for a while: a new problem, not the last one coming back.
                self.crashes.clear()
                self._next_pause_s = self.backoff_s
            self.crashes.append(now)
            while self.crashes and now - self.crashes[0] > self.window_s:
                self.crashes.popleft()
            signum = -status if status < 0 else status - 128 if status > 128 else 0
            if signum:
                log.error(
                    "kiosk shell ended by signal %d (status %d) though the supervisor was "
                    "not asked to stop; restarting it",
                    signum,
                    status,
                )
            else:
                log.error("kiosk shell crashed (status %d); restarting it", status)
            self.restarts += 1
            if len(self.crashes) >= self.max_crashes:
                pause = self._next_pause_s
                log.error(
                    "%d crashes within %.0f s: out of order for %.0f s",
                    len(self.crashes),
                    self.window_s,
                    pause,
                )
                self.pauses.append(pause)
                self._out_of_order(pause)
                self._next_pause_s = min(pause * 2, self.max_backoff_s)
                self.crashes.clear()
                if self.stopping:
                    return 0

    def _out_of_order(self, seconds: float) -> None:
        deadline = self.clock() + seconds
        if self.out_of_order is not None:
            self.process = subprocess.Popen(self.out_of_order)
            try:
                status = self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                return
            if status == 0:
                # The librarian unlocked the out-of-order screen and left to the desktop.
                log.info("out-of-order screen ended (status 0); supervision ends")
                self.stopping = True
                return
            log.error("out-of-order screen ended (status %d); waiting out the pause", status)
        # No screen, or it could not stay up: still wait, never restart in a tight loop.
        while not self.stopping and self.clock() < deadline:
            self.sleep(min(0.2, deadline - self.clock()))
