"""Game benchmarks for DESIGN §9: CPU per frame of each game in play, and start-up with the
shipped content packs against start-up with none.

Each figure is measured side by side with its baseline in the same run, the two alternating
round by round, and reported as medians and ratios. Nothing here fails on a threshold
(STYLE habit 9): the exit status is 0 whatever the numbers, 1 only when a section could not
run at all.

    python benchmarks/bench_games.py [--quick] [--only frames|startup] [--game memory ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

# The shell benchmark's helpers, so both print the same way (run from the repository root:
# the script's own folder is on sys.path).
from bench_shell import (
    FRAME_TARGET,
    SIZE,
    TAP_EVERY,
    Row,
    child_env,
    cpu_per_call,
    launch_until_ready,
    ms,
    paired_ratio,
    print_summary,
)

if TYPE_CHECKING:
    from kiosk.harness import Harness
    from kiosk.ui.widgets import Button

GAMES = ("memory", "jigsaw", "quiz", "words", "numbers", "sorting")
#: How to reach each game's play: the buttons after "tile:<game>" (the first of each kind).
OPENING: dict[str, tuple[str, ...]] = {
    "memory": ("topic:", "level:"),
    "jigsaw": ("picture:", "level:"),
    "quiz": ("topic:", "level:"),
    "words": ("level:",),
    "numbers": ("level:",),
    "sorting": ("topic:", "level:"),
}
STARTUP_TARGET = 1.2


@dataclass(frozen=True)
class Plan:
    startup_runs: int
    frame_rounds: int
    frames_per_block: int
    repaints_per_block: int


FULL = Plan(startup_runs=11, frame_rounds=9, frames_per_block=120, repaints_per_block=20)
QUICK = Plan(startup_runs=3, frame_rounds=3, frames_per_block=48, repaints_per_block=8)


# ----- 1. CPU per frame of each game ---------------------------------------------------


class GamePlayer:
    """Opens one game through the Harness and keeps it busy the way a child would: one tap
    (or one drag) every TAP_EVERY frames. When a round is won anyway, it taps "again"."""

    def __init__(self, harness: Harness, game: str) -> None:
        self.harness = harness
        self.app = harness.app
        self.game = game
        self.taps = 0
        self.rounds_won = 0
        self._turn = 0

    # ----- getting there ---------------------------------------------------------------

    def button(self, prefix: str) -> Button:
        for button in self.harness.buttons():
            if button.id.startswith(prefix) and button.enabled:
                return button
        ids = ", ".join(b.id for b in self.harness.buttons())
        raise LookupError(f"{self.game}: no button {prefix}* on screen; there are: {ids}")

    def open(self) -> None:
        """From the launcher to the game's first level of its first topic or picture."""
        self.harness.tap_button(f"tile:{self.game}")
        for prefix in OPENING[self.game]:
            self.harness.click(self.button(prefix).rect.center)
        if getattr(self.activity, "phase", None) not in ("play", "question"):
            raise RuntimeError(f"{self.game} is not in play after opening it")

    def close(self) -> None:
        self.harness.tap_button("home")
        if self.harness.scene_name != "Launcher":
            raise RuntimeError(f"home from {self.game} led to {self.harness.scene_name}")

    @property
    def activity(self) -> Any:
        activity = getattr(self.app.top, "activity", None)
        if activity is None:
            raise RuntimeError(f"expected {self.game} on top, found {self.harness.scene_name}")
        return activity

    # ----- frames ----------------------------------------------------------------------

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

    def playing(self, count: int) -> int:
        done = 0
        while done < count:
            done += self.act()
        return done

    def act(self) -> int:
        """One child's action; returns the frames it took."""
        self.taps += 1
        self._turn += 1
        again = next((b for b in self.harness.buttons() if b.id == "again"), None)
        if again is not None:
            self.rounds_won += 1
            return self.tap(again.rect.center)
        return getattr(self, f"_act_{self.game}")()

    def tap(self, pos: tuple[int, int]) -> int:
        self.harness.click(pos, frames=TAP_EVERY - 1)
        return TAP_EVERY

    def wait(self) -> int:
        self.harness.step(TAP_EVERY)
        return TAP_EVERY

    def _act_memory(self) -> int:
        """Turn the next face-down card that cannot complete a pair: the round never ends."""
        game = self.activity
        single = game.open_cards[0].key if len(game.open_cards) == 1 else None
        cards = game.cards
        for offset in range(len(cards)):
            card = cards[(self._turn + offset) % len(cards)]
            if not (card.face_up or card.matched) and card.key != single:
                return self.tap(card.rect.center)
        return self.wait()

    def _act_jigsaw(self) -> int:
        """Drag a piece from the tray to the far side of the board, where it does not fit:
        a miss, and back to the tray. The round never ends."""
        game = self.activity
        loose = [p for p in game.pieces if not p.placed and p.in_tray]
        if not loose:
            return self.wait()
        piece = loose[self._turn % len(loose)]
        board, home = game.board, piece.home.center
        corners = [
            (board.x + board.w // 6, board.y + board.h // 6),
            (board.right - board.w // 6, board.y + board.h // 6),
            (board.x + board.w // 6, board.bottom - board.h // 6),
            (board.right - board.w // 6, board.bottom - board.h // 6),
        ]
        end = max(corners, key=lambda c: (c[0] - home[0]) ** 2 + (c[1] - home[1]) ** 2)
        self.harness.drag(piece.rect.center, end, steps=TAP_EVERY - 2)  # TAP_EVERY frames
        return TAP_EVERY

    def _act_quiz(self) -> int:
        """Answers in button order (wrong ones too), then "next": the round goes on."""
        buttons = {b.id: b for b in self.harness.buttons() if b.enabled}
        if "next" in buttons:
            return self.tap(buttons["next"].rect.center)
        answers = [b for i, b in buttons.items() if i.startswith("answer:")]
        return self.tap(answers[0].rect.center) if answers else self.wait()

    def _act_words(self) -> int:
        """Put a letter into the word, then take it back: the word never fills up."""
        game = self.activity
        if game.busy:
            return self.wait()
        held = [r for t, r in zip(game.slots, game.slot_rects, strict=True) if t and not t.given]
        if held:
            return self.tap(held[0].center)
        loose = [t for t in game.tiles if t.slot is None and not t.given]
        if not loose:
            return self.wait()
        return self.tap(loose[self._turn % len(loose)].home.center)

    def _act_numbers(self) -> int:
        """Taps the answer buttons in turn (wrong ones too); a right one moves on."""
        answers = [b for b in self.harness.buttons() if b.id.startswith("answer:") and b.enabled]
        if not answers:
            return self.wait()
        return self.tap(answers[self._turn % len(answers)].rect.center)

    def _act_sorting(self) -> int:
        """Taps the bins in turn: the thing goes in, or is nudged back with a hint."""
        bins = [b for b in self.harness.buttons() if b.id.startswith("bin:")]
        if not bins:
            return self.wait()
        return self.tap(bins[self._turn % len(bins)].rect.center)


def bench_frames(plan: Plan, games: list[str]) -> list[Row]:
    print(
        f"\n== 1. CPU per frame of each game in play at {SIZE[0]}x{SIZE[1]}, main thread, "
        f"vs a bare fill+flip ({plan.frame_rounds} rounds x {plan.frames_per_block} frames, "
        f"{plan.repaints_per_block} full repaints; one action every {TAP_EVERY} frames)"
    )
    from kiosk.config import load_config
    from kiosk.harness import Harness

    rows: list[Row] = []
    with Harness(load_config(), size=SIZE) as harness:
        harness.app.packs.wait()  # the topic pickers list the packs' topics
        harness.tap_button("start")
        harness.tap_button("age:skip")
        print(
            f"  {'game':10} {'fill+flip':>10} {'steady':>10} {'ratio':>7} "
            f"{'full repaint':>13} {'ratio':>7}  actions, rounds won"
        )
        n, m = plan.frames_per_block, plan.repaints_per_block
        for game in games:
            player = GamePlayer(harness, game)
            player.open()
            player.playing(n // 2)  # warm the caches: a scene load is not a steady frame
            player.full_repaint()
            player.taps = player.rounds_won = 0
            blocks: dict[str, tuple[Callable[[], int], int]] = {
                "bare": (partial(player.bare_frames, n), 1),
                "steady": (partial(player.playing, n), 1),
                "full": (player.full_repaint, m),
            }
            figures: dict[str, list[float]] = {name: [] for name in blocks}
            order = list(blocks)
            for round_index in range(plan.frame_rounds):
                harness.app.note_input()
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
                f"  {game:10} {ms(bare):>10} {ms(steady):>10} {steady_ratio:>6.2f}x "
                f"{ms(full):>13} {full_ratio:>6.2f}x  {player.taps}, {player.rounds_won}"
            )
            for kind, value, ratio in (
                ("steady", steady, steady_ratio),
                ("full repaint", full, full_ratio),
            ):
                rows.append(
                    Row(
                        f"frame CPU: {game} in play, {kind}",
                        ms(value),
                        ms(bare),
                        ratio,
                        f"<= {FRAME_TARGET:g}x",
                        ratio <= FRAME_TARGET,
                    )
                )
            player.close()
    print(
        "  (actions: taps or drags during the measured steady blocks; rounds won: how many"
        " of those were 'again' after a finished round)"
    )
    return rows


# ----- 2. start-up with and without the content packs ------------------------------------

KIOSK_START = """
import sys, tempfile, time
from pathlib import Path
began = time.perf_counter()
import kiosk.services
import kiosk.paths
from kiosk.shell import FakeClock, create_app
from kiosk.config import load_config
config = load_config()
if sys.argv[2] == "none":
    # No packs: content/ replaced by an empty folder, no extra folders.
    empty = tempfile.mkdtemp(prefix="bench-no-packs-")
    kiosk.paths.CONTENT = kiosk.services.CONTENT = Path(empty)
    content = config.content.model_copy(update={"folders": []})
    config = config.model_copy(update={"content": content})
app = create_app(config, size=(1920, 1080), clock=FakeClock())
app.start()
shown = time.perf_counter()
print(sys.argv[1], shown - began, flush=True)
app.packs.wait()
read = time.perf_counter()
print("PACKS", read - began, read - shown, len(app.packs.packs), len(app.packs.broken), flush=True)
if sys.argv[2] == "none":
    Path(empty).rmdir()
"""


@dataclass(frozen=True)
class StartFigures:
    first_frame: float  # launch to the first attract frame (parent's clock)
    packs_read: float  # launch to app.packs.wait() returning (parent's clock)
    after_frame: float  # first frame to packs read (child's clock)
    packs: int
    broken: int


def start_run(which: str) -> StartFigures:
    began = time.perf_counter()
    child, first_frame, _ = launch_until_ready(KIOSK_START, which)
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("PACKS"):
            packs_read = time.perf_counter() - began
            _, _total, after, packs, broken = line.split()
            child.communicate(timeout=60)
            return StartFigures(first_frame, packs_read, float(after), int(packs), int(broken))
    _out, err = child.communicate(timeout=60)
    raise RuntimeError(f"start-up child ({which}) exited {child.returncode}:\n{err}")


def bench_startup(plan: Plan) -> list[Row]:
    print(
        f"\n== 2. Cold start to the first attract frame at {SIZE[0]}x{SIZE[1]}, with the "
        f"shipped packs vs none ({plan.startup_runs} rounds, alternating)"
    )
    start_run("packs")  # warm the bytecode and disk caches for both
    start_run("none")
    runs: dict[str, list[StartFigures]] = {"packs": [], "none": []}
    for i in range(plan.startup_runs):
        for which in ("packs", "none") if i % 2 == 0 else ("none", "packs"):
            runs[which].append(start_run(which))

    def med(which: str, field: str) -> float:
        return statistics.median(getattr(f, field) for f in runs[which])

    labels = {"packs": "with the shipped packs", "none": "with no packs"}
    print(f"  {'':24} {'first frame':>12} {'packs read':>11} {'read after frame':>17}  packs")
    for which, label in labels.items():
        last = runs[which][-1]
        print(
            f"  {label:24} {med(which, 'first_frame'):>10.3f} s {med(which, 'packs_read'):>9.3f} s"
            f" {med(which, 'after_frame') * 1000:>14.1f} ms  {last.packs} ok, {last.broken} broken"
        )
    print("  (first frame, packs read: from launch; read after frame: inside the child)")
    ratio = paired_ratio(
        [f.first_frame for f in runs["packs"]], [f.first_frame for f in runs["none"]]
    )
    read_ratio = paired_ratio(
        [f.packs_read for f in runs["packs"]], [f.first_frame for f in runs["none"]]
    )
    print(
        f"  first frame with packs / without: {ratio:.2f}x (target <= {STARTUP_TARGET:g}x); "
        f"packs read / first frame without: {read_ratio:.2f}x"
    )
    return [
        Row(
            "cold start to first frame, with packs",
            f"{med('packs', 'first_frame'):.3f} s",
            f"{med('none', 'first_frame'):.3f} s",
            ratio,
            f"<= {STARTUP_TARGET:g}x",
            ratio <= STARTUP_TARGET,
        ),
        Row(
            "launch to packs read (for information)",
            f"{med('packs', 'packs_read'):.3f} s",
            f"{med('none', 'first_frame'):.3f} s",
            read_ratio,
            "-",
            None,
        ),
    ]


# ----- main ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, shorter blocks")
    parser.add_argument(
        "--only",
        choices=("frames", "startup"),
        action="append",
        help="run only this section (may be repeated)",
    )
    parser.add_argument(
        "--game", choices=GAMES, action="append", help="measure only this game (may be repeated)"
    )
    args = parser.parse_args(argv)
    os.environ.update(child_env())
    plan = QUICK if args.quick else FULL
    games = args.game or list(GAMES)
    print(
        f"bench_games: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"{'quick' if args.quick else 'full'} plan"
    )
    sections: dict[str, Callable[[], list[Row]]] = {
        "frames": partial(bench_frames, plan, games),
        "startup": partial(bench_startup, plan),
    }
    rows: list[Row] = []
    failed: list[str] = []
    for name, section in sections.items():
        if args.only and name not in args.only:
            continue
        try:
            rows += section()
        except Exception:
            traceback.print_exc()
            failed.append(name)
    print_summary(rows, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
