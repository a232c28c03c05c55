"""Drawing the quiz's screens: the topic and level pickers, a question with its feedback,
and the end. Everything drawn here comes from the state a `QuizScreen` offers (the game
in game.py is one; this module does not import it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import pygame

from games.quiz.buzzer import ANSWER_S
from games.quiz.buzzer_view import buzzer_bar, status_panel, time_bar
from games.quiz.buzzing import Buzzing
from games.quiz.pieces import DotState, progress_dots, team_bar
from games.quiz.rounds import Outcome, QuizRound
from kiosk.api import ActivityContext, ButtonGroup, Pack, TeamScore, draw, final_scores, kit, theme

#: How long the green tick on the right answer takes to pop in.
POP_S = 0.35


class QuizScreen(Protocol):
    """The quiz's state as its screens read it."""

    ctx: ActivityContext
    flow: kit.RoundFlow[Pack]
    banner: kit.StarsBanner
    round: QuizRound | None
    buttons: ButtonGroup
    teams: bool
    buzzing: Buzzing | None
    feedback: Outcome | None
    feedback_at: float
    time: float
    title_rect: pygame.Rect
    team_rect: pygame.Rect | None
    dots_rect: pygame.Rect
    prompt_rect: pygame.Rect
    picture_rect: pygame.Rect | None
    feedback_rect: pygame.Rect

    @property
    def phase(self) -> str: ...
    @property
    def pack(self) -> Pack | None: ...

    def team_scores(self) -> Sequence[TeamScore] | None: ...
    def turn_text(self, team: int) -> str: ...
    def end_message(self) -> str: ...


