"""Shell benchmarks for DESIGN §9: cold start, CPU per frame of every scene, idle CPU.

Each figure is measured side by side with a bare-pygame baseline in the same run, the two
alternating round by round, and reported as medians and ratios. Nothing here fails on a
threshold (STYLE habit 9): the exit status is 0 whatever the numbers, 1 only when a
section could not run at all.

    python benchmarks/bench_shell.py [--quick] [--only cold|frames|idle]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from games.memory.game import Card, MemoryPairs
    from kiosk.harness import Harness

SIZE = (1920, 1080)
READY = "BENCH-READY"
COLD_START_TARGET = 5.0
SETTLE_S = 1.0
FRAME_TARGET = 4.0
IDLE_TARGET_PCT = 2.0
#: In play, the benchmark child taps a new card every this many frames (30 fps):
#: about four taps a second, so some card is nearly always mid-flip.
TAP_EVERY = 8
FRAME_S = 1 / 30  # the harness's fixed time step


@dataclass(frozen=True)
class Plan:
    cold_runs: int
    frame_rounds: int
    frames_per_block: int
    repaints_per_block: int
    idle_seconds: float
    idle_rounds: int


FULL = Plan(
    cold_runs=11,
    frame_rounds=9,
    frames_per_block=120,
    repaints_per_block=20,
    idle_seconds=10.0,
    idle_rounds=2,
)
QUICK = Plan(
    cold_runs=3,
    frame_rounds=3,
    frames_per_block=48,
    repaints_per_block=8,
    idle_seconds=3.0,
    idle_rounds=1,
)


@dataclass(frozen=True)
class Row:
    """One line of the final summary; `ok` is None when there is no target to meet."""

    measure: str
    value: str
    baseline: str
    ratio: float | None
    target: str
    ok: bool | None


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    return env


def paired_ratio(subject: list[float], baseline: list[float]) -> float:
    """Median of round-by-round ratios: each pair was measured back to back."""
    return statistics.median(s / b for s, b in zip(subject, baseline, strict=True) if b > 0)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


# ----- 1. cold start -------------------------------------------------------------------

KIOSK_FIRST_FRAME = """
import sys, time
began = time.perf_counter()
from kiosk.shell import FakeClock, create_app
from kiosk.config import load_config
imported = time.perf_counter()
app = create_app(load_config(), size=(1920, 1080), clock=FakeClock())
built = time.perf_counter()
app.start()
shown = time.perf_counter()
print(sys.argv[1], imported - began, built - imported, shown - built, flush=True)
"""

BARE_FIRST_FRAME = """
import sys
import pygame
pygame.display.set_mode((1920, 1080))
pygame.display.flip()
print(sys.argv[1], flush=True)
"""


def launch_until_ready(code: str, *args: str) -> tuple[subprocess.Popen[str], float, list[str]]:
    """Start `python -c code READY *args`; return once it prints READY, with the seconds
    from launch and the words that followed READY on that line."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, READY, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(READY):
            return child, time.perf_counter() - began, line.split()[1:]
    _out, err = child.communicate()
    raise RuntimeError(f"benchmark child exited {child.returncode} before it was ready:\n{err}")


def first_frame(code: str) -> tuple[float, list[str]]:
    child, elapsed, words = launch_until_ready(code)
    child.communicate(timeout=60)
    return elapsed, words


def bench_cold_start(plan: Plan) -> list[Row]:
    print(
        f"\n== 1. Cold start to the first frame at {SIZE[0]}x{SIZE[1]} "
        f"({plan.cold_runs} rounds, kiosk and bare pygame alternating)"
    )
    first_frame(KIOSK_FIRST_FRAME)  # warm the bytecode and disk caches for both
    first_frame(BARE_FIRST_FRAME)
    kiosk: list[float] = []
    bare: list[float] = []
    phases: list[list[float]] = []
    for i in range(plan.cold_runs):
        for which in ("kiosk", "bare") if i % 2 == 0 else ("bare", "kiosk"):
            if which == "kiosk":
                elapsed, words = first_frame(KIOSK_FIRST_FRAME)
                kiosk.append(elapsed)
                phases.append([float(w) for w in words])
            else:
                bare.append(first_frame(BARE_FIRST_FRAME)[0])
    ratio = paired_ratio(kiosk, bare)
    kiosk_median, bare_median = statistics.median(kiosk), statistics.median(bare)
    settled = sum(t <= SETTLE_S for t in kiosk)
    imports, build, start = (statistics.median(p[k] for p in phases) for k in range(3))
    print(
        f"  kiosk, launch to first attract frame: median {kiosk_median:.3f} s "
        f"(min {min(kiosk):.3f}, max {max(kiosk):.3f})"
    )
    print(
        f"    inside the child: imports {imports:.3f} s, create_app {build:.3f} s, "
        f"start() incl. first render {start:.3f} s"
    )
    print(
        f"  bare pygame, launch to first flip:    median {bare_median:.3f} s "
        f"(min {min(bare):.3f}, max {max(bare):.3f})"
    )
    print(
        f"  ratio {ratio:.2f}x (target <= {COLD_START_TARGET:g}x); "
        f"first attract frame within {SETTLE_S:g} s in {settled}/{len(kiosk)} runs"
    )
    return [
        Row(
            "cold start to first attract frame",
            f"{kiosk_median:.3f} s",
            f"{bare_median:.3f} s",
            ratio,
            f"<= {COLD_START_TARGET:g}x",
            ratio <= COLD_START_TARGET,
        ),
        Row(
            f"first attract frame within {SETTLE_S:g} s of launch",
            f"{kiosk_median:.3f} s ({settled}/{len(kiosk)} runs)",
            "-",
            None,
            f"<= {SETTLE_S:g} s",
            kiosk_median <= SETTLE_S,
        ),
    ]


