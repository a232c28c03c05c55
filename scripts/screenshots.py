"""Screenshots of the real kiosk, headless, for the README and for reviewing layouts.

python scripts/screenshots.py                      # README pictures -> docs/screenshots/
python scripts/screenshots.py --all --out DIR      # every screen × language × size
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kiosk import routes
from kiosk.harness import Harness, use_headless_drivers

ROOT = Path(__file__).resolve().parent.parent
README_SIZE = (1366, 768)
ALL_SIZES = [(1366, 768), (1280, 1024), (3840, 2160)]


def _steps(kiosk: Harness) -> list[tuple[str, Callable[[], None]]]:
    def memory_play() -> None:
        kiosk.tap_button("level:2")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        # Turn one matching pair and one more card, as a child in mid-game would.
        first = game.cards[0]
        partner = next(i for i, c in enumerate(game.cards) if c is not first and c.key == first.key)
        game.turn(0)
        game.turn(partner)
        game.turn(1 if partner != 1 else 2)
        kiosk.step(15)

    def memory_won() -> None:
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        for i, card in enumerate(game.cards):
            for j in range(i + 1, len(game.cards)):
                if card.key == game.cards[j].key and not card.matched:
                    game.turn(i)
                    game.turn(j)
        kiosk.step(60)

    return [
        ("attract", lambda: kiosk.step(8)),
        ("age-picker", lambda: kiosk.tap_button("start")),
        ("launcher", lambda: kiosk.tap_button("age:9-11")),
        ("memory-topics", lambda: kiosk.tap_button("tile:memory")),
        ("memory-levels", lambda: kiosk.tap_button("topic:animals")),
        ("memory-play", memory_play),
        ("memory-won", memory_won),
        ("still-there", lambda: kiosk.wait(92, dt=1.0)),
        ("oops", lambda: kiosk.app.go(routes.Oops())),
    ]


def shoot(
    out: Path, size: tuple[int, int], lang: str, names: set[str] | None, suffix: str
) -> list[Path]:
    written = []
    with Harness(size=size, lang=lang) as kiosk:
        for name, action in _steps(kiosk):
            action()
            if names is None or name in names:
                path = out / f"{name}{suffix}.png"
                kiosk.screenshot(path)
                written.append(path)
    return written


def shoot_more(out: Path, size: tuple[int, int], lang: str, suffix: str) -> None:
    """The other games in play, and the librarian panel (with a throwaway PIN)."""
    import tempfile

    import pygame

    from kiosk.config import parse_config
    from kiosk.librarian.pin import set_pin

    with tempfile.TemporaryDirectory() as folder:
        config = parse_config("{}", path=str(Path(folder) / "config.yaml"))
        set_pin(Path(folder) / "secrets.json", "2468")
        with Harness(config, size=size, lang=lang) as kiosk:
            kiosk.app.packs.wait(30)
            kiosk.tap_button("start")
            kiosk.tap_button("age:9-11")
            kiosk.tap_button("tile:quiz")
            kiosk.tap_button(next(b.id for b in kiosk.buttons() if "professions" in b.id))
            kiosk.tap_button("level:1")
            kiosk.step(20)
            kiosk.screenshot(out / f"quiz{suffix}.png")
            kiosk.tap_button("home")
            kiosk.tap_button("tile:jigsaw")
            kiosk.tap_button("picture:scene:farm")
            kiosk.tap_button("level:2")
            game = kiosk.app.top.activity  # type: ignore[union-attr]
            for piece in list(game.pieces)[:5]:
                kiosk.drag(piece.rect.center, piece.home.center)
            kiosk.screenshot(out / f"jigsaw{suffix}.png")
            kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
            for digit in "2468":
                kiosk.tap_button(f"pin:{digit}")
            kiosk.tap_button("pin:ok")
            kiosk.screenshot(out / f"panel{suffix}.png")


def shoot_studio(out: Path, size: tuple[int, int], lang: str, suffix: str) -> None:
    """The three creative tools in use (the synthetic camera stands in for a webcam)."""
    import os
    import tempfile

    os.environ.setdefault("KIOSK_CAMERA", "synthetic")
    with tempfile.TemporaryDirectory() as folder:
        with Harness(size=size, lang=lang, data_folder=Path(folder)) as kiosk:
            kiosk.app.packs.wait(30)
            kiosk.tap_button("start")
            kiosk.tap_button("age:9-11")

            def open_tile(tile: str) -> None:
                if "home" in [b.id for b in kiosk.buttons()]:
                    kiosk.tap_button("home")
                while f"tile:{tile}" not in [b.id for b in kiosk.buttons()]:
                    kiosk.tap_button("page:next")
                kiosk.tap_button(f"tile:{tile}")

            open_tile("draw")
            view = kiosk.app.top.activity.view  # type: ignore[union-attr]
            for i, (colour, size_id) in enumerate([(1, 2), (4, 1), (8, 0)]):
                kiosk.tap_button(f"color:{colour}")
                kiosk.tap_button(f"size:{size_id}")
                y = view.top + view.height * (i + 1) // 4
                kiosk.drag((view.left + view.width // 8, y), (view.right - view.width // 6, y - 40))
            kiosk.screenshot(out / f"drawing{suffix}.png")
            kiosk.tap_button("save")
            open_tile("film")
            kiosk.step(10)
            for _ in range(4):
                kiosk.step(5)
                kiosk.tap_button("capture")
            kiosk.step(5)
            kiosk.screenshot(out / f"film{suffix}.png")
            open_tile("story")
            kiosk.tap_button("title")
            kiosk.tap_button("key:shift")
            title = {"lv": "mūsu diena", "lt": "mūsų diena"}.get(lang, "our day")
            for letter in title:
                kiosk.tap_button("key:space" if letter == " " else f"key:{letter}")
            kiosk.screenshot(out / f"story{suffix}.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="every language and size")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    use_headless_drivers()
    if args.all:
        for lang in ("lv", "lt", "en"):
            for w, h in ALL_SIZES:
                shoot(args.out, (w, h), lang, None, f"-{lang}-{w}x{h}")
                shoot_more(args.out, (w, h), lang, f"-{lang}-{w}x{h}")
                shoot_studio(args.out, (w, h), lang, f"-{lang}-{w}x{h}")
    else:
        shoot(args.out, README_SIZE, "lv", {"attract", "launcher", "memory-play"}, "")
        shoot_more(args.out, README_SIZE, "lv", "")
        shoot_studio(args.out, README_SIZE, "lv", "")
    print(f"screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
