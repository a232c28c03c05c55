"""The kiosk's window: Alt+F4 ignored. (The window itself is opened by kiosk.screen, which
the first frame uses before the shell is imported.)"""

from __future__ import annotations

import pygame

from kiosk.input import InputEvent, KeyEvent


def is_alt_f4(event: InputEvent) -> bool:
    return (
        isinstance(event, KeyEvent)
        and event.key == pygame.K_F4
        and bool(event.mod & pygame.KMOD_ALT)
    )
