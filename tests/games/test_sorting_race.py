"""Sort it out as a race: teams with game controllers, one lane each, the same things for
all. Pads are SDL virtual game controllers (kiosk.virtual_pads) on the real controller
path: SDL → kiosk.pads → kiosk.input → the activity host → the game.

The group setup's Controllers step, which hands `ctx.session.teams` to activities, is
built in another branch; until it lands here these tests give the session its teams
through a subclass of the game (`_racing`) that sets them before the game starts.
Everything else — the shell, the pads, the input, the game — is the real thing."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from games.sorting import SortItOut
from games.sorting.race import CATCH_UP_S
from games.sorting.race_layout import neighbour
from games.sorting.race_view import note_text
from kiosk.activities import RegisteredActivity
from kiosk.api import ButtonGroup, Teams
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from kiosk.virtual_pads import VirtualPad, VirtualPads
from tests.games.team_play import lane_press as _press
from tests.games.team_play import lane_snapshot as _snapshot
from tests.games.team_play import point_at as _point_at
from tests.games.team_play import race_of as _race
from tests.games.team_play import sort_one as _sort
from tests.shots import shots

FIXTURES = Path(__file__).parent / "fixtures" / "sorting"
SHOTS = shots("sorting-race")  # PNGs only when $TELPA_TEST_SHOTS asks (tests/shots.py)

A = pygame.CONTROLLER_BUTTON_A
LEFT = pygame.CONTROLLER_BUTTON_DPAD_LEFT
RIGHT = pygame.CONTROLLER_BUTTON_DPAD_RIGHT
UP = pygame.CONTROLLER_BUTTON_DPAD_UP
DOWN = pygame.CONTROLLER_BUTTON_DPAD_DOWN


def _racing(teams: Teams | None) -> type[SortItOut]:
    """The game, with the group session's teams set as the Controllers step will."""

    class RacingSortItOut(SortItOut):
        def on_enter(self) -> None:
            self.ctx.session = dataclasses.replace(self.ctx.session, kind="group", teams=teams)
            super().on_enter()

    return RacingSortItOut


def _kiosk(
    teams: Teams | None,
    size: tuple[int, int] = (1366, 768),
    lang: str | None = None,
    packs: tuple[str, ...] = ("sort-things",),
) -> Harness:
    config = parse_config(f"content:\n  folders: [{json.dumps(str(FIXTURES))}]\n")
    registered = [RegisteredActivity(_racing(teams), "tests")]
    kiosk = Harness(config=config, size=size, lang=lang, registered=registered)
    library = kiosk.app.packs
    library.wait()
    library.packs[:] = [p for p in library.packs if p.pack in packs]
    return kiosk


@pytest.fixture
def pads() -> Iterator[VirtualPads]:
    with VirtualPads() as virtual:
        yield virtual


def _open(kiosk: Harness, plugged: list[VirtualPad]) -> SortItOut:
    kiosk.step()  # SDL announces the pads; the kiosk opens them
    assert kiosk.app.pads.connected == list(range(len(plugged)))
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:sorting")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, SortItOut)
    return game


def _pad_choose(kiosk: Harness, pad: VirtualPad, group: ButtonGroup, button_id: str) -> None:
    """Walk the focus ring to `button_id` with a pad's d-pad, then press A."""
    for _ in range(20):
        focused = group.focused
        if focused is not None and focused.id == button_id:
            pad.press(A, kiosk.step)
            return
        if focused is None:
            pad.press(RIGHT, kiosk.step)  # the first press shows the ring
            continue
        target = group.by_id(button_id).rect.center
        dx, dy = target[0] - focused.rect.centerx, target[1] - focused.rect.centery
        if abs(dx) >= abs(dy):
            pad.press(RIGHT if dx > 0 else LEFT, kiosk.step)
        else:
            pad.press(DOWN if dy > 0 else UP, kiosk.step)
    raise AssertionError(f"the d-pad never reached {button_id}")


