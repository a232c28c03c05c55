"""The PIN pad's lockout, kept on disk so that restarting the kiosk gives no fresh tries.

Five wrong PINs in a row lock the pad for a minute. After that every further wrong PIN
locks it again at once, each time twice as long as the last (2, 4, 8 … minutes, at most an
hour), until the right PIN is typed. A day with no wrong PIN forgets the tally.

Times are the shell's wall clock in UTC (fake in tests), because a restart starts a new
monotonic clock. The state lives in `pin-lockout.json` in the station's data folder (the
folder the kiosk account may write, kept through restarts even on restore-at-reboot PCs;
the config folder is read-only for that account on a locked-down station). When the file
cannot be written the lockout still works in memory and the log says why; when it cannot
be read or makes no sense, the pad is treated as locked for a minute — never locked for
good, never silently reset."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from kiosk.fileio import atomic_write

log = logging.getLogger(__name__)

LOCKOUT_FILE = "pin-lockout.json"
MAX_TRIES = 5
BASE_LOCK_S = 60.0
MAX_LOCK_S = 3600.0
FORGET_AFTER = timedelta(hours=24)


@dataclass
class LockoutState:
    """What the file holds. `pin_id` ties the tally to one stored PIN: a new PIN (set with
    `kiosk set-pin`) starts with a clean slate."""

    pin_id: str = ""
    #: Wrong PINs since the last right one (or since the tally was forgotten).
    wrong: int = 0
    #: How often the pad has locked since then: the next lock lasts BASE_LOCK_S * 2**locks.
    locks: int = 0
    locked_at: datetime | None = None
    lock_s: float = 0.0
    last_wrong: datetime | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "pin_id": self.pin_id,
                "wrong": self.wrong,
                "locks": self.locks,
                "locked_at": self.locked_at.isoformat() if self.locked_at else None,
                "lock_s": self.lock_s,
                "last_wrong": self.last_wrong.isoformat() if self.last_wrong else None,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> LockoutState:
        """Raises ValueError (or KeyError, TypeError) for anything but a sane state."""
        data = json.loads(text)

        def moment(value: object) -> datetime | None:
            if value is None:
                return None
            parsed = datetime.fromisoformat(str(value))
            if parsed.tzinfo is None:
                raise ValueError("time without a zone")
            return parsed

        state = cls(
            pin_id=str(data["pin_id"]),
            wrong=int(data["wrong"]),
            locks=int(data["locks"]),
            locked_at=moment(data["locked_at"]),
            lock_s=float(data["lock_s"]),
            last_wrong=moment(data["last_wrong"]),
        )
        if state.wrong < 0 or state.locks < 0 or not 0 <= state.lock_s <= MAX_LOCK_S:
            raise ValueError("counts out of range")
        return state


class Lockout:
    """The lockout of one station's PIN pad; `path` None keeps it in memory only."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.state = LockoutState()
        self._loaded = path is None
        self._write_failed = False

    def locked_for(self, now: datetime, pin_id: str) -> float:
        """Seconds until the pad opens again (0 when it is open)."""
        self._load(now, pin_id)
        state = self.state
        if state.locked_at is None:
            return 0.0
        if now < state.locked_at:
            # The clock went back (a PC that lost its time, then corrected it): count the
            # lock from now, so it can never last longer than it was meant to.
            state.locked_at = now
            self._save()
        return max(0.0, state.lock_s - (now - state.locked_at).total_seconds())

    def tries_left(self) -> int:
        """Wrong PINs that may still be typed before the pad locks."""
        if self.state.locks:
            return 1
        return max(0, MAX_TRIES - self.state.wrong)

    def wrong_pin(self, now: datetime, pin_id: str) -> None:
        self._load(now, pin_id)
        state = self.state
        if state.last_wrong is not None and now - state.last_wrong > FORGET_AFTER:
            state = self.state = LockoutState(pin_id=pin_id)
        state.wrong += 1
        state.last_wrong = now
        if state.locks or state.wrong >= MAX_TRIES:
            state.lock_s = min(MAX_LOCK_S, BASE_LOCK_S * 2**state.locks)
            state.locked_at = now
            state.locks += 1
            log.warning(
                "a wrong librarian PIN (%d in a row): the PIN pad is locked for %.0f s",
                state.wrong,
                state.lock_s,
            )
        self._save()

    def right_pin(self, pin_id: str) -> None:
        if self.state == LockoutState(pin_id=pin_id):
            return
        self.state = LockoutState(pin_id=pin_id)
        self._save()

    # ----- the file ------------------------------------------------------------------

    def _load(self, now: datetime, pin_id: str) -> None:
        if not self._loaded:
            self._loaded = True
            self.state = self._read(now, pin_id)
        if pin_id and self.state.pin_id != pin_id:
            # Another PIN was set since this tally began: it starts afresh.
            self.state = LockoutState(pin_id=pin_id)
            self._save()

    def _read(self, now: datetime, pin_id: str) -> LockoutState:
        assert self.path is not None
        try:
            return LockoutState.from_json(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return LockoutState(pin_id=pin_id)
        except OSError as exc:
            problem = f"cannot be read ({exc.strerror})"
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            problem = f"makes no sense ({exc})"
        log.warning(
            "the PIN lockout file %s %s; the PIN pad stays locked for %.0f s to be safe, "
            "then allows one try at a time until the right PIN is typed",
            self.path,
            problem,
            BASE_LOCK_S,
        )
        state = LockoutState(pin_id=pin_id, locks=1, locked_at=now, lock_s=BASE_LOCK_S)
        self.state = state
        self._save()
        return state

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            # atomic_write makes the file with mkstemp: readable by its owner only (0600).
            atomic_write(self.path, self.state.to_json().encode("utf-8"))
        except OSError as exc:
            if not self._write_failed:
                log.warning(
                    "cannot write the PIN lockout file %s (%s); the lockout works until "
                    "the kiosk restarts. Make the data folder writable for the kiosk's account",
                    self.path,
                    exc.strerror,
                )
            self._write_failed = True
        else:
            if self._write_failed:
                log.info("the PIN lockout file %s can be written again", self.path)
            self._write_failed = False
