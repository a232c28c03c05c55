"""A scripted player finishes Sort it out at every level, by mouse, touch and keyboard,
and the game is kind and clear when things go wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from games.sorting import SortItOut
from games.sorting.rules import LEVELS, stars_for
from kiosk.activities import RegisteredActivity
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from tests.games.arrows import choose, next_level_then_home, only_controller_keys

FIXTURES = Path(__file__).parent / "fixtures" / "sorting"
SHOTS = Path("/tmp/sorting-shots")


def _kiosk(
    packs: tuple[str, ...] = ("sort-things",),
    size: tuple[int, int] = (1366, 768),
    lang: str | None = None,
) -> Harness:
    """A kiosk offering only the named fixture packs (content/ may hold others)."""
    config = parse_config(f"content:\n  folders: [{json.dumps(str(FIXTURES))}]\n")
    kiosk = Harness(
        config=config, size=size, lang=lang, registered=[RegisteredActivity(SortItOut, "tests")]
    )
    library = kiosk.app.packs
    library.wait()
    library.packs[:] = [p for p in library.packs if p.pack in packs]
    return kiosk


@pytest.fixture
def kiosk() -> Iterator[Harness]:
    harness = _kiosk()
    try:
        yield harness
    finally:
        harness.close()


class SoundLog:
    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, name: str) -> None:
        self.played.append(name)


def _open(kiosk: Harness) -> SortItOut:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:sorting")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, SortItOut)
    return game


def _right_bin(game: SortItOut) -> int:
    assert game.round is not None and game.round.current is not None
    return game.round.bin_index(game.round.current.bin)


def _wrong_bin(game: SortItOut) -> int:
    right = _right_bin(game)
    return (right + 1) % len(game.round.bins)  # type: ignore[union-attr]


def _bin_center(game: SortItOut, index: int) -> tuple[int, int]:
    return game.buttons.buttons[index].rect.center


def _finger_drag(
    kiosk: Harness, start: tuple[int, int], end: tuple[int, int], finger: int = 0, steps: int = 5
) -> None:
    w, h = kiosk.app.screen.get_size()

    def post(kind: int, pos: tuple[int, int]) -> None:
        kiosk.post(
            kind,
            x=pos[0] / w,
            y=pos[1] / h,
            dx=0.0,
            dy=0.0,
            touch_id=1,
            finger_id=finger,
            pressure=1.0,
        )

    post(pygame.FINGERDOWN, start)
    kiosk.step()
    for i in range(1, steps + 1):
        post(
            pygame.FINGERMOTION,
            (
                start[0] + (end[0] - start[0]) * i // steps,
                start[1] + (end[1] - start[1]) * i // steps,
            ),
        )
        kiosk.step()
    post(pygame.FINGERUP, end)
    kiosk.step()


def _keyboard_to_bin(kiosk: Harness, game: SortItOut, index: int) -> None:
    if game.buttons.focus_index is None:
        kiosk.key(pygame.K_TAB, frames=1)
    while game.buttons.focus_index != index:
        assert game.buttons.focus_index is not None
        key = pygame.K_RIGHT if index > game.buttons.focus_index else pygame.K_LEFT
        kiosk.key(key, frames=1)


def _sort_one(kiosk: Harness, game: SortItOut, via: str, index: int | None = None) -> None:
    """Put the current thing into bin `index` (default: the right one)."""
    target = _right_bin(game) if index is None else index
    if via == "mouse":
        kiosk.drag(game.home.center, _bin_center(game, target))
    elif via == "finger":
        _finger_drag(kiosk, game.home.center, _bin_center(game, target))
    elif via == "touch":  # tap the thing, then the bin
        kiosk.touch(game.home.center)
        assert game.selected
        kiosk.touch(_bin_center(game, target))
    elif via == "click":
        kiosk.click(_bin_center(game, target))
    else:
        _keyboard_to_bin(kiosk, game, target)
        kiosk.key(pygame.K_RETURN)
    kiosk.wait(0.5)


def _play_perfectly(kiosk: Harness, game: SortItOut, via: str) -> None:
    """Sort every thing left into its right bin."""
    assert game.round is not None
    for _ in range(game.round.remaining):
        _sort_one(kiosk, game, via)


def _choose_level(kiosk: Harness, level: int, via: str) -> None:
    if via == "keyboard":
        for _ in range(level):
            kiosk.key(pygame.K_TAB)
        kiosk.key(pygame.K_RETURN)
    else:
        kiosk.tap_button(f"level:{level}", via="touch" if via in ("touch", "finger") else "mouse")


def _completed(kiosk: Harness) -> list[tuple[int | None, int | None]]:
    ended = [e for e in kiosk.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    return [(e.level, e.score) for e in ended]  # type: ignore[union-attr]


@pytest.mark.parametrize("via", ["mouse", "touch", "keyboard"])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_sorting_can_be_finished_at_every_level(kiosk: Harness, level: int, via: str) -> None:
    game = _open(kiosk)
    assert game.phase == "level"  # one topic: straight to the levels
    _choose_level(kiosk, level, via)
    assert game.phase == "play" and game.level == level
    bins, items = LEVELS[level - 1]
    assert game.round is not None
    assert len(game.round.bins) == bins and len(game.round.items) == items
    chosen = {b.id for b in game.round.bins}
    assert all(item.bin in chosen for item in game.round.items)
    _play_perfectly(kiosk, game, via)
    assert game.phase == "stars" and game.stars == 3
    assert sum(game.round.counts.values()) == items
    assert _completed(kiosk) == [(level, items)]


def test_fingers_drag_things_into_bins(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:1", via="touch")
    _play_perfectly(kiosk, game, "finger")
    assert _completed(kiosk) == [(1, 6)]


def test_a_wrong_bin_sends_the_thing_back_kindly_and_costs_the_point(kiosk: Harness) -> None:
    sounds = SoundLog()
    kiosk.app.ui.sounds = sounds
    game = _open(kiosk)
    kiosk.tap_button("level:1")
    assert game.round is not None
    first = game.round.current
    kiosk.drag(game.home.center, _bin_center(game, _wrong_bin(game)))
    assert sounds.played[-1] == "try-again"
    kiosk.wait(0.6)
    assert game.round.current is first and game._item_rect().center == game.home.center
    assert sum(game.round.counts.values()) == 0
    kiosk.click(_bin_center(game, _wrong_bin(game)))
    kiosk.wait(0.6)
    assert game.hint is None  # no hints at level 1
    _play_perfectly(kiosk, game, "mouse")
    assert "good" in sounds.played and sounds.played[-1] == "success"
    assert _completed(kiosk) == [(1, 5)]


def test_from_level_two_a_hint_shows_after_the_second_wrong_try(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:2")
    wrong, right = _wrong_bin(game), _right_bin(game)
    _sort_one(kiosk, game, "click", wrong)
    assert game.hint is None
    _sort_one(kiosk, game, "keyboard", wrong)
    assert game.hint == right
    kiosk.screenshot(SHOTS / "hint.png")
    _sort_one(kiosk, game, "click", right)
    assert game.hint is None
    assert game.round is not None and game.round.first_try == 0 and game.round.index == 1


def test_a_second_finger_does_not_disturb_a_carried_thing(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:1", via="touch")
    right, wrong = _right_bin(game), _wrong_bin(game)
    w, h = kiosk.app.screen.get_size()

    def finger(kind: int, pos: tuple[int, int], finger_id: int) -> None:
        kiosk.post(kind, x=pos[0] / w, y=pos[1] / h, dx=0.0, dy=0.0, touch_id=1,
                   finger_id=finger_id, pressure=1.0)  # fmt: skip

    finger(pygame.FINGERDOWN, game.home.center, 0)
    kiosk.step()
    # another child taps a wrong bin and tries to grab the thing too
    finger(pygame.FINGERDOWN, _bin_center(game, wrong), 1)
    finger(pygame.FINGERUP, _bin_center(game, wrong), 1)
    finger(pygame.FINGERDOWN, game.home.center, 2)
    kiosk.step()
    assert game.carry is not None and game.carry.pointer == 0
    finger(pygame.FINGERMOTION, _bin_center(game, right), 2)
    finger(pygame.FINGERUP, _bin_center(game, right), 2)
    kiosk.step()
    assert game.round is not None and game.round.index == 0 and game.round.wrong == 0
    finger(pygame.FINGERMOTION, _bin_center(game, right), 0)
    finger(pygame.FINGERUP, _bin_center(game, right), 0)
    kiosk.wait(0.5)
    assert game.round.index == 1 and game.round.first_try == 1


def test_letting_go_outside_the_bins_puts_the_thing_back(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:1")
    area = kiosk.app.top.activity.ctx.area  # type: ignore[union-attr]
    kiosk.drag(game.home.center, (area.left + 20, game.home.centery))
    kiosk.wait(0.5)
    assert game.round is not None and game.round.index == 0 and game.round.wrong == 0
    assert game._item_rect().center == game.home.center


def test_several_topics_are_offered_and_a_small_pack_plays_with_what_it_has() -> None:
    with _kiosk(packs=("sort-things", "sort-rides")) as kiosk:
        game = _open(kiosk)
        assert game.phase == "topic"
        assert {b.id for b in kiosk.buttons()} >= {"topic:sort-things", "topic:sort-rides"}
        kiosk.tap_button("topic:sort-rides")
        kiosk.tap_button("level:3")
        assert game.round is not None
        assert len(game.round.bins) == 2 and len(game.round.items) == 5
        _play_perfectly(kiosk, game, "mouse")
        assert _completed(kiosk) == [(3, 5)]
        kiosk.tap_button("topics")
        assert game.phase == "topic"


def test_without_a_sorting_pack_a_friendly_message_shows() -> None:
    with _kiosk(packs=()) as kiosk:
        game = _open(kiosk)
        assert game.phase == "empty"
        kiosk.key(pygame.K_RETURN)
        kiosk.click(kiosk.app.screen.get_rect().center)
        kiosk.screenshot(SHOTS / "empty.png")
        assert kiosk.app.ui.text.overflows == []
        assert kiosk.sink.of_type(RunEnded) == []


def test_next_level_and_play_again_start_new_runs(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:1")
    _play_perfectly(kiosk, game, "mouse")
    kiosk.tap_button("again")
    assert game.level == 1 and game.phase == "play"
    _play_perfectly(kiosk, game, "mouse")
    kiosk.tap_button("next")
    assert game.level == 2 and game.phase == "play"
    kiosk.tap_button("home")
    outcomes = [(e.outcome, e.level) for e in kiosk.sink.of_type(RunEnded)]  # type: ignore[union-attr]
    assert outcomes == [("completed", 1), ("completed", 1), ("quit", 2)]


def test_stars_reward_sorting_right_at_the_first_try() -> None:
    assert stars_for(6, 6) == 3
    assert stars_for(5, 6) == 2
    assert stars_for(2, 6) == 1
    assert stars_for(12, 14) == 3
    assert stars_for(10, 14) == 2


def _assert_fits(kiosk: Harness) -> None:
    screen = kiosk.app.screen.get_rect()
    assert kiosk.app.ui.text.overflows == []
    for button in kiosk.buttons():
        assert screen.contains(button.rect), button.id


@pytest.mark.parametrize("size", [(1366, 768), (3840, 2160)])
@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
def test_every_screen_fits(size: tuple[int, int], lang: str) -> None:
    with _kiosk(packs=("sort-things", "sort-rides"), size=size, lang=lang) as kiosk:
        name = f"{size[0]}x{size[1]}-{lang}"
        game = _open(kiosk)
        kiosk.screenshot(SHOTS / f"{name}-topic.png")
        _assert_fits(kiosk)
        kiosk.tap_button("topic:sort-things")
        kiosk.screenshot(SHOTS / f"{name}-levels.png")
        _assert_fits(kiosk)
        kiosk.tap_button("level:3")
        _sort_one(kiosk, game, "click", _wrong_bin(game))
        _sort_one(kiosk, game, "click", _wrong_bin(game))
        kiosk.screenshot(SHOTS / f"{name}-play.png")
        _assert_fits(kiosk)
        _play_perfectly(kiosk, game, "click")
        kiosk.wait(1.5)
        kiosk.screenshot(SHOTS / f"{name}-won.png")
        _assert_fits(kiosk)


def test_a_new_language_relabels_the_bins_and_the_round_goes_on(kiosk: Harness) -> None:
    game = _open(kiosk)
    kiosk.tap_button("level:1")
    _sort_one(kiosk, game, "mouse")
    kiosk.app.set_language("lt")
    kiosk.step(2)
    assert game.phase == "play" and game.round is not None and game.round.index == 1
    assert {b.label for b in game.buttons.buttons} == {"Vaisiai", "Gyvūnai"}
    _play_perfectly(kiosk, game, "mouse")
    assert _completed(kiosk) == [(1, 6)]


def test_sorting_can_be_played_with_arrows_enter_and_escape_alone(kiosk: Harness) -> None:
    game = _open(kiosk)
    only_controller_keys(kiosk)
    choose(kiosk, game.buttons, "level:1")
    assert game.phase == "play" and game.round is not None
    kiosk.key(pygame.K_RETURN)  # Enter before any arrow: the ring on the first bin
    while game.phase == "play":
        choose(kiosk, game.buttons, game.buttons.buttons[_right_bin(game)].id)
        kiosk.wait(0.5)
    assert game.phase == "stars" and game.stars == 3
    next_level_then_home(kiosk, 1)
