"""Whole flows through the real shell, driven by injected input and a fixed clock."""

from __future__ import annotations

import gc
from importlib.metadata import EntryPoint

import pygame
import pytest

from kiosk import routes
from kiosk.activities import ActivityError, RegisteredActivity, discover
from kiosk.api import Activity, ActivityInfo, InputEvent, PointerEvent
from kiosk.harness import Harness
from kiosk.sessions import RunEnded, RunStarted, SessionChanged, SessionEnded, SessionStarted
from tests.conftest import make_config


def _start_solo(kiosk: Harness, band: str = "age:skip") -> None:
    kiosk.tap_button("start")
    assert kiosk.scene_name == "AgePicker"
    kiosk.tap_button(band)
    assert kiosk.scene_name == "Launcher"


def test_child_goes_from_attract_through_an_activity_and_home(kiosk: Harness) -> None:
    _start_solo(kiosk, "age:9-11")
    kiosk.tap_button("tile:memory")
    assert kiosk.scene_name == "ActivityHost"
    kiosk.tap_button("home")
    assert kiosk.scene_name == "Launcher"
    kiosk.tap_button("bye")
    assert kiosk.scene_name == "Attract"
    events = kiosk.sink.events
    assert [type(e) for e in events] == [
        SessionStarted,
        SessionChanged,
        RunStarted,
        RunEnded,
        SessionEnded,
    ]
    assert events[1].age_band == "9-11"  # type: ignore[union-attr]
    assert events[3].outcome == "quit"  # type: ignore[union-attr]
    assert events[4].reason == "home"  # type: ignore[union-attr]


def test_idle_timeout_ends_session_and_returns_to_attract(kiosk: Harness) -> None:
    kiosk.tap_button("lang:en")
    _start_solo(kiosk)
    kiosk.tap_button("tile:memory")
    kiosk.wait(89, dt=0.5)
    assert kiosk.app.scene(routes.IdlePrompt) is None
    kiosk.wait(1.5, dt=0.5)
    assert kiosk.app.scene(routes.IdlePrompt) is not None
    kiosk.wait(8, dt=0.5)
    assert kiosk.scene_name == "IdlePrompt"
    kiosk.wait(3, dt=0.5)
    assert kiosk.scene_name == "Attract"
    assert kiosk.app.translator.lang == "lv"  # back to the default for the next child
    ended = kiosk.sink.of_type(SessionEnded)
    assert [e.reason for e in ended] == ["idle"]  # type: ignore[union-attr]
    assert [e.outcome for e in kiosk.sink.of_type(RunEnded)] == ["idle"]  # type: ignore[union-attr]


def test_a_touch_on_the_idle_prompt_keeps_the_session(kiosk: Harness) -> None:
    _start_solo(kiosk)
    kiosk.wait(95, dt=0.5)
    assert kiosk.scene_name == "IdlePrompt"
    kiosk.tap_button("still-here", via="touch")
    assert kiosk.scene_name == "Launcher"
    kiosk.wait(30, dt=0.5)
    assert kiosk.scene_name == "Launcher"
    assert kiosk.sink.of_type(SessionEnded) == []


def test_attract_screen_never_times_out(kiosk: Harness) -> None:
    kiosk.wait(600, dt=1.0)
    assert kiosk.scene_name == "Attract"
    assert kiosk.sink.events == []


class PointerCounter(Activity):
    info = ActivityInfo(id="counter", title={"en": "Counter"}, icon="star")

    def on_enter(self) -> None:
        self.downs = 0

    def handle_event(self, event: InputEvent) -> bool:
        if isinstance(event, PointerEvent) and event.kind == "down":
            self.downs += 1
        return True


def _open(kiosk: Harness, activity_id: str) -> Activity:
    _start_solo(kiosk)
    kiosk.tap_button(f"tile:{activity_id}")
    activity = kiosk.app.top.activity  # type: ignore[union-attr]
    assert activity is not None
    return activity


