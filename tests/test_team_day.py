"""A library's team day, end to end (issue 17): the librarian starts a group session from
the panel, three teams join with A on their game controllers in the group setup's
Controllers step, and then — with the pads alone, no keyboard, no taps — the children
open from the launcher a full buzzer quiz (Team Bear wins), Memory pairs in turns (Team
Frog wins) and the sorting race (Team Fox wins); each end screen draws the right winner
and each run is recorded completed. The librarian ends the group from the panel; the
session is read back from the kiosk's SQLite with its three controllers, and `kiosk sync`
brings it to a real office on loopback (SQLite and PostgreSQL), whose totals show one
session with controllers and three controllers for its hour.

Nothing is injected: the teams are the ones the Controllers step made, the games are the
registered ones, the pads are SDL virtual game controllers (kiosk.virtual_pads) on the
real controller path. The scripted players know the right answers from the games' own
state (the quiz's asked question, the memory cards, the sorting lanes), as a child with a
perfect memory would."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pygame
import pytest

from games.memory.game import MemoryPairs
from games.quiz import PictureQuiz
from games.sorting import SortItOut
from kiosk import routes
from kiosk.api import ButtonGroup
from kiosk.cli import main
from kiosk.harness import Harness
from kiosk.sessions import RunEnded, RunStarted, SessionStarted
from kiosk.virtual_pads import VirtualPad
from tests.games.team_play import (
    answer,
    buzz,
    next_question,
    race_of,
    sort_one,
    to_first_question,
)
from tests.games.test_memory_teams import Table
from tests.office.conftest import office_url  # noqa: F401  (a fixture, used by `office`)
from tests.pads.team_helpers import (
    PIN,
    QUIZ_PACKS,
    A,
    B,
    joined,
    open_group_setup,
    pad_choose,
    plug,
    press,
    team_station,
)
from tests.sync.conftest import office, site_token  # noqa: F401  (fixtures)
from tests.sync.sync_helpers import OfficeServer, kiosk_controller_totals

SORTING_PACKS = Path(__file__).parent / "games" / "fixtures" / "sorting"
STATION = "ludza-wb-1"


def spy_on_text(kiosk: Harness, drawn: list[str]) -> None:
    """Record every text the kiosk draws with `ui.text.fit` (the scoreboard's names,
    points and verdict among them), then draw it as before."""
    text = kiosk.app.ui.text
    fit: Callable[..., pygame.Surface] = text.fit

    def recording(line: str, *args: object, **kwargs: object) -> pygame.Surface:
        drawn.append(line)
        return fit(line, *args, **kwargs)

    text.fit = recording  # type: ignore[method-assign]


def completed_runs(kiosk: Harness) -> list[tuple[str, int | None]]:
    """(activity, level) of the runs the shell reported completed, in order."""
    activity = {e.run_id: e.activity for e in kiosk.sink.of_type(RunStarted)}  # type: ignore[attr-defined]
    ended = kiosk.sink.of_type(RunEnded)  # type: ignore[attr-defined]
    return [(activity[e.run_id], e.level) for e in ended if e.outcome == "completed"]


def choose(kiosk: Harness, pad: VirtualPad, button_id: str) -> None:
    """`pad` walks the highlight to `button_id` with the d-pad and presses A."""
    group: ButtonGroup = next(
        g for g in kiosk.button_groups() if any(b.id == button_id for b in g.buttons)
    )
    pad_choose(kiosk, pad, group, button_id)


def launcher_choose(kiosk: Harness, pad: VirtualPad, tile: str) -> object:
    """Back at the launcher, `pad` opens `tile`: the game."""
    assert kiosk.scene_name == "Launcher"
    kiosk.step(2)
    choose(kiosk, pad, tile)
    return kiosk.app.top.activity  # type: ignore[union-attr]


def headlines(drawn: list[str]) -> set[str]:
    """The verdicts among the texts drawn."""
    return {line for line in drawn if line.endswith(("wins!", "share the win!", "a tie!"))}


def librarian_panel(kiosk: Harness) -> None:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")


def play_the_buzzer_quiz(
    kiosk: Harness, fox: VirtualPad, bear: VirtualPad, frog: VirtualPad, drawn: list[str]
) -> None:
    game = launcher_choose(kiosk, frog, "tile:quiz")
    assert isinstance(game, PictureQuiz)
    to_first_question(kiosk, game, fox)
    assert game.buzzing is not None and len(game.buzzing.teams) == 3
    # Question by question, who buzzes in turn and whether right: Bear 3, Fox 1, Frog 1.
    script = [
        [(bear, True)],
        [(fox, False), (frog, True)],  # a wrong answer passes the question on
        [(bear, True)],
        [(bear, True)],
        [(fox, True)],
    ]
    for number, buzzes in enumerate(script, start=1):
        for pad, right in buzzes:
            buzz(kiosk, pad)
            answer(kiosk, game, pad, right)
        if number == len(script):
            drawn.clear()
        next_question(kiosk, frog)
    assert game.phase == "stars"
    assert [(t.name, t.points) for t in game.team_scores() or []] == [
        ("Team Fox", 1),
        ("Team Bear", 3),
        ("Team Frog", 1),
    ]
    kiosk.wait(2)
    assert headlines(drawn) == {"Team Bear wins!"}
    assert "Well done, every team! You played together beautifully." in drawn
    assert {"Team Fox", "Team Bear", "Team Frog"} <= set(drawn)
    assert completed_runs(kiosk)[-1] == ("quiz", 1)
    press(kiosk, bear, B)  # a pad's B leaves the end screen for the launcher


def play_memory_in_turns(
    kiosk: Harness, fox: VirtualPad, bear: VirtualPad, frog: VirtualPad, drawn: list[str]
) -> None:
    game = launcher_choose(kiosk, bear, "tile:memory")
    assert isinstance(game, MemoryPairs)
    choose(kiosk, bear, "topic:animals")
    choose(kiosk, bear, "level:1")
    assert game.phase == "play" and game.teams is not None
    assert [(t.animal, t.pad) for t in game.teams] == [("fox", 0), ("bear", 1), ("frog", 2)]
    table = Table(kiosk, game)
    assert len(table.pairs) == 3
    table.miss(fox)
    table.miss(bear)
    table.pair(frog)
    table.pair(frog)
    drawn.clear()
    table.pair(frog)  # the last pair
    assert game.phase == "stars"
    assert [(t.name, t.points) for t in game.team_scores() or []] == [
        ("Team Fox", 0),
        ("Team Bear", 0),
        ("Team Frog", 3),
    ]
    assert game.won_message() == "Team Frog wins!"
    kiosk.step(60)
    assert headlines(drawn) == {"Team Frog wins!"}
    assert completed_runs(kiosk)[-1] == ("memory", 1)
    press(kiosk, frog, B)


def play_the_sorting_race(
    kiosk: Harness, fox: VirtualPad, bear: VirtualPad, frog: VirtualPad, drawn: list[str]
) -> None:
    game = launcher_choose(kiosk, fox, "tile:sorting")
    assert isinstance(game, SortItOut)
    choose(kiosk, fox, "topic:sort-things")
    choose(kiosk, fox, "level:2")
    race = race_of(game)
    assert game.phase == "play" and len(race) == 3
    items = len(race.lanes[0].round.items)
    # Fox sorts every thing right at the first try; Bear misses its first two, Frog its
    # first; Fox finishes first.
    for turn in range(items):
        sort_one(kiosk, race, fox, 0, right=True)
        sort_one(kiosk, race, bear, 1, right=turn >= 2)
        if turn < items - 1:
            sort_one(kiosk, race, frog, 2, right=turn >= 1)
    drawn.clear()
    sort_one(kiosk, race, frog, 2, right=True)
    kiosk.wait(1.0)
    assert race.finished == [0, 1, 2]
    assert game.phase == "stars"
    # A point a thing sorted at the first try; 2 for finishing first, 1 for second.
    assert items == 10
    assert [(s.name, s.points) for s in game.team_scores() or []] == [
        ("Team Fox", 10 + 2),
        ("Team Bear", 8 + 1),
        ("Team Frog", 9),
    ]
    assert game.race_message() == "Team Fox wins!"
    kiosk.wait(2)
    assert headlines(drawn) == {"Team Fox wins!"}
    assert completed_runs(kiosk)[-1] == ("sorting", 2)
    press(kiosk, fox, B)


def test_three_teams_play_a_team_day_with_pads_and_the_office_counts_their_controllers(
    tmp_path: Path,
    office: OfficeServer,  # noqa: F811
    site_token: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "station"
    folder.mkdir()
    (folder / "site-token.txt").write_text(site_token + "\n", encoding="utf-8")
    data = folder / "data"
    station = (
        f"site: {{id: ludza, timezone: Europe/Riga}}\nstation: {{id: {STATION}}}\n"
        f"storage: {{data_dir: '{data}'}}\n"
        f"sync: {{office_url: '{office.url}', token_file: site-token.txt}}\n"
    )
    with team_station(
        folder,
        games=(PictureQuiz, MemoryPairs, SortItOut),
        packs=(QUIZ_PACKS, SORTING_PACKS),
        more_config=station,
    ) as (kiosk, pads):
        drawn: list[str] = []
        spy_on_text(kiosk, drawn)
        fox, bear, frog = plug(kiosk, pads, 3)

        # The librarian: the panel, a group of 14 aged 9-11, any activity, Next; the
        # teams join with A in the Controllers step; Start.
        open_group_setup(kiosk)
        for digit in "14":
            kiosk.tap_button(f"group:digit:{digit}")
        kiosk.tap_button("group:age:9-11")
        kiosk.tap_button("group:start")
        step = kiosk.app.scene(routes.ControllersStep)
        assert step is not None and kiosk.app.top is step
        for pad in (fox, bear, frog):
            press(kiosk, pad, A)
        assert joined(step) == [(0, "fox"), (1, "bear"), (2, "frog")]
        kiosk.tap_button("controllers:start")
        started = kiosk.sink.of_type(SessionStarted)  # type: ignore[attr-defined]
        assert [(e.kind, e.headcount, e.controllers) for e in started] == [("group", 14, 3)]

        # The children, with their pads only.
        play_the_buzzer_quiz(kiosk, fox, bear, frog, drawn)
        play_memory_in_turns(kiosk, fox, bear, frog, drawn)
        play_the_sorting_race(kiosk, fox, bear, frog, drawn)
        assert kiosk.scene_name == "Launcher"
        assert completed_runs(kiosk) == [("quiz", 1), ("memory", 1), ("sorting", 2)]

        # The librarian ends the group.
        librarian_panel(kiosk)
        kiosk.tap_button("panel:group-end")
        assert kiosk.scene_name == "Attract"
        assert kiosk.app.errors == 0 and kiosk.app.ui.text.overflows == []
        store = kiosk.sink.store  # type: ignore[attr-defined]
    assert store.flush(30)

    # The kiosk's SQLite: one group session of 14 with its three controllers, and its
    # three runs completed.
    db_path = data / "usage.db"
    with sqlite3.connect(db_path) as db:
        assert db.execute(
            "SELECT kind, headcount, age_band, controllers, end_reason FROM sessions"
        ).fetchall() == [("group", 14, "9-11", 3, "librarian")]
        runs = db.execute(
            "SELECT activity, outcome, level FROM activity_runs WHERE outcome = 'completed' "
            "ORDER BY started_at"
        ).fetchall()
        assert runs == [
            ("quiz", "completed", 1),
            ("memory", "completed", 1),
            ("sorting", "completed", 2),
        ]
    ours = kiosk_controller_totals(db_path, STATION)
    assert list(ours.values()) == [(1, 3)]

    # `kiosk sync` brings it to the office: one session with controllers, three
    # controllers, in the hour the group started.
    assert main(["sync", "--config", str(folder / "config.yaml")]) == 0
    assert "Done:" in capsys.readouterr().out
    assert office.controller_totals(site_token) == ours
    sessions, _activities = office.totals(site_token)
    assert [(key[3], key[4], value[:2]) for key, value in sessions.items()] == [
        ("group", "9-11", (1, 14))
    ]
