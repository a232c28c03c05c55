"""Painting Sort it out's screens. Everything is clipped: a piece is drawn only when it
meets the invalidated rectangle, and composed pictures come from the game's cache."""

from __future__ import annotations

import math

import pygame

import games.sorting.looks as looks
from games.sorting.screen import SortingScreen
from kiosk.api import Word, draw, final_scores, kit, theme

#: At most this many cards show in the pile behind the current one.
PILE_SHOWN = 3
#: Seconds the hint's hand bounces before it rests (it stays until the thing is sorted).
HINT_BOUNCE_S = 3.0


def item_placement(game: SortingScreen) -> tuple[Word, pygame.Rect, float, bool] | None:
    """The thing on the table: its word, rect (without shadow), scale and whether it is
    lifted (carried or flying); None when there is none."""
    if game.phase != "play" or game.round is None:
        return None
    word = game.item_word()
    if word is None:
        return None
    lifted = False
    scale = 1.0
    if game.motion is not None:
        center, scale = game.motion.place(game.time)
        lifted = game.motion.kind in ("in", "back")
    elif game.carry is not None:
        center, lifted = game.carry.center, True
    else:
        center = game.home.center
    rect = pygame.Rect(0, 0, round(game.home.width * scale), round(game.home.height * scale))
    rect.center = center
    return word, rect, scale, lifted


def item_dirty(game: SortingScreen) -> pygame.Rect | None:
    """Everything the thing may paint now: shadow and selection ring included."""
    placement = item_placement(game)
    if placement is None:
        return None
    reach = looks.shadow_reach(game.ctx.ui) + game.ctx.ui.metrics.px(14)
    return placement[1].inflate(2 * reach, 2 * reach)


def _card(game: SortingScreen, word: Word, lifted: bool) -> pygame.Surface:
    ui = game.ctx.ui
    size = game.home.size
    assert game.pack is not None
    pack = game.pack

    def make() -> pygame.Surface:
        picture = game.ctx.picture(pack, word.picture, int(size[1] * looks.PICTURE_SHARE))
        return looks.item_card(ui, picture, game.ctx.pick(word.text), size, lifted)

    return looks.kept(game.looks, ("card", word.id, lifted), make)


def paint(game: SortingScreen, surface: pygame.Surface) -> None:
    area = game.ctx.area
    draw.paint_background(surface, area)
    if game.phase == "empty":
        _paint_empty(game, surface)
    elif game.phase in ("topic", "level"):
        if game.phase == "topic":
            title = game.ctx.gettext("What shall we sort?")
        else:
            title = game.ctx.gettext("How many things will you sort?")
        _paint_title(game, surface, title)
        game.buttons.draw(surface)
    elif game.phase == "play":
        _paint_play(game, surface)
    else:
        _paint_won(game, surface)
        game.buttons.draw(surface)


def _paint_title(game: SortingScreen, surface: pygame.Surface, text: str) -> None:
    m = game.ctx.ui.metrics
    rect = game.title_rect
    if not surface.get_clip().colliderect(rect):
        return
    title = game.ctx.ui.text.fit(
        text, rect.size, m.font_size("title"), theme.INK, weight="bold", max_lines=2
    )
    surface.blit(title, title.get_rect(midbottom=rect.midbottom))


def _paint_empty(game: SortingScreen, surface: pygame.Surface) -> None:
    ui = game.ctx.ui
    m = ui.metrics
    area = game.ctx.area
    top = area.centery - m.px(150)
    message = game.ctx.gettext(
        "There is nothing to sort yet. Ask the librarian to add a sorting pack."
    )
    kit.draw_notice(surface, ui, area, "recycling", message, top, top + m.px(180), (900, 130))


def _paint_play(game: SortingScreen, surface: pygame.Surface) -> None:
    ui = game.ctx.ui
    m = ui.metrics
    clip = surface.get_clip()
    assert game.round is not None and game.pack is not None
    if clip.colliderect(game.prompt_rect):
        prompt = ui.text.fit(
            game.ctx.pick(game.pack.sorting.prompt) if game.pack.sorting else "",
            game.prompt_rect.size,
            m.font_size("heading"),
            theme.INK,
            weight="bold",
            max_lines=2,
        )
        surface.blit(prompt, prompt.get_rect(center=game.prompt_rect.center))
    _paint_pile(game, surface)
    game.buttons.draw(surface)
    game.speakers.draw(surface)
    for i, button in enumerate(game.buttons.buttons):
        if not clip.colliderect(button.dirty_rect(ui)):
            continue
        if i == game.hover:
            _ring(game, surface, button.rect, theme.ACCENT, m.px(8))
        if i == game.hint:
            _ring(game, surface, button.rect, theme.GOOD, m.px(8))
        count = game.round.counts[game.round.bins[i].id]
        if count:
            _paint_counter(game, surface, i, button.rect, count)
    if game.hint is not None:
        _paint_hint_hand(game, surface, game.buttons.buttons[game.hint].rect)
    placement = item_placement(game)
    if placement is not None:
        word, rect, scale, lifted = placement
        if clip.colliderect(rect.inflate(m.px(80), m.px(80))):
            card = _card(game, word, lifted)
            if scale != 1.0:
                w, h = card.get_size()
                card = pygame.transform.smoothscale(
                    card, (max(1, round(w * scale)), max(1, round(h * scale)))
                )
            surface.blit(card, card.get_rect(center=rect.center))
            if game.selected and game.carry is None and game.motion is None:
                _ring(game, surface, rect, theme.ACCENT, m.px(8))


