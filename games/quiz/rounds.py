"""The rules of the picture quiz, without any drawing: levels, dealing questions, answering,
scores and team turns. The game (`games.quiz.game`) shows a `QuizRound` and feeds it taps."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from kiosk.api import Answer, Pack, Question


@dataclass(frozen=True)
class Level:
    #: How many questions a round asks (fewer when the topic has fewer).
    questions: int
    #: At most this many answers are shown; extra wrong ones are left out.
    max_answers: int
    #: Tries per question: 2 lets the child try once more after a wrong answer.
    tries: int


LEVELS = (Level(5, 3, 2), Level(8, 4, 2), Level(10, 4, 1))

Outcome = Literal["right", "try-again", "shown"]


@dataclass(eq=False)
class AskedQuestion:
    """One question as this round shows it: its answers trimmed and shuffled."""

    question: Question
    answers: list[Answer]
    #: The team whose turn it is (0 or 1), None when not playing in teams.
    team: int | None = None
    #: Indices of the wrong answers chosen so far.
    tried: list[int] = field(default_factory=list)
    #: The question is over: the right answer was found or is now shown.
    done: bool = False

    @property
    def right_index(self) -> int:
        return next(i for i, a in enumerate(self.answers) if a.correct)

    @property
    def right_first_try(self) -> bool:
        return self.done and not self.tried


def deal(pack: Pack, level: Level, rng: random.Random, teams: bool) -> list[AskedQuestion]:
    """Questions drawn at random from `pack` for one round at `level`."""
    chosen = rng.sample(pack.questions, min(level.questions, len(pack.questions)))
    asked = []
    for number, question in enumerate(chosen):
        right = [a for a in question.answers if a.correct]
        wrong = [a for a in question.answers if not a.correct]
        rng.shuffle(wrong)
        answers = right + wrong[: level.max_answers - 1]
        rng.shuffle(answers)
        asked.append(AskedQuestion(question, answers, team=number % 2 if teams else None))
    return asked


def stars_for(right: int, total: int) -> int:
    """3 stars for (nearly) all right, 2 for at least half, 1 for playing to the end."""
    if total <= 0:
        return 1
    share = right / total
    if share >= 0.8:
        return 3
    if share >= 0.5:
        return 2
    return 1


@dataclass(eq=False)
class QuizRound:
    pack: Pack
    level_number: int
    questions: list[AskedQuestion]
    teams: bool = False
    index: int = 0
    #: Points of team 1 and team 2 (first-try right answers in their turns).
    team_scores: list[int] = field(default_factory=lambda: [0, 0])

    @classmethod
    def new(cls, pack: Pack, level_number: int, rng: random.Random, teams: bool) -> QuizRound:
        level = LEVELS[level_number - 1]
        return cls(pack, level_number, deal(pack, level, rng, teams), teams)

    @property
    def level(self) -> Level:
        return LEVELS[self.level_number - 1]

    @property
    def current(self) -> AskedQuestion:
        return self.questions[self.index]

    @property
    def is_last(self) -> bool:
        return self.index == len(self.questions) - 1

    @property
    def score(self) -> int:
        """Questions answered right at the first try."""
        return sum(1 for q in self.questions if q.right_first_try)

    @property
    def stars(self) -> int:
        return stars_for(self.score, len(self.questions))

    @property
    def winner(self) -> int | None:
        """The winning team (0 or 1), None for a tie."""
        first, second = self.team_scores
        if first == second:
            return None
        return 0 if first > second else 1

    def answer(self, choice: int) -> Outcome:
        """The child chose answer `choice` of the current question."""
        asked = self.current
        if asked.done or choice in asked.tried:
            raise ValueError("that answer cannot be chosen now")
        if choice == asked.right_index:
            asked.done = True
            if not asked.tried and asked.team is not None:
                self.team_scores[asked.team] += 1
            return "right"
        asked.tried.append(choice)
        # Another try only while it is still a choice (not the last answer left).
        if len(asked.tried) < self.level.tries and len(asked.answers) - len(asked.tried) > 1:
            return "try-again"
        asked.done = True
        return "shown"

    def advance(self) -> bool:
        """Go to the next question; False when the round is over."""
        if self.is_last:
            return False
        self.index += 1
        return True
