"""The shell's time: injected, so the headless harness and `kiosk monkey` step frames
deterministically."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class SystemClock:
    """Real time: monotonic seconds for timers, UTC wall time for records."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """Time that moves only when told to (tests, monkey)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._t = 1000.0
        self._start_wall = start or datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
        self._start_t = self._t

    def advance(self, seconds: float) -> None:
        self._t += seconds

    def monotonic(self) -> float:
        return self._t

    def wall(self) -> datetime:
        return self._start_wall + timedelta(seconds=self._t - self._start_t)


Clock = SystemClock | FakeClock
