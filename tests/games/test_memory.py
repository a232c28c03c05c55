"""A scripted player finishes Memory pairs at every level, by mouse, touch and keyboard."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from games.memory.game import LEVELS, MemoryPairs, stars_for
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from tests.games.arrows import choose, next_level_then_home, only_controller_keys


def _open_memory(kiosk: Harness, topic: str | None = "animals") -> MemoryPairs:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:memory")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, MemoryPairs)
    if game.phase == "topic" and topic is not None:
        kiosk.tap_button(f"topic:{topic}")
    return game


def _pairs(game: MemoryPairs) -> list[tuple[int, int]]:
    """The solution, as a child with a perfect memory would know it."""
    where: dict[str, list[int]] = {}
    for i, card in enumerate(game.cards):
        where.setdefault(card.key, []).append(i)
    return [(a, b) for a, b in where.values()]


def _play_perfectly(kiosk: Harness, game: MemoryPairs, via: str) -> None:
    cols = LEVELS[game.level - 1][1]
    for first, second in _pairs(game):
        for index in (first, second):
            if via == "keyboard":
                # Walk the blue ring to the card with arrows, then Enter.
                while game.focus != index:
                    row, col = divmod(game.focus, cols)
                    target_row, target_col = divmod(index, cols)
                    if row != target_row:
                        kiosk.key(pygame.K_DOWN if target_row > row else pygame.K_UP, frames=1)
                    else:
                        kiosk.key(pygame.K_RIGHT if target_col > col else pygame.K_LEFT, frames=1)
                kiosk.key(pygame.K_RETURN)
            elif via == "touch":
                kiosk.touch(game.cards[index].rect.center)
            else:
                kiosk.click(game.cards[index].rect.center)
        kiosk.step(10)


@pytest.mark.parametrize("via", ["mouse", "touch", "keyboard"])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_memory_can_be_finished_at_every_level(kiosk: Harness, level: int, via: str) -> None:
    game = _open_memory(kiosk, topic=None if via == "keyboard" else "animals")
    if via == "keyboard":
        kiosk.key(pygame.K_TAB)  # the first topic
        kiosk.key(pygame.K_RETURN)
        for _ in range(level):
            kiosk.key(pygame.K_TAB)
        kiosk.key(pygame.K_RETURN)
    else:
        kiosk.tap_button(f"level:{level}", via="touch" if via == "touch" else "mouse")
    assert game.phase == "play" and game.level == level
    _play_perfectly(kiosk, game, via)
    assert game.phase == "stars"
    assert game.stars == 3
    completed = [e for e in kiosk.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    assert [(e.level, e.score) for e in completed] == [(level, 3)]  # type: ignore[union-attr]


def test_a_mismatch_turns_back_and_costs_a_turn(kiosk: Harness) -> None:
    game = _open_memory(kiosk)
    kiosk.tap_button("level:1")
    solution = _pairs(game)
    a, b = solution[0][0], solution[1][0]
    kiosk.click(game.cards[a].rect.center)
    kiosk.click(game.cards[b].rect.center)
    assert game.turns == 1 and game.cards[a].face_up
    kiosk.wait(1.0)
    assert not game.cards[a].face_up and not game.cards[b].face_up


def test_next_level_and_play_again_start_new_runs(kiosk: Harness) -> None:
    game = _open_memory(kiosk)
    kiosk.tap_button("level:1")
    _play_perfectly(kiosk, game, "mouse")
    kiosk.tap_button("next")
    assert game.level == 2 and game.phase == "play"
    kiosk.tap_button("home")
    outcomes = [(e.outcome, e.level) for e in kiosk.sink.of_type(RunEnded)]  # type: ignore[union-attr]
    assert outcomes == [("completed", 1), ("quit", 2)]


def test_stars_reward_few_turns() -> None:
    assert stars_for(3, 3) == 3
    assert stars_for(7, 3) == 2
    assert stars_for(12, 3) == 1


def test_pack_topics_deal_pairs_that_belong_together() -> None:
    from kiosk.config import parse_config

    fixtures = Path(__file__).parent / "fixtures" / "memory"
    with Harness(parse_config(f"content:\n  folders: ['{fixtures}']\n")) as kiosk:
        kiosk.app.packs.wait(30)
        game = _open_memory(kiosk, topic="neighbour-words:lv-lt")
        kiosk.tap_button("level:1")
        faces = {}
        for card in game.cards:
            faces.setdefault(card.key, []).append(card.face)
        for key, (a, b) in faces.items():
            assert {a.flag, b.flag} == {"lv", "lt"}, key
            assert (a.picture is None) != (b.picture is None)  # one card has the picture
        _play_perfectly(kiosk, game, "mouse")
        assert game.phase == "stars"
        kiosk.tap_button("home")
        kiosk.tap_button("tile:memory")
        kiosk.tap_button("topic:neighbour-words:pairs")
        kiosk.tap_button("level:1")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        assert all(card.face.text and card.face.picture for card in game.cards)
        assert not kiosk.find_button("home").rect.colliderect(game.cards[0].rect)


def test_memory_can_be_played_with_arrows_enter_and_escape_alone(kiosk: Harness) -> None:
    game = _open_memory(kiosk, topic=None)
    only_controller_keys(kiosk)
    choose(kiosk, game.buttons, "topic:animals")
    choose(kiosk, game.buttons, "level:1", key=pygame.K_SPACE)
    assert game.phase == "play"
    _play_perfectly(kiosk, game, "keyboard")  # arrows to the card, Enter turns it
    assert game.phase == "stars"
    next_level_then_home(kiosk, 1)
