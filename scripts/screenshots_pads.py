"""Screenshots of the game-controller screens and Showtime, headless, at the whiteboards'
sizes, for reviewing their layouts in every language.

python scripts/screenshots_pads.py --out DIR     # lv, lt, en × 1920×1080 and 3840×2160

Pads are SDL virtual game controllers (kiosk.virtual_pads); Showtime plays a film and a
story made for the occasion in a throwaway data folder."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pygame

from kiosk.config import parse_config
from kiosk.harness import Harness, use_headless_drivers
from kiosk.librarian.pin import set_pin
from kiosk.virtual_pads import VirtualPads

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(1920, 1080), (3840, 2160)]


def shoot(out: Path, size: tuple[int, int], lang: str) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from tests.pads.showtime_helpers import make_creation

    suffix = f"-{lang}-{size[0]}x{size[1]}"
    written = []
    with tempfile.TemporaryDirectory() as folder:
        config = parse_config("{}", path=str(Path(folder) / "config.yaml"))
        set_pin(Path(folder) / "secrets.json", "2468")
        with Harness(config, size=size, lang=lang, data_folder=Path(folder) / "data") as kiosk:
            store = kiosk.app.creations
            assert store is not None
            with VirtualPads() as pads:
                plugged = [pads.plug() for _ in range(3)]
                kiosk.step()
                kiosk.tap_button("start")
                kiosk.tap_button("age:skip")
                kiosk.tap_button("tile:memory")
                kiosk.step(10)
                plugged[1].unplug()
                kiosk.step(2)
                written.append(out / f"pad-missing{suffix}.png")
                kiosk.screenshot(written[-1])
                kiosk.tap_button("play-on")
            kiosk.app.session.start_group(12, None, None, None)
            make_creation(store, "film", [(230, 120, 40), (40, 120, 230)], 1.0)
            kiosk.clock.advance(60)
            make_creation(store, "story", [(30, 140, 90)], 2.0, title="Mūsų namas")
            kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
            for digit in "2468":
                kiosk.tap_button(f"pin:{digit}")
            kiosk.tap_button("pin:ok")
            kiosk.tap_button("panel:showtime")
            written.append(out / f"showtime-title{suffix}.png")
            kiosk.screenshot(written[-1])
            kiosk.wait(3.5)
            kiosk.click((size[0] // 2, size[1] // 2))
            written.append(out / f"showtime-paused{suffix}.png")
            kiosk.screenshot(written[-1])
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    use_headless_drivers()
    for lang in ("lv", "lt", "en"):
        for size in SIZES:
            shoot(args.out, size, lang)
    print(f"screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
