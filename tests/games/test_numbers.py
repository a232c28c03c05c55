"""Number garden: a scripted player finishes every level by mouse, touch and keyboard;
wrong answers keep the question; the numbers adapt; every screen fits in lv, lt and en."""

from __future__ import annotations

import random

import pygame
import pytest

from games.numbers import NumberGarden
from games.numbers.problems import (
    ANSWER_RANGE,
    LEVELS,
    PAD_LEVELS,
    QUESTIONS_PER_ROUND,
    TOP_STEP,
    Ladder,
    Problem,
    choices_for,
    make_problem,
    stars_for,
)
from kiosk.activities import RegisteredActivity
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from tests.games.arrows import choose, next_level_then_home, only_controller_keys


def _open(kiosk: Harness, lang: str | None = None) -> NumberGarden:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:numbers")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, NumberGarden)
    return game


def _harness(**options: object) -> Harness:
    return Harness(registered=[RegisteredActivity(NumberGarden, "tests")], **options)  # type: ignore[arg-type]


@pytest.fixture
def garden() -> Harness:
    kiosk = _harness()
    yield kiosk  # type: ignore[misc]
    kiosk.close()


def _choose_level(kiosk: Harness, level: int, via: str) -> None:
    if via == "keyboard":
        for _ in range(level):
            kiosk.key(pygame.K_TAB)
        kiosk.key(pygame.K_RETURN)
    else:
        kiosk.tap_button(f"level:{level}", via=via)


def _press(kiosk: Harness, game: NumberGarden, button_id: str, via: str) -> None:
    if via == "keyboard":
        # Walk the blue ring with Tab, then Enter, as a child without a mouse would.
        for _ in range(len(game.buttons.buttons) + 1):
            focused = game.buttons.focused
            if focused is not None and focused.id == button_id:
                break
            kiosk.key(pygame.K_TAB, frames=1)
        kiosk.key(pygame.K_RETURN)
    else:
        kiosk.tap_button(button_id, via=via)


def _give_answer(kiosk: Harness, game: NumberGarden, value: int, via: str) -> None:
    if not game.uses_pad:
        _press(kiosk, game, f"answer:{value}", via)
    elif via == "keyboard":
        for digit in str(value):
            kiosk.key(getattr(pygame, f"K_{digit}"), unicode=digit, frames=1)
        kiosk.key(pygame.K_RETURN)
    else:
        for digit in str(value):
            _press(kiosk, game, f"key:{digit}", via)
        _press(kiosk, game, "key:ok", via)


def _play_round(kiosk: Harness, game: NumberGarden, via: str) -> None:
    for question in range(QUESTIONS_PER_ROUND):
        assert game.phase == "play" and game.round.index == question
        _give_answer(kiosk, game, game.problem.answer, via)
        assert game.round.solved
        kiosk.wait(1.2)


