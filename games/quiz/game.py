"""The picture quiz: questions from the content packs, answered with big picture buttons.

The child picks a topic (one tile per pack with questions in the current language;
skipped when there is only one), then a level: 5 questions with up to 3 answers, 8 with
up to 4, or 10 with 4 and no second try. After each answer the right one turns green,
the pack's explanation is shown and a big "Next" button waits for slow readers.
The score is the number of questions answered right at the first try; stars follow the
share. In a librarian's group session two teams (fox and bear) answer in turn: a bar at
the top shows their points and, between them, whose turn it is ("Team Fox's turn", in the
team's colour with its picture). The end is a final score screen naming the winner or a
tie and praising both teams; the shell shows the same scores if the group's time runs out
mid-round (`team_scores`).

When 2–4 teams joined with game controllers (`ctx.session.teams`), the quiz plays in
buzzer mode instead: every team sees the question, the first to press A answers
(games/quiz/buzzer.py has the rules, games/quiz/buzzing.py the pads), and the bar at the
top shows every team's points."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import pygame

from games.quiz.buzzer import BuzzerRound, BuzzOutcome
from games.quiz.buzzing import Buzzing, sound_of
from games.quiz.pieces import (
    ANSWER_BORDERS,
    TEAMS,
    AnswerButton,
    answer_text_box,
    common_text_size,
    level_picture,
    word_picture_side,
)
from games.quiz.rounds import LEVELS, Outcome, QuizRound
from games.quiz.screens import POP_S, QuizView
from kiosk.api import (
    Activity,
    ActivityInfo,
    Answer,
    Button,
    ButtonGroup,
    InputEvent,
    Pack,
    TeamScore,
    kit,
    theme,
)

#: The game's name on its launcher tile.
TITLE = {"lv": "Viktorīna", "lt": "Viktorina", "en": "Quiz"}


class PictureQuiz(kit.RoundGame, Activity):
    info = ActivityInfo(
        id="quiz", title=TITLE, icon="question-mark", levels=len(LEVELS), supports_teams=True
    )

    def on_enter(self) -> None:
        self.flow: kit.RoundFlow[Pack] = kit.RoundFlow(self.ctx, len(LEVELS), self.layout_phase)
        self.banner = kit.StarsBanner(gap_above_stars=12, message_height=110, gap_above_buttons=24)
        teams = self.ctx.session.teams
        #: Buzzer mode: 2–4 teams joined with pads in the group setup.
        self.buzzing = Buzzing(self, teams) if teams is not None and 2 <= len(teams) <= 4 else None
        #: The group plays in teams: by turns (no pads), or with the buzzer.
        self.teams = self.ctx.session.kind == "group"
        self.round: QuizRound | None = None
        self.feedback: Outcome | None = None
        self.feedback_at = 0.0
        self.time = 0.0
        self.paused = False
        self.buttons = ButtonGroup(self.ctx.ui, self.ctx.invalidate)
        # Set by the layout of each screen:
        self.title_rect = self.dots_rect = self.prompt_rect = pygame.Rect(0, 0, 0, 0)
        self.feedback_rect = pygame.Rect(0, 0, 0, 0)
        self.team_rect: pygame.Rect | None = None
        self.picture_rect: pygame.Rect | None = None
        self.view = QuizView(self)
        self.show_topics()

    @property
    def pack(self) -> Pack | None:
        return self.flow.topic

    def on_language_changed(self) -> None:
        self.view.clear()
        if self.phase in ("empty", "topic"):
            self.show_topics()
        elif self.phase == "level" and self.pack not in self.topics():
            self.show_topics()
        else:
            self.layout_phase()

    # ----- teams ---------------------------------------------------------------------

    def team_names(self) -> tuple[str, str]:
        return self.ctx.gettext("Team Fox"), self.ctx.gettext("Team Bear")

    def turn_text(self, team: int) -> str:
        if team == 0:
            return self.ctx.gettext("Team Fox's turn")
        return self.ctx.gettext("Team Bear's turn")

    @property
    def buzzer(self) -> BuzzerRound | None:
        return self.buzzing.round if self.buzzing is not None else None

    def team_scores(self) -> Sequence[TeamScore] | None:
        """The teams' points while a team round is under way or just over."""
        if not self.teams or self.round is None or self.phase not in ("play", "stars"):
            return None
        if self.buzzing is not None and self.buzzer is not None:
            _ = self.ctx.gettext
            return [
                TeamScore(team.name(_), team.animal, team.color, self.buzzer.points[team.index])
                for team in self.buzzing.teams
            ]
        names = self.team_names()
        return [
            TeamScore(names[team], picture, color, self.round.team_scores[team])
            for team, (color, picture) in enumerate(TEAMS)
        ]

    # ----- the flow ------------------------------------------------------------------

    def topics(self) -> list[Pack]:
        return self.ctx.packs_with("questions")

    def show_topics(self) -> None:
        """The topic picker; with one topic straight to its levels, with none a message."""
        self.flow.offer(self.topics())

    def start(self, level: int) -> None:
        """A new round of the chosen topic at `level` (1-based)."""
        assert self.pack is not None
        turns = self.teams and self.buzzing is None
        self.round = QuizRound.new(self.pack, level, self.ctx.random, turns)
        if self.buzzing is not None:
            self.buzzing.round = BuzzerRound(self.round, len(self.buzzing.teams))
        self.feedback = None
        self.flow.begin(level)
        self.ctx.set_score(0)
        self.flow.show()
        self._read_question()

    def choose(self, index: int) -> None:
        """The child chose answer `index` of the current question."""
        quiz = self.round
        if self.phase != "play" or quiz is None:
            return
        asked = quiz.current
        if asked.done or index in asked.tried:
            return
        if self.buzzing is not None:
            self._buzzer_outcome(self.buzzing.choose(index))
            return
        self.feedback = quiz.answer(index)
        self.feedback_at = self.time
        if self.feedback == "right":
            self.ctx.play_sound("good")
            self.ctx.set_score(quiz.score)
        else:
            self.ctx.play_sound("try-again")
        self.layout_phase()
        if asked.done:
            self.buttons.focus_index = self.buttons.buttons.index(self.buttons.by_id("next"))
        elif (focused := self.buttons.focused) is not None and not focused.enabled:
            self.buttons.focus_index = next(
                i for i, b in enumerate(self.buttons.buttons) if b.enabled
            )

    def _buzzer_outcome(self, outcome: BuzzOutcome | None) -> None:
        """An answer chosen or the time run out in buzzer mode: sound, score, screen."""
        buzzer = self.buzzer
        if buzzer is None or outcome is None:
            return
        self.ctx.play_sound(sound_of(outcome))
        self.ctx.set_score(buzzer.right_answers)
        self.feedback_at = self.time
        self.feedback = None
        if buzzer.current.done:
            self.feedback = "right" if outcome == "right" else "shown"
        self.layout_phase()
        if buzzer.current.done:
            self.buttons.focus_index = self.buttons.buttons.index(self.buttons.by_id("next"))

    def next_question(self) -> None:
        quiz = self.round
        if quiz is None or not quiz.current.done:
            return
        self.feedback = None
        buzzer = self.buzzer
        if buzzer is not None:
            if buzzer.advance():
                self.layout_phase()
                self._read_question()
                return
            self.flow.finish(buzzer.stars, buzzer.right_answers, self.time)
            return
        if quiz.advance():
            self.layout_phase()
            self._read_question()
            return
        self.flow.finish(quiz.stars, quiz.score, self.time)
        if not self.teams:
            self.ctx.say(self.end_message())  # the praise, read out by itself

    # ----- speech --------------------------------------------------------------------

    def answer_text(self, answer: Answer) -> str:
        assert self.pack is not None
        if answer.word is not None:
            return self.ctx.pick(self.pack.word(answer.word).text)
        return self.ctx.pick(answer.text or {})

    def answer_lang(self, answer: Answer) -> str:
        """The language an answer is read in: the child's, but a neighbour's word given as
        the answer in every language ("duona" on a Latvian screen) in the language of the
        pack word it is."""
        assert self.pack is not None
        text = self.answer_text(answer)
        if answer.text is None or len(set(answer.text.values())) > 1:
            return self.ctx.lang
        owners = [
            lang for word in self.pack.words for lang, said in word.text.items() if said == text
        ]
        return self.ctx.lang if not owners or self.ctx.lang in owners else owners[0]

    def _read_question(self) -> None:
        """Where questions read themselves: say this one, and warm the next one while
        the child answers."""
        quiz = self.round
        if quiz is None or not self.ctx.reads_aloud:
            return
        self.ctx.say(self.ctx.pick(quiz.current.question.prompt))
        coming = quiz.questions[quiz.index + 1 : quiz.index + 2]
        self.ctx.warm_speech([self.ctx.pick(a.question.prompt) for a in coming])
        for asked in coming:
            for answer in asked.answers:
                self.ctx.warm_speech([self.answer_text(answer)], self.answer_lang(answer))

    def end_message(self) -> str:
        assert self.round is not None
        return self.ctx.gettext("Right answers: %(n)d of %(total)d") % {
            "n": self.round.score,
            "total": len(self.round.questions),
        }

    # ----- layout --------------------------------------------------------------------

    def layout_topics(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        topics = self.topics()
        # Balanced rows (5 topics: 3 + 2, not 4 + 1).
        rows = -(-len(topics) // (4 if len(topics) <= 8 else 5))
        cols = -(-len(topics) // rows)
        gap = m.px(36)
        self.title_rect = pygame.Rect(
            area.left + m.margin, area.top + m.px(20), area.width - 2 * m.margin, m.px(100)
        )
        room = pygame.Rect(
            area.left + m.margin,
            self.title_rect.bottom + m.px(20),
            area.width - 2 * m.margin,
            area.bottom - self.title_rect.bottom - m.px(20) - m.margin,
        )
        side = min(
            m.px(280),
            (room.width - (cols - 1) * gap) // cols,
            (room.height - (rows - 1) * gap) // rows,
        )
        top = room.top + (room.height - (rows * side + (rows - 1) * gap)) // 2
        ctx = self.ctx
        choose = self.flow.choose_topic
        tiles = kit.pack_topic_tiles(topics, ctx.pick, ctx.picture, int(side * 0.55), choose)
        rects = kit.centered_rows(len(tiles), cols, (side, side), gap, room.centerx, top)
        self.buttons.set_buttons(kit.tile_buttons(tiles, rects))

    def layout_levels(self) -> None:
        m = self.ctx.ui.metrics
        area = self.ctx.area
        w = h = m.px(300)
        gap = m.px(44)
        self.title_rect = pygame.Rect(
            area.left + m.margin + m.px(110),
            area.top + m.px(20),
            area.width - 2 * (m.margin + m.px(110)),
            m.px(100),
        )
        y = max(self.title_rect.bottom + m.px(30), area.top + (area.height - h) // 2 + m.px(40))
        tiles = [
            kit.Tile(
                id=f"level:{level}",
                label=self.ctx.ngettext("%(n)d question", "%(n)d questions", rules.questions)
                % {"n": rules.questions},
                color=kit.level_colour(level),
                image=level_picture(self.ctx.ui, rules.questions, rules.max_answers, int(h * 0.62)),
                on_press=partial(self.start, level),
            )
            for level, rules in enumerate(LEVELS, start=1)
        ]
        rects = kit.centered_rows(len(tiles), len(tiles), (w, h), gap, area.centerx, y)
        buttons = kit.tile_buttons(tiles, rects)
        if self.flow.many_topics:
            side = m.px(84)
            back = pygame.Rect(0, 0, side, side)
            back.midleft = (area.left + m.margin, self.title_rect.centery)
            buttons.append(
                Button(
                    id="topics",
                    rect=back,
                    color=theme.NEUTRAL_COLOR,
                    icon="left-arrow",
                    round=True,
                    on_press=self.show_topics,
                )
            )
        self.buttons.set_buttons(buttons)

    def layout_play(self) -> None:
        assert self.round is not None and self.pack is not None
        m = self.ctx.ui.metrics
        area = self.ctx.area
        inner = area.inflate(-2 * m.margin, 0)
        top = area.top + m.px(12)
        self.team_rect = None
        if self.teams:
            self.team_rect = pygame.Rect(inner.left, top, inner.width, m.px(64))
            top = self.team_rect.bottom + m.px(8)
        dots_h = m.px(18)
        self.dots_rect = pygame.Rect(inner.left, top, inner.width, dots_h)
        top = self.dots_rect.bottom + m.px(4)
        # The question, with its speaker button on the left.
        d, gap = self.ctx.speaker_size, m.px(16)
        self.prompt_rect = pygame.Rect(
            inner.left + d + gap, top, inner.width - 2 * (d + gap), m.px(96)
        )
        prompt = self.ctx.pick(self.round.current.question.prompt)
        shown = self.ctx.ui.text.fit(
            prompt, self.prompt_rect.size, m.font_size("title"), theme.INK, "bold", max_lines=2
        )
        shown_rect = shown.get_rect(center=self.prompt_rect.center)
        speakers = [self.ctx.speaker_left_of("speak", shown_rect, prompt)]
        top = self.prompt_rect.bottom + m.px(10)
        self.feedback_rect = pygame.Rect(
            inner.left, area.bottom - m.px(14) - m.px(132), inner.width, m.px(132)
        )
        room = pygame.Rect(inner.left, top, inner.width, self.feedback_rect.top - m.px(22) - top)
        asked = self.round.current
        self.picture_rect = None
        if asked.question.picture is not None:
            side = min(room.height, int(room.width * 0.3))
            self.picture_rect = pygame.Rect(room.left, room.top, side, side)
            self.picture_rect.centery = room.centery
            room = pygame.Rect(
                self.picture_rect.right + m.px(30),
                room.top,
                room.right - self.picture_rect.right - m.px(30),
                room.height,
            )
        word_answers = all(a.word is not None for a in asked.answers)
        rects = self.view.answer_rects(room, len(asked.answers), word_answers)
        # Each answer's speaker: under a picture card, left of a text card.
        for i, (answer, rect) in enumerate(zip(asked.answers, rects, strict=True)):
            if word_answers:
                rect.height -= d + m.px(10)
                center = (rect.centerx, rect.bottom + m.px(10) + d // 2)
            else:
                rect.width -= d + gap
                rect.x += d + gap
                center = (rect.left - gap - d // 2, rect.centery)
            speakers.append(
                self.ctx.speaker(
                    f"speak:{i}", center, self.answer_text(answer), self.answer_lang(answer)
                )
            )
        text_size = 0
        if not word_answers:
            texts = [
                self.pack.word(a.word).text if a.word is not None else (a.text or {})
                for a in asked.answers
            ]
            text_size = common_text_size(
                self.ctx.ui,
                [self.ctx.pick(t) for t in texts],
                answer_text_box(self.ctx.ui, rects[0]),
                m.font_size("heading"),
            )
        buttons: list[Button] = []
        for i, (answer, rect) in enumerate(zip(asked.answers, rects, strict=True)):
            if answer.word is not None:
                word = self.pack.word(answer.word)
                label = self.ctx.pick(word.text)
                side = word_picture_side(self.ctx.ui, rect)
                picture = self.ctx.picture(self.pack, word.picture, side)
            else:
                label = self.ctx.pick(answer.text or {})
                picture = None
            button = AnswerButton(
                id=f"answer:{i}",
                rect=rect,
                color=theme.WHITE,
                label=label,
                picture=picture if word_answers else None,
                text_size=text_size,
                border_color=ANSWER_BORDERS[i % len(ANSWER_BORDERS)],
                on_press=partial(self.choose, i),
            )
            if asked.done:
                button.set_state("right" if i == asked.right_index else "other")
            if i in asked.tried:
                button.set_state("tried")
            buttons.append(button)
        if asked.done:
            bw, bh = m.px(230), m.px(116)
            next_rect = pygame.Rect(0, 0, bw, bh)
            next_rect.midright = (self.feedback_rect.right - m.px(8), self.feedback_rect.centery)
            buttons.append(
                Button(
                    id="next",
                    rect=next_rect,
                    color=theme.YES_COLOR,
                    icon="right-arrow",
                    label=self.ctx.gettext("Next"),
                    icon_share=0.5,
                    on_press=self.next_question,
                )
            )
        self.buttons.set_buttons(buttons + [b for b in speakers if b is not None])
        buzzer = self.buzzer
        if buzzer is not None and buzzer.phase == "open":
            self.buttons.focus_index = None  # no highlight until a team buzzes

    def layout_stars(self) -> None:
        ctx = self.ctx
        m = ctx.ui.metrics
        if self.teams:
            # the teams' final score (380) instead of the stars, above the buttons
            self.banner.top = ctx.area.top + max(m.px(12), (ctx.area.height - m.px(524)) // 2)
            y = self.banner.top + m.px(380 + 24)
        else:
            y = self.banner.layout(ctx.ui, ctx.area)
        other = kit.other_topic_button(ctx.gettext("Another topic"), self.show_topics)
        after = [other] if self.flow.many_topics else []
        buttons = kit.end_buttons(
            ctx.ui,
            ctx.area,
            ctx.gettext,
            y,
            self.level,
            len(LEVELS),
            self.start,
            after=after,
            gap=36,
        )
        self.buttons.set_buttons(buttons)
        self.buttons.focus_index = 1 if len(buttons) > 1 and self.level < len(LEVELS) else 0

    # ----- time ----------------------------------------------------------------------

    def on_pause(self) -> None:
        # Under "a controller is unplugged" the game waits: the answering team's time too.
        self.paused = True

    def on_resume(self) -> None:
        self.paused = False

    def update(self, dt: float) -> None:
        if self.paused:
            return
        self.time += dt
        if self.buzzing is not None and self.phase == "play":
            late = self.buzzing.tick()
            if late is not None:
                self._buzzer_outcome(late)
            elif self.buzzing.answering is not None:
                self.ctx.invalidate(self.view.countdown_rect())
        since = self.time - self.feedback_at
        if self.phase == "play" and self.feedback is not None and since < POP_S + 0.1:
            self.ctx.invalidate(self.view.badge_rect())
        if self.flow.celebrating(self.time):
            self.ctx.invalidate(self.view.celebration_rect())

    def handle_event(self, event: InputEvent) -> bool:
        if self.buzzing is not None and self.phase == "play":
            return self.buzzing.handle(event)
        return self.buttons.handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        self.view.draw(surface)
