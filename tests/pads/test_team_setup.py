"""The group setup's Controllers step: teams join with A on their pads, leave with A again
or B, and the session starts with the teams (its record keeps only how many)."""

from __future__ import annotations

from pathlib import Path

import pygame

from kiosk import routes
from kiosk.sessions import SessionStarted
from tests.pads.team_helpers import (
    DOWN,
    A,
    B,
    controllers_step,
    joined,
    open_group_setup,
    plug,
    press,
    team_station,
)
from tests.shots import shots

SHOTS = shots("team-setup")


def _started(kiosk: object) -> list[tuple[str, int | None]]:
    events = kiosk.sink.of_type(SessionStarted)  # type: ignore[attr-defined]
    return [(e.kind, e.controllers) for e in events]


def test_three_teams_join_one_leaves_and_rejoins_and_the_session_counts_three(
    tmp_path: Path,
) -> None:
    with team_station(tmp_path) as (kiosk, pads):
        fox, bear, frog = plug(kiosk, pads, 3)
        step = controllers_step(kiosk)
        assert step.status() == "3 controllers are plugged in. Each team: press A to join!"  # type: ignore[attr-defined]
        assert not kiosk.find_button("controllers:start").enabled
        press(kiosk, fox, A)
        assert joined(step) == [(0, "fox")]
        assert step.status() == "A team game needs two teams. Another team: press A!"  # type: ignore[attr-defined]
        assert not kiosk.find_button("controllers:start").enabled
        press(kiosk, bear, A)
        press(kiosk, frog, A)
        assert joined(step) == [(0, "fox"), (1, "bear"), (2, "frog")]
        assert kiosk.find_button("controllers:start").enabled
        # Bear leaves with B: the frogs stay frogs; Bear comes back and is Bear again.
        press(kiosk, bear, B)
        assert joined(step) == [(0, "fox"), (2, "frog")]
        press(kiosk, bear, A)
        assert joined(step) == [(0, "fox"), (1, "bear"), (2, "frog")]
        # A again leaves too; the d-pad and B on a pad that did not join do nothing.
        press(kiosk, frog, A)
        assert joined(step) == [(0, "fox"), (1, "bear")]
        press(kiosk, frog, B)
        press(kiosk, frog, DOWN)
        assert joined(step) == [(0, "fox"), (1, "bear")]
        assert kiosk.app.top is step
        press(kiosk, frog, A)
        assert joined(step) == [(0, "fox"), (1, "bear"), (2, "frog")]
        kiosk.screenshot()
        assert kiosk.app.ui.text.overflows == []
        kiosk.tap_button("controllers:start")
        assert kiosk.scene_name == "Launcher"
        assert _started(kiosk) == [("group", 3)]
        teams = kiosk.app.session.teams
        assert teams is not None
        assert [(t.index, t.pad, t.animal) for t in teams] == [
            (0, 0, "fox"),
            (1, 1, "bear"),
            (2, 2, "frog"),
        ]


def test_without_pads_start_starts_at_once_and_says_how_to_plug_them_in(tmp_path: Path) -> None:
    with team_station(tmp_path) as (kiosk, pads):
        open_group_setup(kiosk)
        setup = kiosk.app.scene(routes.GroupSetup)
        assert kiosk.find_button("group:start").label == "Start"
        assert setup.pads_note().startswith("No game controllers are plugged in.")  # type: ignore[union-attr]
        # A pad plugged in while the setup shows: the button now leads to the teams.
        pad = plug(kiosk, pads, 1)[0]
        kiosk.step()
        assert kiosk.find_button("group:start").label == "Next"
        assert setup.pads_note() == (  # type: ignore[union-attr]
            "1 game controller is plugged in: the teams join with it next."
        )
        pad.unplug()
        kiosk.step(2)
        assert kiosk.find_button("group:start").label == "Start"
        kiosk.tap_button("group:start")
        assert kiosk.scene_name == "Launcher"
        assert _started(kiosk) == [("group", None)]
        assert kiosk.app.session.teams is None


def test_the_step_says_so_when_the_pads_are_pulled_out(tmp_path: Path) -> None:
    with team_station(tmp_path, lang="lv") as (kiosk, pads):
        first, second = plug(kiosk, pads, 2)
        step = controllers_step(kiosk)
        press(kiosk, first, A)
        press(kiosk, second, A)
        assert kiosk.find_button("controllers:start").enabled
        second.unplug()
        kiosk.step(2)
        assert joined(step) == [(0, "fox")]  # its team went with it
        assert not kiosk.find_button("controllers:start").enabled
        assert step.status() == (  # type: ignore[attr-defined]
            "Komandu spēlei vajag divas komandas: pievienojiet vēl vienu pulti."
        )
        first.unplug()
        kiosk.step(2)
        assert joined(step) == []
        assert step.status().startswith("Nav pievienota neviena spēļu pults.")  # type: ignore[attr-defined]
        kiosk.screenshot()
        assert kiosk.app.ui.text.overflows == []


def test_play_without_controllers_and_back_keep_the_librarians_choices(tmp_path: Path) -> None:
    with team_station(tmp_path) as (kiosk, pads):
        (pad,) = plug(kiosk, pads, 1)
        open_group_setup(kiosk)
        for digit in "14":
            kiosk.tap_button(f"group:digit:{digit}")
        kiosk.tap_button("group:start")
        press(kiosk, pad, A)
        kiosk.key(pygame.K_ESCAPE)  # the librarian's Back (Escape, or the Back button)
        assert kiosk.scene_name == "GroupSetup"
        kiosk.tap_button("group:start")
        assert joined(kiosk.app.top) == []  # a fresh step: the teams join again
        kiosk.tap_button("controllers:skip")
        assert kiosk.scene_name == "Launcher"
        assert _started(kiosk) == [("group", None)]
        assert kiosk.app.sessions.current is not None
        assert kiosk.app.sessions.current.headcount == 14
        assert kiosk.app.session.teams is None


def test_every_language_fits_the_setup_and_the_step_at_every_size(tmp_path: Path) -> None:
    for number, (lang, size) in enumerate(
        [("lv", (1280, 1024)), ("lt", (1366, 768)), ("en", (3840, 2160)), ("lt", (1920, 1080))]
    ):
        folder = tmp_path / str(number)
        folder.mkdir()
        with team_station(folder, lang=lang, size=size) as (kiosk, pads):
            open_group_setup(kiosk)  # the note beside Start: no pads yet
            kiosk.screenshot(SHOTS / f"setup-{lang}-{size[0]}x{size[1]}.png")
            plugged = plug(kiosk, pads, 4)
            kiosk.step()
            kiosk.screenshot()  # and with four
            kiosk.tap_button("group:start")
            step = kiosk.app.top
            for pad in plugged[:3]:
                press(kiosk, pad, A)
            kiosk.screenshot(SHOTS / f"step-{lang}-{size[0]}x{size[1]}.png")
            screen = kiosk.app.screen.get_rect()
            cards = step.cards  # type: ignore[attr-defined]
            for i, card in enumerate(cards):
                assert screen.contains(card)
                assert all(not card.colliderect(other) for other in cards[i + 1 :])
                assert all(not card.colliderect(b.rect) for b in kiosk.buttons())
            assert all(screen.contains(b.rect) for b in kiosk.buttons())
            assert kiosk.app.ui.text.overflows == []
