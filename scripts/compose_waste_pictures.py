"""Composite pictures for the waste-sorting pack, from Noto Color Emoji (Apache 2.0).

    python scripts/compose_waste_pictures.py [OUT_DIR]   # default: content/waste-sorting/images

Needs the Noto Color Emoji font (Debian: fonts-noto-color-emoji).
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame  # noqa: E402

pygame.init()
FONT = pygame.font.Font("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf", 109)
ROOT = Path(__file__).resolve().parent.parent
OUT = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "content" / "waste-sorting" / "images")


def emoji(ch, height):
    s = FONT.render(ch, True, (0, 0, 0))
    s = s.subsurface(s.get_bounding_rect()).copy()
    w = round(s.get_width() * height / s.get_height())
    return pygame.transform.smoothscale(s, (w, height))


def crop(s):
    return s.subsurface(s.get_bounding_rect()).copy()


def pair(back, front, name):
    """Two emoji overlapping like the sticker on a container: back top-left, front bottom-right."""
    S = 136
    surf = pygame.Surface((S, S), pygame.SRCALPHA)
    b = emoji(back, 92)
    f = emoji(front, 92)
    surf.blit(b, b.get_rect(topleft=(0, 0)))
    surf.blit(f, f.get_rect(bottomright=(S, S)))
    pygame.image.save(crop(surf), os.path.join(OUT, name + ".png"))


def labelled(base, badge, name, box_frac=(0.5, 0.6), size=0.44, label=True):
    """A container with a paper label showing what was in it."""
    big = 4
    b = emoji(base, 109 * big)
    surf = pygame.Surface(b.get_size(), pygame.SRCALPHA)
    surf.blit(b, (0, 0))
    w, h = b.get_size()
    cx, cy = int(w * box_frac[0]), int(h * box_frac[1])
    side = int(min(w, h) * size)
    if label:
        rect = pygame.Rect(0, 0, int(side * 1.35), int(side * 1.2))
        rect.center = (cx, cy)
        pygame.draw.rect(surf, (250, 247, 235), rect, border_radius=side // 6)
        pygame.draw.rect(surf, (160, 150, 130), rect, width=big * 2, border_radius=side // 6)
    e = emoji(badge, side)
    surf.blit(e, e.get_rect(center=(cx, cy)))
    out = pygame.transform.smoothscale(surf, (w // big, h // big))
    pygame.image.save(out, os.path.join(OUT, name + ".png"))


def hue(base, shift, name):
    from PIL import Image

    s = emoji(base, 109)
    raw = pygame.image.tobytes(s, "RGBA")
    im = Image.frombytes("RGBA", s.get_size(), raw)
    alpha = im.getchannel("A")
    h, sat, v = im.convert("RGB").convert("HSV").split()
    h = h.point(lambda x: (x + shift) % 256)
    out = Image.merge("HSV", (h, sat, v)).convert("RGB")
    out.putalpha(alpha)
    out.save(os.path.join(OUT, name + ".png"))


pair("📰", "📦", "bin-paper")
pair("🧴", "🥫", "bin-packaging")
pair("🍾", "🫙", "bin-glass")
pair("🍌", "🍎", "bin-food")
labelled("🫙", "🍓", "jam-jar")
labelled("🫙", "🥒", "pickle-jar")
labelled("🫙", "🐝", "honey-jar")
labelled("🥫", "🐟", "fish-tin", box_frac=(0.5, 0.58), size=0.46)
labelled("🥫", "🫛", "pea-tin", box_frac=(0.5, 0.58), size=0.46)
hue("🧴", 150, "shampoo-bottle")
