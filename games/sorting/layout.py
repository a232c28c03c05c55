"""Where things go on Sort it out's screens, in layout units (metrics.px), so one layout
serves 1280×720 up to 3840×2160. Each function sets the screen's buttons and the
rectangles the painter and the input handling use."""

from __future__ import annotations

from functools import partial

import pygame

import games.sorting.looks as looks
from games.sorting.rules import LEVELS, level_bins, level_item_count
from games.sorting.screen import SortingScreen
from kiosk.api import Button, kit, theme


def title_rect(game: SortingScreen, bottom: int) -> pygame.Rect:
    m = game.ctx.ui.metrics
    area = game.ctx.area
    return pygame.Rect(
        area.left + m.margin, bottom - m.px(110), area.width - 2 * m.margin, m.px(100)
    )


def topics(game: SortingScreen) -> None:
    m = game.ctx.ui.metrics
    area = game.ctx.area
    packs = list(game.flow.topics)
    cols = min(len(packs), 4)
    rows = -(-len(packs) // cols)
    gap = m.px(36)
    room_h = area.height - m.px(150) - m.margin
    side = min(
        m.px(280),
        (area.width - 2 * m.margin - (cols - 1) * gap) // cols,
        (room_h - (rows - 1) * gap) // rows,
    )
    block_h = rows * side + (rows - 1) * gap
    top = area.top + max(m.px(140), (area.height - block_h) // 2 + m.px(30))
    ctx = game.ctx
    choose = game.flow.choose_topic
    tiles = kit.pack_topic_tiles(packs, ctx.pick, ctx.picture, int(side * 0.6), choose)
    rects = kit.centered_rows(len(tiles), cols, (side, side), gap, area.centerx, top)
    game.buttons.set_buttons(kit.tile_buttons(tiles, rects))
    game.title_rect = title_rect(game, top - m.px(20))


def levels(game: SortingScreen) -> None:
    pack = game.pack
    assert pack is not None
    m = game.ctx.ui.metrics
    h = m.px(300)
    tiles = []
    for level in range(1, len(LEVELS) + 1):
        things = level_item_count(pack, level)
        pictures = [game.ctx.picture(pack, b.picture, m.px(120)) for b in level_bins(pack, level)]
        tiles.append(
            kit.Tile(
                id=f"level:{level}",
                label=game.ctx.ngettext("%(n)d thing", "%(n)d things", things) % {"n": things},
                color=kit.level_colour(level),
                image=looks.level_picture(pictures, int(h * 0.62), game.ctx.ui),
                on_press=partial(game.start, level),
            )
        )
    buttons = kit.level_buttons(game.ctx.ui, game.ctx.area, tiles)
    game.buttons.set_buttons(buttons)
    game.title_rect = title_rect(game, buttons[0].rect.top - m.px(20))


def play(game: SortingScreen) -> None:
    assert game.round is not None and game.pack is not None
    m = game.ctx.ui.metrics
    area = game.ctx.area
    count = len(game.round.bins)
    gap = m.px(32)
    bin_w = min(m.px(270), (area.width - 2 * m.margin - (count - 1) * gap) // count)
    bin_h = m.px(206)
    top = area.bottom - m.px(24) - bin_h
    x = area.centerx - (count * bin_w + (count - 1) * gap) // 2
    buttons = []
    for i, bin_ in enumerate(game.round.bins):
        buttons.append(
            Button(
                id=f"bin:{bin_.id}",
                rect=pygame.Rect(x, top, bin_w, bin_h),
                color=theme.lighten(theme.TILE_COLORS[(i + 2) % len(theme.TILE_COLORS)], 0.2),
                label=game.ctx.pick(bin_.text),
                image=game.ctx.picture(game.pack, bin_.picture, int(bin_h * 0.58)),
                on_press=partial(game.sort_into, i),
            )
        )
        x += bin_w + gap
    game.buttons.set_buttons(buttons)
    game.prompt_rect = pygame.Rect(
        area.left + m.px(110), area.top + m.px(10), area.width - 2 * m.px(110), m.px(78)
    )
    # Speakers of their own (a tap on a bin sorts into it): the prompt's on its left,
    # each bin's on its top-left corner (the count badge has the other). The thing
    # itself reads its name when tapped.
    prompt = game.ctx.pick(game.pack.sorting.prompt) if game.pack.sorting else ""
    shown = game.ctx.ui.text.fit(
        prompt, game.prompt_rect.size, m.font_size("heading"), theme.INK, "bold", max_lines=2
    )
    shown_rect = shown.get_rect(center=game.prompt_rect.center)
    speakers = [game.ctx.speaker_left_of("speak", shown_rect, prompt)]
    for bin_, button in zip(game.round.bins, buttons, strict=True):
        corner = (button.rect.left + m.px(24), button.rect.top + m.px(20))
        speakers.append(game.ctx.speaker(f"speak:{bin_.id}", corner, button.label))
    game.speakers.set_buttons([b for b in speakers if b is not None])
    card = (m.px(looks.CARD_W), m.px(looks.CARD_H))
    middle = (game.prompt_rect.bottom + top - m.px(16)) // 2
    game.home = pygame.Rect((0, 0), card)
    game.home.center = (area.centerx, middle)


def won(game: SortingScreen) -> None:
    ctx = game.ctx
    y = game.banner.layout(ctx.ui, ctx.area)
    other = kit.other_topic_button(ctx.gettext("Other topic"), game.show_topics)
    before = [other] if game.flow.many_topics else []
    kit.put_end_buttons(
        game.buttons, ctx.ui, ctx.area, ctx.gettext, y, game.level, len(LEVELS), game.start, before
    )


def race_won(game: SortingScreen) -> None:
    """The race's end: the teams' score cards (with who won), how points count, and the
    buttons to race again."""
    ctx = game.ctx
    m = ctx.ui.metrics
    area = ctx.area
    button_h = m.px(120)
    y = area.bottom - m.px(30) - button_h
    other = kit.other_topic_button(ctx.gettext("Other topic"), game.show_topics)
    before = [other] if game.flow.many_topics else []
    kit.put_end_buttons(
        game.buttons,
        ctx.ui,
        ctx.area,
        ctx.gettext,
        y,
        game.level,
        len(LEVELS),
        game.start,
        before,
        focus="again",
    )
    width = area.width - 2 * m.margin
    game.race_rule = pygame.Rect(area.left + m.margin, y - m.px(90), width, m.px(70))
    top = area.top + m.px(30)
    bottom = game.race_rule.top - m.px(16)
    game.race_board = pygame.Rect(area.left + m.margin, top, width, bottom - top)
