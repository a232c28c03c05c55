"""How the jigsaw looks: the board with its pieces and the keyboard's frames, the whole
picture with its stars at the end, and the level tiles' little grids. Drawn from the
state the game passes in."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from games.jigsaw.pieces import Piece
from kiosk.api import UI, theme


def fit(image: pygame.Surface, box: pygame.Rect) -> pygame.Rect:
    """Where `image` goes, as large as fits in `box`, centred, its shape kept."""
    w, h = image.get_size()
    scale = min(box.width / w, box.height / h)
    rect = pygame.Rect(0, 0, int(w * scale), int(h * scale))
    rect.center = box.center
    return rect


def grid_picture(cols: int, rows: int, size: int) -> pygame.Surface:
    """A level tile's picture: the grid of pieces it cuts."""
    picture = pygame.Surface((size, int(size * 0.7)), pygame.SRCALPHA)
    cell_w, cell_h = picture.get_width() / cols, picture.get_height() / rows
    for row in range(rows):
        for col in range(cols):
            rect = pygame.Rect(
                int(col * cell_w) + 1, int(row * cell_h) + 1, int(cell_w) - 2, int(cell_h) - 2
            )
            color = theme.TILE_COLORS[(row * cols + col) % len(theme.TILE_COLORS)]
            pygame.draw.rect(picture, theme.lighten(color, 0.2), rect, border_radius=3)
    return picture


def draw_board(
    surface: pygame.Surface,
    ui: UI,
    board: pygame.Rect,
    ghost: pygame.Surface,
    pieces: Sequence[Piece],
    cursor: pygame.Rect | None,
    ringed: Piece | None,
) -> None:
    """The board (its guide), the pieces in their order, the frame of the cell the
    keyboard carries a piece to (`cursor`) and the ring on the `ringed` piece."""
    m = ui.metrics
    clip = surface.get_clip()
    frame = board.inflate(m.px(12), m.px(12))
    pygame.draw.rect(surface, theme.WHITE, frame, border_radius=m.px(10))
    surface.blit(ghost, board)
    if cursor is not None:
        pygame.draw.rect(surface, theme.FOCUS, cursor, width=max(3, m.px(5)))
    for piece in pieces:
        rect = piece.rect
        if clip.colliderect(rect):
            surface.blit(piece.shown, rect)
        if piece is ringed:
            pygame.draw.rect(
                surface, theme.FOCUS, piece.rect, width=max(3, m.px(5)), border_radius=m.px(8)
            )


def draw_whole(
    surface: pygame.Surface,
    ui: UI,
    area: pygame.Rect,
    picture: pygame.Surface,
    stars: int,
    buttons_top: int,
    praise: str,
) -> None:
    """The whole picture, the stars and a word of praise, above the buttons."""
    m = ui.metrics
    text = ui.text.fit(
        praise, (area.width - 2 * m.margin, m.px(60)), m.font_size("heading"), theme.INK, "bold"
    )
    text_rect = text.get_rect(midbottom=(area.centerx, buttons_top - m.px(20)))
    stars_y = text_rect.top - m.px(56)
    box = pygame.Rect(area.x, area.y + m.px(20), area.width, stars_y - m.px(56) - area.y - m.px(20))
    shown = fit(picture, box)
    surface.blit(pygame.transform.smoothscale(picture, shown.size), shown)
    size = m.px(90)
    for i in range(3):
        name = "glowing-star" if i < stars else "star"
        star = ui.images.emoji(name, size if i < stars else size // 2)
        surface.blit(star, star.get_rect(center=(area.centerx + (i - 1) * m.px(110), stars_y)))
    surface.blit(text, text_rect)
