"""Showtime: today's films and stories on the big screen, opened from the librarian panel,
paused and skipped with a pad or a tap; sound captured through SDL's disk audio driver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pygame
import pytest

from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.paths import APP_ROOT
from kiosk.virtual_pads import VirtualPads
from tests.pads.showtime_helpers import make_creation, tones_heard

PIN = "2468"

SHOW = r"""
import json, sys, time
from pathlib import Path
import pygame
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from tests.pads.showtime_helpers import make_creation

folder = Path(sys.argv[1])
config = parse_config("languages:\n  default: en\n", path=str(folder / "config.yaml"))
set_pin(folder / "secrets.json", "2468")
with Harness(config, data_folder=folder / "data", lang="en") as kiosk:
    store = kiosk.app.creations
    # Made earlier today by a child on their own: not the group's, so not in its show.
    store.session = "an-earlier-child"
    make_creation(store, "story", [(200, 0, 0)], tone=1320.0, title="Not ours")
    kiosk.wait(5)
    kiosk.app.session.start_group(12, None, None, None)
    # What the activity host does when the group opens a studio tool.
    store.session = kiosk.app.sessions.current.session_id
    first = make_creation(store, "film", [(255, 0, 0), (0, 255, 0)], 0.3, tone=440.0)
    second = make_creation(store, "film", [(0, 0, 255), (255, 255, 0)], 0.3, tone=660.0)
    story = make_creation(store, "story", [(0, 255, 255), (255, 0, 255)], 0.5, tone=880.0,
                          title="Mūsu māja")
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in "2468":
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    kiosk.tap_button("panel:showtime")
    show = kiosk.app.top
    titles = [show.title_of(item) for item in show.items]
    # The shell's clock is fake, the sound card's is not: a picture waits for its sound
    # to be heard, so the show takes as long as its sounds do, in real time.
    deadline = time.monotonic() + 120
    while not show.finished and time.monotonic() < deadline:
        kiosk.step()
    print(json.dumps({
        "played": show.played,
        "expected": [first.id, second.id, story.id],
        "titles": titles,
        "scene": kiosk.scene_name,
        "errors": kiosk.app.errors,
        "mixer": list(pygame.mixer.get_init() or []),
    }))
"""


def test_showtime_plays_the_groups_two_films_and_a_story_in_order_with_sound(
    tmp_path: Path,
) -> None:
    speaker = tmp_path / "speaker.raw"
    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(speaker),
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW, str(tmp_path)],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == 0
    assert report["played"] == report["expected"]
    assert report["titles"] == ["A film", "A film", "A story: Mūsu māja"]
    assert report["scene"] == "Showtime"
    rate, _size, channels = report["mixer"]
    assert channels == 1
    heard = tones_heard(speaker.read_bytes(), rate)
    assert [min((440, 660, 880, 1320), key=lambda f: abs(f - h)) for h in heard] == [440, 660, 880]


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Harness]:
    config = parse_config("languages:\n  default: en\n", path=str(tmp_path / "config.yaml"))
    set_pin(tmp_path / "secrets.json", PIN)
    with Harness(config, data_folder=tmp_path / "data", lang="en") as kiosk:
        yield kiosk


def _open_showtime(kiosk: Harness) -> object:
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    kiosk.tap_button("panel:showtime")
    assert kiosk.scene_name == "Showtime"
    return kiosk.app.top


def test_a_pad_pauses_skips_and_ends_the_show(station: Harness) -> None:
    kiosk = station
    store = kiosk.app.creations
    assert store is not None
    made = []
    for i in range(3):
        made.append(make_creation(store, "film", [(i * 60, 0, 0)] * 3, 1.0))
        kiosk.clock.advance(60)  # made a minute apart
    kiosk.app.session.start_group(8, None, None, None)
    show = _open_showtime(kiosk)
    # Without a group creation, today's saved ones play, oldest first.
    assert [item.creation_id for item in show.items] == [c.id for c in made]  # type: ignore[attr-defined]
    with VirtualPads() as pads:
        pad = pads.plug()
        kiosk.step()
        kiosk.wait(3.5)
        assert show.played == [made[0].id]  # type: ignore[attr-defined]
        pad.press(pygame.CONTROLLER_BUTTON_A, kiosk.step)
        assert show.paused  # type: ignore[attr-defined]
        kiosk.wait(10)
        assert show.played == [made[0].id]  # type: ignore[attr-defined]
        kiosk.screenshot()
        pad.press(pygame.CONTROLLER_BUTTON_DPAD_RIGHT, kiosk.step)  # skip to the next
        assert not show.paused  # type: ignore[attr-defined]
        kiosk.wait(3.5)
        assert show.played == [made[0].id, made[1].id]  # type: ignore[attr-defined]
        pad.press(pygame.CONTROLLER_BUTTON_B, kiosk.step)
    assert kiosk.scene_name == "Launcher"  # the group goes on
    assert kiosk.app.sessions.current is not None


def test_a_tap_pauses_and_the_buttons_go_on(station: Harness) -> None:
    kiosk = station
    store = kiosk.app.creations
    assert store is not None
    make_creation(store, "story", [(0, 90, 0)] * 2, 1.0, title="One")
    make_creation(store, "drawing", [(0, 0, 90)])  # drawings are not in the show
    show = _open_showtime(kiosk)
    assert len(show.items) == 1  # type: ignore[attr-defined]
    kiosk.click((600, 400))
    assert show.paused  # type: ignore[attr-defined]
    kiosk.tap_button("show:play")
    assert not show.paused  # type: ignore[attr-defined]
    kiosk.wait(6)
    assert show.finished  # type: ignore[attr-defined]
    kiosk.tap_button("show:again")
    assert not show.finished and show.played == []  # type: ignore[attr-defined]
    kiosk.key(pygame.K_ESCAPE)
    assert kiosk.scene_name == "Attract"  # no session was running


def test_yesterdays_creations_are_not_in_todays_show(station: Harness) -> None:
    kiosk = station
    store = kiosk.app.creations
    assert store is not None
    make_creation(store, "film", [(9, 9, 9)])
    kiosk.clock.advance(timedelta(days=1).total_seconds())
    show = _open_showtime(kiosk)
    assert show.items == []  # type: ignore[attr-defined]
    assert show.finished  # type: ignore[attr-defined]
    kiosk.screenshot()
    assert kiosk.app.ui.text.overflows == []
    kiosk.tap_button("show:done")
    assert kiosk.scene_name == "Attract"