def _completed(kiosk: Harness) -> list[tuple[int | None, int | None]]:
    ended = [e for e in kiosk.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    return [(e.level, e.score) for e in ended]  # type: ignore[union-attr]


def test_three_pads_race_a_round_and_careful_sorting_wins(pads: VirtualPads) -> None:
    # Pad slot 2 joined first (Fox), then 0 (Bear), then 1 (Frog).
    teams = Teams.from_pads([2, 0, 1])
    with _kiosk(teams) as kiosk:
        plugged = [pads.plug() for _ in range(3)]
        kiosk.step()
        fox, bear, frog = plugged[2], plugged[0], plugged[1]
        kiosk.app.session.start_group(12, None, None, None)  # the librarian's part
        assert kiosk.scene_name == "Launcher"
        launcher = next(
            g for g in kiosk.button_groups() if any(b.id == "tile:sorting" for b in g.buttons)
        )
        _pad_choose(kiosk, bear, launcher, "tile:sorting")  # from here on: pads only
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        assert isinstance(game, SortItOut) and game.phase == "level"
        _pad_choose(kiosk, frog, game.buttons, "level:2")  # any pad picks the level
        race = _race(game)
        assert game.phase == "play" and len(race) == 3 and game.buttons.buttons == []
        items = race.lanes[0].round.items
        assert len(items) == 10
        assert all(lane.round.items == items for lane in race.lanes)
        # Bear sorts fast but misses its first three; Fox sorts right; Frog is slowest.
        for turn in range(10):
            _sort(kiosk, race, bear, 1, right=turn >= 3)
            _sort(kiosk, race, fox, 0, right=True)
            if turn < 9:
                _sort(kiosk, race, frog, 2, right=True)
        assert race.finished == [1, 0] and game.phase == "play"
        assert race.catch_up_left(game.race.time) is not None  # type: ignore[union-attr]
        round_ = race.lanes[2].round
        assert round_.current is not None
        _point_at(kiosk, race, frog, 2, round_.bin_index(round_.current.bin))
        _press(kiosk, race, frog, pygame.CONTROLLER_BUTTON_X, 2)  # X drops too
        kiosk.wait(1.0)
        assert race.finished == [1, 0, 2]
        # Bear: 7 first tries + 2 bonus; Fox: 10 + 1; Frog: 10 + 0.
        assert [race.points(i) for i in range(3)] == [11, 9, 10]
        assert game.phase == "stars"
        assert [(s.name, s.points) for s in game.team_scores() or []] == [
            ("Lapsu komanda", 11),
            ("Lāču komanda", 9),
            ("Varžu komanda", 10),
        ]
        assert game.race_message() == "Uzvar Lapsu komanda!"
        assert _completed(kiosk) == [(2, 11)]
        # Any pad plays again: a new race with the same teams, every lane from the start.
        assert game.buttons.focused is not None and game.buttons.focused.id == "again"
        bear.press(A, kiosk.step)
        assert game.phase == "play" and _race(game) is not race
        assert all(lane.round.index == 0 for lane in _race(game).lanes)
        kiosk.screenshot(SHOTS / "three-teams-again.png")


def test_a_tie_when_the_first_to_finish_made_one_mistake(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1]), lang="en") as kiosk:
        plugged = [pads.plug() for _ in range(2)]
        game = _open(kiosk, plugged)
        _pad_choose(kiosk, plugged[0], game.buttons, "level:1")
        race = _race(game)
        for turn in range(6):
            _sort(kiosk, race, plugged[0], 0, right=turn != 2)
        for _ in range(6):
            _sort(kiosk, race, plugged[1], 1, right=True)
        kiosk.wait(1.0)
        # Fox: 5 first tries + 1 for finishing ahead of Bear; Bear: 6 + 0.
        assert [race.points(0), race.points(1)] == [6, 6]
        assert game.phase == "stars" and game.race_message() == "It's a tie!"
        kiosk.screenshot(SHOTS / "tie.png")


def test_two_teams_level_on_the_most_points_share_the_win(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1, 2]), lang="en") as kiosk:
        plugged = [pads.plug() for _ in range(3)]
        game = _open(kiosk, plugged)
        _pad_choose(kiosk, plugged[0], game.buttons, "level:1")
        race = _race(game)
        for turn in range(6):
            _sort(kiosk, race, plugged[0], 0, right=turn != 2)
        for _ in range(6):
            _sort(kiosk, race, plugged[1], 1, right=True)
        for turn in range(6):
            _sort(kiosk, race, plugged[2], 2, right=turn != 4)
        kiosk.wait(1.0)
        # Fox: 5 first tries + 2 bonus; Bear: 6 + 1; Frog: 5 + 0. The same rule as the
        # final score cards: the two on top share the win, it is no tie for all.
        assert [race.points(i) for i in range(3)] == [7, 7, 5]
        assert game.phase == "stars"
        assert game.race_message() == "Team Fox and Team Bear share the win!"