@pytest.mark.parametrize(
    "kiosk", [{"registered": [RegisteredActivity(PointerCounter, "tests")]}], indirect=True
)
def test_a_touch_counts_once_despite_sdl_mouse_emulation(kiosk: Harness) -> None:
    counter = _open(kiosk, "counter")
    kiosk.touch((600, 500), emulate_mouse=True)
    assert counter.downs == 1  # type: ignore[attr-defined]
    kiosk.click((600, 500))
    assert counter.downs == 2  # type: ignore[attr-defined]


class Explodes(Activity):
    info = ActivityInfo(id="explodes", title={"en": "Explodes"}, icon="rocket")

    def handle_event(self, event: InputEvent) -> bool:
        if isinstance(event, PointerEvent) and event.kind == "down":
            raise RuntimeError("boom")
        return False


@pytest.mark.parametrize(
    "kiosk", [{"registered": [RegisteredActivity(Explodes, "tests")]}], indirect=True
)
def test_an_activity_that_raises_shows_a_friendly_screen_and_records_error(
    kiosk: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    _open(kiosk, "explodes")
    kiosk.click((600, 500))
    assert kiosk.scene_name == "Oops"
    assert "boom" in caplog.text  # the traceback went to the log
    assert [e.outcome for e in kiosk.sink.of_type(RunEnded)] == ["error"]  # type: ignore[union-attr]
    kiosk.tap_button("ok")
    assert kiosk.scene_name == "Launcher"
    assert kiosk.app.sessions.current is not None  # the child carries on


class BrokenOnEnter(Activity):
    info = ActivityInfo(id="broken", title={"en": "Broken"}, icon="rocket")

    def on_enter(self) -> None:
        raise ValueError("cannot start")


@pytest.mark.parametrize(
    "kiosk", [{"registered": [RegisteredActivity(BrokenOnEnter, "tests")]}], indirect=True
)
def test_an_activity_failing_to_start_is_caught_too(kiosk: Harness) -> None:
    _start_solo(kiosk)
    kiosk.tap_button("tile:broken")
    assert kiosk.scene_name == "Oops"
    kiosk.wait(9, dt=0.5)
    assert kiosk.scene_name == "Launcher"


def test_escape_leaves_an_activity_but_not_the_launcher(kiosk: Harness) -> None:
    _start_solo(kiosk)
    kiosk.tap_button("tile:memory")
    kiosk.key(pygame.K_ESCAPE)
    assert kiosk.scene_name == "Launcher"
    kiosk.key(pygame.K_ESCAPE)
    assert kiosk.scene_name == "Launcher"


def test_window_close_and_alt_f4_are_ignored_in_kiosk_mode(kiosk: Harness) -> None:
    kiosk.post(pygame.QUIT)
    kiosk.key(pygame.K_F4, mod=pygame.KMOD_LALT)
    kiosk.step(3)
    assert kiosk.app.running


@pytest.mark.parametrize("kiosk", [{"kiosk_mode": False}], indirect=True)
def test_window_close_quits_the_windowed_developer_mode(kiosk: Harness) -> None:
    kiosk.post(pygame.QUIT)
    kiosk.step()
    assert not kiosk.app.running


def test_keyboard_alone_reaches_a_game_and_back(kiosk: Harness) -> None:
    kiosk.key(pygame.K_RETURN)
    assert kiosk.scene_name == "AgePicker"
    kiosk.key(pygame.K_TAB)  # focus: the first age band (never Bye: that leaves)
    kiosk.key(pygame.K_RETURN)
    assert kiosk.scene_name == "Launcher"
    assert kiosk.sink.of_type(SessionChanged)[0].age_band == "6-8"  # type: ignore[union-attr]
    for _ in range(5):
        kiosk.key(pygame.K_DOWN)
    kiosk.key(pygame.K_RETURN)
    assert kiosk.scene_name == "ActivityHost"
    kiosk.key(pygame.K_ESCAPE)
    assert kiosk.scene_name == "Launcher"


@pytest.mark.parametrize("first_key", [pygame.K_TAB, pygame.K_DOWN, pygame.K_RIGHT])
def test_a_first_key_press_on_the_launcher_focuses_an_activity(first_key: int) -> None:
    # A child's first press of a key or a pad's d-pad, then A, plays; it never ends the visit.
    with Harness(make_config("session:\n  age_picker: false\n")) as kiosk:
        kiosk.key(pygame.K_RETURN)
        assert kiosk.scene_name == "Launcher"
        kiosk.key(first_key)
        focused = kiosk.button_groups()[0].focused
        assert focused is not None and focused.id.startswith("tile:")
        kiosk.key(pygame.K_RETURN)
        assert kiosk.scene_name == "ActivityHost"
        assert kiosk.app.sessions.current is not None


def test_age_picker_can_be_switched_off() -> None:
    with Harness(make_config("session:\n  age_picker: false\n")) as kiosk:
        kiosk.tap_button("start")
        assert kiosk.scene_name == "Launcher"


def test_hidden_activities_are_not_in_the_launcher() -> None:
    with Harness(make_config("activities:\n  hidden: [memory]\n")) as kiosk:
        _start_solo(kiosk)
        tiles = [b.id for b in kiosk.buttons() if b.id.startswith("tile:")]
        assert tiles and "tile:memory" not in tiles


def test_entry_points_register_the_built_in_game() -> None:
    assert "memory" in {a.id for a in discover()}


def test_a_duplicate_activity_id_stops_startup_naming_both() -> None:
    eps = [
        EntryPoint("memory", "games.memory:MemoryPairs", "kiosk.activities"),
        EntryPoint("memory2", "games.memory.game:MemoryPairs", "kiosk.activities"),
    ]
    with pytest.raises(ActivityError) as caught:
        discover(eps)
    message = str(caught.value)
    assert "games.memory:MemoryPairs" in message and "games.memory.game:MemoryPairs" in message


def test_an_entry_point_that_fails_to_import_is_left_out(caplog: pytest.LogCaptureFixture) -> None:
    eps = [
        EntryPoint("memory", "games.memory:MemoryPairs", "kiosk.activities"),
        EntryPoint("ghost", "games.no_such_game:Ghost", "kiosk.activities"),
    ]
    assert [a.id for a in discover(eps)] == ["memory"]
    assert "games.no_such_game:Ghost" in caplog.text


def test_home_returns_to_the_launcher_page_that_holds_the_activity(kiosk: Harness) -> None:
    _start_solo(kiosk)
    assert "tile:draw" not in [b.id for b in kiosk.buttons()]  # the creative tools are further on
    kiosk.tap_button("page:next")
    assert "tile:draw" in [b.id for b in kiosk.buttons()]
    kiosk.tap_button("tile:draw")
    kiosk.tap_button("home")
    assert kiosk.scene_name == "Launcher"
    assert "tile:draw" in [b.id for b in kiosk.buttons()]
    assert "page:prev" in [b.id for b in kiosk.buttons()]
    # After the session the next child starts on the first page again.
    kiosk.tap_button("bye")
    _start_solo(kiosk)
    assert "page:prev" not in [b.id for b in kiosk.buttons()]


def test_start_up_is_frozen_so_closing_an_activity_collects_only_what_came_since() -> None:
    with Harness() as kiosk:
        kiosk.app.packs.wait()
        kiosk.step()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the fonts, pictures and modules start-up built
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:memory")
        kiosk.key(pygame.K_ESCAPE)
        assert kiosk.scene_name == "Launcher"
        assert gc.get_freeze_count() <= frozen  # nothing new frozen: the activity is collectable
    assert gc.get_freeze_count() == 0  # nothing stays frozen once the kiosk is gone