# ----- 2. CPU per frame ----------------------------------------------------------------


@dataclass
class SceneBench:
    """How to reach one scene, keep it on screen, and run its frames."""

    name: str
    enter: Callable[[], None]
    frames: Callable[[int], int]
    keep: Callable[[], None]


def cpu_per_call(action: Callable[[], int], calls: int = 1) -> float:
    """Main-thread CPU seconds per frame of `action` (which returns how many it ran)."""
    began = time.thread_time()
    count = sum(action() for _ in range(calls))
    return (time.thread_time() - began) / max(1, count)


class ShellScenes:
    """Drives one headless kiosk through every scene, as a child would, via the Harness."""

    def __init__(self, harness: Harness, frames_per_round: int) -> None:
        self.harness = harness
        self.app = harness.app
        self.frames_per_round = frames_per_round
        self._next = 0

    def step(self, count: int) -> int:
        self.harness.step(count)
        return count

    def full_repaint(self) -> int:
        self.app.invalidate()
        self.app.render()
        return 1

    def bare_frames(self, count: int) -> int:
        import pygame

        screen = self.app.screen
        for i in range(count):
            screen.fill((40, 40, 40) if i % 2 else (60, 60, 60))
            pygame.display.flip()
        return count

    @property
    def memory(self) -> MemoryPairs:
        game: MemoryPairs | None = getattr(self.app.top, "activity", None)
        if game is None:
            raise RuntimeError(f"expected the memory game on top, found {self.harness.scene_name}")
        return game

    def _card_to_turn(self) -> Card:
        """The next face-down card that cannot complete a pair: the round never ends."""
        game = self.memory
        single = game.open_cards[0].key if len(game.open_cards) == 1 else None
        cards = game.cards
        for offset in range(len(cards)):
            card = cards[(self._next + offset) % len(cards)]
            if not (card.face_up or card.matched) and card.key != single:
                self._next = (self._next + offset + 1) % len(cards)
                return card
        raise RuntimeError("no card left to turn")

    def flipping(self, count: int) -> int:
        done = 0
        while done < count:
            self.harness.click(self._card_to_turn().rect.center, frames=TAP_EVERY - 1)
            done += TAP_EVERY
        return done

    def wait_for_prompt(self) -> None:
        from kiosk import routes

        prompt = self.app.scene(routes.IdlePrompt)
        needed_s = 2 * self.frames_per_round * FRAME_S
        if prompt is not None and getattr(prompt, "remaining", 0.0) > needed_s:
            return
        if prompt is not None:
            self.harness.tap_button("still-here")
        self.harness.wait(self.app.config.session.idle_timeout_s + 1)
        if self.app.scene(routes.IdlePrompt) is None:
            raise RuntimeError("'Are you still there?' did not appear")

    def scenes(self) -> list[SceneBench]:
        h, stay = self.harness, self.app.note_input
        return [
            SceneBench("attract (animating)", lambda: None, self.step, lambda: None),
            SceneBench("age picker", lambda: h.tap_button("start"), self.step, stay),
            SceneBench("launcher", lambda: h.tap_button("age:skip"), self.step, stay),
            SceneBench("memory: topics", lambda: h.tap_button("tile:memory"), self.step, stay),
            SceneBench(
                "memory: level picker", lambda: h.tap_button("topic:animals"), self.step, stay
            ),
            SceneBench(
                "memory: play, 20 cards flipping",
                lambda: h.tap_button("level:3"),
                self.flipping,
                stay,
            ),
            SceneBench(
                "'Are you still there?' over play",
                self.wait_for_prompt,
                self.step,
                self.wait_for_prompt,
            ),
        ]


