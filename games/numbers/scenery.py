"""Pictures of Number garden, composed once: the level pictures of the picker and the
question card (garden pictures to count, the sum, the empty answer box).

Pictures are laid out in rows of at most five, like a ten-frame, so a child can count
them at a glance and no two overlap."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from games.numbers.problems import Problem
from kiosk.api import UI, draw, theme

ROW = 5  # pictures per row when counting
CARD_COLOR = theme.WHITE
BOX_COLOR = (255, 250, 236)
BOX_BORDER = (255, 183, 77)


@dataclass
class QuestionCard:
    """The composed card and where its answer box sits (relative to the card)."""

    surface: pygame.Surface
    answer_box: pygame.Rect


def _grid(
    surface: pygame.Surface,
    ui: UI,
    picture: str,
    count: int,
    cols: int,
    cell: int,
    topleft: tuple[int, int],
    faded_from: int | None = None,
) -> None:
    """`count` pictures in rows of `cols`; those from index `faded_from` are crossed out."""
    image = ui.images.emoji(picture, int(cell * 0.8))
    faded = None
    if faded_from is not None:
        faded = image.copy()
        faded.fill((255, 255, 255, 90), special_flags=pygame.BLEND_RGBA_MULT)
    line = max(2, cell // 14)
    for i in range(count):
        row, col = divmod(i, cols)
        center = (topleft[0] + col * cell + cell // 2, topleft[1] + row * cell + cell // 2)
        if faded is not None and faded_from is not None and i >= faded_from:
            surface.blit(faded, faded.get_rect(center=center))
            reach = int(cell * 0.3)
            pygame.draw.line(
                surface,
                theme.ACCENT_DARK,
                (center[0] - reach, center[1] - reach),
                (center[0] + reach, center[1] + reach),
                line,
            )
        else:
            surface.blit(image, image.get_rect(center=center))


def draw_pictures(surface: pygame.Surface, ui: UI, problem: Problem, zone: pygame.Rect) -> None:
    """The problem as garden pictures, centred in `zone` of `surface`."""
    m = ui.metrics
    if problem.kind == "add":
        cols_a, cols_b = min(problem.a, ROW), min(problem.b, ROW)
        rows = max(math.ceil(problem.a / ROW), math.ceil(problem.b / ROW))
        total_cols = cols_a + 1 + cols_b
        cell = min(zone.width // total_cols, zone.height // rows, m.px(110))
        left = zone.centerx - total_cols * cell // 2
        top = zone.centery - rows * cell // 2
        _grid(surface, ui, problem.picture, problem.a, cols_a, cell, (left, top))
        plus = ui.text.render("+", int(cell * 0.8), theme.INK, "bold")
        sign_x = left + cols_a * cell + cell // 2
        surface.blit(plus, plus.get_rect(center=(sign_x, zone.centery)))
        _grid(
            surface, ui, problem.picture, problem.b, cols_b, cell, (left + (cols_a + 1) * cell, top)
        )
        return
    if problem.kind == "times":
        _draw_groups(surface, ui, problem, zone)
        return
    count = problem.a
    cols = min(count, ROW)
    rows = math.ceil(count / ROW)
    cell = min(zone.width // cols, zone.height // rows, m.px(130))
    left = zone.centerx - cols * cell // 2
    top = zone.centery - rows * cell // 2
    faded_from = problem.a - problem.b if problem.kind == "subtract" else None
    _grid(surface, ui, problem.picture, count, cols, cell, (left, top), faded_from)


def _draw_groups(surface: pygame.Surface, ui: UI, problem: Problem, zone: pygame.Rect) -> None:
    """a × b as `a` groups of `b` pictures, each group on a soft band: the bands run
    across or down, whichever gives bigger pictures."""
    groups, size = problem.a, problem.b
    across = min(zone.width // size, zone.height // groups)
    down = min(zone.width // groups, zone.height // size)
    cell = min(max(across, down), ui.metrics.px(110))
    cols, rows = (size, groups) if across >= down else (groups, size)
    left = zone.centerx - cols * cell // 2
    top = zone.centery - rows * cell // 2
    color = theme.lighten(theme.TILE_COLORS[1], 0.7)
    inset = int(cell * 0.04)
    for group in range(groups):
        if across >= down:
            band = draw.rounded_card((cols * cell, cell - 2 * inset), cell // 3, color)
            surface.blit(band, (left, top + group * cell + inset))
        else:
            band = draw.rounded_card((cell - 2 * inset, rows * cell), cell // 3, color)
            surface.blit(band, (left + group * cell + inset, top))
    _grid(surface, ui, problem.picture, problem.answer, cols, cell, (left, top))


def question_card(ui: UI, problem: Problem, size: tuple[int, int], wide_box: bool) -> QuestionCard:
    """The white card with the problem, its answer box left empty (drawn by the game);
    `wide_box` makes room for three typed digits."""
    m = ui.metrics
    w, h = size
    surface = draw.rounded_card(size, m.px(32), CARD_COLOR, m.px(5), theme.lighten(BOX_BORDER, 0.5))
    surface = surface.copy()
    pad = m.px(20)
    inner = pygame.Rect(pad, pad, w - 2 * pad, h - 2 * pad)
    if problem.shows_pictures:
        expr_h = min(m.px(120), int(inner.height * 0.34))
        zone = pygame.Rect(inner.left, inner.top, inner.width, inner.height - expr_h - m.px(8))
        draw_pictures(surface, ui, problem, zone)
        expr_zone = pygame.Rect(inner.left, inner.bottom - expr_h, inner.width, expr_h)
        font_size = m.px(80)
    else:
        expr_h = min(m.px(170), inner.height)
        expr_zone = pygame.Rect(inner.left, inner.centery - expr_h // 2, inner.width, expr_h)
        font_size = m.px(120)
    box_h = int(expr_zone.height * 0.9)
    # One width for every answer of a level, so the box never hints at the digits.
    box_w = int(box_h * (1.8 if wide_box else 1.4))
    gap = m.px(20)
    text = None
    if problem.expression:
        text = ui.text.fit(
            problem.expression,
            (expr_zone.width - box_w - gap, expr_zone.height),
            font_size,
            theme.INK,
            weight="bold",
            max_lines=1,
        )
    block = box_w + (text.get_width() + gap if text is not None else 0)
    x = expr_zone.centerx - block // 2
    if text is not None:
        surface.blit(text, text.get_rect(midleft=(x, expr_zone.centery)))
        x += text.get_width() + gap
    box = pygame.Rect(x, expr_zone.centery - box_h // 2, box_w, box_h)
    return QuestionCard(surface, box)


def answer_box(ui: UI, size: tuple[int, int], shown: str, state: str) -> pygame.Surface:
    """The answer box: "?" while asking, the typed digits, or the right number in green.
    `state` is "ask", "typing", "wrong" or "right"."""
    m = ui.metrics
    fill = {
        "ask": BOX_COLOR,
        "typing": BOX_COLOR,
        "wrong": theme.lighten(theme.ACCENT, 0.6),
        "right": theme.lighten(theme.GOOD, 0.55),
    }[state]
    border = theme.GOOD if state == "right" else (theme.FOCUS if state == "typing" else BOX_BORDER)
    box = draw.rounded_card(size, m.px(22), fill, m.px(5), border).copy()
    if shown:
        color = theme.INK_SOFT if state == "ask" else theme.INK
        text = ui.text.fit(
            shown,
            (size[0] - m.px(16), size[1] - m.px(8)),
            int(size[1] * 0.8),
            color,
            weight="bold",
            max_lines=1,
        )
        box.blit(text, text.get_rect(center=(size[0] // 2, size[1] // 2)))
    return box


def level_picture(ui: UI, level: int, size: int) -> pygame.Surface:
    """The picker's picture of a level's difficulty: 3 apples, "7+5", "34+25", "3×4"."""
    picture = pygame.Surface((size, size), pygame.SRCALPHA)
    if level == 1:
        apple = ui.images.emoji("red-apple", int(size * 0.4))
        for x, y in ((0.25, 0.32), (0.75, 0.32), (0.5, 0.72)):
            picture.blit(apple, apple.get_rect(center=(int(size * x), int(size * y))))
        return picture
    if level == 4:
        # 3 rows of 4 blossoms over "3×4": the groups a times table counts.
        cell = int(size * 0.115)
        blossom = ui.images.emoji("blossom", int(cell * 0.9))
        left, top = size // 2 - 2 * cell, int(size * 0.24) - 3 * cell // 2
        for i in range(12):
            row, col = divmod(i, 4)
            center = (left + col * cell + cell // 2, top + row * cell + cell // 2)
            picture.blit(blossom, blossom.get_rect(center=center))
        label = ui.text.fit(
            "3\u00d74", (size, int(size * 0.5)), int(size * 0.42), theme.INK, "bold"
        )
        picture.blit(label, label.get_rect(center=(size // 2, int(size * 0.72))))
        return picture
    decoration, text = {
        2: (("honeybee", "lady-beetle"), "7+5"),
        3: (("sunflower", "tulip", "blossom"), "34+25"),
    }[level]
    small = ui.images.emoji(decoration[0], int(size * 0.38))
    step = size // (len(decoration) + 1)
    for i, name in enumerate(decoration):
        image = ui.images.emoji(name, small.get_height())
        picture.blit(image, image.get_rect(center=(step * (i + 1), int(size * 0.24))))
    label = ui.text.fit(text, (size, int(size * 0.5)), int(size * 0.42), theme.INK, "bold")
    picture.blit(label, label.get_rect(center=(size // 2, int(size * 0.72))))
    return picture


def progress_flower(
    ui: UI, result: bool | None, current: bool, grown: float, height: int
) -> pygame.Surface:
    """One question in the progress row: a seedling still to come (bigger when it is the
    current one), a sunflower for a right first try, a tulip for a right later try;
    `grown` (0..1) lets a new flower grow, in ten steps so few sizes are cached."""
    if result is None:
        return ui.images.emoji("seedling", height if current else int(height * 0.6))
    size = int(height * (0.4 + 0.6 * round(grown * 10) / 10))
    return ui.images.emoji("sunflower" if result else "tulip", size)
