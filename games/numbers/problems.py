"""The sums of Number garden: what each level asks, how hard, and the answer choices.

Pure logic without pygame, so the rules are easy to test. Every level has a short ladder
of steps from easy to harder numbers; a `Ladder` climbs a step after three right answers
in a row and goes down one after two wrong answers in a row."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "add", "subtract", "times"]

#: Levels the child can pick: 1 counting, 2 within 20, 3 within 100, 4 times tables.
LEVELS = 4
#: Levels answered on the number pad; the others offer big number buttons.
PAD_LEVELS = frozenset({3, 4})
#: How many number buttons a choice level offers.
CHOICES = {1: 3, 2: 4}
#: The smallest and largest answer of each level (no negative or silly choices).
ANSWER_RANGE = {1: (1, 10), 2: (1, 20), 3: (1, 100), 4: (1, 100)}
QUESTIONS_PER_ROUND = 8

UP_AFTER = 3  # right answers in a row that make the numbers grow
DOWN_AFTER = 2  # wrong answers in a row that make them shrink

#: Garden pictures to count (names in assets/emoji).
GARDEN = (
    "red-apple",
    "carrot",
    "strawberry",
    "cherries",
    "pear",
    "sunflower",
    "tulip",
    "blossom",
    "honeybee",
    "lady-beetle",
    "butterfly",
    "snail",
)

#: Pictures are shown when the problem's biggest number is at most this.
PICTURE_LIMIT = 10
#: A times-table problem is shown as rows of pictures up to this product.
PICTURE_PRODUCT_LIMIT = 20

SIGNS = {"add": "+", "subtract": "\u2212", "times": "\u00d7"}


@dataclass(frozen=True)
class Problem:
    kind: Kind
    a: int
    b: int
    answer: int
    picture: str
    #: The number buttons to choose from, in increasing order; empty on pad levels.
    choices: tuple[int, ...] = ()

    @property
    def expression(self) -> str:
        """What the card says before the answer box, e.g. "7 + 5 =" ("" for counting)."""
        if self.kind == "count":
            return ""
        return f"{self.a} {SIGNS[self.kind]} {self.b} ="

    @property
    def shows_pictures(self) -> bool:
        if self.kind == "count":
            return True
        if self.kind == "times":
            return self.answer <= PICTURE_PRODUCT_LIMIT
        return max(self.a, self.b, self.answer) <= PICTURE_LIMIT

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.a, self.b)


@dataclass
class Ladder:
    """The adaptive difficulty within one level: a step from 0 (easiest) to `top`."""

    top: int
    step: int = 0
    rights: int = 0
    wrongs: int = 0

    def answered(self, correct: bool) -> None:
        """Count one answer (a tap on a number, or a typed number sent with OK)."""
        if correct:
            self.wrongs = 0
            self.rights += 1
            if self.rights >= UP_AFTER:
                self.step = min(self.top, self.step + 1)
                self.rights = 0
        else:
            self.rights = 0
            self.wrongs += 1
            if self.wrongs >= DOWN_AFTER:
                self.step = max(0, self.step - 1)
                self.wrongs = 0


def _count(step: int, rng: random.Random) -> tuple[Kind, int, int, int]:
    lo, hi = ((1, 3), (2, 5), (4, 7), (6, 10))[step]
    n = rng.randint(lo, hi)
    return "count", n, 0, n


def _within_20(step: int, rng: random.Random) -> tuple[Kind, int, int, int]:
    lo, hi = ((2, 5), (4, 10), (8, 15), (11, 20))[step]
    if rng.random() < 0.5:
        total = rng.randint(lo, hi)
        a = rng.randint(1, total - 1)
        return "add", a, total - a, total
    a = rng.randint(max(3, lo), hi)
    b = rng.randint(1, a - 1)
    return "subtract", a, b, a - b


def _carries(a: int, b: int, kind: Kind) -> bool:
    if kind == "add":
        return a % 10 + b % 10 >= 10
    return a % 10 < b % 10


def _within_100(step: int, rng: random.Random) -> tuple[Kind, int, int, int]:
    # 0: two digits ± one digit, no carrying; 1: with carrying;
    # 2: two digits ± two digits, no carrying; 3: with carrying.
    two_digit_b = step >= 2
    carry = step % 2 == 1
    while True:
        kind: Kind = "add" if rng.random() < 0.5 else "subtract"
        a = rng.randint(11, 99)
        b = rng.randint(11, 89) if two_digit_b else rng.randint(2, 9)
        if kind == "subtract" and b >= a:
            a, b = b, a
        answer = a + b if kind == "add" else a - b
        if b >= a or not 1 <= answer <= 100:
            continue
        if _carries(a, b, kind) == carry:
            return kind, a, b, answer


_TABLES = (
    ((2, 5, 10), range(1, 6)),
    ((2, 3, 4, 5, 10), range(1, 11)),
    (tuple(range(2, 11)), range(2, 11)),
    ((6, 7, 8, 9), range(6, 11)),
)


def _times(step: int, rng: random.Random) -> tuple[Kind, int, int, int]:
    tables, factors = _TABLES[step]
    table = rng.choice(tables)
    factor = rng.choice(factors)
    a, b = (factor, table) if rng.random() < 0.5 else (table, factor)
    return "times", a, b, a * b


_MAKERS: dict[int, Callable[[int, random.Random], tuple[Kind, int, int, int]]] = {
    1: _count,
    2: _within_20,
    3: _within_100,
    4: _times,
}

#: The highest ladder step of every level.
TOP_STEP = {1: 3, 2: 3, 3: 3, 4: 3}


def choices_for(answer: int, count: int, lo: int, hi: int, rng: random.Random) -> tuple[int, ...]:
    """`count` numbers in increasing order: `answer` and its nearest neighbours within
    [lo, hi], picked at random among equally near ones."""
    near: list[int] = []
    for distance in range(1, hi - lo + 1):
        ring = [answer - distance, answer + distance]
        rng.shuffle(ring)
        near.extend(n for n in ring if lo <= n <= hi)
        if len(near) >= count - 1:
            break
    return tuple(sorted([answer, *near[: count - 1]]))


def make_problem(
    level: int, step: int, rng: random.Random, avoid: frozenset[tuple[str, int, int]] = frozenset()
) -> Problem:
    """A new problem for `level` at ladder `step`, not one of the keys in `avoid` when a
    few tries can find another."""
    maker = _MAKERS[level]
    for _ in range(30):
        kind, a, b, answer = maker(step, rng)
        if (kind, a, b) not in avoid:
            break
    choices: tuple[int, ...] = ()
    if level not in PAD_LEVELS:
        lo, hi = ANSWER_RANGE[level]
        choices = choices_for(answer, CHOICES[level], lo, hi, rng)
    return Problem(kind, a, b, answer, rng.choice(GARDEN), choices)


def stars_for(first_try: int, questions: int = QUESTIONS_PER_ROUND) -> int:
    """3 stars for nearly all right at the first try, 1 for finishing at all."""
    if first_try >= questions - 1:
        return 3
    if first_try >= questions // 2 + 1:
        return 2
    return 1
