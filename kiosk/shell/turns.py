"""The main loop's pace: which turns update and repaint, how often input is polled, and the
sound device closed while the attract screen rests (docs/architecture.md, "The main loop").

On a screen where nothing moves, a turn that updated and repainted nothing still cost about
twice a bare window's event poll (CPU caches gone cold between turns), and SDL's audio
thread, mixing silence some forty times a second, cost a resting kiosk more than that."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.sound import SoundService
    from kiosk.voice.service import VoiceService

log = logging.getLogger(__name__)

#: Input polling rate while nothing on screen moves: a tap is noticed within 50 ms.
IDLE_POLL_FPS = 20
#: Input polling rate while the attract screen rests (no child there for a minute): the
#: first touch is noticed within 100 ms, and the screen wakes at the next frame.
REST_POLL_FPS = 10


class Turns:
    """Which turns of the main loop update. A turn that sees input always does; one that
    sees none does only from `due_at` on, and the time of the turns that did not is added
    to the next update's dt (`take_dt`), so timers lose nothing."""

    def __init__(self) -> None:
        #: The loop's time (clock.monotonic) from which a turn without input updates.
        self.due_at = -math.inf
        #: How often the loop polls input now.
        self.poll_fps = IDLE_POLL_FPS
        #: Turns that only polled input (tests, benchmarks).
        self.quiet = 0
        self._skipped_s = 0.0
        self._scenes_changed = False

    def only_polls(self, now: float, dt: float) -> bool:
        """True when this turn, which saw no input, has nothing due: it only polls input."""
        if now >= self.due_at:
            return False
        self.quiet += 1
        self._skipped_s += dt
        return True

    def take_dt(self, dt: float) -> float:
        """The dt of the update this turn makes: its own and the quiet turns' before it."""
        dt, self._skipped_s = self._skipped_s + dt, 0.0
        return dt

    def update_now(self) -> None:
        """Input came: this turn updates (and the next, which plans again)."""
        self.due_at = -math.inf

    def scenes_change(self) -> None:
        """The stack changes: the time the quiet turns skipped was the old scenes' (a PIN
        pad opened over a screen that waited a minute must not count that minute)."""
        self._skipped_s = 0.0
        self.due_at = -math.inf
        # Also when it changes during an update: what follows a change (the child's
        # language back after the librarian's screens) is looked at in the next turn.
        self._scenes_changed = True

    def plan(
        self,
        now: float,
        frame_rate: int,
        every_turn: bool,
        scenes_due: Callable[[], float],
        session_due: Callable[[], float],
        resting: Callable[[], bool],
    ) -> bool:
        """After a turn that updated: when the next turn without input must update, and
        how often to poll input until then.

        Whatever moves faster than every other poll (`frame_rate`: the scenes' need, the
        librarian's hold), or `every_turn` (a held pad direction, speech about to start):
        every turn, as always during play. Slower (the panel's twice a second, a message's
        countdown): the frames it asks for. Still: when the scenes (`Scene.update_due`) or
        the session controller next have something to do; and while the attract screen
        is `resting`, input is polled at `REST_POLL_FPS`. True when it rests."""
        changed, self._scenes_changed = self._scenes_changed, False
        if 2 * frame_rate > IDLE_POLL_FPS or every_turn or changed:
            self.due_at = now
            self.poll_fps = max(frame_rate, IDLE_POLL_FPS)
            return False
        self.poll_fps = IDLE_POLL_FPS
        if frame_rate > 0:
            # A quarter of a poll early: the turn that falls about then updates, not the next.
            self.due_at = min(now + 1 / frame_rate - 0.25 / IDLE_POLL_FPS, session_due())
            return False
        scenes = scenes_due()
        if scenes <= now:  # a still activity: its update runs at every turn
            self.due_at = now
            return False
        self.due_at = min(scenes, session_due())
        if not resting():
            return False
        self.poll_fps = REST_POLL_FPS
        return True


class SoundRest:
    """The sound device, closed while the attract screen rests and opened again by the
    first input, before the input is handled, so the tap it makes is heard.

    The voice lets go of the mixer first; while it is still preparing a text the device
    stays open (tried again at the next update at rest). The device also stays open once a
    microphone was opened (kiosk.sound.SoundService.suspend says why)."""

    def __init__(self, sounds: SoundService, voice: Callable[[], VoiceService]) -> None:
        self.sounds = sounds
        self._voice = voice
        #: The attract screen rests: the sound device is closed (when it could be).
        self.resting = False

    def rest(self) -> None:
        if self.resting:
            return
        voice = self._voice()
        if not voice.suspend():
            return
        self.resting = True
        if not self.sounds.suspend():
            voice.resume(self.sounds.available)

    def wake(self) -> None:
        if not self.resting:
            return
        self.resting = False
        self.sounds.resume()
        self._voice().resume(self.sounds.available)
