"""Playing with only the keys a game controller is mapped onto: the arrows, Enter or Space,
and Escape. `only_controller_keys` makes a harness refuse any other key, so a test that
passes through it proves a game needs nothing else (no Tab, no typing)."""

from __future__ import annotations

import pygame

from kiosk.api import ButtonGroup
from kiosk.harness import Harness
from kiosk.sessions import RunEnded

CONTROLLER_KEYS = {
    pygame.K_LEFT,
    pygame.K_RIGHT,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_RETURN,
    pygame.K_SPACE,
    pygame.K_ESCAPE,
}


def only_controller_keys(kiosk: Harness) -> None:
    """From now on `kiosk.key` fails on any key a controller cannot send."""
    real = kiosk.key

    def key(key: int, mod: int = 0, unicode: str = "", frames: int = 2) -> None:
        assert key in CONTROLLER_KEYS, f"{pygame.key.name(key)} is not a controller key"
        real(key, mod, unicode, frames)

    kiosk.key = key  # type: ignore[method-assign]


def choose(kiosk: Harness, group: ButtonGroup, button_id: str, key: int = pygame.K_RETURN) -> None:
    """Walk the focus ring to `button_id` with the arrows (toward it, one step at a
    time), then press `key` (Enter or Space) on it."""
    for _ in range(40):
        focused = group.focused
        if focused is not None and focused.id == button_id:
            kiosk.key(key)
            return
        if focused is None:
            kiosk.key(pygame.K_RIGHT, frames=1)  # the first arrow shows the ring
            continue
        target = group.by_id(button_id).rect.center
        dx, dy = target[0] - focused.rect.centerx, target[1] - focused.rect.centery
        if abs(dx) >= abs(dy):
            kiosk.key(pygame.K_RIGHT if dx > 0 else pygame.K_LEFT, frames=1)
        else:
            kiosk.key(pygame.K_DOWN if dy > 0 else pygame.K_UP, frames=1)
    raise AssertionError(f"the arrows never reached {button_id}")


def runs(kiosk: Harness) -> list[tuple[str, int | None]]:
    """Every run ended so far, as (outcome, level)."""
    return [(e.outcome, e.level) for e in kiosk.sink.of_type(RunEnded)]  # type: ignore[union-attr]


def next_level_then_home(kiosk: Harness, level: int) -> None:
    """On the stars screen: Enter takes the focused "Next level", Escape goes home; the
    finished round is recorded as completed and the next one as quit."""
    kiosk.key(pygame.K_RETURN)
    kiosk.key(pygame.K_ESCAPE)
    assert runs(kiosk) == [("completed", level), ("quit", level + 1)]
