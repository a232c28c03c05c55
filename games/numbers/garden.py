"""Number garden's round, with no pygame in it: eight questions at one level, what an
answer, a typed digit or an erased one does, and the stars the round earns."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from games.numbers.problems import (
    PAD_LEVELS,
    QUESTIONS_PER_ROUND,
    Ladder,
    Problem,
    make_problem,
    stars_for,
)

#: What the answer box shows: the "?", a number being typed, a wrong one, the right one.
BoxState = Literal["ask", "typing", "wrong", "right"]
MAX_DIGITS = 3


@dataclass(eq=False)
class GardenRound:
    level: int
    #: The level's adaptive step (kept by the game across rounds).
    ladder: Ladder
    rng: random.Random
    index: int = 0
    #: Questions answered right at the first try (the score).
    first_try: int = 0
    #: Per question: True right at the first try, False right later, None not yet.
    results: list[bool | None] = field(default_factory=lambda: [None] * QUESTIONS_PER_ROUND)
    asked: set[tuple[str, int, int]] = field(default_factory=set)
    #: The wrong answers given to the current question.
    wrong: set[int] = field(default_factory=set)
    #: The number typed on the pad so far.
    entry: str = ""
    box_state: BoxState = "ask"
    solved: bool = False

    def __post_init__(self) -> None:
        self.problem = self._new_problem()

    def _new_problem(self) -> Problem:
        problem = make_problem(self.level, self.ladder.step, self.rng, frozenset(self.asked))
        self.asked.add(problem.key)
        return problem

    @property
    def uses_pad(self) -> bool:
        return self.level in PAD_LEVELS

    @property
    def stars(self) -> int:
        return stars_for(self.first_try)

    def answer(self, value: int) -> bool:
        """The child's answer to the current question; whether it was right."""
        correct = value == self.problem.answer
        self.ladder.answered(correct)
        if correct:
            first = not self.wrong
            self.results[self.index] = first
            self.first_try += first
            self.solved = True
            self.entry = str(value)
            self.box_state = "right"
        else:
            self.wrong.add(value)
            if self.uses_pad:
                self.box_state = "wrong"  # the typed number stays in view until the next key
        return correct

    def type_digit(self, digit: str) -> None:
        if self.box_state == "wrong":
            self.entry = ""
        if len(self.entry) >= MAX_DIGITS:
            return
        self.entry = digit if self.entry == "0" else self.entry + digit
        self.box_state = "typing"

    def erase(self) -> None:
        self.entry = "" if self.box_state == "wrong" else self.entry[:-1]
        self.box_state = "typing" if self.entry else "ask"

    def typed(self) -> int | None:
        """The number typed, ready to check; None while there is none."""
        return int(self.entry) if self.entry and self.box_state == "typing" else None

    def next_question(self) -> bool:
        """On to the next question; False when that was the last one."""
        self.index += 1
        if self.index >= QUESTIONS_PER_ROUND:
            return False
        self.problem = self._new_problem()
        self.wrong = set()
        self.entry = ""
        self.box_state = "ask"
        self.solved = False
        return True
