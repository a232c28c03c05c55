"""The game kit's example in docs/activities.md works as a library's add-on would: loaded
through the `kiosk.activities` entry point, and played through its whole round flow with
a controller's keys alone."""

from __future__ import annotations

import re
from importlib.metadata import EntryPoint
from pathlib import Path

import pygame
import pytest

from kiosk.activities import discover
from kiosk.harness import Harness
from kiosk.paths import APP_ROOT
from kiosk.sessions import RunEnded
from tests.games.arrows import choose, next_level_then_home, only_controller_keys


def _install_the_example(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write the guide's kit example as a module on the path, as an installed package."""
    text = (APP_ROOT / "docs" / "activities.md").read_text(encoding="utf-8")
    section = text[text.index("## A game on the kit") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    (folder / "catch_star_addon.py").write_text(code.group(1), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))


def test_the_kit_example_loads_as_an_add_on_and_plays_with_a_controllers_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_the_example(tmp_path, monkeypatch)
    entry = EntryPoint("catch-star", "catch_star_addon:CatchTheStar", "kiosk.activities")
    found = discover([entry])
    assert [a.id for a in found] == ["catch-star"]
    with Harness(registered=found) as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:catch-star")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        assert game.phase == "level"
        only_controller_keys(kiosk)
        choose(kiosk, game.buttons, "level:1")
        assert game.phase == "play"
        while game.phase == "play":
            # the ring walks to the star's cell (right, then down), Enter catches it
            while game.grid.index % 3 != game.star % 3:
                kiosk.key(pygame.K_RIGHT if game.grid.index % 3 < game.star % 3 else pygame.K_LEFT)
            while game.grid.index != game.star:
                kiosk.key(pygame.K_DOWN if game.grid.index < game.star else pygame.K_UP)
            kiosk.key(pygame.K_RETURN)
        assert game.phase == "stars" and game.stars == 3
        ended = kiosk.sink.of_type(RunEnded)
        assert [(e.outcome, e.level, e.score) for e in ended] == [("completed", 1, 3)]  # type: ignore[union-attr]
        kiosk.wait(2)
        kiosk.screenshot()
        next_level_then_home(kiosk, 1)


def test_a_miss_costs_a_star_in_the_kit_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_the_example(tmp_path, monkeypatch)
    found = discover([EntryPoint("catch-star", "catch_star_addon:CatchTheStar", "x")])
    with Harness(registered=found) as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:catch-star")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        kiosk.tap_button("level:1")
        kiosk.click(game.cells[(game.star + 1) % 9].center)  # a miss
        while game.phase == "play":
            kiosk.click(game.cells[game.star].center)
        assert game.stars == 2 and game.misses == 1
        kiosk.tap_button("again")
        assert game.phase == "play" and game.level == 1
