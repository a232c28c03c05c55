"""Sort it out's race against the solo game: CPU per frame at 1920×1080 (DESIGN §9), the
race with three teams pressing their pads at once, the solo game with one child tapping
bins, both beside a bare fill+flip frame in the same rounds.

Nothing here fails on a threshold (STYLE habit 9): the exit status is 0 whatever the
numbers, 1 only when the benchmark could not run at all.

    python benchmarks/bench_race.py [--quick] [--size 1920x1080]

The race's teams are given to the game as tests/games/test_sorting_race.py does (a
subclass that sets `ctx.session.teams`); its pads are SDL virtual game controllers on the
real controller path.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import traceback
from functools import partial
from typing import TYPE_CHECKING, Any

from bench_shell import (
    FRAME_TARGET,
    SIZE,
    TAP_EVERY,
    Row,
    child_env,
    cpu_per_call,
    ms,
    paired_ratio,
    print_summary,
)

if TYPE_CHECKING:
    from kiosk.harness import Harness
    from kiosk.virtual_pads import VirtualPad


@dataclasses.dataclass(frozen=True)
class Plan:
    rounds: int
    frames_per_block: int
    repaints_per_block: int


FULL = Plan(rounds=9, frames_per_block=120, repaints_per_block=20)
QUICK = Plan(rounds=3, frames_per_block=48, repaints_per_block=8)
TEAMS = 3


def racing_activities() -> list[Any]:
    """The solo game as shipped, and the same game with three teams (id "sorting-race")."""
    from games.sorting import SortItOut
    from kiosk.activities import RegisteredActivity
    from kiosk.api import Teams

    teams = Teams.from_pads(list(range(TEAMS)))

    class RacingSortItOut(SortItOut):
        info = dataclasses.replace(SortItOut.info, id="sorting-race")

        def on_enter(self) -> None:
            self.ctx.session = dataclasses.replace(self.ctx.session, kind="group", teams=teams)
            super().on_enter()

    return [RegisteredActivity(SortItOut, "bench"), RegisteredActivity(RacingSortItOut, "bench")]


class Player:
    """Keeps a game busy: the solo child taps a bin every TAP_EVERY frames; in the race
    every team presses its pad (a direction or A) at the same frame, every TAP_EVERY
    frames. A finished round is played again."""

    def __init__(self, harness: Harness, pads: list[VirtualPad]) -> None:
        self.harness = harness
        self.pads = pads
        self.turn = 0
        self.rounds = 0

    @property
    def game(self) -> Any:
        return self.harness.app.top.activity  # type: ignore[union-attr]

    def open(self, tile: str) -> None:
        harness = self.harness
        harness.tap_button(f"tile:{tile}")
        topic = next((b for b in harness.buttons() if b.id.startswith("topic:")), None)
        if topic is not None:
            harness.click(topic.rect.center)
        harness.tap_button("level:2")
        if self.game.phase != "play":
            raise RuntimeError(f"{tile} is not in play after opening it")

    def close(self) -> None:
        self.harness.tap_button("home")

    def again(self) -> bool:
        again = next((b for b in self.harness.buttons() if b.id == "again"), None)
        if again is None:
            return False
        self.rounds += 1
        self.harness.click(again.rect.center, frames=TAP_EVERY - 1)
        return True

    def solo(self, count: int) -> int:
        done = 0
        while done < count:
            self.turn += 1
            if not self.again():
                bins = [b for b in self.harness.buttons() if b.id.startswith("bin:")]
                self.harness.click(bins[self.turn % len(bins)].rect.center, frames=TAP_EVERY - 1)
            done += TAP_EVERY
        return done

    def race(self, count: int) -> int:
        import pygame

        done = 0
        while done < count:
            self.turn += 1
            if self.again():
                done += TAP_EVERY
                continue
            # Two moves to the right, then A: some drops are right, some are not.
            button = (
                pygame.CONTROLLER_BUTTON_A
                if self.turn % 3 == 0
                else pygame.CONTROLLER_BUTTON_DPAD_RIGHT
            )
            for pad in self.pads:
                pad.set_button(button, True)
            self.harness.step()
            for pad in self.pads:
                pad.set_button(button, False)
            self.harness.step(TAP_EVERY - 1)
            done += TAP_EVERY
        return done

    def full_repaint(self) -> int:
        self.harness.app.invalidate()
        self.harness.app.render()
        return 1

    def bare_frames(self, count: int) -> int:
        import pygame

        screen = self.harness.app.screen
        for i in range(count):
            screen.fill((40, 40, 40) if i % 2 else (60, 60, 60))
            pygame.display.flip()
        return count


def bench(plan: Plan, size: tuple[int, int]) -> list[Row]:
    from kiosk.config import load_config
    from kiosk.harness import Harness
    from kiosk.virtual_pads import VirtualPads

    print(
        f"\n== CPU per frame at {size[0]}x{size[1]}, main thread: the race ({TEAMS} teams, "
        f"every pad pressed every {TAP_EVERY} frames) and the solo game (a tap every "
        f"{TAP_EVERY} frames), vs a bare fill+flip ({plan.rounds} rounds x "
        f"{plan.frames_per_block} frames, {plan.repaints_per_block} full repaints)"
    )
    n, m = plan.frames_per_block, plan.repaints_per_block
    figures: dict[str, list[float]] = {
        k: [] for k in ("bare", "solo", "solo full", "race", "race full")
    }
    with Harness(load_config(), size=size, registered=racing_activities()) as harness:
        harness.app.packs.wait()
        with VirtualPads() as virtual:
            pads = [virtual.plug() for _ in range(TEAMS)]
            harness.step()
            harness.tap_button("start")
            harness.tap_button("age:skip")
            player = Player(harness, pads)
            for round_index in range(plan.rounds):
                harness.app.note_input()
                figures["bare"].append(cpu_per_call(partial(player.bare_frames, n)))
                games = [("solo", "sorting", player.solo), ("race", "sorting-race", player.race)]
                if round_index % 2:
                    games.reverse()
                for name, tile, play in games:
                    player.open(tile)
                    play(n // 2)  # warm the caches: a scene load is not a steady frame
                    player.full_repaint()
                    figures[name].append(cpu_per_call(partial(play, n)))
                    figures[f"{name} full"].append(cpu_per_call(player.full_repaint, m))
                    player.close()
    bare = statistics.median(figures["bare"])
    rows = []
    print(f"  {'':16} {'CPU/frame':>12} {'vs bare':>8} {'vs solo':>8}")
    print(f"  {'bare fill+flip':16} {ms(bare):>12}")
    for name in ("solo", "race", "solo full", "race full"):
        value = statistics.median(figures[name])
        ratio = paired_ratio(figures[name], figures["bare"])
        solo_name = "solo full" if "full" in name else "solo"
        vs_solo = paired_ratio(figures[name], figures[solo_name])
        print(f"  {name:16} {ms(value):>12} {ratio:>7.2f}x {vs_solo:>7.2f}x")
        rows.append(
            Row(
                f"frame CPU: sorting {name}",
                ms(value),
                ms(bare),
                ratio,
                f"<= {FRAME_TARGET:g}x",
                ratio <= FRAME_TARGET,
            )
        )
    print(f"  (rounds played to the end and started again: {player.rounds})")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--size", default=f"{SIZE[0]}x{SIZE[1]}", help="WxH (default 1920x1080)")
    args = parser.parse_args(argv)
    os.environ.update(child_env())
    width, height = (int(v) for v in args.size.split("x"))
    plan = QUICK if args.quick else FULL
    print(f"bench_race: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    try:
        rows = bench(plan, (width, height))
    except Exception:
        traceback.print_exc()
        print_summary([], ["race"])
        return 1
    print_summary(rows, [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