@pytest.mark.parametrize("via", ["mouse", "touch", "keyboard"])
@pytest.mark.parametrize("level", range(1, LEVELS + 1))
def test_numbers_can_be_finished_at_every_level(garden: Harness, level: int, via: str) -> None:
    game = _open(garden)
    _choose_level(garden, level, via)
    assert game.phase == "play" and game.level == level
    _play_round(garden, game, via)
    assert game.phase == "stars" and game.stars == 3
    assert game.round.results == [True] * QUESTIONS_PER_ROUND
    completed = [e for e in garden.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    assert [(e.level, e.score) for e in completed] == [(level, QUESTIONS_PER_ROUND)]  # type: ignore[union-attr]


def test_a_wrong_answer_keeps_the_question_and_costs_the_first_try(garden: Harness) -> None:
    game = _open(garden)
    garden.tap_button("level:1")
    problem = game.problem
    wrong = next(c for c in problem.choices if c != problem.answer)
    garden.tap_button(f"answer:{wrong}")
    assert game.problem is problem and not game.round.solved
    assert not garden.find_button(f"answer:{wrong}").enabled
    assert game._prompt() == garden.app.translator.gettext("Almost! Try again.")
    garden.tap_button(f"answer:{wrong}")  # a faded button does nothing
    assert game.round.wrong == {wrong}
    garden.tap_button(f"answer:{problem.answer}")
    assert game.round.solved and game.round.results[0] is False and game.round.first_try == 0
    garden.wait(1.2)
    assert game.round.index == 1 and game.problem is not problem
    while game.phase == "play":
        _give_answer(garden, game, game.problem.answer, "mouse")
        garden.wait(1.2)
    assert game.round.first_try == QUESTIONS_PER_ROUND - 1 and game.stars == 3
    ended = [e for e in garden.sink.of_type(RunEnded)]  # type: ignore[union-attr]
    assert [(e.outcome, e.score) for e in ended] == [("completed", 7)]  # type: ignore[union-attr]


def test_number_pad_types_erases_and_clears_after_a_wrong_number(garden: Harness) -> None:
    game = _open(garden)
    garden.tap_button("level:3")
    answer = game.problem.answer
    garden.key(pygame.K_RETURN)  # nothing typed: nothing happens
    assert game.round.wrong == set() and not game.round.solved
    for key in ("key:0", "key:9", "key:9"):
        garden.tap_button(key)
    assert game.round.entry == "99"  # no leading zero
    garden.tap_button("key:9")
    assert game.round.entry == "999"
    garden.tap_button("key:1")
    assert game.round.entry == "999"  # three digits at most
    garden.key(pygame.K_BACKSPACE)
    assert game.round.entry == "99"
    wrong = 99 if answer != 99 else 98
    game.round.entry = str(wrong)
    garden.tap_button("key:ok")
    assert (
        game.round.box_state == "wrong" and game.round.entry == str(wrong) and not game.round.solved
    )
    garden.key(pygame.K_KP5, unicode="5")
    assert game.round.entry == "5" and game.round.box_state == "typing"
    garden.tap_button("key:back")
    assert game.round.entry == "" and game.round.box_state == "ask"
    _give_answer(garden, game, answer, "keyboard")
    assert game.round.solved and game.round.results[0] is False


def test_the_pad_can_be_played_with_arrows_and_enter(garden: Harness) -> None:
    game = _open(garden)
    garden.tap_button("level:4")
    garden.key(pygame.K_DOWN)  # the first arrow shows the ring on the first key
    assert game.buttons.focused is not None
    for digit in str(game.problem.answer):
        _press(garden, game, f"key:{digit}", "keyboard")
    assert game.round.entry == str(game.problem.answer)
    _press(garden, game, "key:ok", "keyboard")
    assert game.round.solved and game.round.results[0] is True


def test_numbers_grow_after_three_right_and_shrink_after_two_wrong(garden: Harness) -> None:
    game = _open(garden)
    garden.tap_button("level:2")
    assert game.ladder.step == 0
    for _ in range(3):
        _give_answer(garden, game, game.problem.answer, "mouse")
        garden.wait(1.2)
    assert game.ladder.step == 1
    for _ in range(2):
        wrong = next(
            c for c in game.problem.choices if c not in game.round.wrong | {game.problem.answer}
        )
        _give_answer(garden, game, wrong, "mouse")
    assert game.ladder.step == 0
    _give_answer(garden, game, game.problem.answer, "mouse")
    garden.wait(1.2)
    # The step is kept for "Play again" in the same visit.
    game.ladder.step = 2
    while game.phase == "play":
        _give_answer(garden, game, game.problem.answer, "mouse")
        garden.wait(1.2)
    garden.tap_button("again")
    assert game.level == 2 and game.ladder.step == 3


def test_next_level_and_play_again_start_new_runs(garden: Harness) -> None:
    game = _open(garden)
    garden.tap_button("level:3")
    _play_round(garden, game, "mouse")
    garden.tap_button("next")
    assert game.level == 4 and game.phase == "play" and game.uses_pad
    _play_round(garden, game, "keyboard")
    assert [b.id for b in garden.buttons() if b.id in ("again", "next")] == ["again"]
    garden.tap_button("again")
    assert game.level == 4 and game.round.index == 0
    garden.tap_button("home")
    outcomes = [(e.outcome, e.level, e.score) for e in garden.sink.of_type(RunEnded)]  # type: ignore[union-attr]
    assert outcomes == [("completed", 3, 8), ("completed", 4, 8), ("quit", 4, 0)]


def test_ladder_steps_up_and_down_within_its_range() -> None:
    ladder = Ladder(top=1)
    for correct in (True, True, False, True, True):
        ladder.answered(correct)
    assert ladder.step == 0  # a wrong answer breaks the row
    ladder.answered(True)
    assert ladder.step == 1
    for _ in range(3):
        ladder.answered(True)
    assert ladder.step == 1  # never above the top
    for correct in (False, True, False):
        ladder.answered(correct)
    assert ladder.step == 1
    ladder.answered(False)
    assert ladder.step == 0
    for _ in range(4):
        ladder.answered(False)
    assert ladder.step == 0


@pytest.mark.parametrize("level", range(1, LEVELS + 1))
def test_problems_stay_in_their_level_and_offer_near_sensible_choices(level: int) -> None:
    rng = random.Random(level)
    lo, hi = ANSWER_RANGE[level]
    for step in range(TOP_STEP[level] + 1):
        for _ in range(300):
            problem = make_problem(level, step, rng)
            assert lo <= problem.answer <= hi
            assert problem.a >= 1 and problem.b >= (0 if level == 1 else 1)
            if level in PAD_LEVELS:
                assert problem.choices == ()
                continue
            assert problem.answer in problem.choices
            assert len(set(problem.choices)) == len(problem.choices) >= 3
            assert all(lo <= c <= hi and abs(c - problem.answer) <= 3 for c in problem.choices)
            assert list(problem.choices) == sorted(problem.choices)


def test_steps_make_the_numbers_grow() -> None:
    rng = random.Random(3)
    counts = [max(make_problem(1, s, rng).answer for _ in range(200)) for s in range(4)]
    assert counts == [3, 5, 7, 10]
    assert all(make_problem(2, 0, rng).shows_pictures for _ in range(100))
    assert not any(make_problem(2, 3, rng).shows_pictures for _ in range(100))
    easy = [make_problem(3, 0, rng) for _ in range(100)]
    assert all(p.b < 10 and (p.a % 10 + p.b < 10 or p.kind == "subtract") for p in easy)
    assert all(p.b >= 11 for p in (make_problem(3, 3, rng) for _ in range(100)))
    hard = [make_problem(4, 3, rng) for _ in range(100)]
    assert all(min(p.a, p.b) >= 6 for p in hard)


def test_choices_near_the_edges_stay_in_range() -> None:
    rng = random.Random(0)
    assert choices_for(1, 3, 1, 10, rng) == (1, 2, 3)
    assert choices_for(10, 3, 1, 10, rng) == (8, 9, 10)
    assert choices_for(20, 4, 1, 20, rng) == (17, 18, 19, 20)


def test_stars_reward_first_tries() -> None:
    assert [stars_for(n) for n in range(9)] == [1, 1, 1, 1, 1, 2, 2, 3, 3]


def _show(kiosk: Harness, game: NumberGarden, problem: Problem) -> None:
    """Put a chosen (worst-case) problem on the card, as if it had been drawn."""
    game.round.problem = problem
    game.round.wrong, game.round.entry, game.round.box_state = set(), "", "ask"
    game.round.solved = False
    game.layout_phase()
    kiosk.step()


def _assert_tidy(kiosk: Harness, game: NumberGarden, shots: str, name: str) -> None:
    # A full repaint draws every text; saving 4K PNGs is slow, so only some are kept.
    kiosk.screenshot(f"{shots}/{name}.png" if shots else None)
    assert kiosk.app.ui.text.overflows == [], name
    screen = kiosk.app.screen.get_rect()
    buttons = kiosk.buttons()
    assert all(screen.contains(b.rect) for b in buttons), name
    if game.phase == "play":
        for rect in (game.card_rect, game.prompt_rect, game.progress_rect):
            assert game.ctx.area.contains(rect), name
            assert not any(rect.colliderect(b.rect) for b in buttons), name
        assert game.card_rect.contains(game.answer_rect), name
        assert not game.prompt_rect.colliderect(game.card_rect), name


@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
@pytest.mark.parametrize("size", [(1366, 768), (3840, 2160)], ids=["1366x768", "3840x2160"])
def test_every_screen_fits_in_every_language(size: tuple[int, int], lang: str) -> None:
    kiosk = _harness(size=size, lang=lang)
    try:
        keep = size[0] < 2000 or lang == "lv"
        shots = f"/tmp/numbers-shots/{size[0]}x{size[1]}-{lang}" if keep else ""
        game = _open(kiosk, lang)
        _assert_tidy(kiosk, game, shots, "levels")
        worst = {
            1: [Problem("count", 10, 0, 10, "honeybee", (8, 9, 10))],
            2: [
                Problem("add", 5, 5, 10, "lady-beetle", (9, 10, 11, 12)),
                Problem("subtract", 10, 7, 3, "carrot", (1, 2, 3, 4)),
                Problem("add", 18, 2, 20, "tulip", (17, 18, 19, 20)),
            ],
            3: [Problem("subtract", 100, 88, 12, "tulip"), Problem("add", 77, 23, 100, "pear")],
            4: [Problem("times", 4, 5, 20, "strawberry"), Problem("times", 10, 2, 20, "snail")],
        }
        for level, problems in worst.items():
            kiosk.tap_button(f"level:{level}")
            for i, problem in enumerate(problems):
                _show(kiosk, game, problem)
                _assert_tidy(kiosk, game, shots, f"level{level}-{i}")
            if game.uses_pad:
                _give_answer(kiosk, game, 888, "mouse")
            else:
                _give_answer(kiosk, game, game.problem.choices[0], "mouse")
            _assert_tidy(kiosk, game, shots, f"level{level}-try-again")
            _give_answer(kiosk, game, game.problem.answer, "mouse")
            _assert_tidy(kiosk, game, shots, f"level{level}-right")
            kiosk.wait(1.2)
            game.round.index = QUESTIONS_PER_ROUND - 1  # skip ahead to the last question
            _give_answer(kiosk, game, game.problem.answer, "touch")
            kiosk.wait(3)
            _assert_tidy(kiosk, game, shots, f"level{level}-won")
            kiosk.tap_button("home")
            kiosk.tap_button("tile:numbers")
            game = kiosk.app.top.activity  # type: ignore[assignment, union-attr]
    finally:
        kiosk.close()


@pytest.mark.parametrize("level", [1, 3])
def test_numbers_can_be_played_with_arrows_enter_and_escape_alone(
    garden: Harness, level: int
) -> None:
    game = _open(garden)
    only_controller_keys(garden)
    choose(garden, game.buttons, f"level:{level}")
    while game.phase == "play":
        answer = game.problem.answer
        if game.uses_pad:
            for digit in str(answer):
                choose(garden, game.buttons, f"key:{digit}")
            choose(garden, game.buttons, "key:ok", pygame.K_SPACE)
        else:
            choose(garden, game.buttons, f"answer:{answer}")
        assert game.round.solved
        garden.wait(1.2)
    assert game.phase == "stars" and game.stars == 3
    next_level_then_home(garden, level)
