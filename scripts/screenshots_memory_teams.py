"""Screenshots of Memory in turns, headless, at the whiteboards' sizes: a turn in progress
(three teams, the bears playing, one card open), the bar reminding the frogs whose turn it
is after their pad pressed, and the end screen with the winner.

python scripts/screenshots_memory_teams.py --out DIR          # lv, lt, en × 1920×1080, 3840×2160
python scripts/screenshots_memory_teams.py --out DIR --lang en --size 1920x1080
python scripts/screenshots_memory_teams.py --docs  # docs/screenshots/memory-teams.png

The three teams play with SDL virtual game controllers (kiosk.virtual_pads), the way the
tests drive them; the group's teams are handed to the game as the group setup's
Controllers step hands them over (`ctx.session.teams`)."""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import tempfile
from pathlib import Path

import pygame

from games.memory.game import MemoryPairs
from kiosk.activities import RegisteredActivity
from kiosk.api import ActivityContext, Teams
from kiosk.harness import Harness, use_headless_drivers
from kiosk.virtual_pads import VirtualPad, VirtualPads

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(1920, 1080), (3840, 2160)]
#: The size of the documentation's screenshots (as scripts/screenshots.py makes them).
DOCS_SIZE = (1366, 768)
A = pygame.CONTROLLER_BUTTON_A
RIGHT, LEFT = pygame.CONTROLLER_BUTTON_DPAD_RIGHT, pygame.CONTROLLER_BUTTON_DPAD_LEFT
DOWN, UP = pygame.CONTROLLER_BUTTON_DPAD_DOWN, pygame.CONTROLLER_BUTTON_DPAD_UP


class MemoryInTeams(MemoryPairs):
    """Memory pairs in a group whose three teams joined with pads 1, 2 and 3."""

    def __init__(self, ctx: ActivityContext) -> None:
        teams = Teams.from_pads([0, 1, 2])
        ctx.session = dataclasses.replace(ctx.session, kind="group", teams=teams)
        super().__init__(ctx)


def turn_card(kiosk: Harness, game: MemoryPairs, pad: VirtualPad, index: int) -> None:
    """The pad's d-pad walks the ring to card `index`, A turns it."""
    cols = game.grid.cols
    while game.focus != index:
        row, col = divmod(game.focus, cols)
        to_row, to_col = divmod(index, cols)
        if row != to_row:
            pad.press(DOWN if to_row > row else UP, kiosk.step)
        else:
            pad.press(RIGHT if to_col > col else LEFT, kiosk.step)
    pad.press(A, kiosk.step)


def shoot(out: Path, size: tuple[int, int], lang: str) -> list[Path]:
    suffix = f"-{lang}-{size[0]}x{size[1]}"
    registered = [RegisteredActivity(MemoryInTeams, "scripts/screenshots_memory_teams.py")]
    written = []
    with Harness(size=size, lang=lang, registered=registered) as kiosk, VirtualPads() as pads:
        fox, bear, frog = (pads.plug(f"team pad {i}") for i in range(1, 4))
        kiosk.step()
        kiosk.app.session.start_group(12, None, None, None)
        kiosk.tap_button("tile:memory")
        kiosk.tap_button("topic:animals")
        kiosk.tap_button("level:2")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        assert isinstance(game, MemoryPairs)
        where: dict[str, list[int]] = {}
        for i, card in enumerate(game.cards):
            where.setdefault(card.key, []).append(i)
        pairs = list(where.values())
        # Foxes: a pair, then a miss; bears: a pair and a first card of the next.
        for pad, cards, settle in (
            (fox, pairs[0], 10),
            (fox, [pairs[1][0], pairs[2][0]], 40),
            (bear, pairs[3], 10),
            (bear, [pairs[1][0]], 10),
        ):
            for index in cards:
                turn_card(kiosk, game, pad, index)
            kiosk.step(settle)
        written.append(out / f"memory-teams-turn{suffix}.png")
        kiosk.screenshot(written[-1])
        frog.press(A, kiosk.step)  # out of turn: the bar reminds the frogs
        written.append(out / f"memory-teams-wait{suffix}.png")
        kiosk.screenshot(written[-1])
        turn_card(kiosk, game, bear, pairs[1][1])
        kiosk.step(10)
        for pad, rest in ((bear, pairs[2]), (bear, pairs[4]), (bear, pairs[5])):
            for index in rest:
                turn_card(kiosk, game, pad, index)
            kiosk.step(10)
        kiosk.step(60)  # the score cards settle
        written.append(out / f"memory-teams-won{suffix}.png")
        kiosk.screenshot(written[-1])
        assert kiosk.app.ui.text.overflows == [], kiosk.app.ui.text.overflows
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--docs", action="store_true", help="docs/screenshots/memory-teams.png")
    parser.add_argument("--lang", choices=["lv", "lt", "en"], action="append")
    parser.add_argument("--size", action="append", help="WxH, e.g. 1920x1080")
    args = parser.parse_args()
    use_headless_drivers()
    if args.docs:
        with tempfile.TemporaryDirectory() as folder:
            shot = shoot(Path(folder), DOCS_SIZE, "en")[0]
            shutil.copyfile(shot, ROOT / "docs" / "screenshots" / "memory-teams.png")
        print("docs/screenshots/memory-teams.png written")
        return 0
    if args.out is None:
        parser.error("--out DIR (or --docs) is needed")
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.size] if args.size else SIZES
    for lang in args.lang or ["lv", "lt", "en"]:
        for size in sizes:
            shoot(args.out, (size[0], size[1]), lang)
    print(f"screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
