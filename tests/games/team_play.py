"""Moves of teams playing with game controllers, shared by the team-game tests: the quiz's
buzzer mode (a pad buzzes, answers right or wrong as the game's model knows, goes on) and
the sorting race (a lane's team sorts its current thing, checking no other lane moved).

The pads are SDL virtual game controllers (kiosk.virtual_pads) on the real controller
path; nothing here touches the games but through their pads."""

from __future__ import annotations

from games.quiz import PictureQuiz
from games.sorting import SortItOut
from games.sorting.race import SortingRace
from kiosk.harness import Harness
from kiosk.virtual_pads import VirtualPad
from tests.pads.team_helpers import RIGHT, A, pad_choose, press

# ----- the quiz's buzzer mode ------------------------------------------------------------


def to_first_question(kiosk: Harness, game: PictureQuiz, pad: VirtualPad) -> None:
    """A pad picks the animals topic and the first level (5 questions, 3 answers each)."""
    pad_choose(kiosk, pad, game.buttons, "topic:quiz-animals")
    pad_choose(kiosk, pad, game.buttons, "level:1")
    assert game.phase == "play" and game.buzzer is not None


def buzz(kiosk: Harness, pad: VirtualPad) -> None:
    press(kiosk, pad, A)
    kiosk.wait(0.6)  # a child looks at the answers before choosing


def answer(kiosk: Harness, game: PictureQuiz, pad: VirtualPad, right: bool) -> None:
    """`pad` chooses the right answer, or a wrong one not tried yet (read from the game's
    question as asked)."""
    asked = game.round.current  # type: ignore[union-attr]
    if right:
        choice = asked.right_index
    else:
        choice = next(
            i for i in range(len(asked.answers)) if i != asked.right_index and i not in asked.tried
        )
    pad_choose(kiosk, pad, game.buttons, f"answer:{choice}")


def next_question(kiosk: Harness, pad: VirtualPad) -> None:
    kiosk.wait(1.6)
    press(kiosk, pad, A)


# ----- the sorting race -------------------------------------------------------------------


def race_of(game: SortItOut) -> SortingRace:
    assert game.race is not None
    return game.race.race


def lane_snapshot(race: SortingRace, lane: int) -> tuple[int, int, int, int]:
    chosen = race.lanes[lane]
    return (chosen.cursor, chosen.round.index, chosen.round.wrong, chosen.round.first_try)


def lane_press(kiosk: Harness, race: SortingRace, pad: VirtualPad, button: int, lane: int) -> None:
    """A press on `pad`, checking that no other lane moved."""
    others = {i: lane_snapshot(race, i) for i in range(len(race)) if i != lane}
    pad.press(button, kiosk.step)
    assert {i: lane_snapshot(race, i) for i in others} == others, "another lane moved"


def point_at(kiosk: Harness, race: SortingRace, pad: VirtualPad, lane: int, index: int) -> None:
    for _ in range(len(race.lanes[lane].round.bins)):
        if race.lanes[lane].cursor == index:
            return
        lane_press(kiosk, race, pad, RIGHT, lane)
    assert race.lanes[lane].cursor == index


def sort_one(kiosk: Harness, race: SortingRace, pad: VirtualPad, lane: int, right: bool) -> None:
    """The team of `lane` sorts its current thing: into the right bin, or first into a
    wrong one (it stays in its hands) and then the right one."""
    round_ = race.lanes[lane].round
    assert round_.current is not None
    target = round_.bin_index(round_.current.bin)
    before = round_.index
    if not right:
        point_at(kiosk, race, pad, lane, (target + 1) % len(round_.bins))
        lane_press(kiosk, race, pad, A, lane)
        assert round_.index == before and round_.wrong == 1  # "try again", same thing
    point_at(kiosk, race, pad, lane, target)
    lane_press(kiosk, race, pad, A, lane)
    assert round_.index == before + 1