def test_after_the_first_team_finishes_the_others_have_their_catch_up_time(
    pads: VirtualPads,
) -> None:
    with _kiosk(Teams.from_pads([0, 1, 2]), lang="en") as kiosk:
        plugged = [pads.plug() for _ in range(3)]
        game = _open(kiosk, plugged)
        _pad_choose(kiosk, plugged[0], game.buttons, "level:1")
        race = _race(game)
        _sort(kiosk, race, plugged[1], 1, right=True)
        for _ in range(6):
            _sort(kiosk, race, plugged[0], 0, right=True)
        assert game.race is not None
        kiosk.wait(CATCH_UP_S - 5)
        assert note_text(game.race, 1) == "5 seconds left!"
        assert note_text(game.race, 0) == ""
        assert game.phase == "play"
        kiosk.wait(5.5)
        assert game.phase == "stars"
        # Fox: 6 + 2 (ahead of both); the others: their first tries, no bonus.
        assert [race.points(i) for i in range(3)] == [8, 1, 0]
        assert [lane.place for lane in race.lanes] == [1, None, None]
        before = _snapshot(race, 1)
        plugged[1].press(RIGHT, kiosk.step)
        assert _snapshot(race, 1) == before  # the race is over: the lanes are still


def test_the_keyboard_and_a_pad_of_no_team_move_no_lane(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1])) as kiosk:
        plugged = [pads.plug() for _ in range(3)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("level:1")
        race = _race(game)
        before = [_snapshot(race, i) for i in range(2)]
        for key in (pygame.K_RIGHT, pygame.K_DOWN, pygame.K_RETURN):
            kiosk.key(key)
        plugged[2].press(RIGHT, kiosk.step)  # a pad that did not join
        plugged[2].press(A, kiosk.step)
        kiosk.click(game.race.lanes[0].bins[1].center)  # type: ignore[union-attr]
        assert [_snapshot(race, i) for i in range(2)] == before
        assert game.phase == "play"


def test_b_on_a_pad_never_ends_the_race_for_every_team(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1])) as kiosk:
        plugged = [pads.plug() for _ in range(3)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("level:1")
        for pad in plugged:  # two teams' pads and one that did not join
            pad.press(pygame.CONTROLLER_BUTTON_B, kiosk.step)
            pad.press(pygame.CONTROLLER_BUTTON_BACK, kiosk.step)
        assert kiosk.scene_name == "ActivityHost"
        assert game.phase == "play" and game.race is not None
        kiosk.key(pygame.K_ESCAPE)  # the librarian's keyboard still leaves
        assert kiosk.scene_name == "Launcher"


def test_when_the_group_time_runs_out_mid_race_its_scores_show(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1])) as kiosk:
        plugged = [pads.plug() for _ in range(2)]
        kiosk.step()
        kiosk.app.session.start_group(12, None, "sorting", 1)
        kiosk.tap_button("tile:sorting")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        assert isinstance(game, SortItOut)
        kiosk.tap_button("level:1")
        race = _race(game)
        _sort(kiosk, race, plugged[1], 1, right=True)
        _sort(kiosk, race, plugged[1], 1, right=True)
        _sort(kiosk, race, plugged[0], 0, right=False)
        kiosk.wait(61)
        assert kiosk.scene_name == "TimeUp"
        time_up = kiosk.app.top
        assert [t.points for t in time_up.teams] == [0, 2]  # type: ignore[union-attr]


def test_without_teams_or_with_one_team_the_game_is_the_solo_one() -> None:
    for teams in (None, Teams.from_pads([0])):
        with _kiosk(teams) as kiosk:
            kiosk.tap_button("start")
            kiosk.tap_button("age:skip")
            kiosk.tap_button("tile:sorting")
            game = kiosk.app.top.activity  # type: ignore[union-attr]
            kiosk.tap_button("level:1")
            assert game.race is None and game.round is not None
            assert game.team_scores() is None
            assert [b.id for b in game.buttons.buttons] == ["bin:fruit", "bin:animals"]