class QuizView:
    def __init__(self, game: QuizScreen) -> None:
        self.game = game
        self.ctx = game.ctx
        self._cache: dict[tuple[object, ...], pygame.Surface] = {}

    def clear(self) -> None:
        """Forget the composed pictures (the language changed)."""
        self._cache.clear()

    # ----- geometry ------------------------------------------------------------------

    def answer_rects(self, room: pygame.Rect, count: int, word_answers: bool) -> list[pygame.Rect]:
        """Big answer cards in `room`: one row, two rows or (texts) one column, whichever
        gives the biggest pictures or the roomiest text boxes."""
        m = self.ctx.ui.metrics
        gap = m.px(26)
        arrangements = [(1, count)]
        if count >= 3:
            arrangements.append((2, (count + 1) // 2))
        if not word_answers:
            arrangements.append((count, 1))
        best: tuple[float, int, int, int, int] | None = None
        for rows, cols in arrangements:
            cell_w = (room.width - (cols - 1) * gap) // cols
            cell_h = (room.height - (rows - 1) * gap) // rows
            if word_answers:
                w = min(cell_w, int(cell_h * 1.1), m.px(330))
                h = min(cell_h, int(w * 1.15))
                score = min(w, h * 0.85)
            else:
                w = min(cell_w, m.px(560))
                h = min(cell_h, m.px(200))
                score = min(w / 2.6, h)
            if best is None or score > best[0]:
                best = (score, rows, cols, w, h)
        assert best is not None
        _score, rows, cols, w, h = best
        top = room.top + (room.height - (rows * h + (rows - 1) * gap)) // 2
        rects = []
        for i in range(count):
            row, col = divmod(i, cols)
            in_row = min(cols, count - row * cols)
            left = room.centerx - (in_row * w + (in_row - 1) * gap) // 2
            rects.append(pygame.Rect(left + col * (w + gap), top + row * (h + gap), w, h))
        return rects

    def badge_rect(self) -> pygame.Rect:
        """Where the green tick sits on the right answer (top-right corner)."""
        m = self.ctx.ui.metrics
        assert self.game.round is not None
        button = self.game.buttons.by_id(f"answer:{self.game.round.current.right_index}")
        side = m.px(70)
        rect = pygame.Rect(0, 0, side, side)
        rect.center = (button.rect.right - m.px(10), button.rect.top + m.px(10))
        return rect.inflate(m.px(20), m.px(20))

    def countdown_rect(self) -> pygame.Rect:
        """The answering team's time bar, along the bottom of the panel under the answers."""
        m = self.ctx.ui.metrics
        rect = self.game.feedback_rect
        return pygame.Rect(
            rect.left + m.px(126), rect.bottom - m.px(30), rect.width - m.px(126 + 30), m.px(16)
        )

    def celebration_rect(self) -> pygame.Rect:
        if self.game.teams:
            return self.final_score_rect()
        return self.game.banner.stars_rect(self.ctx.ui, self.ctx.area, width=760)

    def final_score_rect(self) -> pygame.Rect:
        """The teams' final score at the end of a team round (above the buttons)."""
        m = self.ctx.ui.metrics
        area = self.ctx.area
        width = min(area.width - 2 * m.margin, m.px(1100))
        return pygame.Rect(area.centerx - width // 2, self.game.banner.top, width, m.px(380))

    # ----- what the screens draw from ------------------------------------------------

    def dot_states(self) -> list[DotState]:
        assert self.game.round is not None
        states: list[DotState] = []
        for i, asked in enumerate(self.game.round.questions):
            if i == self.game.round.index and not asked.done:
                states.append("current")
            elif asked.done:
                states.append("right" if asked.right_first_try else "done")
            else:
                states.append("coming")
        return states

    def cached(self, key: tuple[object, ...], make: Callable[[], pygame.Surface]) -> pygame.Surface:
        """A composed surface, made once per key (the key holds everything it shows)."""
        surface = self._cache.get(key)
        if surface is None:
            surface = make()
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = surface
        return surface

    def team_bar_surface(self, rect: pygame.Rect) -> pygame.Surface:
        assert self.game.round is not None
        buzzing = self.game.buzzing
        if buzzing is not None and buzzing.round is not None:
            looks = buzzing.looks()
            points = list(buzzing.round.points)
            played = buzzing.round
            # The team answering stands out, and after a right answer the one that scored.
            answering = played.answering
            if answering is None and played.last == "right":
                answering = played.last_team
            tried = list(played.tried)
            key: tuple[object, ...] = ("buzzer", tuple(points), answering, tuple(tried), rect.size)
            return self.cached(
                key, lambda: buzzer_bar(self.ctx.ui, rect.size, looks, points, answering, tried)
            )
        scores = list(self.game.round.team_scores)
        turn = self.game.round.current.team or 0
        text = self.game.turn_text(turn)
        key = ("teams", tuple(scores), turn, text, rect.size)
        return self.cached(key, lambda: team_bar(self.ctx.ui, rect.size, scores, turn, text))

    def dots_surface(self, height: int) -> pygame.Surface:
        states = self.dot_states()
        return self.cached(
            ("dots", tuple(states), height),
            lambda: progress_dots(self.ctx.ui, states, height),
        )

    # ----- drawing -------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        area = self.ctx.area
        draw.paint_background(surface, area)
        if self.game.phase == "empty":
            self._draw_empty(surface)
        elif self.game.phase == "topic":
            self._draw_title(surface, self.ctx.gettext("What shall we play about? Pick a topic!"))
        elif self.game.phase == "level":
            self._draw_title(surface, self.ctx.gettext("How many questions?"))
        elif self.game.phase == "play":
            self._draw_question(surface)
        else:
            self._draw_end(surface)
        self.game.buttons.draw(surface)
        if (
            self.game.phase == "play"
            and self.game.round is not None
            and self.game.round.current.done
        ):
            self._draw_badge(surface)

    def _draw_title(self, surface: pygame.Surface, message: str) -> None:
        m = self.ctx.ui.metrics
        if not surface.get_clip().colliderect(self.game.title_rect):
            return
        title = self.ctx.ui.text.fit(
            message, self.game.title_rect.size, m.font_size("title"), theme.INK, weight="bold"
        )
        surface.blit(title, title.get_rect(center=self.game.title_rect.center))

    def _draw_empty(self, surface: pygame.Surface) -> None:
        ui = self.ctx.ui
        m = ui.metrics
        area = self.ctx.area
        message = self.ctx.gettext("There are no quiz questions here yet. Ask the librarian!")
        # the books stand just above the middle, the message just below it
        top = area.centery - m.px(10) - ui.images.emoji("books", m.px(160)).get_height()
        kit.draw_notice(surface, ui, area, "books", message, top, area.centery + m.px(10))

    def _draw_question(self, surface: pygame.Surface) -> None:
        assert self.game.round is not None and self.game.pack is not None
        ui = self.ctx.ui
        m = ui.metrics
        clip = surface.get_clip()
        asked = self.game.round.current
        if self.game.team_rect is not None and clip.colliderect(self.game.team_rect):
            surface.blit(self.team_bar_surface(self.game.team_rect), self.game.team_rect)
        if clip.colliderect(self.game.dots_rect):
            dots = self.dots_surface(self.game.dots_rect.height)
            surface.blit(dots, dots.get_rect(center=self.game.dots_rect.center))
        if clip.colliderect(self.game.prompt_rect):
            prompt = ui.text.fit(
                self.ctx.pick(asked.question.prompt),
                self.game.prompt_rect.size,
                m.font_size("title"),
                theme.INK,
                "bold",
                max_lines=2,
            )
            surface.blit(prompt, prompt.get_rect(center=self.game.prompt_rect.center))
        picture_id = asked.question.picture
        if (
            self.game.picture_rect is not None
            and picture_id
            and clip.colliderect(self.game.picture_rect)
        ):
            rect = self.game.picture_rect
            key: tuple[object, ...] = (
                "question-picture",
                self.game.pack.pack,
                picture_id,
                rect.size,
            )
            surface.blit(self.cached(key, lambda: self._picture_card(rect.size, picture_id)), rect)
        if self.game.buzzing is not None and self.game.feedback is None:
            self._draw_buzzer_status(surface, self.game.buzzing)
        elif self.game.feedback is not None and clip.colliderect(self.game.feedback_rect):
            key = (
                "feedback",
                asked.question.id,
                self.game.feedback,
                self.game.buzzing.headline() if self.game.buzzing else None,
                self.ctx.lang,
                self.game.feedback_rect.size,
            )
            surface.blit(self.cached(key, self._feedback_panel), self.game.feedback_rect)

    def _draw_buzzer_status(self, surface: pygame.Surface, buzzing: Buzzing) -> None:
        """Who may buzz, or who answers and how long it has left."""
        rect = self.game.feedback_rect
        if not surface.get_clip().colliderect(rect):
            return
        team = buzzing.answering
        look = (team.color, team.animal) if team is not None else None
        text = buzzing.status()
        key = ("buzz-status", text, look, rect.size)
        surface.blit(
            self.cached(key, lambda: status_panel(self.ctx.ui, rect.size, text, look)), rect
        )
        if team is not None and buzzing.round is not None:
            bar = self.countdown_rect()
            share = buzzing.round.time_left(self.game.time) / ANSWER_S
            surface.blit(time_bar(self.ctx.ui, bar.size, share, team.color), bar)

    def _picture_card(self, size: tuple[int, int], picture_id: str) -> pygame.Surface:
        assert self.game.pack is not None
        m = self.ctx.ui.metrics
        card = draw.rounded_card(size, m.px(28), theme.WHITE, m.px(6), theme.WHITE).copy()
        picture = self.ctx.picture(self.game.pack, picture_id, int(min(size) * 0.86))
        card.blit(picture, picture.get_rect(center=(size[0] // 2, size[1] // 2)))
        return card

    def _feedback_panel(self) -> pygame.Surface:
        """The message under the answers: praise, a kind "try again" or "here is the right
        one", and the pack's explanation once the question is over."""
        assert self.game.round is not None
        ui = self.ctx.ui
        m = ui.metrics
        asked = self.game.round.current
        w, h = self.game.feedback_rect.size
        panel = pygame.Surface((w, h), pygame.SRCALPHA)
        # The Next button sits at the right end of the panel once the question is over.
        text_right = w - (m.px(230 + 24) if asked.done else m.px(20))
        if self.game.feedback == "right":
            color, icon = theme.lighten(theme.GOOD, 0.8), "check-mark-button"
            team_point = self.game.buzzing.headline() if self.game.buzzing else None
            headline = team_point or self.ctx.gettext("Yes, that's right!")
        elif self.game.feedback == "try-again":
            color, icon = theme.lighten(theme.ACCENT, 0.8), "thinking-face"
            headline = self.ctx.gettext("Not this one. Try again!")
        else:
            color, icon = theme.lighten(theme.ACCENT, 0.8), "light-bulb"
            headline = self.ctx.gettext("Good try! The right answer is in green.")
        card = draw.rounded_card((text_right, h), m.px(28), color, m.px(4), theme.WHITE)
        panel.blit(card, (0, 0))
        picture = ui.images.emoji(icon if ui.images.has(icon) else "light-bulb", m.px(84))
        panel.blit(picture, picture.get_rect(midleft=(m.px(20), h // 2)))
        left = m.px(20 + 84 + 18)
        box_w = text_right - left - m.px(16)
        explain = asked.question.explain if asked.done else None
        if explain is None:
            text = ui.text.fit(
                headline, (box_w, h - m.px(16)), m.font_size("heading"), theme.INK, weight="bold"
            )
            panel.blit(text, text.get_rect(midleft=(left, h // 2)))
            return panel
        head_h = m.px(44)
        head = ui.text.fit(
            headline, (box_w, head_h), m.font_size("body"), theme.INK, weight="bold", max_lines=1
        )
        body = ui.text.fit(
            self.ctx.pick(explain),
            (box_w, h - head_h - m.px(20)),
            m.font_size("body"),
            theme.INK,
            align="left",
            min_size=m.px(17),
        )
        top = (h - head.get_height() - m.px(4) - body.get_height()) // 2
        panel.blit(head, (left, top))
        panel.blit(body, (left, top + head.get_height() + m.px(4)))
        return panel

    def _draw_badge(self, surface: pygame.Surface) -> None:
        m = self.ctx.ui.metrics
        rect = self.badge_rect()
        if not surface.get_clip().colliderect(rect):
            return
        grow = (
            min(1.0, (self.game.time - self.game.feedback_at) / POP_S)
            if self.game.feedback
            else 1.0
        )
        # A small overshoot makes the tick pop in, then settle.
        scale = grow * (1.0 + 0.25 * (1.0 - grow) * 4 * grow)
        side = max(1, int(m.px(70) * min(1.25, scale)))
        tick = self.ctx.ui.images.emoji("check-mark-button", side)
        surface.blit(tick, tick.get_rect(center=rect.center))

    def _draw_end(self, surface: pygame.Surface) -> None:
        assert self.game.round is not None
        ui = self.ctx.ui
        area = self.ctx.area
        quiz = self.game.round
        if self.game.teams:
            board = self.final_score_rect()
            if surface.get_clip().colliderect(board):
                teams = self.game.team_scores() or []
                key = ("final", tuple(t.points for t in teams), self.ctx.lang, board.size)
                picture = self.cached(
                    key,
                    lambda: final_scores(
                        ui, board.size, teams, self.ctx.gettext, self.ctx.ngettext
                    ),
                )
                surface.blit(picture, board)
            return
        appear = self.game.flow.appear(self.game.time)
        self.game.banner.draw(surface, ui, area, quiz.stars, appear, self.game.end_message())
