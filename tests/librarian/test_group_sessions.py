"""Group sessions end to end: only the librarian or the timer ends them, the badge says one
is running, the last minute is announced, a team quiz's score survives the timer, and
the panel speaks the station's language and shows the running group."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.sessions import SessionChanged, SessionEnded
from kiosk.shell.overlays import GROUP_COLOR
from kiosk.ui.theme import BAD
from kiosk.usage import UsageStore
from tests.conftest import RecordedSink

PIN = "2468"


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Harness]:
    """A kiosk in English (the station's language) with the PIN 2468 and a usage database."""
    yield from _station(tmp_path, "languages:\n  default: en\n")


def _station(tmp_path: Path, config_text: str) -> Iterator[Harness]:
    config = parse_config(config_text, path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    data = tmp_path / "data"
    store = UsageStore.open(data, config)
    sink = RecordedSink(store)
    with Harness(config, sink=sink, usage=store, data_folder=data) as kiosk:
        kiosk.app.packs.wait()
        yield kiosk


def _sessions(kiosk: Harness) -> list[tuple[str, int, str | None]]:
    """What the usage database holds (the store's writer thread is flushed first)."""
    assert kiosk.app.sink.store.flush(timeout=10)  # type: ignore[attr-defined]
    assert kiosk.app.data_folder is not None
    with sqlite3.connect(kiosk.app.data_folder / "usage.db") as db:
        return db.execute("SELECT kind, headcount, end_reason FROM sessions").fetchall()


def _open_panel(kiosk: Harness) -> None:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    assert kiosk.scene_name == "Panel"


def _start_group(
    kiosk: Harness, timer: str = "none", count: str = "10", activity: str = "any"
) -> None:
    _open_panel(kiosk)
    kiosk.tap_button("panel:group")
    for digit in count:
        kiosk.tap_button(f"group:digit:{digit}")
    kiosk.tap_button(f"group:timer:{timer}")
    kiosk.tap_button(f"group:activity:{activity}")
    kiosk.tap_button("group:start")
    assert kiosk.scene_name in ("Launcher", "ActivityHost")


def _share_of(kiosk: Harness, rect: pygame.Rect, color: tuple[int, int, int]) -> float:
    """The share of `rect`'s pixels on screen that are `color`."""
    shot = kiosk.screenshot()
    area = shot.subsurface(rect)
    same = sum(
        1
        for x in range(0, rect.width, 2)
        for y in range(0, rect.height, 2)
        if tuple(area.get_at((x, y)))[:3] == color
    )
    return same / ((rect.width // 2 + rect.width % 2) * (rect.height // 2 + rect.height % 2))


def test_a_childs_tap_on_the_waving_hand_keeps_the_group_session(station: Harness) -> None:
    _start_group(station)
    station.wait(2)
    station.tap_button("bye", via="touch")
    assert station.scene_name == "Launcher"
    assert station.app.sessions.current is not None
    assert station.sink.of_type(SessionEnded) == []  # type: ignore[attr-defined]
    assert _sessions(station) == [("group", 10, None)]
    station.wait(600, dt=1.0)  # no "Are you still there?" either
    assert station.scene_name == "Launcher"
    _open_panel(station)
    station.tap_button("panel:group-end")
    assert station.scene_name == "Attract"
    assert _sessions(station) == [("group", 10, "librarian")]


def test_the_hand_leads_back_to_the_groups_fixed_activity(station: Harness) -> None:
    _start_group(station, activity="memory")
    assert [b.id for b in station.buttons() if b.id.startswith("tile:")] == ["tile:memory"]
    station.tap_button("bye")
    assert station.scene_name == "ActivityHost"
    assert station.app.top.info.id == "memory"  # type: ignore[union-attr]
    assert station.app.sessions.current is not None


def test_the_hand_still_ends_a_childs_own_session(station: Harness) -> None:
    station.tap_button("start")
    station.tap_button("age:skip")
    station.tap_button("bye")
    assert station.scene_name == "Attract"
    assert _sessions(station) == [("solo", 1, "home")]


def test_the_group_badge_is_always_visible_without_a_timer(station: Harness) -> None:
    _start_group(station, count="12")
    badge = station.app.group_badge()
    assert badge is not None
    assert (badge.headline, badge.time_left, badge.warning) == ("Group · 12", None, False)
    assert _share_of(station, badge.rect, GROUP_COLOR) > 0.3
    # ... in activities too, clear of every button there
    station.tap_button("tile:memory")
    badge = station.app.group_badge()
    assert badge is not None and _share_of(station, badge.rect, GROUP_COLOR) > 0.3
    assert not [b.id for b in station.buttons() if b.rect.colliderect(badge.rect)]
    # ... and never over the librarian's own screens
    _open_panel(station)
    assert station.app.group_badge() is None


def test_the_badge_counts_down_and_warns_at_the_last_minute_without_stopping_play(
    station: Harness,
) -> None:
    _start_group(station, timer="2")
    station.tap_button("tile:memory")
    badge = station.app.group_badge()
    assert badge is not None and badge.time_left is not None
    assert badge.time_left.endswith(" left") and not badge.warning
    station.wait(58, dt=1.0)
    badge = station.app.group_badge()
    assert badge is not None and not badge.warning
    assert badge.time_left == "1:02 left"
    station.wait(3, dt=1.0)
    badge = station.app.group_badge()
    assert badge is not None and badge.warning
    assert (badge.headline, badge.time_left) == ("Last minute!", "0:59 left")
    red = [BAD, tuple(int(c * 0.75) for c in BAD)]
    assert max(_share_of(station, badge.rect, c) for c in red) > 0.3  # type: ignore[arg-type]
    # The warning blocks nothing: the children go on playing.
    assert station.scene_name == "ActivityHost"
    station.tap_button("topic:animals")
    assert station.scene_name == "ActivityHost"


def test_a_1_minute_timer_ends_the_session_as_timer(station: Harness) -> None:
    _start_group(station, timer="1", count="7")
    station.wait(59, dt=1.0)
    assert station.scene_name == "Launcher"
    station.wait(2, dt=1.0)
    assert station.scene_name == "TimeUp"
    assert _sessions(station) == [("group", 7, "timer")]
    station.tap_button("ok")
    assert station.scene_name == "Attract"


def test_every_timer_from_1_minute_to_an_hour_is_offered(station: Harness) -> None:
    _open_panel(station)
    station.tap_button("panel:group")
    timers = [b.id for b in station.buttons() if b.id.startswith("group:timer:")]
    assert timers == [f"group:timer:{t}" for t in ("none", 1, 2, 5, 10, 15, 20, 30, 45, 60)]


def test_time_running_out_in_a_team_quiz_shows_the_final_scores(station: Harness) -> None:
    _start_group(station, timer="2", activity="quiz")
    station.tap_button("tile:quiz")
    topics = [b.id for b in station.buttons() if b.id.startswith("topic:")]
    if topics:
        station.tap_button(topics[0])
    station.tap_button("level:1")
    game = station.app.top.activity  # type: ignore[union-attr]
    asked = game.round.current
    assert asked.team == 0
    station.tap_button(f"answer:{asked.right_index}")  # the foxes score
    station.tap_button("next")
    station.wait(125, dt=1.0)
    assert station.scene_name == "TimeUp"
    time_up = station.app.top
    assert [(t.name, t.points) for t in time_up.teams] == [  # type: ignore[union-attr]
        ("Team Fox", 1),
        ("Team Bear", 0),
    ]
    station.screenshot()
    assert station.app.errors == 0 and station.app.ui.text.overflows == []
    assert _sessions(station) == [("group", 10, "timer")]


def test_the_panel_shows_the_running_group(station: Harness) -> None:
    _start_group(station, timer="30", count="23")
    station.wait(23 * 60, dt=5.0)
    _open_panel(station)
    panel = station.app.top
    assert panel.group_lines() == (  # type: ignore[union-attr]
        "Group session running",
        "23 children · started 23 minutes ago · 7 minutes left",
    )
    station.tap_button("panel:close")
    station.app.session.group_clock = None  # as if it had no timer
    _open_panel(station)
    assert station.app.top.group_lines()[1].endswith("No timer")  # type: ignore[union-attr]


def test_the_panel_has_no_group_block_without_a_group(station: Harness) -> None:
    station.tap_button("start")
    station.tap_button("age:skip")
    _open_panel(station)
    assert station.app.top.group_lines() is None  # type: ignore[union-attr]
    assert "panel:group-end" not in [b.id for b in station.buttons()]


@pytest.fixture
def latvian_station(tmp_path: Path) -> Iterator[Harness]:
    yield from _station(tmp_path, "{}")


def test_the_pin_pad_and_panel_speak_the_station_language_after_a_child_chose_lt(
    latvian_station: Harness,
) -> None:
    kiosk = latvian_station
    kiosk.tap_button("lang:lt")
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    assert kiosk.app.translator.lang == "lt"
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    assert kiosk.find_button("pin:close").label == "Aizvērt"
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    assert kiosk.find_button("panel:close").label == "Atpakaļ pie bērniem"
    kiosk.tap_button("panel:close")
    # The child gets their own language back, and their session never changed language.
    assert kiosk.scene_name == "Launcher"
    assert kiosk.app.translator.lang == "lt"
    assert kiosk.find_button("tile:quiz").label == "Viktorina"
    changes = [e.language for e in kiosk.sink.of_type(SessionChanged)]  # type: ignore[attr-defined]
    assert "lv" not in changes


def test_the_panel_week_counts_child_visits_like_today(station: Harness) -> None:
    _start_group(station, count="10")
    _open_panel(station)
    station.tap_button("panel:end")
    # The panel reads what the store's writer thread has committed: let it catch up.
    assert station.app.sink.store.flush(timeout=10)  # type: ignore[attr-defined]
    _open_panel(station)
    assert station.app.top.week_lines() == [  # type: ignore[union-attr]
        "Today: 1 session · 10 child visits",
        "This week: 1 session · 10 child visits",
    ]


def test_the_panel_reads_the_week_through_the_usage_store_s_one_reader(
    station: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.usage import db as usage_db
    from kiosk.usage import stats as usage_stats
    from kiosk.usage import store as usage_store

    opened: list[bool] = []
    real = usage_db.connect

    def counting(path: Path, **options: bool):  # type: ignore[no-untyped-def]
        opened.append(options.get("writer", True))
        return real(path, **options)

    monkeypatch.setattr(usage_stats, "connect", counting)
    monkeypatch.setattr(usage_store, "connect", counting)
    _start_group(station, count="4")
    for _ in range(3):
        _open_panel(station)
        station.tap_button("panel:close")
    # One read-only connection, opened by the store at the first look and kept: the render
    # thread never opens the database itself.
    assert opened == [False]