def test_the_d_pad_walks_a_grid_of_bins_as_it_looks() -> None:
    # Three bins in two rows (0 1 / 2): down from either top bin reaches the lower one.
    assert [neighbour(i, "right", 3, 2) for i in range(3)] == [1, 2, 0]
    assert [neighbour(i, "left", 3, 2) for i in range(3)] == [2, 0, 1]
    assert [neighbour(i, "down", 3, 2) for i in range(3)] == [2, 2, 0]
    assert [neighbour(i, "up", 4, 2) for i in range(4)] == [2, 3, 0, 1]
    # One row: up and down step like left and right.
    assert [neighbour(i, "down", 4, 4) for i in range(4)] == [1, 2, 3, 0]
    assert neighbour(0, "up", 4, 4) == 3


def _assert_lanes_fit(kiosk: Harness, game: SortItOut) -> None:
    assert game.race is not None
    area = kiosk.app.top.area  # type: ignore[union-attr]
    lanes = game.race.lanes
    for i, lane in enumerate(lanes):
        assert area.contains(lane.frame)
        for other in lanes[i + 1 :]:
            assert not lane.frame.colliderect(other.frame)
        pieces = [lane.header, lane.progress, lane.note, lane.table, *lane.bins]
        for k, piece in enumerate(pieces):
            assert lane.frame.contains(piece), (i, k, piece, lane.frame)
            for other in pieces[k + 1 :]:
                assert not piece.colliderect(other), (i, k, piece, other)
        for piece in (lane.animal, lane.name, lane.count):
            assert lane.header.contains(piece)
        assert lane.table.contains(lane.home)
        assert min(b.height for b in lane.bins) >= area.height // 12
    assert kiosk.app.ui.text.overflows == []


