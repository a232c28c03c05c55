"""The calm end of a group session whose timer ran out.

When the group was playing in teams (the quiz), the teams' final score comes first —
who won or a tie, and praise for every team — so the result is not lost with the time."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from kiosk.scenes.base import Shell
from kiosk.scenes.message import MessageScreen
from kiosk.ui.draw import paint_background
from kiosk.ui.scoreboard import TeamScore, final_scores
from kiosk.ui.theme import INK


class TimeUp(MessageScreen):
    in_session = False
    picture = "alarm-clock"
    auto_continue_s = 60.0

    def __init__(self, shell: Shell, teams: Sequence[TeamScore] = ()) -> None:
        super().__init__(shell)
        #: The final score of the team game that was running, if any.
        self.teams = list(teams)

    def message(self) -> str:
        return self._("Time is up! Thank you for playing together.")

    def go_on(self) -> None:
        self.shell.session.end_session("timer")  # already ended; this resets language and screen

    def layout(self) -> None:
        super().layout()
        if self.teams:
            m = self.ui.metrics
            ok = self.buttons.buttons[0]
            ok.rect.bottom = self.size[1] - m.margin

    def board_rect(self) -> pygame.Rect:
        """Where the final score sits: between the heading and the OK button."""
        m = self.ui.metrics
        w, h = self.size
        top = m.px(150)
        bottom = self.buttons.buttons[0].rect.top - m.px(20)
        width = min(w - 2 * m.margin, m.px(1100))
        return pygame.Rect((w - width) // 2, top, width, bottom - top)

    def draw(self, surface: pygame.Surface) -> None:
        if not self.teams:
            super().draw(surface)
            return
        m = self.ui.metrics
        w, _h = self.size
        paint_background(surface)
        clock = self.ui.images.emoji(self.picture, m.px(90))
        title = self.ui.text.fit(
            self.message(),
            (w - 2 * m.margin - m.px(110), m.px(120)),
            m.font_size("title"),
            INK,
            weight="bold",
            max_lines=2,
        )
        row_w = clock.get_width() + m.px(20) + title.get_width()
        left = (w - row_w) // 2
        center_y = m.px(20) + m.px(60)
        surface.blit(clock, clock.get_rect(midleft=(left, center_y)))
        surface.blit(title, title.get_rect(midleft=(left + clock.get_width() + m.px(20), center_y)))
        board = self.board_rect()
        translator = self.services.translator
        surface.blit(
            final_scores(self.ui, board.size, self.teams, translator.gettext, translator.ngettext),
            board,
        )
        self.buttons.draw(surface)
