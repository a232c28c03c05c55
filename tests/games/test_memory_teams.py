"""Memory in turns: teams with game controllers play a whole game, pads only.

The pads are SDL virtual game controllers (kiosk.virtual_pads): SDL announces them, the
kiosk opens them like Xbox pads and their presses arrive as real CONTROLLERBUTTON events.
The teams are what the group setup's Controllers step hands to the session's activities
(`ctx.session.teams`); here the activity is given them at its start (`_with_teams`), the
rest — shell, input, pads, the game — is the real kiosk. The deck comes from the game's
`ctx.random`, seeded by the harness, and the scripted players read the solution from the
cards like a child with a perfect memory."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pygame
import pytest

from games.memory.game import MemoryPairs
from kiosk.activities import RegisteredActivity
from kiosk.api import ActivityContext, Teams, final_scores, verdict
from kiosk.harness import Harness
from kiosk.sessions import RunEnded
from kiosk.virtual_pads import VirtualPad, VirtualPads
from tests.shots import shots

A = pygame.CONTROLLER_BUTTON_A
DPAD = {
    "left": pygame.CONTROLLER_BUTTON_DPAD_LEFT,
    "right": pygame.CONTROLLER_BUTTON_DPAD_RIGHT,
    "up": pygame.CONTROLLER_BUTTON_DPAD_UP,
    "down": pygame.CONTROLLER_BUTTON_DPAD_DOWN,
}
SHOTS = shots("memory-teams")


def _with_teams(pads: list[int]) -> dict[str, object]:
    """Harness options: Memory pairs started in a group whose teams joined with `pads`."""
    teams = Teams.from_pads(pads)

    class MemoryInTeams(MemoryPairs):
        def __init__(self, ctx: ActivityContext) -> None:
            ctx.session = dataclasses.replace(ctx.session, kind="group", teams=teams)
            super().__init__(ctx)

    return {
        "registered": [RegisteredActivity(MemoryInTeams, "tests: memory in teams")],
        "lang": "en",
    }


@pytest.fixture
def pads(kiosk: Harness) -> Iterator[VirtualPads]:
    with VirtualPads() as virtual:
        yield virtual


def _plug(kiosk: Harness, pads: VirtualPads, count: int) -> list[VirtualPad]:
    plugged = [pads.plug(f"team pad {i + 1}") for i in range(count)]
    kiosk.step()
    assert kiosk.app.pads.connected == list(range(count))
    return plugged


def _press(kiosk: Harness, pad: VirtualPad, button: int) -> None:
    pad.press(button, kiosk.step)


def _choose_with_pad(kiosk: Harness, pad: VirtualPad, button_id: str) -> None:
    """Walk the focus ring to `button_id` with the d-pad, then A."""
    for _ in range(40):
        group = next(g for g in kiosk.button_groups() if button_id in [b.id for b in g.buttons])
        focused = group.focused
        if focused is not None and focused.id == button_id:
            _press(kiosk, pad, A)
            return
        if focused is None:
            _press(kiosk, pad, DPAD["right"])  # the first press shows the ring
            continue
        target = group.by_id(button_id).rect.center
        dx, dy = target[0] - focused.rect.centerx, target[1] - focused.rect.centery
        if abs(dx) >= abs(dy):
            _press(kiosk, pad, DPAD["right"] if dx > 0 else DPAD["left"])
        else:
            _press(kiosk, pad, DPAD["down"] if dy > 0 else DPAD["up"])
    raise AssertionError(f"the d-pad never reached {button_id}")


def _open_with_pad(kiosk: Harness, pad: VirtualPad, level: int) -> MemoryPairs:
    """A group session's launcher → Memory pairs → animals → `level`, all with one pad."""
    kiosk.app.session.start_group(12, None, None, None)
    assert kiosk.scene_name == "Launcher"
    _choose_with_pad(kiosk, pad, "tile:memory")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, MemoryPairs)
    _choose_with_pad(kiosk, pad, "topic:animals")
    _choose_with_pad(kiosk, pad, f"level:{level}")
    assert game.phase == "play" and game.level == level
    return game


