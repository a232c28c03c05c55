"""Pictures the creative tools draw for themselves: button icons with shapes the font
lacks (play, stop, arrows, copy, see-through), and frames made from other pictures."""

from __future__ import annotations

import pygame

from kiosk.api import ActivityContext, Button, Pack, draw, theme


def play_icon(size: int, playing: bool, color: theme.Color = theme.INK) -> pygame.Surface:
    """A play triangle, or a stop square while something plays."""
    icon = pygame.Surface((size, size), pygame.SRCALPHA)
    if playing:
        side = int(size * 0.62)
        rect = pygame.Rect(0, 0, side, side)
        rect.center = (size // 2, size // 2)
        pygame.draw.rect(icon, color, rect, border_radius=max(1, size // 10))
    else:
        pygame.draw.polygon(
            icon,
            color,
            [(size * 0.24, size * 0.14), (size * 0.24, size * 0.86), (size * 0.88, size * 0.5)],
        )
    return icon


def arrow_icon(size: int, direction: int, color: theme.Color = theme.INK) -> pygame.Surface:
    """A fat triangle pointing left (-1) or right (+1)."""
    icon = pygame.Surface((size, size), pygame.SRCALPHA)
    tip, back = (size * 0.8, size * 0.2) if direction > 0 else (size * 0.2, size * 0.8)
    pygame.draw.polygon(icon, color, [(back, size * 0.15), (back, size * 0.85), (tip, size * 0.5)])
    return icon


def copy_icon(size: int) -> pygame.Surface:
    """Two overlapping cards: make a copy."""
    icon = pygame.Surface((size, size), pygame.SRCALPHA)
    card = (int(size * 0.56), int(size * 0.68))
    radius = max(2, size // 10)
    back = draw.rounded_card(card, radius, theme.lighten(theme.FOCUS, 0.45), max(1, size // 24))
    front = draw.rounded_card(card, radius, theme.FOCUS, max(1, size // 24))
    icon.blit(back, (int(size * 0.08), int(size * 0.06)))
    icon.blit(front, (int(size * 0.36), int(size * 0.26)))
    return icon


def opacity_icon(size: int, alpha: int) -> pygame.Surface:
    """A solid circle under a see-through one: how strongly old frames show."""
    icon = pygame.Surface((size, size), pygame.SRCALPHA)
    r = int(size * 0.3)
    pygame.draw.circle(icon, theme.FOCUS, (int(size * 0.36), size // 2), r)
    veil = pygame.Surface((size, size), pygame.SRCALPHA)
    pygame.draw.circle(veil, (*theme.BAD, alpha), (int(size * 0.64), size // 2), r)
    icon.blit(veil, (0, 0))
    return icon


def fit_onto(
    picture: pygame.Surface, size: tuple[int, int], background: theme.Color = theme.WHITE
) -> pygame.Surface:
    """`picture` scaled to fit `size` (aspect kept), centred on a plain background."""
    canvas = pygame.Surface(size)
    canvas.fill(background)
    w, h = picture.get_size()
    scale = min(size[0] / max(1, w), size[1] / max(1, h))
    scaled = pygame.transform.smoothscale(
        picture.convert_alpha() if pygame.display.get_surface() else picture,
        (max(1, round(w * scale)), max(1, round(h * scale))),
    )
    canvas.blit(scaled, scaled.get_rect(center=(size[0] // 2, size[1] // 2)))
    return canvas


def blit_thumb(
    surface: pygame.Surface, thumb: pygame.Surface, button: Button, pad: int, sink: int
) -> None:
    """A thumbnail filling a strip button's face (a button's own picture would be fitted
    into a square and come out small), sinking with the button when it is pressed."""
    box = button.rect.inflate(-2 * pad, -2 * pad)
    w, h = thumb.get_size()
    scale = min(box.width / w, box.height / h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    picture = pygame.transform.smoothscale(thumb, size) if size != (w, h) else thumb
    rect = picture.get_rect(center=box.center)
    if button.pressed:
        rect.move_ip(0, sink)
    surface.blit(picture, rect)


def pack_picture_frame(
    ctx: ActivityContext, pack: Pack, picture_id: str, size: tuple[int, int], top: int = 0
) -> pygame.Surface | None:
    """A pack's picture as a frame of `size`: a photo as large as it fits, a pictogram
    (small emoji art, blurry when blown up) at about half the height, both on white. The
    pictogram stays below `top` (a story slide's title band), centred in the rest."""
    if ctx.photo_size(pack, picture_id) is not None:
        photo = ctx.original_picture(pack, picture_id)
        return fit_onto(photo, size) if photo is not None else None
    room = pygame.Rect(0, top, size[0], size[1] - top)
    pictogram = ctx.picture(pack, picture_id, min(int(size[1] * 0.6), room.height * 9 // 10))
    canvas = pygame.Surface(size)
    canvas.fill(theme.WHITE)
    canvas.blit(pictogram, pictogram.get_rect(center=room.center))
    return canvas