def _paint_pile(game: SortingScreen, surface: pygame.Surface) -> None:
    assert game.round is not None
    m = game.ctx.ui.metrics
    on_table = 0 if (game.motion is not None and game.motion.kind == "in") else 1
    waiting = min(PILE_SHOWN, game.round.remaining - on_table)
    if waiting <= 0 or not surface.get_clip().colliderect(game.home.inflate(m.px(120), m.px(120))):
        return
    back = looks.kept(game.looks, ("back",), lambda: looks.card_back(game.ctx.ui, game.home.size))
    step = m.px(10)
    for k in range(waiting, 0, -1):
        rect = back.get_rect(center=game.home.move(k * step, -k * step).center)
        surface.blit(back, rect)


def _ring(
    game: SortingScreen, surface: pygame.Surface, rect: pygame.Rect, color: tuple, width: int
) -> None:
    m = game.ctx.ui.metrics
    outline = rect.inflate(2 * width + m.px(6), 2 * width + m.px(6))
    pygame.draw.rect(surface, color, outline, width=width, border_radius=m.px(34))


def _paint_counter(
    game: SortingScreen, surface: pygame.Surface, index: int, rect: pygame.Rect, count: int
) -> None:
    m = game.ctx.ui.metrics
    diameter = m.px(52)
    badge = looks.kept(
        game.looks, ("count", count), lambda: looks.counter(game.ctx.ui, count, diameter)
    )
    if game.popped is not None and game.popped[0] == index:
        t = (game.time - game.popped[1]) / 0.45
        if 0 <= t < 1:
            grow = 1 + 0.5 * math.sin(t * math.pi)
            size = round(diameter * grow)
            badge = pygame.transform.smoothscale(badge, (size, size))
    center = (rect.right - m.px(14), rect.top + m.px(14))
    surface.blit(badge, badge.get_rect(center=center))


def _paint_hint_hand(game: SortingScreen, surface: pygame.Surface, rect: pygame.Rect) -> None:
    m = game.ctx.ui.metrics
    hand = game.ctx.ui.images.emoji("backhand-index-pointing-down", m.px(72))
    age = game.time - game.hint_at
    bounce = abs(math.sin(age * 5.0)) * m.px(14) if age < HINT_BOUNCE_S else 0
    surface.blit(hand, hand.get_rect(midbottom=(rect.centerx, rect.top - m.px(4) - bounce)))


def _paint_won(game: SortingScreen, surface: pygame.Surface) -> None:
    ui = game.ctx.ui
    appear = game.flow.appear(game.time)
    game.banner.draw(surface, ui, game.ctx.area, game.stars, appear, game.won_message())


def paint_race_won(game: SortingScreen, surface: pygame.Surface) -> None:
    """The race's end screen (see layout.race_won)."""
    ctx = game.ctx
    area = ctx.area
    draw.paint_background(surface, area)
    assert game.race is not None
    clip = surface.get_clip()
    board = game.race_board
    if clip.colliderect(board):
        scores = game.race.team_scores()
        key = ("race-board", board.size, tuple(s.points for s in scores))
        picture = looks.kept(
            game.looks,
            key,
            lambda: final_scores(ctx.ui, board.size, scores, ctx.gettext, ctx.ngettext),
        )
        surface.blit(picture, board)
    rule = game.race_rule
    if clip.colliderect(rule):
        text = ctx.ui.text.fit(
            ctx.gettext(
                "A point for each thing sorted right at the first try, and a bonus point "
                "for each team you beat to the finish."
            ),
            rule.size,
            ctx.ui.metrics.font_size("body"),
            theme.INK_SOFT,
            max_lines=2,
        )
        surface.blit(text, text.get_rect(center=rule.center))
    game.buttons.draw(surface)
