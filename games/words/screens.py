"""Word builder's screens: the level picker, the word being built, the stars at the end,
and the kind message when no pack has words in the child's language."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from games.words.letters import LEVELS
from kiosk.api import Button, ButtonGroup, draw, round_end_buttons, theme

if TYPE_CHECKING:
    from games.words.game import Tile, WordBuilder

#: (letters shown, rows) on each level's button: more tiles, longer words.
LEVEL_PICTURES = ((3, 1), (6, 2), (9, 3))


class Screens:
    def __init__(self, game: WordBuilder) -> None:
        self.game = game
        self.ctx = game.ctx
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.choose_top = 0
        self.won_top = 0
        #: The word's picture on its card, composed once for the celebration.
        self._composed: tuple[object, pygame.Surface] | None = None

    # ----- layout --------------------------------------------------------------------

    def layout(self) -> None:
        phase = self.game.phase
        if phase == "choose":
            self._layout_choose()
        elif phase == "won":
            self._layout_won()
        else:
            self.buttons.set_buttons([])
        self.ctx.invalidate()

    def _layout_choose(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        w = h = m.px(300)
        gap = m.px(44)
        x = area.centerx - (3 * w + 2 * gap) // 2
        y = max(area.top + m.px(150), area.top + (area.height - h) // 2 + m.px(30))
        labels = (
            self.ctx.gettext("Short words"),
            self.ctx.gettext("Longer words"),
            self.ctx.gettext("Long words"),
        )
        alphabet = self.game.alphabet()
        buttons = []
        for level, (label, (letters, rows)) in enumerate(
            zip(labels, LEVEL_PICTURES, strict=True), start=1
        ):
            buttons.append(
                Button(
                    id=f"level:{level}",
                    rect=pygame.Rect(x, y, w, h),
                    color=theme.TILE_COLORS[level - 1],
                    label=label,
                    image=self.game.looks.level_picture(alphabet[:letters], rows, int(h * 0.62)),
                    on_press=lambda level=level: self.game.start(level),
                )
            )
            x += w + gap
        self.buttons.set_buttons(buttons)
        self.choose_top = y

    def _layout_won(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        # party 104, stars 150, message 120, buttons 120 and the gaps: one centred block
        self.won_top = area.top + max(m.px(12), (area.height - m.px(546)) // 2)
        y = self.won_top + m.px(104 + 16 + 150 + 6 + 120 + 30)
        level = self.game.level
        buttons = round_end_buttons(self.ctx, y, level, len(LEVELS), self.game.start)
        self.buttons.set_buttons(buttons)
        self.buttons.focus_index = len(buttons) - 1

    def won_message(self) -> str:
        words = len(self.game.round_words)
        if self.game.score >= words:
            return self.ctx.gettext("Wonderful! Every word was right the first time.")
        return self.ctx.ngettext(
            "Well done! You built %(n)d word.", "Well done! You built %(n)d words.", words
        ) % {"n": words}

    def layout_word(self) -> None:
        """The play screen's one button: the speaker left of the picture reads the word."""
        game = self.game
        m = self.ctx.ui.metrics
        d = self.ctx.speaker_size
        rect = game.picture_rect
        center = (rect.left - m.px(40) - d // 2, rect.centery)
        speaker = self.ctx.speaker("speak", center, game.word.text)
        self.buttons.set_buttons([speaker] if speaker else [])

    def stars_rect(self) -> pygame.Rect:
        m = self.ctx.ui.metrics
        rect = pygame.Rect(0, 0, m.px(420), m.px(150))
        rect.midtop = (self.ctx.area.centerx, self.won_top + m.px(104 + 16))
        return rect

    def celebration_rect(self) -> pygame.Rect:
        """The picture, its bounce and its sparkles."""
        m = self.ctx.ui.metrics
        rect = self.game.picture_rect
        return rect.inflate(rect.width + m.px(60), rect.height // 2 + m.px(60))

    # ----- the word being built ------------------------------------------------------

    def draw_play(self, surface: pygame.Surface) -> None:
        game = self.game
        looks = game.looks
        m = self.ctx.ui.metrics
        clip = surface.get_clip()
        reach = looks.shadow_reach()
        if clip.colliderect(self.celebration_rect()):
            self._draw_picture(surface)
        hint_slot = game.hint_slot()
        for i, rect in enumerate(game.slot_rects):
            if clip.colliderect(rect):
                hint = game.word.text[i] if i == hint_slot else None
                surface.blit(looks.slot(game.side, hint), rect)
        for tile in game.tiles:
            if (tile.slot is not None or tile.drag_center is not None) and clip.colliderect(
                tile.home
            ):
                surface.blit(looks.home(game.side), tile.home)
        moving = []
        for tile in [*game.tiles, *(t for t in game.slots if t is not None and t.given)]:
            if tile.drag_center is not None or tile.glide_from is not None:
                moving.append(tile)
                continue
            self._draw_tile(surface, tile, clip, reach)
        for tile in moving:  # on top of the resting ones
            self._draw_tile(surface, tile, clip, reach)
        focus = game.controls.focus
        if game.controls.show_focus and focus is not None and focus < len(game.tiles):
            tile = game.tiles[focus]
            if tile.slot is None and tile.drag_center is None:
                ring = m.px(6)
                pygame.draw.rect(
                    surface,
                    theme.FOCUS,
                    tile.home.inflate(2 * ring + m.px(4), 2 * ring + m.px(4)),
                    width=ring,
                    border_radius=game.side // 5 + ring,
                )
        if game.wrong_at is not None:
            self._draw_message(surface, clip)
        else:
            self._draw_progress(surface, clip)

    def progress_rect(self) -> pygame.Rect:
        """The row of dots, one per word of the round."""
        step = self.ctx.ui.metrics.px(30)
        return pygame.Rect(0, self.game.dots_y - step, self.ctx.area.right, 2 * step)

    def message_rect(self) -> pygame.Rect:
        """Where "not this letter" shows, in place of the progress dots."""
        m = self.ctx.ui.metrics
        area = self.ctx.area
        rect = pygame.Rect(0, 0, min(area.width - 2 * m.margin, m.px(760)), m.px(52))
        rect.center = (area.centerx, self.game.dots_y)
        return rect

    def _draw_message(self, surface: pygame.Surface, clip: pygame.Rect) -> None:
        rect = self.message_rect()
        if not clip.colliderect(rect):
            return
        m = self.ctx.ui.metrics
        text = self.ctx.ui.text.fit(
            self.ctx.gettext("Not this letter. Try another one!"),
            (rect.width - 2 * m.px(20), rect.height - m.px(8)),
            m.font_size("body"),
            theme.INK,
            weight="bold",
            max_lines=1,
        )
        pill = draw.rounded_card(
            (text.get_width() + 2 * m.px(20), rect.height), rect.height // 2, theme.WHITE
        )
        surface.blit(pill, pill.get_rect(center=rect.center))
        surface.blit(text, text.get_rect(center=rect.center))

    def _draw_tile(
        self, surface: pygame.Surface, tile: Tile, clip: pygame.Rect, reach: int
    ) -> None:
        rect = self.game.rect_of(tile)
        if clip.colliderect(rect.inflate(2 * reach, 2 * reach)):
            tile.drawn = rect if tile.drawn is None else tile.drawn.union(rect)
            look = self.game.looks.tile(tile.letter, self.game.side, tile.style)
            surface.blit(look, rect.move(-reach, -reach))

    def _draw_picture(self, surface: pygame.Surface) -> None:
        game = self.game
        ui = self.ctx.ui
        m = ui.metrics
        rect = game.picture_rect
        card = game.looks.card(rect.width)
        picture = self.ctx.picture(game.word.pack, game.word.picture, int(rect.width * 0.8))
        celebrating = game.solved_at is not None
        if not celebrating:
            reach = game.looks.shadow_reach()
            surface.blit(card, rect.move(-reach, -reach))
            surface.blit(picture, picture.get_rect(center=rect.center))
            return
        t = min(1.0, (game.time - game.solved_at) / 1.2)
        hop = math.sin(t * math.pi * 2) * (1 - t)
        scale = 1 + 0.14 * abs(hop)
        key = (game.word, rect.width)
        if self._composed is None or self._composed[0] != key:
            composed = card.copy()
            composed.blit(picture, picture.get_rect(center=composed.get_rect().center))
            self._composed = (key, composed)
        composed = self._composed[1]
        turned = pygame.transform.rotozoom(composed, 8 * hop, scale)
        center = (rect.centerx, rect.centery - round(m.px(14) * abs(hop)))
        surface.blit(turned, turned.get_rect(center=center))
        sparkle = ui.images.emoji("sparkles", m.px(56))
        spread = rect.width // 2 + m.px(40)
        for i, side in enumerate((-1, 1)):
            lift = round(m.px(24) * math.sin((t + i * 0.3) * math.pi * 2))
            spot = (rect.centerx + side * spread, rect.centery - lift)
            surface.blit(sparkle, sparkle.get_rect(center=spot))

    def _draw_progress(self, surface: pygame.Surface, clip: pygame.Rect) -> None:
        game = self.game
        m = self.ctx.ui.metrics
        count = len(game.round_words)
        step = m.px(30)
        left = self.ctx.area.centerx - (count - 1) * step // 2
        if not clip.colliderect(self.progress_rect()):
            return
        for i in range(count):
            if i < game.index or (i == game.index and game.solved_at is not None):
                color = theme.GOOD
            elif i == game.index:
                color = theme.ACCENT
            else:
                color = theme.lighten(theme.INK_SOFT, 0.7)
            pygame.draw.circle(surface, color, (left + i * step, game.dots_y), m.px(9))

    # ----- the other screens ---------------------------------------------------------

    def draw_other(self, surface: pygame.Surface) -> None:
        phase = self.game.phase
        if phase == "choose":
            self._draw_choose(surface)
        elif phase == "won":
            self._draw_won(surface)
        else:
            self._draw_empty(surface)

    def _draw_choose(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        title = ui.text.fit(
            self.ctx.gettext("Build the word from the letters!"),
            (area.width - 2 * m.margin, m.px(110)),
            m.font_size("title"),
            theme.INK,
            weight="bold",
        )
        surface.blit(title, title.get_rect(midbottom=(area.centerx, self.choose_top - m.px(40))))

    def _draw_won(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        game = self.game
        party = ui.images.emoji("party-popper", m.px(104))
        surface.blit(party, party.get_rect(midtop=(area.centerx, self.won_top)))
        stars = self.stars_rect()
        appear = min(1.0, (game.time - game.won_at) / 1.2)
        size = m.px(110)
        for i in range(3):
            cx = stars.centerx + (i - 1) * m.px(140)
            if i < game.stars and appear * 3 >= i + 0.5:
                picture = ui.images.emoji("glowing-star", size)
                surface.blit(picture, picture.get_rect(center=(cx, stars.centery)))
            else:
                soft = theme.lighten(theme.INK_SOFT, 0.75)
                pygame.draw.circle(surface, soft, (cx, stars.centery), size // 3)
        message = self.won_message()
        text = ui.text.fit(
            message,
            (min(area.width - 2 * m.margin, m.px(1000)), m.px(120)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(midtop=(area.centerx, stars.bottom + m.px(6))))

    def _draw_empty(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        books = ui.images.emoji("books", m.px(160))
        top = area.top + (area.height - m.px(160 + 30 + 160)) // 2
        surface.blit(books, books.get_rect(midtop=(area.centerx, top)))
        text = ui.text.fit(
            self.ctx.gettext("There are no words to build in your language yet."),
            (min(area.width - 2 * m.margin, m.px(1000)), m.px(160)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(midtop=(area.centerx, top + m.px(160 + 30))))
