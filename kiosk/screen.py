"""The kiosk's window: full screen, keyboard kept inside, window-close and Alt+F4 ignored.

It imports only pygame, so the shell's child process can open the window before anything
else is imported or read (kiosk.first_frame shows the last attract screen in it at once);
the shell then takes the same window instead of opening a second one."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

import pygame

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowPlan:
    """How the window is opened: kiosk mode (window-close ignored), full screen, and a size
    (None: the screen's own size in full screen, 1366×768 in a window)."""

    kiosk_mode: bool
    fullscreen: bool
    size: tuple[int, int] | None


#: The plan of the window open now in this process, if any.
_opened: WindowPlan | None = None


def open_window(kiosk_mode: bool, fullscreen: bool, size: tuple[int, int] | None) -> pygame.Surface:
    """Open the kiosk's window, or hand back the one already open with the same plan."""
    global _opened
    plan = WindowPlan(kiosk_mode, fullscreen, size)
    screen = pygame.display.get_surface() if pygame.display.get_init() else None
    if screen is not None and _opened == plan:
        return screen
    # SDL would turn SIGTERM into a window-close event, which kiosk mode ignores; the
    # shell handles signals itself so a system shutdown still ends it cleanly.
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    if sys.platform.startswith("linux"):
        # SDL's default on X11 uploads the whole window into a texture and renders it
        # at every update; without a GPU (software GL, Xvfb, thin PCs) that costs
        # 7 ms a frame and ~15 % of a core on a still screen, and 110 MB more. The
        # plain window surface sends only the changed rectangles (0.3 ms, ~1 %); see
        # benchmarks/bench_xvfb.py. IT staff can set the variable to 1 to compare.
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    pygame.display.init()
    pygame.font.init()
    if kiosk_mode:
        # Alt+F4 must not close the kiosk on Windows either.
        os.environ.setdefault("SDL_WINDOWS_NO_CLOSE_ON_ALT_F4", "1")
    pygame.display.set_caption("Telpa")
    if not fullscreen:
        screen = pygame.display.set_mode(size or (1366, 768))
    elif size is not None:
        screen = pygame.display.set_mode(size, pygame.FULLSCREEN)
    else:
        screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
    if kiosk_mode and fullscreen:
        # Alt+Tab and the Windows key stay inside the kiosk where SDL can do that.
        try:
            pygame.Window.from_display_module().grab_keyboard = True
        except (AttributeError, pygame.error) as exc:
            log.info("keyboard grab not available: %s", exc)
    _opened = plan
    return screen


def forget_window() -> None:
    """The display was shut (pygame.display.quit): the next `open_window` opens anew."""
    global _opened
    _opened = None
