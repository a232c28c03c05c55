"""The game kit's own rules: the round flow's phases and what it tells the shell, the
arrow-key focus over a grid, tiles in centred rows, and the buttons after a round."""

from __future__ import annotations

import pygame
import pytest

from kiosk.api import KeyEvent, kit
from kiosk.harness import Harness


class Shell:
    """Records what the flow tells the shell, as an ActivityContext would pass it on."""

    def __init__(self) -> None:
        self.said: list[tuple[str, object]] = []

    def start_round(self, level: int | None = None) -> None:
        self.said.append(("start_round", level))

    def complete(self, score: int | None = None, level: int | None = None) -> None:
        self.said.append(("complete", (score, level)))

    def play_sound(self, name: str) -> None:
        self.said.append(("sound", name))

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        self.said.append(("invalidate", None))


def _flow() -> tuple[kit.RoundFlow[str], Shell, list[str]]:
    shell, shown = Shell(), []
    flow: kit.RoundFlow[str] = kit.RoundFlow(shell, 3, lambda: shown.append(flow.phase))
    return flow, shell, shown


@pytest.mark.parametrize(
    ("topics", "phase", "topic"),
    [([], "empty", None), (["farm"], "level", "farm"), (["farm", "sea"], "topic", None)],
)
def test_the_flow_offers_topics_skips_a_single_one_and_says_when_there_is_none(
    topics: list[str], phase: str, topic: str | None
) -> None:
    flow, _shell, shown = _flow()
    flow.offer(topics)
    assert (flow.phase, flow.topic, shown) == (phase, topic, [phase])
    assert flow.many_topics == (len(topics) > 1)


def test_a_round_opens_a_run_and_its_end_completes_it_with_the_stars() -> None:
    flow, shell, shown = _flow()
    flow.offer(["farm", "sea"])
    flow.choose_topic("sea")
    flow.begin(2)
    flow.show()
    assert (flow.topic, flow.level, flow.phase) == ("sea", 2, "play")
    assert shell.said == [("start_round", 2)]
    flow.finish(stars=2, score=7, now=10.0)
    assert shell.said[1:] == [("complete", (7, 2)), ("sound", "success")]
    assert (flow.phase, flow.stars, shown) == ("stars", 2, ["topic", "level", "play", "stars"])
    assert flow.celebrating(10.5) and not flow.celebrating(11.6)
    assert flow.appear(10.6) == pytest.approx(0.5) and flow.appear(20.0) == 1.0


def _key(key: int) -> KeyEvent:
    return KeyEvent(key=key, mod=0, unicode="")


def test_the_focus_grid_moves_with_arrows_stops_at_edges_and_chooses_with_enter_or_space() -> None:
    grid = kit.FocusGrid(count=7, cols=3)
    assert not grid.visible
    assert grid.handle(_key(pygame.K_UP)) == "moved" and grid.index == 0 and grid.visible
    assert grid.handle(_key(pygame.K_DOWN)) == "moved" and grid.index == 3
    assert grid.handle(_key(pygame.K_DOWN)) == "moved" and grid.index == 6
    assert grid.handle(_key(pygame.K_DOWN)) == "moved" and grid.index == 6  # no row below
    assert grid.handle(_key(pygame.K_RIGHT)) == "moved" and grid.index == 6  # the last one
    assert grid.handle(_key(pygame.K_LEFT)) == "moved" and grid.index == 5
    assert grid.handle(_key(pygame.K_RETURN)) == "chosen"
    assert grid.handle(_key(pygame.K_SPACE)) == "chosen"
    assert grid.handle(_key(pygame.K_a)) is None
    grid.point_at(1)
    assert (grid.index, grid.visible) == (1, False)


def test_tiles_stand_in_centred_rows_the_last_one_shorter() -> None:
    rects = kit.centered_rows(5, 3, (100, 80), 10, 500, 20)
    assert [r.topleft for r in rects] == [(340, 20), (450, 20), (560, 20), (395, 110), (505, 110)]


def test_after_the_last_level_there_is_no_next_level(kiosk: Harness) -> None:
    ui, area = kiosk.app.ui, pygame.Rect(0, 0, 1366, 700)
    started: list[int] = []
    ids = [
        [b.id for b in kit.end_buttons(ui, area, str, 500, level, 3, started.append)]
        for level in (1, 3)
    ]
    assert ids == [["again", "next"], ["again"]]
    buttons = kit.end_buttons(ui, area, str, 500, 2, 3, started.append)
    for button in buttons:
        assert button.on_press is not None
        button.on_press()
    assert started == [2, 3]


def test_end_buttons_put_in_a_group_take_the_focus_a_child_most_likely_wants(
    kiosk: Harness,
) -> None:
    from kiosk.api import ButtonGroup

    ui, area = kiosk.app.ui, pygame.Rect(0, 0, 1366, 700)
    group = ButtonGroup(ui, lambda _rect: None)
    other = kit.other_topic_button("Other topic", lambda: None)
    for level, focus, wanted in ((1, None, "next"), (3, None, "again"), (1, "again", "again")):
        kit.put_end_buttons(group, ui, area, str, 500, level, 3, print, [other], focus=focus)
        assert [b.id for b in group.buttons][0] == "topics"
        focused = group.buttons[group.focus_index] if group.focus_index is not None else None
        assert focused is not None and focused.id == wanted
