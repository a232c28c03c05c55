"""Render the pictures listed in assets/emoji/manifest.yaml to PNG files.

Needs the Noto Color Emoji font (Debian: fonts-noto-color-emoji) or --font PATH.
Only missing pictures are rendered unless --all is given.

    python scripts/render_emoji.py [--all] [--font PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EMOJI_DIR = ROOT / "assets" / "emoji"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
NATIVE_SIZE = 109  # the bitmap strike of Noto Color Emoji


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT)
    parser.add_argument("--all", action="store_true", help="re-render every picture")
    args = parser.parse_args()
    if not args.font.exists():
        print(f"{args.font}: font not found (apt-get install fonts-noto-color-emoji)")
        return 2
    manifest = yaml.safe_load((EMOJI_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    pygame.init()
    font = pygame.font.Font(str(args.font), NATIVE_SIZE)
    written = 0
    for name, text in manifest.items():
        target = EMOJI_DIR / f"{name}.png"
        if target.exists() and not args.all:
            continue
        surface = font.render(text, True, (0, 0, 0))
        box = surface.get_bounding_rect()
        if box.width == 0:
            print(f"{name}: {text!r} rendered empty", file=sys.stderr)
            return 1
        pygame.image.save(surface.subsurface(box).copy(), str(target))
        written += 1
    print(f"{written} picture(s) written to {EMOJI_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
