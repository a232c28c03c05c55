"""The buzzer mode's drawn pieces: the score bar of 2–4 teams and the panel under the
answers that says who may buzz or who answers, with the answering team's time running
out as a shrinking bar in its colour. Each is composed from plain values."""

from __future__ import annotations

import pygame

from kiosk.api import UI, draw, pad_button, theme

#: A team's look: its colour and animal picture.
Look = tuple[theme.Color, str]


def buzzer_bar(
    ui: UI,
    size: tuple[int, int],
    looks: list[Look],
    points: list[int],
    answering: int | None,
    tried: list[int],
) -> pygame.Surface:
    """One card per team across the width: its animal and points. The team answering
    stands out (full colour, thick white border, a little taller); teams that have had
    their try at this question rest pale; the others wait in their colour."""
    m = ui.metrics
    w, h = size
    bar = pygame.Surface(size, pygame.SRCALPHA)
    gap = m.px(16)
    count = len(looks)
    card_w = min(m.px(300), (w - (count - 1) * gap) // count)
    left = (w - (count * card_w + (count - 1) * gap)) // 2
    for team, (color, animal) in enumerate(looks):
        active = team == answering
        resting = team in tried and not active
        fill = theme.lighten(color, 0.6) if resting else color
        inset = 0 if active else m.px(5)
        rect = pygame.Rect(left + team * (card_w + gap), inset, card_w, h - 2 * inset)
        border = m.px(6) if active else m.px(2)
        border_color = theme.INK if active else theme.WHITE
        card = draw.rounded_card(rect.size, rect.height // 2, fill, border, border_color)
        bar.blit(card, rect)
        picture = ui.images.emoji(animal, int(rect.height * 0.8))
        if resting:
            picture = picture.copy()
            picture.fill((255, 255, 255, 140), special_flags=pygame.BLEND_RGBA_MULT)
        bar.blit(picture, picture.get_rect(midleft=(rect.left + rect.height // 3, rect.centery)))
        number = ui.text.fit(
            str(points[team]),
            (card_w // 3, int(rect.height * 0.9)),
            m.font_size("title"),
            theme.INK,
            weight="bold",
        )
        bar.blit(number, number.get_rect(midright=(rect.right - rect.height // 2, rect.centery)))
    return bar


def status_panel(
    ui: UI, size: tuple[int, int], text: str, answering: Look | None
) -> pygame.Surface:
    """The panel under the answers while a question is open: the A button and "press A to
    buzz", or the answering team's animal, in its colour, and what it does now. The
    bottom strip is left for the time bar (`time_bar`)."""
    m = ui.metrics
    w, h = size
    panel = pygame.Surface(size, pygame.SRCALPHA)
    color = theme.lighten(answering[0], 0.55) if answering else theme.lighten(theme.FOCUS, 0.8)
    panel.blit(draw.rounded_card(size, m.px(28), color, m.px(4), theme.WHITE), (0, 0))
    side = m.px(84)
    picture = ui.images.emoji(answering[1], side) if answering else pad_button(ui, side)
    panel.blit(picture, picture.get_rect(midleft=(m.px(20), h // 2 - m.px(6))))
    left = m.px(20) + side + m.px(18)
    shown = ui.text.fit(
        text,
        (w - left - m.px(20), h - m.px(36)),
        m.font_size("heading"),
        theme.INK,
        weight="bold",
        max_lines=2,
    )
    panel.blit(shown, shown.get_rect(midleft=(left, h // 2 - m.px(6))))
    return panel


def time_bar(ui: UI, size: tuple[int, int], share: float, color: theme.Color) -> pygame.Surface:
    """The answering team's time: a bar in its colour that shrinks from full to nothing."""
    w, h = size
    bar = pygame.Surface(size, pygame.SRCALPHA)
    bar.blit(draw.rounded_card(size, h // 2, theme.lighten(theme.INK_SOFT, 0.75)), (0, 0))
    filled = int(w * max(0.0, min(1.0, share)))
    if filled > 0:
        # Plain pygame, not a cached card: its width changes every frame.
        pygame.draw.rect(bar, color, (0, 0, max(filled, h), h), border_radius=h // 2)
    return bar
