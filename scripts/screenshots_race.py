"""Screenshots of Sort it out's race, headless, at the whiteboards' sizes, for reviewing
its layout in every language: three teams racing (one has just finished, one is trying
again after a wrong bin) and the end screen.

python scripts/screenshots_race.py --out DIR     # lv, lt, en × 1920×1080 and 3840×2160

Pads are SDL virtual game controllers (kiosk.virtual_pads) on the real controller path.
The group setup's Controllers step, which gives activities `ctx.session.teams`, is not
part of this script: the game is given its three teams the way tests/games/
test_sorting_race.py does, through a subclass that sets them before the game starts."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pygame

from games.sorting import SortItOut
from kiosk.activities import RegisteredActivity
from kiosk.api import Teams
from kiosk.config import load_config
from kiosk.harness import Harness, use_headless_drivers
from kiosk.virtual_pads import VirtualPad, VirtualPads

SIZES = [(1920, 1080), (3840, 2160)]
TEAMS = Teams.from_pads([0, 1, 2])
A = pygame.CONTROLLER_BUTTON_A
RIGHT = pygame.CONTROLLER_BUTTON_DPAD_RIGHT


class RacingSortItOut(SortItOut):
    def on_enter(self) -> None:
        self.ctx.session = dataclasses.replace(self.ctx.session, kind="group", teams=TEAMS)
        super().on_enter()


def _sort(kiosk: Harness, game: SortItOut, pad: VirtualPad, lane: int, right: bool) -> None:
    assert game.race is not None
    round_ = game.race.race.lanes[lane].round
    assert round_.current is not None
    target = round_.bin_index(round_.current.bin)
    if not right:
        target = (target + 1) % len(round_.bins)
    while game.race.race.lanes[lane].cursor != target:
        pad.press(RIGHT, kiosk.step)
    pad.press(A, kiosk.step)
    kiosk.step(14)  # the thing flies into its bin, the next one pops up


def shoot(out: Path, size: tuple[int, int], lang: str) -> list[Path]:
    suffix = f"-{lang}-{size[0]}x{size[1]}"
    written = []
    registered = [RegisteredActivity(RacingSortItOut, "scripts")]
    with Harness(load_config(), size=size, lang=lang, registered=registered) as kiosk:
        kiosk.app.packs.wait()
        with VirtualPads() as pads:
            plugged = [pads.plug() for _ in range(3)]
            kiosk.step()
            kiosk.tap_button("start")
            kiosk.tap_button("age:skip")
            kiosk.tap_button("tile:sorting")
            game = kiosk.app.top.activity  # type: ignore[union-attr]
            assert isinstance(game, SortItOut)
            topic = next((b.id for b in kiosk.buttons() if b.id.startswith("topic:")), None)
            if topic is not None:
                kiosk.tap_button(topic)
            kiosk.tap_button("level:2")
            assert game.race is not None
            items = len(game.race.race.lanes[0].round.items)
            for turn in range(items - 3):
                _sort(kiosk, game, plugged[1], 1, right=True)
                if turn % 2 == 0:
                    _sort(kiosk, game, plugged[0], 0, right=True)
                if turn < 3:
                    _sort(kiosk, game, plugged[2], 2, right=True)
            _sort(kiosk, game, plugged[2], 2, right=False)  # "Try again!"
            kiosk.step(3)
            written.append(out / f"race-play{suffix}.png")
            kiosk.screenshot(written[-1])
            while game.phase == "play":
                for lane in (1, 0, 2):
                    if not game.race.race.lanes[lane].finished:
                        _sort(kiosk, game, plugged[lane], lane, right=True)
            kiosk.wait(1.5)
            written.append(out / f"race-end{suffix}.png")
            kiosk.screenshot(written[-1])
        overflows = kiosk.app.ui.text.overflows
        if overflows:
            raise SystemExit(f"{suffix[1:]}: text does not fit its box: {overflows}")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    use_headless_drivers()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in ("lv", "lt", "en"):
        for size in SIZES:
            shoot(args.out, size, lang)
    print(f"screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
