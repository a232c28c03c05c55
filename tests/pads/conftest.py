"""The `pads` fixture: virtual game controllers on the real SDL controller path.

They are SDL virtual joysticks of the game-controller type, attached through pygame-ce's
own SDL library (see `kiosk.virtual_pads`): SDL announces them with CONTROLLERDEVICEADDED,
the kiosk opens them through `pygame._sdl2.controller` like any Xbox pad, and their
buttons and sticks reach it as CONTROLLERBUTTONDOWN/UP and CONTROLLERAXISMOTION — exactly
what a pad plugged into the PC sends. Unplugging one sends CONTROLLERDEVICEREMOVED.

Use it after the `kiosk` fixture (it unplugs every pad before the kiosk closes)::

    def test_something(kiosk, pads):
        pad = pads.plug()
        kiosk.step()                      # SDL announces it; the kiosk opens it
        pad.press(pygame.CONTROLLER_BUTTON_A, kiosk.step)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.harness import Harness
from kiosk.virtual_pads import VirtualPads


@pytest.fixture
def pads(kiosk: Harness) -> Iterator[VirtualPads]:
    with VirtualPads() as virtual:
        yield virtual