class Table:
    """The cards as a child with a perfect memory knows them, and moves made with a pad."""

    def __init__(self, kiosk: Harness, game: MemoryPairs) -> None:
        self.kiosk, self.game = kiosk, game
        where: dict[str, list[int]] = {}
        for i, card in enumerate(game.cards):
            where.setdefault(card.key, []).append(i)
        self.pairs = list(where.values())

    def unmatched(self) -> list[list[int]]:
        return [p for p in self.pairs if not self.game.cards[p[0]].matched]

    def walk_and_turn(self, pad: VirtualPad, index: int) -> None:
        """The d-pad moves the ring to card `index`, A turns it."""
        game = self.game
        cols = game.grid.cols
        for _ in range(20):
            if game.focus == index:
                break
            row, col = divmod(game.focus, cols)
            target_row, target_col = divmod(index, cols)
            if row != target_row:
                _press(self.kiosk, pad, DPAD["down"] if target_row > row else DPAD["up"])
            else:
                _press(self.kiosk, pad, DPAD["right"] if target_col > col else DPAD["left"])
        assert game.focus == index
        _press(self.kiosk, pad, A)

    def pair(self, pad: VirtualPad) -> None:
        first, second = self.unmatched()[0]
        self.walk_and_turn(pad, first)
        self.walk_and_turn(pad, second)
        self.kiosk.step(10)

    def miss(self, pad: VirtualPad) -> None:
        left = self.unmatched()
        self.walk_and_turn(pad, left[0][0])
        self.walk_and_turn(pad, left[1][0])
        self.kiosk.step(40)  # the two cards show, then turn back


def _standing(game: MemoryPairs) -> list[tuple[str, int]]:
    return [(t.name, t.points) for t in game.team_scores() or []]


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1, 2])], indirect=True)
def test_three_teams_play_a_whole_game_in_turns_with_pads_only(
    kiosk: Harness, pads: VirtualPads
) -> None:
    fox, bear, frog = _plug(kiosk, pads, 3)
    game = _open_with_pad(kiosk, frog, level=2)  # any pad drives the menus
    table = Table(kiosk, game)

    def turn() -> str:
        assert game.playing is not None
        return game.playing.animal

    assert turn() == "fox" and not game.waiting
    table.pair(fox)
    assert turn() == "fox"  # a pair keeps the turn
    table.miss(fox)
    assert turn() == "bear"  # a miss passes it on

    # Out of turn: the foxes' and the frogs' pads move nothing, turn nothing, and the bar
    # reminds them whose turn it is — without a sound.
    sounds: list[str] = []
    kiosk.app.ui.sounds.play = sounds.append  # type: ignore[method-assign]
    focus = game.focus
    face_up = [c.face_up for c in game.cards]
    for pad, button in ((fox, DPAD["right"]), (fox, A), (frog, DPAD["down"]), (frog, A)):
        _press(kiosk, pad, button)
        assert game.waiting
    assert game.focus == focus and [c.face_up for c in game.cards] == face_up
    assert turn() == "bear" and sounds == []
    kiosk.wait(2.5)
    assert not game.waiting  # the reminder goes by itself

    table.pair(bear)
    table.pair(bear)
    table.miss(bear)
    assert turn() == "frog"
    table.pair(frog)
    table.miss(frog)
    assert turn() == "fox"
    table.miss(fox)
    assert turn() == "bear"
    assert _standing(game) == [("Team Fox", 1), ("Team Bear", 2), ("Team Frog", 1)]
    table.pair(bear)
    table.pair(bear)  # the last pair

    assert game.phase == "stars"
    assert _standing(game) == [("Team Fox", 1), ("Team Bear", 4), ("Team Frog", 1)]
    assert game.won_message() == "Team Bear wins!"
    kiosk.step(60)
    kiosk.screenshot(SHOTS / "won.png")
    assert kiosk.app.ui.text.overflows == [] and kiosk.app.errors == 0
    completed = [e for e in kiosk.sink.of_type(RunEnded) if e.outcome == "completed"]  # type: ignore[union-attr]
    assert [e.level for e in completed] == [2]  # type: ignore[union-attr]
    # Any pad goes on: the next round begins with the next team.
    _choose_with_pad(kiosk, fox, "again")
    assert game.phase == "play" and turn() == "bear"
    assert _standing(game) == [("Team Fox", 0), ("Team Bear", 0), ("Team Frog", 0)]


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1])], indirect=True)
def test_two_teams_with_as_many_pairs_tie_and_both_are_praised(
    kiosk: Harness, pads: VirtualPads
) -> None:
    fox, bear = _plug(kiosk, pads, 2)
    game = _open_with_pad(kiosk, fox, level=2)
    table = Table(kiosk, game)
    table.pair(fox)
    table.pair(fox)
    table.miss(fox)
    table.pair(bear)
    table.miss(bear)
    table.pair(fox)
    table.miss(fox)
    table.pair(bear)
    table.pair(bear)
    assert game.phase == "stars"
    assert _standing(game) == [("Team Fox", 3), ("Team Bear", 3)]
    assert game.won_message() == "It's a tie!"
    kiosk.step(60)
    kiosk.screenshot(SHOTS / "tie.png")
    assert kiosk.app.ui.text.overflows == []


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1, 2])], indirect=True)
def test_keyboard_and_touch_play_for_the_team_whose_turn_it_is(
    kiosk: Harness, pads: VirtualPads
) -> None:
    _plug(kiosk, pads, 3)
    kiosk.app.session.start_group(12, None, None, None)
    kiosk.tap_button("tile:memory", via="touch")
    kiosk.tap_button("topic:animals", via="touch")
    kiosk.tap_button("level:1", via="touch")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, MemoryPairs)
    table = Table(kiosk, game)
    first, second = table.unmatched()[0]
    kiosk.touch(game.cards[first].rect.center)
    kiosk.touch(game.cards[second].rect.center)
    kiosk.step(10)
    assert _standing(game)[0] == ("Team Fox", 1)
    # A mismatch by keyboard: the foxes' turn ends, the bears' begins.
    left = table.unmatched()
    for index in (left[0][0], left[1][0]):
        while game.focus != index:
            kiosk.key(pygame.K_RIGHT if game.focus < index else pygame.K_LEFT, frames=1)
        kiosk.key(pygame.K_RETURN)
    assert game.playing is not None and game.playing.animal == "bear"
    assert not game.waiting
    kiosk.step(40)  # the two cards turn back
    first, second = table.unmatched()[0]
    kiosk.click(game.cards[first].rect.center)
    kiosk.click(game.cards[second].rect.center)
    kiosk.step(10)
    assert _standing(game) == [("Team Fox", 1), ("Team Bear", 1), ("Team Frog", 0)]


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1, 2])], indirect=True)
def test_a_pad_that_did_not_join_is_reminded_too(kiosk: Harness, pads: VirtualPads) -> None:
    plugged = _plug(kiosk, pads, 4)
    game = _open_with_pad(kiosk, plugged[0], level=1)
    focus = game.focus
    _press(kiosk, plugged[3], DPAD["right"])
    _press(kiosk, plugged[3], A)
    assert game.waiting and game.focus == focus
    assert not any(c.face_up for c in game.cards)


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1, 2])], indirect=True)
def test_time_running_out_in_memory_in_turns_shows_each_teams_pairs(
    kiosk: Harness, pads: VirtualPads
) -> None:
    fox, bear, _frog = _plug(kiosk, pads, 3)
    kiosk.app.session.start_group(12, None, None, 2)
    _choose_with_pad(kiosk, fox, "tile:memory")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    _choose_with_pad(kiosk, fox, "topic:animals")
    _choose_with_pad(kiosk, fox, "level:3")
    table = Table(kiosk, game)
    table.miss(fox)
    table.pair(bear)
    table.pair(bear)
    kiosk.wait(125, dt=1.0)
    assert kiosk.scene_name == "TimeUp"
    shown = [(t.name, t.picture, t.points) for t in kiosk.app.top.teams]  # type: ignore[union-attr]
    assert shown == [("Team Fox", "fox", 0), ("Team Bear", "bear", 2), ("Team Frog", "frog", 0)]
    kiosk.screenshot(SHOTS / "time-up.png")
    assert kiosk.app.ui.text.overflows == [] and kiosk.app.errors == 0


