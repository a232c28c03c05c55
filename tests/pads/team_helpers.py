"""A station for team games: the PIN 2468, a usage database, only the quiz with the test
quiz packs, and virtual pads; and the librarian's and the teams' moves on it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pygame

from games.quiz import PictureQuiz
from kiosk import routes
from kiosk.activities import RegisteredActivity
from kiosk.api import Activity, ButtonGroup
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin
from kiosk.usage import UsageStore
from kiosk.virtual_pads import VirtualPad, VirtualPads
from tests.conftest import RecordedSink

PIN = "2468"
QUIZ_PACKS = Path(__file__).parent.parent / "games" / "fixtures" / "quiz"

A = pygame.CONTROLLER_BUTTON_A
B = pygame.CONTROLLER_BUTTON_B
UP = pygame.CONTROLLER_BUTTON_DPAD_UP
DOWN = pygame.CONTROLLER_BUTTON_DPAD_DOWN
LEFT = pygame.CONTROLLER_BUTTON_DPAD_LEFT
RIGHT = pygame.CONTROLLER_BUTTON_DPAD_RIGHT


@contextmanager
def team_station(
    folder: Path,
    lang: str = "en",
    size: tuple[int, int] = (1366, 768),
    games: Sequence[type[Activity]] = (PictureQuiz,),
    packs: Sequence[Path] = (QUIZ_PACKS,),
    more_config: str = "",
) -> Iterator[tuple[Harness, VirtualPads]]:
    """A kiosk (station language `lang`) offering only `games` (the quiz) with the packs
    of the folders `packs` (the animals and fruit test quizzes), and a set of virtual pads
    unplugged before the kiosk closes. Its config (plus `more_config`) is written to
    `folder`/config.yaml, for the `kiosk` commands a test runs on the same station."""
    folders = ", ".join(json.dumps(str(p)) for p in packs)
    text = f"languages:\n  default: {lang}\ncontent:\n  folders: [{folders}]\n{more_config}"
    (folder / "config.yaml").write_text(text, encoding="utf-8")
    config = parse_config(text, path=str(folder / "config.yaml"))
    set_pin(folder / "secrets.json", PIN)
    data = folder / "data"
    store = UsageStore.open(data, config)
    registered = [RegisteredActivity(game, "tests") for game in games]
    with Harness(
        config,
        size=size,
        sink=RecordedSink(store),
        usage=store,
        data_folder=data,
        registered=registered,
    ) as kiosk:
        kiosk.app.packs.wait()
        with VirtualPads() as pads:
            yield kiosk, pads


def plug(kiosk: Harness, pads: VirtualPads, count: int) -> list[VirtualPad]:
    plugged = [pads.plug(f"Team pad {i + 1}") for i in range(count)]
    kiosk.step()
    return plugged


def open_group_setup(kiosk: Harness) -> None:
    """The librarian: Ctrl+Alt+L, the PIN, "Start a group session"."""
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in PIN:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    kiosk.tap_button("panel:group")
    assert kiosk.scene_name == "GroupSetup"


def controllers_step(kiosk: Harness) -> object:
    """The librarian presses Next on the setup: the Controllers step."""
    open_group_setup(kiosk)
    kiosk.tap_button("group:start")
    step = kiosk.app.scene(routes.ControllersStep)
    assert step is not None and kiosk.app.top is step
    return step


def joined(step: object) -> list[tuple[int, str]]:
    """The teams so far as (pad slot, animal), in their order."""
    return [(team.pad, team.animal) for team in step.teams]  # type: ignore[attr-defined]


def press(kiosk: Harness, pad: VirtualPad, button: int) -> None:
    pad.press(button, kiosk.step)


def pad_choose(kiosk: Harness, pad: VirtualPad, group: ButtonGroup, button_id: str) -> None:
    """Move the highlight to `button_id` with `pad`'s d-pad, then press A."""
    for _ in range(40):
        focused = group.focused
        if focused is not None and focused.id == button_id:
            press(kiosk, pad, A)
            return
        if focused is None:
            press(kiosk, pad, RIGHT)  # the first press shows the highlight
            continue
        target = group.by_id(button_id).rect.center
        dx, dy = target[0] - focused.rect.centerx, target[1] - focused.rect.centery
        if abs(dx) >= abs(dy):
            press(kiosk, pad, RIGHT if dx > 0 else LEFT)
        else:
            press(kiosk, pad, DOWN if dy > 0 else UP)
    raise AssertionError(f"the d-pad never reached {button_id}")


def quiz_with_teams(kiosk: Harness, pads: list[VirtualPad]) -> PictureQuiz:
    """The teams join in the order of `pads`, the librarian starts, and a pad opens the
    quiz from the launcher."""
    step = controllers_step(kiosk)
    for pad in pads:
        press(kiosk, pad, A)
    assert len(joined(step)) == len(pads)
    kiosk.tap_button("controllers:start")
    assert kiosk.scene_name == "Launcher"
    kiosk.step(2)
    launcher = next(g for g in kiosk.button_groups() if any(b.id == "tile:quiz" for b in g.buttons))
    pad_choose(kiosk, pads[0], launcher, "tile:quiz")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(game, PictureQuiz)
    return game
