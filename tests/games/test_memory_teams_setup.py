"""Memory in turns the whole way: the librarian starts a group session, three teams join
with A in the Controllers step, and the session's Memory pairs plays in turns with those
teams — no test double between the step and the game."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from games.memory.game import MemoryPairs
from kiosk.activities import RegisteredActivity
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.sessions import SessionStarted
from kiosk.usage import UsageStore
from kiosk.virtual_pads import VirtualPads
from tests.conftest import RecordedSink
from tests.games.test_memory_teams import Table
from tests.pads.team_helpers import PIN, RIGHT, A, controllers_step, pad_choose, plug, press


@pytest.fixture
def station(tmp_path: Path) -> Iterator[tuple[Harness, VirtualPads]]:
    """A kiosk in English with the PIN, a usage database, Memory pairs and virtual pads."""
    config = parse_config("languages:\n  default: en\n", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    data = tmp_path / "data"
    store = UsageStore.open(data, config)
    registered = [RegisteredActivity(MemoryPairs, "tests")]
    with Harness(
        config, sink=RecordedSink(store), usage=store, data_folder=data, registered=registered
    ) as kiosk:
        with VirtualPads() as pads:
            yield kiosk, pads


def test_teams_that_joined_in_the_controllers_step_play_memory_in_turns(
    station: tuple[Harness, VirtualPads],
) -> None:
    kiosk, pads = station
    first, second, third = plug(kiosk, pads, 3)  # pads 1, 2, 3 (slots 0, 1, 2)
    controllers_step(kiosk)
    # The joining order gives the animals: pad 2 joins first and plays for the foxes.
    fox, bear, frog = second, first, third
    for pad in (fox, bear, frog):
        press(kiosk, pad, A)
    kiosk.tap_button("controllers:start")
    assert kiosk.scene_name == "Launcher"
    assert [(e.kind, e.controllers) for e in kiosk.sink.of_type(SessionStarted)] == [  # type: ignore[attr-defined]
        ("group", 3)
    ]

    def choose(button_id: str) -> None:
        group = next(g for g in kiosk.button_groups() if any(b.id == button_id for b in g.buttons))
        pad_choose(kiosk, frog, group, button_id)

    choose("tile:memory")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, MemoryPairs)
    choose("topic:animals")
    choose("level:1")
    assert game.teams is not None
    assert [(t.animal, t.pad) for t in game.teams] == [("fox", 1), ("bear", 0), ("frog", 2)]
    table = Table(kiosk, game)
    for button in (RIGHT, A):  # not the bears' turn: nothing happens
        press(kiosk, bear, button)
    assert game.focus == 0 and not any(c.face_up for c in game.cards) and game.waiting
    table.pair(fox)
    table.miss(fox)
    table.pair(bear)
    table.pair(bear)
    assert game.phase == "stars"
    assert game.won_message() == "Team Bear wins!"
    assert kiosk.app.errors == 0
