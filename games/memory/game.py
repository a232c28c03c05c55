"""Memory pairs, the first game: it exercises the whole Activity API.

The child picks a topic (built-in pictures, or a content pack's pairs and words — see
decks.py), then a level (3, 6 or 10 pairs), turns cards two at a time and keeps the pairs
that match. A round ends with stars for how few turns it took (the score, 1–3), then
"Play again" or "Next level". Pointer and keyboard both play it: arrows move the blue
ring, Enter turns the card."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Literal

import pygame

from games.memory.decks import Face, Topic, deal, topics
from kiosk.api import (
    Activity,
    ActivityInfo,
    Button,
    ButtonGroup,
    InputEvent,
    KeyEvent,
    PointerEvent,
    draw,
    round_end_buttons,
    theme,
)

#: (pairs, columns, rows) for levels 1..3
LEVELS = ((3, 3, 2), (6, 4, 3), (10, 5, 4))

FLIP_S = 0.22
MISMATCH_SHOW_S = 0.9
CARD_BACK = (126, 87, 194)

Phase = Literal["topic", "choose", "play", "won"]


@dataclass(eq=False)
class Card:
    #: Cards with the same key make a pair.
    key: str
    face: Face
    rect: pygame.Rect
    face_up: bool = False
    matched: bool = False
    #: 0..1 progress of a running flip animation, None when still.
    flip: float | None = None


def stars_for(turns: int, pairs: int) -> int:
    """3 stars for a near-perfect memory, 1 for finishing at all."""
    if turns <= math.ceil(pairs * 1.5):
        return 3
    if turns <= pairs * 2.5:
        return 2
    return 1


class MemoryPairs(Activity):
    info = ActivityInfo(
        id="memory",
        title={"lv": "Atmiņas spēle", "lt": "Atminties žaidimas", "en": "Memory pairs"},
        icon="joker",
        category="play",
        levels=len(LEVELS),
    )

    def on_enter(self) -> None:
        self.topics = topics(self.ctx, needed=LEVELS[0][0])
        self.topic: Topic = self.topics[0]
        self.phase: Phase = "topic" if len(self.topics) > 1 else "choose"
        self.level = 1
        self.cards: list[Card] = []
        self.open_cards: list[Card] = []
        self.hide_at: float | None = None
        self.turns = 0
        self.stars = 0
        self.focus = 0
        self.show_focus = False
        self.time = 0.0
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self._layout_phase()

    def on_language_changed(self) -> None:
        self._layout_phase()

    # ----- layout --------------------------------------------------------------------

    def _layout_phase(self) -> None:
        if self.phase == "topic":
            self._layout_topics()
        elif self.phase == "choose":
            self._layout_choose()
        elif self.phase == "won":
            self._layout_won()
        else:
            self.buttons.set_buttons([])
        self.ctx.invalidate()

    def _layout_topics(self) -> None:
        """One tile per topic, up to 4 in a row, centred in the area."""
        m = self.ctx.ui.metrics
        area = self.ctx.area
        shown = self.topics[:8]
        cols = min(4, len(shown))
        rows = -(-len(shown) // cols)
        gap = m.px(32)
        w = min(m.px(250), (area.width - 2 * m.margin - (cols - 1) * gap) // cols)
        heading = m.px(100)
        h = min(m.px(230), (area.height - heading - m.margin - (rows - 1) * gap) // rows)
        top = (
            area.top + heading + max(0, (area.height - heading - rows * h - (rows - 1) * gap) // 2)
        )
        self.choose_top = top
        buttons = []
        for i, topic in enumerate(shown):
            row, col = divmod(i, cols)
            in_row = min(cols, len(shown) - row * cols)
            left = area.centerx - (in_row * w + (in_row - 1) * gap) // 2
            image = self._topic_picture(topic, m.px(160))
            buttons.append(
                Button(
                    id=f"topic:{topic.id}",
                    rect=pygame.Rect(left + col * (w + gap), top + row * (h + gap), w, h),
                    color=theme.TILE_COLORS[(i + 3) % len(theme.TILE_COLORS)],
                    label=topic.title(self.ctx),
                    image=image,
                    on_press=partial(self._pick_topic, topic),
                )
            )
        self.buttons.set_buttons(buttons)

    def _topic_picture(self, topic: Topic, size: int) -> pygame.Surface:
        """The topic's picture; the pack modes show what they pair: 🇱🇻↔🇱🇹, or picture↔Aa."""
        ui = self.ctx.ui
        icon = topic.icon()
        if icon.pack is None:
            return ui.images.emoji(icon.emoji or "", size)
        main = self.ctx.picture(icon.pack, icon.picture or "", size)
        if topic.kind not in ("lv-lt", "picture-word"):
            return main
        picture = pygame.Surface((size * 2, size), pygame.SRCALPHA)
        half = int(size * 0.8)
        if topic.kind == "lv-lt":
            left, right = ui.images.emoji("flag-lv", half), ui.images.emoji("flag-lt", half)
        else:
            left = self.ctx.picture(icon.pack, icon.picture or "", half)
            right = ui.text.render("Aa", int(half * 0.7), theme.INK, weight="bold")
        picture.blit(left, left.get_rect(center=(size // 2, size // 2)))
        arrow = ui.text.render("↔", int(size * 0.45), theme.INK, weight="bold")
        picture.blit(arrow, arrow.get_rect(center=(size, size // 2)))
        picture.blit(right, right.get_rect(center=(size * 3 // 2, size // 2)))
        return picture

    def _pick_topic(self, topic: Topic) -> None:
        self.topic = topic
        self.phase = "choose"
        self._layout_phase()

    def _layout_choose(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        w, h = m.px(300), m.px(300)
        gap = m.px(44)
        x = area.centerx - (3 * w + 2 * gap) // 2
        y = area.top + m.px(150)
        y = max(y, area.top + (area.height - h) // 2 + m.px(30))
        buttons = []
        for level, (pairs, _cols, _rows) in enumerate(LEVELS, start=1):
            label = self.ctx.ngettext("%(n)d pair", "%(n)d pairs", pairs) % {"n": pairs}
            buttons.append(
                Button(
                    id=f"level:{level}",
                    rect=pygame.Rect(x, y, w, h),
                    color=theme.TILE_COLORS[level - 1],
                    label=label,
                    image=self._grid_picture(_cols, _rows, int(h * 0.62)),
                    on_press=partial(self.start, level),
                    enabled=pairs <= self.topic.size,
                )
            )
            x += w + gap
        self.buttons.set_buttons(buttons)
        self.choose_top = y

    def _grid_picture(self, cols: int, rows: int, size: int) -> pygame.Surface:
        """A small picture of the level's grid of cards: more cards, harder game."""
        m = self.ctx.ui.metrics
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

    def _layout_won(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        # party 104, stars 150, message 120, buttons 120 and the gaps: one centred block
        self.won_top = area.top + max(m.px(12), (area.height - m.px(546)) // 2)
        y = self.won_top + m.px(104 + 16 + 150 + 6 + 120 + 30)
        buttons = round_end_buttons(self.ctx, y, self.level, len(LEVELS), self.start)
        self.buttons.set_buttons(buttons)
        self.buttons.focus_index = len(buttons) - 1

    def start(self, level: int) -> None:
        """Deal a new round at `level` (1-based)."""
        self.level = level
        pairs, cols, rows = LEVELS[level - 1]
        deck = deal(self.topic, pairs, self.ctx, self.ctx.random)
        m = self.ctx.ui.metrics
        area = self.ctx.area.inflate(-2 * m.margin, -2 * m.margin)
        gap = m.px(18)
        side = min(
            (area.width - (cols - 1) * gap) // cols, (area.height - (rows - 1) * gap) // rows
        )
        left = area.centerx - (cols * side + (cols - 1) * gap) // 2
        top = area.centery - (rows * side + (rows - 1) * gap) // 2
        self.cards = []
        self._sides: dict[tuple[str, int, bool, tuple[int, int]], pygame.Surface] = {}
        for i, (key, face) in enumerate(deck):
            row, col = divmod(i, cols)
            rect = pygame.Rect(left + col * (side + gap), top + row * (side + gap), side, side)
            self.cards.append(Card(key, face, rect))
        self.open_cards = []
        self.hide_at = None
        self.turns = 0
        self.focus = 0
        self.phase = "play"
        self.ctx.start_round(level)
        self._layout_phase()

    # ----- play ----------------------------------------------------------------------

    def _card_at(self, pos: tuple[int, int]) -> int | None:
        for i, card in enumerate(self.cards):
            if card.rect.collidepoint(pos):
                return i
        return None

    def turn(self, index: int) -> None:
        """Turn card `index` face up, if the rules allow it now."""
        card = self.cards[index]
        if self.phase != "play":
            return
        if card.face_up or card.matched:
            self._say_card(card)  # an open card's word, once more
            return
        if len(self.open_cards) == 2:
            self._hide_open()  # a quick child need not wait for the mismatch to close
        card.face_up = True
        card.flip = 0.0
        self.open_cards.append(card)
        self.ctx.play_sound("flip")
        self._say_card(card)
        self._invalidate_card(card)
        if len(self.open_cards) == 2:
            self.turns += 1
            first, second = self.open_cards
            if first.key == second.key:
                first.matched = second.matched = True
                self.open_cards = []
                self.ctx.play_sound("good")
                if all(c.matched for c in self.cards):
                    self._win()
            else:
                self.hide_at = self.time + MISMATCH_SHOW_S

    def _say_card(self, card: Card) -> None:
        """A word card reads its word as it turns up (in its flag's language on lv-lt
        cards): the card itself is its speaker, no button on every card."""
        if card.face.text:
            self.ctx.say(card.face.text, card.face.flag or None)

    def won_message(self) -> str:
        return self.ctx.ngettext(
            "Well done! You found all the pairs in %(n)d turn.",
            "Well done! You found all the pairs in %(n)d turns.",
            self.turns,
        ) % {"n": self.turns}

    def _hide_open(self) -> None:
        for card in self.open_cards:
            card.face_up = False
            card.flip = 0.0
            self._invalidate_card(card)
        self.open_cards = []
        self.hide_at = None

    def _win(self) -> None:
        pairs = LEVELS[self.level - 1][0]
        self.stars = stars_for(self.turns, pairs)
        self.ctx.complete(score=self.stars, level=self.level)
        self.ctx.play_sound("success")
        self.phase = "won"
        self.won_at = self.time
        self._layout_phase()
        self.ctx.say(self.won_message())  # the praise, read out by itself

    def _invalidate_card(self, card: Card) -> None:
        m = self.ctx.ui.metrics
        self.ctx.invalidate(card.rect.inflate(m.px(30), m.px(30)))

    def handle_event(self, event: InputEvent) -> bool:
        if self.buttons.handle(event):
            return True
        if self.phase != "play":
            return False
        if isinstance(event, PointerEvent) and event.kind == "down":
            index = self._card_at(event.pos)
            if index is not None:
                self._set_focus(index, visible=False)
                self.turn(index)
                return True
            return False
        if isinstance(event, KeyEvent):
            cols = LEVELS[self.level - 1][1]
            moves = {
                pygame.K_LEFT: -1,
                pygame.K_RIGHT: 1,
                pygame.K_UP: -cols,
                pygame.K_DOWN: cols,
                pygame.K_TAB: 1,
            }
            if event.key in moves:
                target = self.focus + moves[event.key]
                if event.key == pygame.K_TAB:
                    target %= len(self.cards)
                if 0 <= target < len(self.cards):
                    self._set_focus(target, visible=True)
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self._set_focus(self.focus, visible=True)
                self.turn(self.focus)
                return True
        return False

    def _set_focus(self, index: int, visible: bool) -> None:
        if self.cards:
            self._invalidate_card(self.cards[self.focus])
        self.focus = index
        self.show_focus = visible
        self._invalidate_card(self.cards[index])

    def update(self, dt: float) -> None:
        self.time += dt
        for card in self.cards:
            if card.flip is not None:
                card.flip += dt / FLIP_S
                if card.flip >= 1.0:
                    card.flip = None
                self._invalidate_card(card)
        if self.hide_at is not None and self.time >= self.hide_at:
            self._hide_open()
        if self.phase == "won" and self.time - self.won_at < 1.5:
            self.ctx.invalidate(self._stars_rect())

    # ----- drawing -------------------------------------------------------------------

    def _stars_rect(self) -> pygame.Rect:
        m = self.ctx.ui.metrics
        rect = pygame.Rect(0, 0, m.px(420), m.px(150))
        rect.midtop = (self.ctx.area.centerx, self.won_top + m.px(104 + 16))
        return rect

    def draw(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        surface.blit(draw.scene_background(surface.get_size()), area, area=area)
        if self.phase in ("topic", "choose"):
            heading = (
                self.ctx.gettext("What shall we play with?")
                if self.phase == "topic"
                else self.ctx.gettext("Find the pairs! How many cards?")
            )
            title = ui.text.fit(
                heading,
                (area.width - 2 * m.margin, m.px(110)),
                m.font_size("title"),
                theme.INK,
                weight="bold",
            )
            surface.blit(
                title, title.get_rect(midbottom=(area.centerx, self.choose_top - m.px(40)))
            )
        elif self.phase == "play":
            clip = surface.get_clip()
            reach = m.px(30)  # shadow and focus ring reach past the card
            for i, card in enumerate(self.cards):
                if clip.colliderect(card.rect.inflate(reach, reach)):
                    self._draw_card(surface, card, focused=self.show_focus and i == self.focus)
        else:
            self._draw_won(surface)
        self.buttons.draw(surface)

    def _card_side(self, face: Face | None, matched: bool, size: tuple[int, int]) -> pygame.Surface:
        """A card's face, or its back (None), drawn once per round and size."""
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

    def _shadow_reach(self) -> int:
        m = self.ctx.ui.metrics
        return m.px(8) + m.px(5)

    def _resting_card(
        self, face: Face | None, matched: bool, size: tuple[int, int]
    ) -> pygame.Surface:
        """A still card with its shadow, as one picture (one blit per card per frame)."""
        key = ("resting", id(face), matched, size)
        cached = self._sides.get(key)
        if cached is not None:
            return cached
        m = self.ctx.ui.metrics
        reach = self._shadow_reach()
        blur = m.px(8)
        resting = pygame.Surface((size[0] + 2 * reach, size[1] + 2 * reach), pygame.SRCALPHA)
        shade = draw.shadow(size, m.px(20), blur, alpha=70)
        resting.blit(shade, (reach - blur, reach - blur + m.px(5)))
        resting.blit(self._card_side(face, matched, size), (reach, reach))
        self._sides[key] = resting
        return resting

    def _draw_card(self, surface: pygame.Surface, card: Card, focused: bool) -> None:
        m = self.ctx.ui.metrics
        rect = card.rect
        radius = m.px(20)
        # The flip: the card narrows to an edge, then opens showing the other side.
        showing_face = card.face_up or card.matched
        squeeze = 1.0
        if card.flip is not None:
            squeeze = abs(math.cos(card.flip * math.pi))
            if card.flip < 0.5:
                showing_face = not showing_face
        face = card.face if showing_face else None
        if card.flip is None:
            resting = self._resting_card(face, card.matched, rect.size)
            surface.blit(resting, rect.move(-self._shadow_reach(), -self._shadow_reach()))
        else:
            blur = m.px(8)
            shade = draw.shadow(rect.size, radius, blur, alpha=70)
            surface.blit(shade, (rect.x - blur, rect.y - blur + m.px(5)))
            image = self._card_side(face, card.matched, rect.size)
            width = max(2, int(rect.width * squeeze))
            image = pygame.transform.smoothscale(image, (width, rect.height))
            surface.blit(image, image.get_rect(center=rect.center))
        if focused:
            ring = m.px(6)
            pygame.draw.rect(
                surface,
                theme.FOCUS,
                rect.inflate(2 * ring + 4, 2 * ring + 4),
                width=ring,
                border_radius=radius + ring,
            )

    def _draw_won(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        party = ui.images.emoji("party-popper", m.px(104))
        surface.blit(party, party.get_rect(midtop=(area.centerx, self.won_top)))
        stars = self._stars_rect()
        appear = min(1.0, (self.time - self.won_at) / 1.2)
        size = m.px(110)
        for i in range(3):
            shown = appear * 3 >= i + 0.5
            name = "glowing-star" if i < self.stars and shown else None
            cx = stars.centerx + (i - 1) * m.px(140)
            if name is None:
                pygame.draw.circle(
                    surface, theme.lighten(theme.INK_SOFT, 0.75), (cx, stars.centery), size // 3
                )
            else:
                picture = ui.images.emoji(name, size)
                surface.blit(picture, picture.get_rect(center=(cx, stars.centery)))
        message = self.won_message()
        text = ui.text.fit(
            message,
            (min(area.width - 2 * m.margin, m.px(1000)), m.px(120)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(midtop=(area.centerx, stars.bottom + m.px(6))))
