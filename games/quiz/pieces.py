"""The quiz's own drawn pieces: answer cards that show right/tried, the two-team score bar,
the row of progress dots and the level pictures. Each is composed once per state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pygame

from kiosk.api import UI, Button, draw, kit, theme

AnswerState = Literal["open", "right", "tried", "other"]

#: Team 1 and team 2: their colour and picture.
TEAMS = ((theme.TILE_COLORS[0], "fox"), (theme.TILE_COLORS[2], "bear"))

ANSWER_BORDERS = (
    theme.TILE_COLORS[2],
    theme.TILE_COLORS[3],
    theme.TILE_COLORS[1],
    theme.TILE_COLORS[4],
)


@dataclass(eq=False)
class AnswerButton(Button):
    """A big answer: a picture with its word under it, or a text alone. After the question
    is over it shows which answer was right (green) and fades the others gently."""

    picture: pygame.Surface | None = None
    #: The text size of a text answer (shared by the question's answers, so they match).
    text_size: int = 0
    border_color: theme.Color = theme.TILE_COLORS[2]
    state: AnswerState = field(default="open")

    def set_state(self, state: AnswerState) -> None:
        if state != self.state:
            self.state = state
            self.enabled = state == "open"
            self._looks.clear()

    def _render_face(self, ui: UI) -> pygame.Surface:
        m = ui.metrics
        w, h = self.rect.size
        radius = m.px(28)
        if self.state == "right":
            face_color, border, border_color = theme.lighten(theme.GOOD, 0.72), m.px(8), theme.GOOD
        elif self.state == "tried":
            face_color, border, border_color = (226, 220, 216), m.px(4), theme.WHITE
        else:
            face_color, border, border_color = theme.WHITE, m.px(6), self.border_color
        face = draw.rounded_card((w, h), radius, face_color, border, border_color).copy()
        pad = m.px(14)
        inner = pygame.Rect(pad, pad, w - 2 * pad, h - 2 * pad)
        if self.picture is not None:
            label_h, gap = _label_height(ui, self.rect), m.px(6)
            side = word_picture_side(ui, self.rect)
            picture = self.picture
            if picture.get_size() != (side, side) and max(picture.get_size()) != side:
                scale = side / max(picture.get_size())
                picture = pygame.transform.smoothscale(
                    picture,
                    (
                        max(1, round(picture.get_width() * scale)),
                        max(1, round(picture.get_height() * scale)),
                    ),
                )
            text = ui.text.fit(
                self.label, (inner.width, label_h), m.font_size("body"), theme.INK, weight="bold"
            )
            block = side + gap + text.get_height()
            top = inner.top + (inner.height - block) // 2
            face.blit(picture, picture.get_rect(center=(w // 2, top + side // 2)))
            face.blit(text, text.get_rect(midtop=(w // 2, top + side + gap)))
        else:
            text = ui.text.fit(
                self.label,
                inner.size,
                self.text_size or m.font_size("heading"),
                theme.INK,
                weight="bold",
                min_size=m.px(18),
                max_lines=4,
            )
            face.blit(text, text.get_rect(center=(w // 2, h // 2)))
        if self.state in ("tried", "other"):
            # Faded towards white but still opaque: gentle, and the background stays out.
            veil = draw.rounded_card((w, h), radius, theme.WHITE).copy()
            veil.set_alpha(150 if self.state == "tried" else 95)
            face.blit(veil, (0, 0))
        return face


def _label_height(ui: UI, rect: pygame.Rect) -> int:
    return min(ui.metrics.px(52), (rect.height - 2 * ui.metrics.px(14)) // 4)


def word_picture_side(ui: UI, rect: pygame.Rect) -> int:
    """The side of the picture on a word answer card of `rect`'s size (picture above,
    word below), so the game can ask for the picture at exactly that size."""
    pad = ui.metrics.px(14)
    inner_w, inner_h = rect.width - 2 * pad, rect.height - 2 * pad
    return max(1, min(inner_w, inner_h - _label_height(ui, rect) - ui.metrics.px(6)))


def team_bar(
    ui: UI, size: tuple[int, int], scores: list[int], turn: int, turn_text: str
) -> pygame.Surface:
    """The two team cards (picture and points) at the ends, and between them the turn
    marker: the playing team's picture and colour with "Team Fox's turn". The playing
    team's card stands out (full colour, thick white border), the other rests paler."""
    m = ui.metrics
    w, h = size
    bar = pygame.Surface(size, pygame.SRCALPHA)
    gap = m.px(16)
    card_w = min(m.px(220), w // 4)
    for team, (color, picture_name) in enumerate(TEAMS):
        active = turn == team
        fill = color if active else theme.lighten(color, 0.55)
        card = draw.rounded_card(
            (card_w, h), h // 2, fill, m.px(6) if active else m.px(2), theme.WHITE
        )
        x = 0 if team == 0 else w - card_w
        bar.blit(card, (x, 0))
        picture = ui.images.emoji(picture_name, int(h * 0.78))
        if not active:
            picture = picture.copy()
            picture.fill((255, 255, 255, 150), special_flags=pygame.BLEND_RGBA_MULT)
        number = ui.text.fit(
            str(scores[team]),
            (card_w // 3, int(h * 0.9)),
            m.font_size("title"),
            theme.INK,
            weight="bold",
        )
        # Team 1 reads outward from the left, team 2 mirrors it on the right.
        if team == 0:
            bar.blit(picture, picture.get_rect(midleft=(x + h // 3, h // 2)))
            bar.blit(number, number.get_rect(midright=(x + card_w - h // 2, h // 2)))
        else:
            bar.blit(picture, picture.get_rect(midright=(x + card_w - h // 3, h // 2)))
            bar.blit(number, number.get_rect(midleft=(x + h // 2, h // 2)))
    color, picture_name = TEAMS[turn]
    marker = pygame.Rect(card_w + gap, 0, w - 2 * (card_w + gap), h)
    bar.blit(draw.rounded_card(marker.size, h // 2, color, m.px(5), theme.INK), marker)
    # A pointer on the marker's side of the playing team: the turn reads at a glance.
    tip_x = marker.left - gap + m.px(2) if turn == 0 else marker.right + gap - m.px(2)
    base_x = marker.left + m.px(2) if turn == 0 else marker.right - m.px(2)
    pygame.draw.polygon(
        bar,
        theme.INK,
        [(tip_x, h // 2), (base_x, h // 2 - h // 4), (base_x, h // 2 + h // 4)],
    )
    kit.draw_turn_line(
        bar,
        ui,
        marker,
        picture_name,
        turn_text,
        picture_px=int(h * 0.8),
        text_height=int(h * 0.9),
    )
    return bar


DotState = Literal["right", "done", "current", "coming"]


def progress_dots(ui: UI, states: list[DotState], height: int) -> pygame.Surface:
    """One dot per question: green when right at the first try, warm when done,
    a ring around the current one."""
    m = ui.metrics
    step = height + m.px(10)
    surface = pygame.Surface((step * len(states), height), pygame.SRCALPHA)
    for i, state in enumerate(states):
        cx, cy = i * step + step // 2, height // 2
        if state == "right":
            color, radius = theme.GOOD, height // 2
        elif state == "done":
            color, radius = theme.ACCENT, height // 2
        elif state == "current":
            color, radius = theme.FOCUS, height // 2
        else:
            color, radius = theme.lighten(theme.INK_SOFT, 0.7), height // 3
        dot = draw.circle(2 * radius, color, m.px(2) if state == "current" else 0)
        surface.blit(dot, dot.get_rect(center=(cx, cy)))
    return surface


def level_picture(ui: UI, questions: int, answers: int, size: int) -> pygame.Surface:
    """A level as a picture: its answer cards on top, a dot per question below; more of
    both means a harder round."""
    m = ui.metrics
    picture = pygame.Surface((size, size), pygame.SRCALPHA)
    gap = max(2, size // 24)
    card = (size - (4 - 1) * gap) // 4
    per_row = 5
    rows = [min(per_row, questions - r * per_row) for r in range(-(-questions // per_row))]
    dot = min((size - (per_row - 1) * gap) // per_row, int(card * 0.8))
    height = card + 3 * gap + len(rows) * dot + (len(rows) - 1) * gap
    top = (size - height) // 2
    left = (size - (answers * card + (answers - 1) * gap)) // 2
    mark = ui.images.emoji("question-mark", int(card * 0.7))
    face = draw.rounded_card((card, card), max(2, card // 5), theme.WHITE, max(1, m.px(2)))
    for i in range(answers):
        x = left + i * (card + gap)
        picture.blit(face, (x, top))
        picture.blit(mark, mark.get_rect(center=(x + card // 2, top + card // 2)))
    circle = draw.circle(dot, theme.ACCENT, max(1, m.px(2)))
    top += card + 3 * gap
    for row, count in enumerate(rows):
        row_left = (size - (count * dot + (count - 1) * gap)) // 2
        for i in range(count):
            picture.blit(circle, (row_left + i * (dot + gap), top + row * (dot + gap)))
    return picture


def answer_text_box(ui: UI, rect: pygame.Rect) -> tuple[int, int]:
    """The box a text answer's words get inside its card."""
    pad = ui.metrics.px(14)
    return rect.width - 2 * pad, rect.height - 2 * pad


def common_text_size(ui: UI, texts: list[str], box: tuple[int, int], largest: int) -> int:
    """The largest size (≤ `largest`) at which every text fits `box` in at most four lines,
    so a question's text answers look alike; 0 when even small text needs shrinking
    further (each answer then shrinks on its own)."""
    size = largest
    floor = ui.metrics.px(18)
    while size >= floor:
        font = ui.text.font(size, "bold")
        if all(_fits(font, text, box, 4) for text in texts):
            return size
        size -= max(1, size // 12)
    return 0


def _fits(font: pygame.font.Font, text: str, box: tuple[int, int], max_lines: int) -> bool:
    lines = 1
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if font.size(candidate)[0] <= box[0]:
            current = candidate
            continue
        if not current or font.size(word)[0] > box[0]:
            return False
        lines += 1
        current = word
    return lines <= max_lines and lines * font.get_linesize() <= box[1]
