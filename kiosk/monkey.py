"""`kiosk monkey`: the real shell, headless, hammered with random child input.

Taps (a third of them aimed at buttons, so it gets deep into games), finger touches,
drags, keys and idle gaps long enough to trigger "Are you still there?". It never uses
the librarian's way in: no Ctrl+Alt+L and no press in the top-right corner.

With `pads` (four by default) it also plays with game controllers on the real SDL path
(virtual pads, `kiosk.virtual_pads`): every button including Guide, d-pad directions held
long enough to repeat, the sticks, and pads pulled out and plugged in again mid-game.
Where SDL's virtual joysticks are not available it says so and goes on without pads.

Its error count is the shell's errors plus the usage records the store could not save
(its `dropped` count, say on a full disk): a lost record is an error too."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from kiosk import routes
from kiosk.config import Config
from kiosk.harness import Harness
from kiosk.scenes.common import librarian_corner
from kiosk.sessions import RunStarted, SessionStarted, UsageEvent, UsageSink
from kiosk.system import limit_heap_growth

if TYPE_CHECKING:
    from kiosk.virtual_pads import VirtualPad, VirtualPads

KEYS = (
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_TAB,
    pygame.K_RETURN,
    pygame.K_SPACE,
    pygame.K_ESCAPE,
    pygame.K_a,
    pygame.K_BACKSPACE,
    pygame.K_F4,
)


#: The share of events that are game-controller input when pads are plugged in.
PAD_SHARE = 0.3
PAD_BUTTONS = tuple(range(15))  # A … DPAD_RIGHT, Guide included
PAD_DPAD = (
    pygame.CONTROLLER_BUTTON_DPAD_UP,
    pygame.CONTROLLER_BUTTON_DPAD_DOWN,
    pygame.CONTROLLER_BUTTON_DPAD_LEFT,
    pygame.CONTROLLER_BUTTON_DPAD_RIGHT,
)


class PadPlayers:
    """Up to four virtual pads and what children do with them (see the module's doc)."""

    def __init__(self, virtual: VirtualPads, count: int, rng: random.Random) -> None:
        self.virtual = virtual
        self.rng = rng
        self.plugged: list[VirtualPad | None] = [virtual.plug() for _ in range(count)]
        self.unplugs = 0

    def act(self, kiosk: Harness) -> None:
        rng = self.rng
        here = [pad for pad in self.plugged if pad is not None]
        roll = rng.random()
        if roll < 0.04 or not here:
            self._hot_plug(kiosk)
        elif roll < 0.74:
            rng.choice(here).press(rng.choice(PAD_BUTTONS), kiosk.step)
            kiosk.step(rng.randint(0, 1))
        elif roll < 0.88:
            pad, button = rng.choice(here), rng.choice(PAD_DPAD)
            pad.set_button(button, True)
            kiosk.wait(rng.uniform(0.05, 1.5), dt=0.05)  # long holds repeat
            pad.set_button(button, False)
            kiosk.step()
        else:
            pad = rng.choice(here)
            axis = rng.randrange(6)  # both sticks and the triggers
            pad.set_axis(axis, rng.randint(-32768, 32767))
            kiosk.step(rng.randint(1, 3))
            if rng.random() < 0.3:
                kiosk.wait(rng.uniform(0.2, 1.2), dt=0.05)
            pad.set_axis(axis, 0)
            kiosk.step()

    def _hot_plug(self, kiosk: Harness) -> None:
        slot = self.rng.randrange(len(self.plugged))
        pad = self.plugged[slot]
        if pad is None:
            self.plugged[slot] = self.virtual.plug()
        else:
            pad.unplug()
            self.plugged[slot] = None
            self.unplugs += 1
        kiosk.step(self.rng.randint(1, 3))


class CountingSink:
    """Counts sessions and runs on their way to the real sink (if any), keeping nothing,
    so memory stays flat."""

    def __init__(self, inner: UsageSink | None = None) -> None:
        self.inner = inner
        self.sessions = 0
        self.runs = 0

    def record(self, event: UsageEvent) -> None:
        if isinstance(event, SessionStarted):
            self.sessions += 1
        elif isinstance(event, RunStarted):
            self.runs += 1
        if self.inner is not None:
            self.inner.record(event)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()


@dataclass
class MonkeyResult:
    events: int
    sessions: int
    runs: int
    #: The shell's errors plus `lost_records`.
    errors: int
    left_kiosk: bool
    #: The PIN pad or panel opened: the monkey must never find the librarian's way in.
    opened_librarian: bool
    rss_early_kib: int
    #: After half the events: the caches have filled; DESIGN §9's window starts here.
    rss_half_kib: int
    rss_end_kib: int
    #: Usage records the store could not save (kept in memory too long, or at the end).
    lost_records: int = 0
    #: Game controllers plugged in (0 when asked for none or SDL cannot make virtual ones).
    pads: int = 0
    #: Why there were no pads although some were asked for.
    pads_unavailable: str = ""
    #: Pads pulled out along the way, and events after which a game waited for one.
    pad_unplugs: int = 0
    pad_waits: int = 0

    def line(self) -> str:
        return (
            f"monkey: {self.events} events, {self.sessions} sessions, "
            f"{self.runs} activity runs, {self.errors} errors"
        )


def rss_kib() -> int:
    """Resident memory of this process (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * 4


def run_monkey(
    config: Config,
    events: int,
    seed: int,
    size: tuple[int, int] = (1280, 720),
    store: UsageSink | None = None,
    pads: int = 4,
) -> MonkeyResult:
    """Drive a headless kiosk, with `pads` game controllers plugged in (0–4); usage goes to
    `store` (closed at the end) if given."""
    rng = random.Random(seed)
    limit_heap_growth()
    sink = CountingSink(store)
    kiosk = Harness(config, size=size, sink=sink, seed=seed, kiosk_mode=True)
    players: PadPlayers | None = None
    unavailable = ""
    if pads > 0:
        from kiosk.virtual_pads import VirtualPads, VirtualPadsUnavailable

        try:
            players = PadPlayers(VirtualPads(), pads, random.Random(seed + 1))
        except VirtualPadsUnavailable as exc:
            unavailable = str(exc)
    w, h = size
    forbidden = librarian_corner(kiosk.app.ui.metrics).inflate(20, 20)
    early = half = 0
    opened = False
    waits = 0
    idle_limit = config.session.idle_timeout_s + config.session.idle_prompt_s

    def random_point() -> tuple[int, int]:
        while True:
            point = (rng.randrange(w), rng.randrange(h))
            if not forbidden.collidepoint(point):
                return point

    def by_hand(roll: float) -> None:
        if roll < 0.22:
            buttons = [
                b for b in kiosk.buttons() if b.enabled and not forbidden.colliderect(b.rect)
            ]
            point = rng.choice(buttons).rect.center if buttons else random_point()
            kiosk.click(point, frames=rng.randint(1, 3))
        elif roll < 0.55:
            kiosk.click(random_point(), frames=rng.randint(1, 3))
        elif roll < 0.68:
            kiosk.touch(random_point(), finger=rng.randrange(3), frames=rng.randint(1, 3))
        elif roll < 0.76:
            kiosk.drag(random_point(), random_point(), steps=rng.randint(2, 6))
        elif roll < 0.96:
            key = rng.choice(KEYS)
            mod = pygame.KMOD_ALT if key == pygame.K_F4 else 0
            kiosk.key(key, mod=mod, frames=rng.randint(1, 2))
        elif roll < 0.985:
            kiosk.wait(rng.uniform(0.5, 8.0), dt=0.1)
        else:
            # Long enough for the idle prompt, sometimes long enough to end the session.
            kiosk.wait(rng.uniform(idle_limit * 0.6, idle_limit * 1.3), dt=0.5)

    try:
        for n in range(events):
            roll = rng.random()
            if players is not None and roll < PAD_SHARE:
                players.act(kiosk)
            else:
                if players is not None:
                    roll = (roll - PAD_SHARE) / (1 - PAD_SHARE)
                by_hand(roll)
            if n + 1 == max(1, events // 10):
                early = rss_kib()
            if n + 1 == max(1, events // 2):
                half = rss_kib()
            if kiosk.app.showing(routes.PadMissing):
                waits += 1
            if kiosk.app.showing(routes.PinPad) or kiosk.app.showing(routes.Panel):
                opened = True
                kiosk.app.go(routes.Attract())
        left = not kiosk.app.running or opened
        errors = kiosk.app.errors
        rss_end = rss_kib()
    finally:
        if players is not None:
            players.virtual.close()
        kiosk.close()  # closes the store too: what it still could not write counts below
    lost = getattr(store, "dropped", 0)
    return MonkeyResult(
        events=events,
        sessions=sink.sessions,
        runs=sink.runs,
        errors=errors + lost,
        left_kiosk=left,
        opened_librarian=opened,
        rss_early_kib=early,
        rss_half_kib=half,
        rss_end_kib=rss_end,
        lost_records=lost,
        pads=pads if players is not None else 0,
        pads_unavailable=unavailable,
        pad_unplugs=players.unplugs if players is not None else 0,
        pad_waits=waits,
    )


def main(
    config: Config, events: int, seed: int, store: UsageSink | None = None, pads: int = 4
) -> int:
    result = run_monkey(config, events, seed, store=store, pads=pads)
    if result.pads_unavailable:
        print(
            f"monkey: playing without game controllers: {result.pads_unavailable}", file=sys.stderr
        )
    elif result.pads:
        print(f"monkey: {result.pads} game controllers plugged in", file=sys.stderr)
    if result.rss_half_kib:
        growth = (result.rss_end_kib - result.rss_half_kib) / result.rss_half_kib * 100
        print(
            f"memory: {result.rss_early_kib // 1024} MiB after {max(1, events // 10)} events, "
            f"{result.rss_half_kib // 1024} MiB after {max(1, events // 2)}, "
            f"{result.rss_end_kib // 1024} MiB at the end ({growth:+.1f} % over the second half)",
            file=sys.stderr,
        )
    if result.lost_records:
        print(
            f"monkey: {result.lost_records} usage records could not be saved (see the log)",
            file=sys.stderr,
        )
    if result.opened_librarian:
        print("monkey: random input opened the librarian's PIN pad", file=sys.stderr)
    elif result.left_kiosk:
        print("monkey: the kiosk could be left without the librarian PIN", file=sys.stderr)
    print(result.line())
    return 1 if result.errors or result.left_kiosk else 0
