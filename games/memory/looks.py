"""How Memory pairs looks: the cards (back, face, the flip between them, the focus ring),
and the pictures on its topic and level tiles. Drawn from the cards' state only."""

from __future__ import annotations

import math

import pygame

from games.memory.decks import Face, Topic
from kiosk.api import ActivityContext, draw, theme

CARD_BACK = (126, 87, 194)


def topic_picture(ctx: ActivityContext, topic: Topic, size: int) -> pygame.Surface:
    """The topic's picture; the pack modes show what they pair: 🇱🇻↔🇱🇹, or picture↔Aa."""
    ui = ctx.ui
    icon = topic.icon()
    if icon.pack is None:
        return ui.images.emoji(icon.emoji or "", size)
    main = ctx.picture(icon.pack, icon.picture or "", size)
    if topic.kind not in ("lv-lt", "picture-word"):
        return main
    picture = pygame.Surface((size * 2, size), pygame.SRCALPHA)
    half = int(size * 0.8)
    if topic.kind == "lv-lt":
        left, right = ui.images.emoji("flag-lv", half), ui.images.emoji("flag-lt", half)
    else:
        left = ctx.picture(icon.pack, icon.picture or "", half)
        right = ui.text.render("Aa", int(half * 0.7), theme.INK, weight="bold")
    picture.blit(left, left.get_rect(center=(size // 2, size // 2)))
    arrow = ui.text.render("↔", int(size * 0.45), theme.INK, weight="bold")
    picture.blit(arrow, arrow.get_rect(center=(size, size // 2)))
    picture.blit(right, right.get_rect(center=(size * 3 // 2, size // 2)))
    return picture


def grid_picture(ctx: ActivityContext, cols: int, rows: int, size: int) -> pygame.Surface:
    """A small picture of the level's grid of cards: more cards, harder game."""
    m = ctx.ui.metrics
    picture = pygame.Surface((size, size), pygame.SRCALPHA)
    gap = max(2, size // 28)
    side = min((size - (cols - 1) * gap) // cols, (size - (rows - 1) * gap) // rows)
    left = (size - (cols * side + (cols - 1) * gap)) // 2
    top = (size - (rows * side + (rows - 1) * gap)) // 2
    card = draw.rounded_card((side, side), max(2, side // 5), CARD_BACK, max(1, m.px(2)))
    for row in range(rows):
        for col in range(cols):
            picture.blit(card, (left + col * (side + gap), top + row * (side + gap)))
    return picture


class CardLooks:
    """The pictures of a round's cards, each side drawn once per round and size."""

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx
        self._sides: dict[tuple[str, int, bool, tuple[int, int]], pygame.Surface] = {}

    def clear(self) -> None:
        self._sides.clear()

    def shadow_reach(self) -> int:
        m = self.ctx.ui.metrics
        return m.px(8) + m.px(5)

    def side(self, face: Face | None, matched: bool, size: tuple[int, int]) -> pygame.Surface:
        """A card's face, or its back (None)."""
        key = ("side", id(face), matched, size)
        cached = self._sides.get(key)
        if cached is not None:
            return cached
        ui = self.ctx.ui
        m = ui.metrics
        radius = m.px(20)
        w, h = size
        if face is None:
            side = draw.rounded_card(size, radius, CARD_BACK, m.px(4), theme.WHITE).copy()
            star = ui.images.emoji("star", int(h * 0.34))
            side.blit(star, star.get_rect(center=(w // 2, h // 2)))
            self._sides[key] = side
            return side
        color = theme.lighten(theme.GOOD, 0.75) if matched else theme.WHITE
        side = draw.rounded_card(size, radius, color, m.px(4), theme.WHITE).copy()
        has_picture = face.emoji is not None or face.picture is not None
        picture_h = int(h * (0.56 if face.text else 0.68)) if has_picture else 0
        if has_picture:
            if face.pack is not None and face.picture is not None:
                image = self.ctx.picture(face.pack, face.picture, picture_h)
            else:
                image = ui.images.emoji(face.emoji or "", picture_h)
            top = int(h * 0.08) if face.text else (h - image.get_height()) // 2
            side.blit(image, image.get_rect(midtop=(w // 2, top)))
        if face.text:
            pad = max(4, w // 14)
            box_top = int(h * 0.08) + picture_h + pad // 2 if has_picture else pad
            box = pygame.Rect(pad, box_top, w - 2 * pad, h - box_top - pad)
            if face.flag and not has_picture:
                flag = ui.images.emoji(f"flag-{face.flag}", int(h * 0.2))
                side.blit(flag, flag.get_rect(midtop=(w // 2, pad)))
                box = pygame.Rect(
                    pad, pad + flag.get_height(), w - 2 * pad, h - 2 * pad - flag.get_height()
                )
            text = ui.text.fit(
                face.text,
                box.size,
                max(8, int(h * (0.2 if has_picture else 0.24))),
                theme.INK,
                weight="bold",
                max_lines=2,
                min_size=8,  # a long word on a small card: small rather than cut
            )
            side.blit(text, text.get_rect(center=box.center))
        self._sides[key] = side
        return side

    def resting(self, face: Face | None, matched: bool, size: tuple[int, int]) -> pygame.Surface:
        """A still card with its shadow, as one picture (one blit per card per frame)."""
        key = ("resting", id(face), matched, size)
        cached = self._sides.get(key)
        if cached is not None:
            return cached
        m = self.ctx.ui.metrics
        reach = self.shadow_reach()
        blur = m.px(8)
        resting = pygame.Surface((size[0] + 2 * reach, size[1] + 2 * reach), pygame.SRCALPHA)
        shade = draw.shadow(size, m.px(20), blur, alpha=70)
        resting.blit(shade, (reach - blur, reach - blur + m.px(5)))
        resting.blit(self.side(face, matched, size), (reach, reach))
        self._sides[key] = resting
        return resting

    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        face: Face,
        face_up: bool,
        matched: bool,
        flip: float | None,
        focused: bool,
        ring: theme.Color | None = None,
    ) -> None:
        """One card at `rect`; `flip` (0..1) is a running flip's progress. The focus ring
        is blue, or `ring` (the playing team's colour, in turns) edged with ink."""
        m = self.ctx.ui.metrics
        radius = m.px(20)
        # The flip: the card narrows to an edge, then opens showing the other side.
        showing_face = face_up or matched
        squeeze = 1.0
        if flip is not None:
            squeeze = abs(math.cos(flip * math.pi))
            if flip < 0.5:
                showing_face = not showing_face
        shown = face if showing_face else None
        if flip is None:
            resting = self.resting(shown, matched, rect.size)
            surface.blit(resting, rect.move(-self.shadow_reach(), -self.shadow_reach()))
        else:
            blur = m.px(8)
            shade = draw.shadow(rect.size, radius, blur, alpha=70)
            surface.blit(shade, (rect.x - blur, rect.y - blur + m.px(5)))
            image = self.side(shown, matched, rect.size)
            width = max(2, int(rect.width * squeeze))
            image = pygame.transform.smoothscale(image, (width, rect.height))
            surface.blit(image, image.get_rect(center=rect.center))
        if focused:
            width = m.px(6)
            outer = rect.inflate(2 * width + 4, 2 * width + 4)
            color = theme.FOCUS if ring is None else ring
            pygame.draw.rect(surface, color, outer, width=width, border_radius=radius + width)
            if ring is not None:
                # A pale team colour needs an edge to stand out on the cards and the floor.
                edge = max(1, m.px(2))
                pygame.draw.rect(
                    surface, theme.INK, outer, width=edge, border_radius=radius + width
                )
                inner = outer.inflate(-2 * width + 2 * edge, -2 * width + 2 * edge)
                pygame.draw.rect(surface, theme.INK, inner, width=edge, border_radius=radius)
