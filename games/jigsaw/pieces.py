"""Cutting a picture into jigsaw pieces with round tabs and blanks, and the built-in
pictures (scenes composed from bundled pictograms, so every piece is licence-clear)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pygame

from kiosk.api import UI, theme


@dataclass(eq=False)
class Piece:
    col: int
    row: int
    #: The piece with its tabs, transparent around them.
    image: pygame.Surface
    #: Where the piece's image sits when the piece is in place (screen coordinates).
    home: pygame.Rect
    #: Where it is now (top-left of its image).
    pos: tuple[int, int]
    placed: bool = False
    #: Its place in the tray, and a smaller copy of the image shown there.
    slot: pygame.Rect | None = None
    small: pygame.Surface | None = None
    #: Waiting in the tray (not held, not placed).
    in_tray: bool = False

    @property
    def shown(self) -> pygame.Surface:
        return self.small if self.in_tray and self.small is not None else self.image

    @property
    def rect(self) -> pygame.Rect:
        if self.in_tray and self.slot is not None:
            return self.shown.get_rect(center=self.slot.center)
        return pygame.Rect(self.pos, self.image.get_size())

    def contains(self, point: tuple[int, int]) -> bool:
        rect = self.rect
        if not rect.collidepoint(point):
            return False
        return self.shown.get_at((point[0] - rect.x, point[1] - rect.y)).a > 0


def cut(
    picture: pygame.Surface, board: pygame.Rect, cols: int, rows: int, rng: random.Random
) -> list[Piece]:
    """Cut `picture` (already board-sized) into cols×rows pieces placed at `board`."""
    cell_w, cell_h = board.width / cols, board.height / rows
    r = max(3, int(min(cell_w, cell_h) * 0.17))
    # +1: the left/top piece has the tab, -1: it has the blank; outer edges are flat.
    right = [[rng.choice((1, -1)) for _ in range(cols - 1)] for _ in range(rows)]
    down = [[rng.choice((1, -1)) for _ in range(cols)] for _ in range(rows - 1)]
    padded = pygame.Surface((board.width + 2 * r, board.height + 2 * r), pygame.SRCALPHA)
    padded.blit(picture, (r, r))
    pieces = []
    for row in range(rows):
        for col in range(cols):
            x0, x1 = round(col * cell_w), round((col + 1) * cell_w)
            y0, y1 = round(row * cell_h), round((row + 1) * cell_h)
            sides = {
                "top": -down[row - 1][col] if row > 0 else 0,
                "bottom": down[row][col] if row < rows - 1 else 0,
                "left": -right[row][col - 1] if col > 0 else 0,
                "right": right[row][col] if col < cols - 1 else 0,
            }
            mask = _mask(x1 - x0, y1 - y0, r, sides)
            image = padded.subsurface(pygame.Rect(x0, y0, x1 - x0 + 2 * r, y1 - y0 + 2 * r))
            image = image.copy()
            image.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
            _outline(image, mask)
            home = pygame.Rect(board.x + x0 - r, board.y + y0 - r, *image.get_size())
            pieces.append(Piece(col, row, image, home, home.topleft))
    return pieces


def _mask(w: int, h: int, r: int, sides: dict[str, int]) -> pygame.Surface:
    """White where the piece is, transparent elsewhere (to multiply the picture by)."""
    inside, outside = (255, 255, 255, 255), (255, 255, 255, 0)
    mask = pygame.Surface((w + 2 * r, h + 2 * r), pygame.SRCALPHA)
    mask.fill(outside)
    mask.fill(inside, pygame.Rect(r, r, w, h))
    offset = int(r * 0.55)
    centres = {
        "top": (r + w // 2, r, 0, -1),
        "bottom": (r + w // 2, r + h, 0, 1),
        "left": (r, r + h // 2, -1, 0),
        "right": (r + w, r + h // 2, 1, 0),
    }
    for side, kind in sides.items():
        if kind == 0:
            continue
        cx, cy, dx, dy = centres[side]
        # A tab bulges out of the edge; a blank is the same circle cut into the piece.
        cx, cy = cx + dx * offset * kind, cy + dy * offset * kind
        pygame.draw.circle(mask, inside if kind > 0 else outside, (cx, cy), r)
    return mask


def _outline(image: pygame.Surface, mask: pygame.Surface) -> None:
    points = pygame.mask.from_surface(mask).outline()
    if len(points) > 2:
        pygame.draw.lines(image, (255, 255, 255), True, points, 2)


#: Built-in pictures: (id, English msgid of the title, sky colour, ground colour,
#: [(pictogram, x, y, size)] in a 1200×800 frame)
SCENES: tuple[
    tuple[str, str, theme.Color, theme.Color, tuple[tuple[str, int, int, int], ...]], ...
] = (
    (
        "meadow",
        "Meadow",
        (150, 205, 245),
        (128, 196, 96),
        (
            ("sunflower", 170, 470, 250),
            ("tulip", 430, 560, 170),
            ("butterfly", 620, 230, 170),
            ("honeybee", 900, 170, 140),
            ("rabbit", 840, 520, 230),
            ("snail", 560, 690, 130),
            ("lady-beetle", 1060, 680, 110),
            ("hedgehog", 300, 700, 150),
        ),
    ),
    (
        "farm",
        "Farm",
        (170, 215, 250),
        (150, 190, 90),
        (
            ("house", 230, 380, 280),
            ("cow", 600, 560, 260),
            ("pig", 940, 640, 200),
            ("tractor", 950, 360, 240),
            ("owl", 520, 200, 130),
            ("sunflower", 110, 660, 160),
        ),
    ),
    (
        "journey",
        "Journey",
        (120, 190, 240),
        (110, 170, 210),
        (
            ("airplane", 300, 170, 200),
            ("rocket", 1020, 150, 170),
            ("sailboat", 880, 560, 230),
            ("locomotive", 300, 560, 240),
            ("bus", 620, 660, 200),
            ("bicycle", 560, 420, 150),
        ),
    ),
)


def _(message: str) -> str:
    """Marks a msgid for extraction; translated where it is shown."""
    return message


_("Meadow")
_("Farm")
_("Journey")


def scene_picture(ui: UI, index: int) -> pygame.Surface:
    """A built-in picture, 1200×800: sky, a hill, a sun and the scene's pictograms."""
    _id, _title, sky, ground, items = SCENES[index]
    picture = pygame.Surface((1200, 800))
    for y in range(800):
        t = y / 800
        picture.fill(theme.lighten(sky, 0.45 * t), pygame.Rect(0, y, 1200, 1))
    pygame.draw.ellipse(picture, ground, pygame.Rect(-300, 430, 1800, 800))
    pygame.draw.circle(picture, (255, 214, 70), (1080, 110), 70)
    for name, x, y, size in items:
        image = ui.images.emoji(name, size)
        picture.blit(image, image.get_rect(center=(x, y)))
    return picture
