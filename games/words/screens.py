"""Word builder's screens: the level picker, the word being built, the stars at the end,
and the kind message when no pack has words in the child's language."""

from __future__ import annotations

import math
from functools import partial

import pygame

from games.words.board import Tile, WordBoard
from games.words.letters import LEVELS
from kiosk.api import ButtonGroup, draw, kit, theme

#: (letters shown, rows) on each level's button: more tiles, longer words.
LEVEL_PICTURES = ((3, 1), (6, 2), (9, 3))


class Screens:
    def __init__(self, game: WordBoard) -> None:
        self.game = game
        self.ctx = game.ctx
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        self.choose_top = 0
        #: The word's picture on its card, composed once for the celebration.
        self._composed: tuple[object, pygame.Surface] | None = None

    # ----- layout --------------------------------------------------------------------

    def layout_levels(self) -> None:
        h = self.ctx.ui.metrics.px(300)
        labels = (
            self.ctx.gettext("Short words"),
            self.ctx.gettext("Longer words"),
            self.ctx.gettext("Long words"),
        )
        alphabet = self.game.alphabet()
        tiles = [
            kit.Tile(
                id=f"level:{level}",
                label=label,
                color=kit.level_colour(level),
                image=self.game.looks.level_picture(alphabet[:letters], rows, int(h * 0.62)),
                on_press=partial(self.game.start, level),
            )
            for level, (label, (letters, rows)) in enumerate(
                zip(labels, LEVEL_PICTURES, strict=True), start=1
            )
        ]
        buttons = kit.level_buttons(self.ctx.ui, self.ctx.area, tiles)
        self.buttons.set_buttons(buttons)
        self.choose_top = buttons[0].rect.top

    def layout_stars(self) -> None:
        ctx, game = self.ctx, self.game
        y = game.banner.layout(ctx.ui, ctx.area)
        kit.put_end_buttons(
            self.buttons, ctx.ui, ctx.area, ctx.gettext, y, game.level, len(LEVELS), game.start
        )

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
        focus = game.ring.focus
        if game.ring.show_focus and focus is not None and focus < len(game.tiles):
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
        if game.solved_at is None:
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
        if phase == "level":
            text = self.ctx.gettext("Build the word from the letters!")
            kit.draw_heading(surface, self.ctx.ui, self.ctx.area, text, self.choose_top)
        elif phase == "stars":
            appear = self.game.flow.appear(self.game.time)
            message = self.won_message()
            self.game.banner.draw(
                surface, self.ctx.ui, self.ctx.area, self.game.stars, appear, message
            )
        else:
            self._draw_empty(surface)

    def _draw_empty(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        top = area.top + (area.height - m.px(160 + 30 + 160)) // 2
        message = self.ctx.gettext("There are no words to build in your language yet.")
        kit.draw_notice(surface, ui, area, "books", message, top, top + m.px(160 + 30))