def bench_frames(plan: Plan) -> list[Row]:
    print(
        f"\n== 2. CPU per frame at {SIZE[0]}x{SIZE[1]}, main thread, vs a bare fill+flip "
        f"({plan.frame_rounds} rounds x {plan.frames_per_block} frames, "
        f"{plan.repaints_per_block} full repaints)"
    )
    from kiosk.config import load_config
    from kiosk.harness import Harness

    config = load_config()
    # A long countdown keeps "Are you still there?" up through all its rounds.
    session = config.session.model_copy(update={"idle_prompt_s": 60})
    config = config.model_copy(update={"session": session})
    rows: list[Row] = []
    with Harness(config, size=SIZE) as harness:
        driver = ShellScenes(harness, plan.frames_per_block)
        print(
            f"  {'scene':34} {'fill+flip':>10} {'steady':>10} {'ratio':>7} "
            f"{'full repaint':>13} {'ratio':>7}"
        )
        n, m = plan.frames_per_block, plan.repaints_per_block
        for scene in driver.scenes():
            scene.enter()
            scene.frames(n // 2)  # warm the caches: a scene load is not a steady frame
            driver.full_repaint()
            blocks: dict[str, tuple[Callable[[], int], int]] = {
                "bare": (partial(driver.bare_frames, n), 1),
                "steady": (partial(scene.frames, n), 1),
                "full": (driver.full_repaint, m),
            }
            figures: dict[str, list[float]] = {name: [] for name in blocks}
            order = list(blocks)
            for round_index in range(plan.frame_rounds):
                scene.keep()
                rotated = order[round_index % 3 :] + order[: round_index % 3]
                for name in rotated:
                    action, calls = blocks[name]
                    figures[name].append(cpu_per_call(action, calls))
            bare = statistics.median(figures["bare"])
            steady = statistics.median(figures["steady"])
            full = statistics.median(figures["full"])
            steady_ratio = paired_ratio(figures["steady"], figures["bare"])
            full_ratio = paired_ratio(figures["full"], figures["bare"])
            print(
                f"  {scene.name:34} {ms(bare):>10} {ms(steady):>10} {steady_ratio:>6.2f}x "
                f"{ms(full):>13} {full_ratio:>6.2f}x"
            )
            for kind, value, ratio in (
                ("steady", steady, steady_ratio),
                ("full repaint", full, full_ratio),
            ):
                rows.append(
                    Row(
                        f"frame CPU: {scene.name}, {kind}",
                        ms(value),
                        ms(bare),
                        ratio,
                        f"<= {FRAME_TARGET:g}x",
                        ratio <= FRAME_TARGET,
                    )
                )
    return rows


# ----- 3. idle CPU ---------------------------------------------------------------------

KIOSK_IDLE = """
import sys
import pygame
from kiosk import routes
from kiosk.shell import App, create_app
from kiosk.config import load_config

ready, scene, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
app = create_app(load_config(), windowed=True, size=(1920, 1080))
counted = []

def start_then_idle():
    App.start(app)
    if scene == "launcher":
        app.sessions.start_session("solo", 1, None, app.translator.lang)
        app.go(routes.Launcher())
        app.render()
    counted.append(app.frames)
    pygame.time.set_timer(pygame.QUIT, int(seconds * 1000), loops=1)
    print(ready, flush=True)

app.start = start_then_idle
app.run()
print("frames", app.frames - counted[0], flush=True)
"""

BARE_IDLE = """
import sys
import pygame
pygame.display.set_mode((1920, 1080))
pygame.display.flip()
pygame.time.set_timer(pygame.QUIT, int(float(sys.argv[3]) * 1000), loops=1)
print(sys.argv[1], flush=True)
while pygame.event.wait(1000).type != pygame.QUIT:
    pass
print("frames 0", flush=True)
"""


@dataclass(frozen=True)
class IdleFigures:
    window_pct: float
    lifetime_pct: float
    wakeups_per_s: float
    frames_per_s: float


def proc_sample(pid: int) -> tuple[float, int]:
    """CPU seconds (all threads) and the main thread's voluntary context switches."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    switches = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            switches = int(line.split()[1])
    return cpu, switches


def idle_run(code: str, scene: str, seconds: float) -> IdleFigures:
    """Run `code` for `seconds` of real main loop after its first frame; sample its CPU
    from /proc over exactly that window, and over its whole life from rusage."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The child quits itself a little after the window, so the window never sees shutdown.
    child, launch_s, _ = launch_until_ready(code, scene, str(seconds + 0.5))
    began = time.perf_counter()
    cpu0, switches0 = proc_sample(child.pid)
    time.sleep(seconds)
    cpu1, switches1 = proc_sample(child.pid)
    window = time.perf_counter() - began
    out, err = child.communicate(timeout=60)
    lifetime = launch_s + time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    frames = next(
        (int(line.split()[1]) for line in out.splitlines() if line.startswith("frames")), None
    )
    if frames is None:
        raise RuntimeError(f"idle child ({scene}) did not finish cleanly:\n{err}")
    return IdleFigures(
        window_pct=100 * (cpu1 - cpu0) / window,
        lifetime_pct=100 * used / lifetime,
        wakeups_per_s=(switches1 - switches0) / window,
        frames_per_s=frames / (seconds + 0.5),
    )


def bench_idle(plan: Plan) -> list[Row]:
    print(
        f"\n== 3. Idle CPU of the real main loop (App.run, SystemClock) at "
        f"{SIZE[0]}x{SIZE[1]}, {plan.idle_seconds:g} s with no input, "
        f"{plan.idle_rounds} round(s)"
    )
    if not Path("/proc/self/stat").exists():
        print("  skipped: needs Linux /proc")
        return []
    subjects = {
        "bare": (BARE_IDLE, "bare pygame, blocked in event.wait(1000)"),
        "attract": (KIOSK_IDLE, "attract"),
        "launcher": (KIOSK_IDLE, "launcher"),
    }
    runs: dict[str, list[IdleFigures]] = {name: [] for name in subjects}
    order = list(subjects)
    for round_index in range(plan.idle_rounds):
        for name in order if round_index % 2 == 0 else order[::-1]:
            code, _label = subjects[name]
            runs[name].append(idle_run(code, name, plan.idle_seconds))

    def med(name: str, field: str) -> float:
        return statistics.median(getattr(f, field) for f in runs[name])

    print(f"  {'':42} {'% core':>7} {'whole life':>10} {'wakeups/s':>10} {'frames/s':>9}")
    for name, (_code, label) in subjects.items():
        print(
            f"  {label:42} {med(name, 'window_pct'):>6.2f}% {med(name, 'lifetime_pct'):>9.2f}% "
            f"{med(name, 'wakeups_per_s'):>10.0f} {med(name, 'frames_per_s'):>9.1f}"
        )
    print(
        "  (% core: CPU of all threads over the idle window after the first frame;"
        " whole life: from launch to exit, start-up included)"
    )
    bare = med("bare", "window_pct")
    rows = []
    for name in ("attract", "launcher"):
        value = med(name, "window_pct")
        ratio = paired_ratio(
            [f.window_pct for f in runs[name]], [f.window_pct for f in runs["bare"]]
        )
        rows.append(
            Row(
                f"idle CPU: {name}",
                f"{value:.2f} %",
                f"{bare:.2f} %",
                ratio,
                f"<= {IDLE_TARGET_PCT:g} %",
                value <= IDLE_TARGET_PCT,
            )
        )
    return rows


# ----- summary ---------------------------------------------------------------------------


def print_summary(rows: list[Row], failed: list[str]) -> None:
    print("\n== Summary (ratios: median of back-to-back pairs; nothing here fails a run)")
    header = ("measure", "value", "baseline", "ratio", "target", "")
    table = [header] + [
        (
            r.measure,
            r.value,
            r.baseline,
            "-" if r.ratio is None else f"{r.ratio:.2f}x",
            r.target,
            "" if r.ok is None else "OK" if r.ok else "OVER",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print(
            "  "
            + "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    for name in failed:
        print(f"  {name}: could not run (see the traceback above)")


SECTIONS: dict[str, Callable[[Plan], list[Row]]] = {
    "cold": bench_cold_start,
    "frames": bench_frames,
    "idle": bench_idle,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, shorter idle runs")
    parser.add_argument(
        "--only",
        choices=sorted(SECTIONS),
        action="append",
        help="run only this section (may be repeated)",
    )
    args = parser.parse_args(argv)
    os.environ.update(child_env())
    plan = QUICK if args.quick else FULL
    print(
        f"bench_shell: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{'quick' if args.quick else 'full'} plan"
    )
    rows: list[Row] = []
    failed: list[str] = []
    for name, section in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        try:
            rows += section(plan)
        except Exception:
            traceback.print_exc()
            failed.append(name)
    print_summary(rows, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
