"""Screenshots of the team games with game controllers, headless, at the whiteboards' sizes:
the group setup's Controllers step with three teams, and the quiz's buzzer mode (a
question open to every team, Team Bear answering, the end screen naming the winner).

python scripts/screenshots_teams.py --out DIR      # lv, lt, en × 1920×1080 and 3840×2160
python scripts/screenshots_teams.py --docs         # docs/screenshots/teams-*.png (English)

The teams' pads are SDL virtual game controllers (kiosk.virtual_pads) pressed through the
real controller path; the quiz plays the packs that ship in content/."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kiosk.config import parse_config
from kiosk.harness import Harness, use_headless_drivers
from kiosk.librarian.pin import set_pin
from kiosk.virtual_pads import VirtualPads

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(1920, 1080), (3840, 2160)]
#: The documentation's two pictures, made smaller than the screen (a README-sized PNG).
DOCS = {"teams-controllers": "controllers", "teams-buzzer": "buzz"}
DOCS_WIDTH = 1366


def shoot(out: Path, size: tuple[int, int], lang: str) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT))
    from tests.pads.team_helpers import A, controllers_step, pad_choose, press

    suffix = f"-{lang}-{size[0]}x{size[1]}"
    written: dict[str, Path] = {}

    def shot(kiosk: Harness, name: str) -> None:
        written[name] = out / f"teams-{name}{suffix}.png"
        kiosk.screenshot(written[name])

    with tempfile.TemporaryDirectory() as folder:
        config = parse_config(
            f"languages:\n  default: {lang}\n", path=str(Path(folder) / "config.yaml")
        )
        set_pin(Path(folder) / "secrets.json", "2468")
        with (
            Harness(config, size=size, lang=lang, data_folder=Path(folder) / "data") as kiosk,
            VirtualPads() as pads,
        ):
            kiosk.app.packs.wait()
            fox, bear, frog = (pads.plug(f"Team pad {i}") for i in range(1, 4))
            kiosk.step()
            controllers_step(kiosk)
            for pad in (fox, bear, frog):
                press(kiosk, pad, A)
            shot(kiosk, "controllers")
            kiosk.tap_button("controllers:start")
            kiosk.step(2)
            kiosk.tap_button("tile:quiz")
            game = kiosk.app.top.activity  # type: ignore[union-attr]
            if game.phase == "topic":
                kiosk.tap_button(game.buttons.buttons[0].id)
            kiosk.tap_button("level:1")
            kiosk.wait(1)
            shot(kiosk, "question")
            press(kiosk, bear, A)
            kiosk.wait(3)
            shot(kiosk, "buzz")
            # Team Bear misses; then Fox, Frog, Fox, Bear and Fox answer right.
            asked = game.round.current
            wrong = next(i for i in range(len(asked.answers)) if i != asked.right_index)
            pad_choose(kiosk, bear, game.buttons, f"answer:{wrong}")
            for pad in (fox, frog, fox, bear, fox):
                if game.phase != "play":
                    break
                if not game.round.current.done:
                    press(kiosk, pad, A)
                    kiosk.wait(0.6)
                    right = game.round.current.right_index
                    pad_choose(kiosk, pad, game.buttons, f"answer:{right}")
                kiosk.wait(1.6)
                press(kiosk, pad, A)
            kiosk.wait(2)
            shot(kiosk, "end")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="write every language and size here")
    parser.add_argument("--docs", action="store_true", help="write the docs' two pictures")
    args = parser.parse_args()
    if args.out is None and not args.docs:
        parser.error("give --out DIR, --docs, or both")
    use_headless_drivers()
    if args.out is not None:
        for lang in ("lv", "lt", "en"):
            for size in SIZES:
                shoot(args.out, size, lang)
        print(f"screenshots written to {args.out}")
    if args.docs:
        with tempfile.TemporaryDirectory() as folder:
            shots = shoot(Path(folder), SIZES[0], "en")
            for name, screen in DOCS.items():
                _small_png(shots[screen], ROOT / "docs" / "screenshots" / f"{name}.png")
        print("docs/screenshots/teams-*.png written")
    return 0


def _small_png(source: Path, target: Path) -> None:
    """A smaller copy for the docs: scaled to DOCS_WIDTH, in a 256-colour palette."""
    from PIL import Image

    with Image.open(source) as image:
        height = round(image.height * DOCS_WIDTH / image.width)
        small = image.convert("RGB").resize((DOCS_WIDTH, height), Image.Resampling.LANCZOS)
        small.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


if __name__ == "__main__":
    raise SystemExit(main())
