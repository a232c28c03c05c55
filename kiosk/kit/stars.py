"""The stars banner at the end of a round: a party popper, up to three stars lighting up
one by one, a word of praise, and the buttons to play again or go on — one block,
centred in the activity's area."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from kiosk.ui import theme
from kiosk.ui.widgets import UI, Button, ButtonGroup

#: How long the stars take to light up, and how long the banner keeps moving.
APPEAR_S = 1.2
CELEBRATE_S = 1.5


def draw_stars(
    surface: pygame.Surface, ui: UI, center: tuple[int, int], stars: int, appear: float
) -> None:
    """Three stars, `stars` of them lit, appearing one by one as `appear` goes 0..1."""
    m = ui.metrics
    size = m.px(110)
    for i in range(3):
        cx = center[0] + (i - 1) * m.px(140)
        if i < stars and appear * 3 >= i + 0.5:
            picture = ui.images.emoji("glowing-star", size)
            surface.blit(picture, picture.get_rect(center=(cx, center[1])))
        else:
            color = theme.lighten(theme.INK_SOFT, 0.75)
            pygame.draw.circle(surface, color, (cx, center[1]), size // 3)


@dataclass
class StarsBanner:
    """Where the banner's parts go, in layout units: the party popper (104), a gap, the
    stars (150), the message (`message_height`), a gap and the buttons (120)."""

    gap_above_stars: int = 16
    message_height: int = 120
    gap_above_buttons: int = 30
    #: The banner's top in pixels, set by `layout`.
    top: int = 0

    def _units_to_buttons(self) -> int:
        return 104 + self.gap_above_stars + 150 + 6 + self.message_height + self.gap_above_buttons

    def layout(self, ui: UI, area: pygame.Rect) -> int:
        """Centre the banner in `area`; answers where its row of buttons starts."""
        m = ui.metrics
        block = self._units_to_buttons() + 120
        self.top = area.top + max(m.px(12), (area.height - m.px(block)) // 2)
        return self.top + m.px(self._units_to_buttons())

    def stars_rect(self, ui: UI, area: pygame.Rect, width: int = 420) -> pygame.Rect:
        """The stars' row (what changes while they light up)."""
        m = ui.metrics
        rect = pygame.Rect(0, 0, m.px(width), m.px(150))
        rect.midtop = (area.centerx, self.top + m.px(104 + self.gap_above_stars))
        return rect

    def draw(
        self,
        surface: pygame.Surface,
        ui: UI,
        area: pygame.Rect,
        stars: int,
        appear: float,
        message: str,
    ) -> None:
        """The popper, `stars` stars lit as far as `appear` (0..1) and the `message`."""
        m = ui.metrics
        party = ui.images.emoji("party-popper", m.px(104))
        surface.blit(party, party.get_rect(midtop=(area.centerx, self.top)))
        shown = self.stars_rect(ui, area)
        draw_stars(surface, ui, shown.center, stars, appear)
        text = ui.text.fit(
            message,
            (min(area.width - 2 * m.margin, m.px(1000)), m.px(self.message_height)),
            m.font_size("heading"),
            theme.INK,
            weight="bold",
        )
        surface.blit(text, text.get_rect(midtop=(area.centerx, shown.bottom + m.px(6))))


def end_buttons(
    ui: UI,
    area: pygame.Rect,
    gettext: Callable[[str], str],
    top: int,
    level: int,
    levels: int,
    start: Callable[[int], None],
    before: Sequence[Button] = (),
    after: Sequence[Button] = (),
    gap: int = 40,
) -> list[Button]:
    """The buttons after a finished round, in one centred row at `top`: `before`, then
    "Play again" and, below the last level, "Next level", then `after` (e.g. another
    topic). The caller gives the focus to the one a child most likely wants."""
    m = ui.metrics
    width, height, gap = m.px(330), m.px(120), m.px(gap)

    def button(button_id: str, color: theme.Color, icon: str, label: str, to: int) -> Button:
        return Button(
            id=button_id,
            rect=pygame.Rect(0, top, width, height),
            color=color,
            icon=icon,
            label=label,
            icon_share=0.5,
            on_press=lambda: start(to),
        )

    buttons = [
        *before,
        button("again", theme.NEUTRAL_COLOR, "repeat", gettext("Play again"), level),
    ]
    if level < levels:
        buttons.append(
            button("next", theme.YES_COLOR, "right-arrow", gettext("Next level"), level + 1)
        )
    buttons.extend(after)
    room = area.width - 2 * m.margin
    if len(buttons) * width + (len(buttons) - 1) * gap > room:
        width = (room - (len(buttons) - 1) * gap) // len(buttons)
    x = area.centerx - (len(buttons) * width + (len(buttons) - 1) * gap) // 2
    for each in buttons:
        each.rect.update(x, top, width, height)
        x += width + gap
    return buttons


def put_end_buttons(
    group: ButtonGroup,
    ui: UI,
    area: pygame.Rect,
    gettext: Callable[[str], str],
    top: int,
    level: int,
    levels: int,
    start: Callable[[int], None],
    before: Sequence[Button] = (),
    after: Sequence[Button] = (),
    focus: str | None = None,
) -> list[Button]:
    """`end_buttons` put into `group`, with the focus on the button named `focus`, else on
    the last one: "Next level" when there is one — what a child most likely wants."""
    buttons = end_buttons(ui, area, gettext, top, level, levels, start, before, after)
    group.set_buttons(buttons)
    ids = [button.id for button in buttons]
    group.focus_index = ids.index(focus) if focus in ids else len(buttons) - 1
    return buttons


def other_topic_button(label: str, on_press: Callable[[], None]) -> Button:
    """The "another topic" button for `end_buttons` (its place is set there)."""
    return Button(
        id="topics",
        rect=pygame.Rect(0, 0, 0, 0),
        color=theme.TILE_COLORS[4],
        icon="books",
        label=label,
        icon_share=0.5,
        on_press=on_press,
    )