@pytest.mark.parametrize(
    ("teams", "size"),
    [(4, (3840, 2160)), (2, (1280, 1024)), (3, (1366, 768)), (4, (1366, 768))],
)
@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
def test_lanes_fit_without_overlap_or_overflow(
    pads: VirtualPads, teams: int, size: tuple[int, int], lang: str
) -> None:
    with _kiosk(
        Teams.from_pads(list(range(teams))), size, lang, ("sort-things", "sort-rides")
    ) as kiosk:
        plugged = [pads.plug() for _ in range(teams)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("topic:sort-things")
        kiosk.tap_button("level:3")  # four bins, fourteen things
        race = _race(game)
        _sort(kiosk, race, plugged[0], 0, right=False)
        for _ in range(len(race.lanes[1].round.items)):
            _sort(kiosk, race, plugged[1], 1, right=True)
        kiosk.wait(0.6)
        name = f"{teams}-teams-{size[0]}x{size[1]}-{lang}"
        kiosk.screenshot(SHOTS / f"{name}-play.png")
        _assert_lanes_fit(kiosk, game)
        kiosk.wait(CATCH_UP_S + 1)
        assert game.phase == "stars"
        kiosk.screenshot(SHOTS / f"{name}-end.png")
        assert kiosk.app.ui.text.overflows == []
        screen = kiosk.app.screen.get_rect()
        assert all(screen.contains(b.rect) for b in kiosk.buttons())
        assert not game.race_board.colliderect(game.race_rule)
        assert all(not game.race_rule.colliderect(b.rect) for b in game.buttons.buttons)


def _frame(kiosk: Harness) -> list[pygame.Rect]:
    """One frame, returning the rectangles it repainted."""
    kiosk.clock.advance(1 / 30)
    return kiosk.app.step(1 / 30)


def test_a_press_repaints_only_its_own_lane(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1, 2]), size=(1920, 1080)) as kiosk:
        plugged = [pads.plug() for _ in range(3)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("level:2")
        race = _race(game)
        kiosk.wait(1.0)
        assert _frame(kiosk) == []  # nothing moves: nothing is painted
        assert game.race is not None
        frame = game.race.lanes[1].frame
        round_ = race.lanes[1].round
        assert round_.current is not None
        right = round_.bin_index(round_.current.bin)
        wrong = (right + 1) % len(round_.bins)
        painted: list[pygame.Rect] = []
        for button in [RIGHT] * (wrong - race.lanes[1].cursor) + [A] + [RIGHT] * 2 + [A]:
            plugged[1].set_button(button, True)
            painted += _frame(kiosk)
            plugged[1].set_button(button, False)
            painted += _frame(kiosk)
        for _ in range(30):
            painted += _frame(kiosk)
        assert race.lanes[1].round.index == 1 and race.lanes[1].round.wrong == 0
        assert painted and all(frame.contains(rect) for rect in painted), painted
        # All three teams press A in the same frame: each lane repaints on its own, no
        # rectangle spans two lanes.
        frames = [lane.frame for lane in game.race.lanes]
        for pad in plugged:
            pad.set_button(A, True)
        painted = _frame(kiosk)
        for pad in plugged:
            pad.set_button(A, False)
        for _ in range(30):
            painted += _frame(kiosk)
        assert [lane.round.index + lane.round.wrong for lane in race.lanes] == [1, 2, 1]
        assert all(any(f.contains(rect) for f in frames) for rect in painted), painted


def test_painting_piece_by_piece_matches_a_full_repaint(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1, 2, 3]), size=(1366, 768), lang="en") as kiosk:
        plugged = [pads.plug() for _ in range(4)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("level:3")
        race = _race(game)
        for turn in range(5):
            _sort(kiosk, race, plugged[0], 0, right=True)
            _sort(kiosk, race, plugged[2], 2, right=turn % 2 == 0)
            if turn < 2:
                _sort(kiosk, race, plugged[3], 3, right=False)
        _point_at(kiosk, race, plugged[1], 1, 2)
        # Team Owl misses twice: from level 2 the right bin lights up.
        owl = race.lanes[3].round
        assert owl.current is not None
        right = owl.bin_index(owl.current.bin)
        for miss in (1, 2):
            _point_at(kiosk, race, plugged[3], 3, (right + miss) % len(owl.bins))
            _press(kiosk, race, plugged[3], A, 3)
        assert owl.hint == owl.current.bin
        kiosk.wait(2.0)  # every animation and "Try again!" over
        kiosk.screenshot(SHOTS / "four-teams-hint.png")
        pieces = pygame.image.tobytes(kiosk.app.screen, "RGB")
        kiosk.app.invalidate()
        kiosk.app.render()
        assert pygame.image.tobytes(kiosk.app.screen, "RGB") == pieces


def test_a_new_language_relabels_the_lanes_and_the_race_goes_on(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1]), lang="en") as kiosk:
        plugged = [pads.plug() for _ in range(2)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("level:1")
        race = _race(game)
        _sort(kiosk, race, plugged[0], 0, right=True)
        _point_at(kiosk, race, plugged[1], 1, 1)
        kiosk.app.set_language("lt")
        kiosk.step(2)
        assert _race(game) is race and game.phase == "play"
        assert race.lanes[0].round.index == 1 and race.lanes[1].cursor == 1
        assert [s.name for s in game.team_scores() or []] == ["Lapių komanda", "Meškų komanda"]
        for _ in range(5):
            _sort(kiosk, race, plugged[0], 0, right=True)
        for _ in range(6):
            _sort(kiosk, race, plugged[1], 1, right=True)
        kiosk.wait(1.0)
        assert game.phase == "stars" and game.race_message() == "Laimi Lapių komanda!"
        assert kiosk.app.ui.text.overflows == []


def test_a_pad_pulled_out_mid_race_holds_the_race_and_its_clock(pads: VirtualPads) -> None:
    with _kiosk(Teams.from_pads([0, 1]), lang="en") as kiosk:
        plugged = [pads.plug() for _ in range(2)]
        game = _open(kiosk, plugged)
        kiosk.tap_button("level:1")
        race = _race(game)
        for _ in range(6):
            _sort(kiosk, race, plugged[0], 0, right=True)
        kiosk.wait(10)
        assert game.race is not None and note_text(game.race, 1) == "20 seconds left!"
        plugged[1].unplug()
        kiosk.step()
        assert kiosk.scene_name == "PadMissing"
        kiosk.wait(60)  # Team Bear looks for its pad: the race waits
        assert game.phase == "play" and note_text(game.race, 1) == "20 seconds left!"
        again = pads.plug()
        kiosk.step(2)
        assert kiosk.scene_name == "ActivityHost"
        _sort(kiosk, race, again, 1, right=True)
        assert race.lanes[1].round.index == 1
        kiosk.wait(20)
        assert game.phase == "stars"
        assert [race.points(0), race.points(1)] == [7, 1]