def _no_overlap(game: MemoryPairs, area: pygame.Rect, reach: int) -> None:
    assert game.bar is not None
    bar = game.bar
    parts = [bar.marker, *bar.chips]
    assert all(bar.bar.contains(p) for p in parts)
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            assert not a.colliderect(b), (a, b)
    assert area.contains(bar.painted)
    for card in game.cards:
        assert area.contains(card.rect)
        # the card with its focus ring keeps clear of the bar and its pointer
        assert not card.rect.inflate(reach, reach).colliderect(bar.painted), card.rect
    for i, a in enumerate(game.cards):
        for b in game.cards[i + 1 :]:
            assert not a.rect.colliderect(b.rect)


@pytest.mark.parametrize(
    ("teams", "size"),
    [([0, 1, 2, 3], (3840, 2160)), ([0, 1], (1280, 1024))],
    ids=["4-teams-3840x2160", "2-teams-1280x1024"],
)
@pytest.mark.parametrize("lang", ["lv", "lt", "en"])
def test_the_bar_and_the_cards_lay_out_without_overlap(
    teams: list[int], size: tuple[int, int], lang: str
) -> None:
    options = {**_with_teams(teams), "lang": lang}
    with Harness(size=size, **options) as kiosk, VirtualPads() as pads:  # type: ignore[arg-type]
        _fox, bear = _plug(kiosk, pads, 2)
        kiosk.app.session.start_group(12, None, None, None)
        kiosk.tap_button("tile:memory")
        game = kiosk.app.top.activity  # type: ignore[union-attr]
        kiosk.tap_button("topic:animals")
        area = game.ctx.area
        reach = 2 * (kiosk.app.ui.metrics.px(6) + 2)
        for level in (1, 2, 3):
            game.start(level)
            kiosk.step()
            _no_overlap(game, area, reach)
            kiosk.screenshot(SHOTS / f"{lang}-{len(teams)}-teams-{size[0]}x{size[1]}-{level}.png")
        # The longest text the bar shows: the reminder, with every team's pairs in double
        # figures' room.
        game.order.pairs = [10] * len(teams)  # type: ignore[union-attr]
        _press(kiosk, bear, A)
        assert game.waiting
        kiosk.screenshot(SHOTS / f"{lang}-{len(teams)}-teams-{size[0]}x{size[1]}-wait.png")
        # The end screen: the final score above the buttons, all on screen.
        for first, second in Table(kiosk, game).unmatched():
            kiosk.click(game.cards[first].rect.center)
            kiosk.click(game.cards[second].rect.center)
        assert game.phase == "stars" and game.final_rect is not None
        kiosk.step(60)
        kiosk.screenshot(SHOTS / f"{lang}-{len(teams)}-teams-{size[0]}x{size[1]}-end.png")
        assert area.contains(game.final_rect)
        for button in kiosk.buttons():
            if button.id in ("again", "next"):
                assert area.contains(button.rect)
                assert not button.rect.colliderect(game.final_rect)
        assert kiosk.app.ui.text.overflows == [], kiosk.app.ui.text.overflows


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1])], indirect=True)
def test_a_team_whose_pad_is_gone_plays_on_by_touch(kiosk: Harness, pads: VirtualPads) -> None:
    fox, bear = _plug(kiosk, pads, 2)
    game = _open_with_pad(kiosk, bear, level=1)
    table = Table(kiosk, game)
    table.miss(fox)
    assert game.playing is not None and game.playing.animal == "bear"
    bear.unplug()
    kiosk.step()
    assert kiosk.scene_name != "ActivityHost"  # the game waits for the pad
    kiosk.tap_button("play-on")
    first, second = table.unmatched()[0]
    kiosk.touch(game.cards[first].rect.center)
    kiosk.touch(game.cards[second].rect.center)
    kiosk.step(10)
    assert _standing(game) == [("Team Fox", 0), ("Team Bear", 1)]
    assert game.playing.animal == "bear"


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1, 2])], indirect=True)
def test_teams_level_on_the_most_pairs_share_the_win(kiosk: Harness, pads: VirtualPads) -> None:
    fox, bear, frog = _plug(kiosk, pads, 3)
    game = _open_with_pad(kiosk, fox, level=2)
    table = Table(kiosk, game)
    table.pair(fox)
    table.pair(fox)
    table.miss(fox)
    table.pair(bear)
    table.miss(bear)
    table.miss(frog)
    table.pair(fox)
    table.miss(fox)
    table.pair(bear)
    table.pair(bear)
    assert game.phase == "stars"
    assert _standing(game) == [("Team Fox", 3), ("Team Bear", 3), ("Team Frog", 0)]
    assert game.won_message() == "Team Fox and Team Bear share the win!"
    # The final score cards count pairs, not points, in the kiosk's plural forms.
    asked: list[tuple[str, str, int]] = []

    def ngettext(singular: str, plural: str, n: int) -> str:
        asked.append((singular, plural, n))
        return game.ctx.ngettext(singular, plural, n)

    scores = game.team_scores() or []
    final_scores(game.ctx.ui, (1200, 600), scores, game.ctx.gettext, ngettext)
    assert asked == [("%(n)d pair", "%(n)d pairs", n) for n in (3, 3, 0)]
    assert verdict(scores, game.ctx.gettext)[0] == game.won_message()


@pytest.mark.parametrize("kiosk", [_with_teams([0, 1])], indirect=True)
def test_a_pads_b_does_not_end_the_teams_game_but_home_and_escape_do(
    kiosk: Harness, pads: VirtualPads
) -> None:
    fox, bear = _plug(kiosk, pads, 2)
    game = _open_with_pad(kiosk, fox, level=1)
    for pad in (fox, bear):  # the playing team's and another team's
        _press(kiosk, pad, pygame.CONTROLLER_BUTTON_B)
        assert kiosk.scene_name == "ActivityHost" and game.phase == "play"
    kiosk.key(pygame.K_ESCAPE)
    assert kiosk.scene_name == "Launcher"
