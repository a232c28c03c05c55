"""Process-level matters for a kiosk that runs for weeks on old PCs: memory tuning,
whether there is a screen at all, and keeping C libraries' chatter out of the terminal."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from kiosk.errors import TelpaError

log = logging.getLogger(__name__)

# mallopt() parameters from glibc's malloc.h
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def limit_heap_growth() -> bool:
    """Ask glibc to return freed memory to the system promptly.

    Animations allocate many short-lived surfaces of varying sizes; with glibc's default
    thresholds the heap keeps its high-water mark and the process slowly grows over a
    day. Serving blocks over 64 KiB by mmap and trimming above 64 KiB keeps the resident
    size flat. A no-op off glibc (Windows, macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return False
    # Imported here: `kiosk run`'s supervisor and the shell's first frame use this module's
    # light parts and need not load ctypes (nor tempfile, below).
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = bool(mallopt(_M_MMAP_THRESHOLD, 64 * 1024)) and bool(mallopt(_M_TRIM_THRESHOLD, 64 * 1024))
    log.debug("heap growth limited: %s", ok)
    return ok


#: Windows process-creation flags (winbase.h); `subprocess` defines them only on Windows.
CREATE_NO_WINDOW = 0x08000000
BELOW_NORMAL_PRIORITY_CLASS = 0x00004000


def helper_creation_flags(platform: str | None = None) -> int:
    """Popen's `creationflags` for a helper that works while children play (ffmpeg, a
    media export). On Windows it starts at below-normal priority (there is no
    `os.setpriority`) and without a console window of its own: ffmpeg is a console
    program, and a kiosk started without a console (telpa.exe) would otherwise flash one
    over the screen at every export. Elsewhere 0: the caller renices the helper."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return CREATE_NO_WINDOW | BELOW_NORMAL_PRIORITY_CLASS
    return 0


class NoDisplay(TelpaError):
    """There is no screen to show the kiosk on; `str()` is the one line to print."""

    code = "no_display"


_WHAT_TO_DO = (
    "start Telpa on the PC's own screen (or its desktop session), or try it in a window "
    "from a desktop with `kiosk run --windowed`"
)
#: SDL's drivers that draw into memory: chosen on purpose by tests, never by a kiosk.
_INVISIBLE_DRIVERS = ("offscreen", "dummy")


def missing_display(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """Why there is surely no screen, judged from the environment alone (cheap enough for
    the supervisor, which never starts SDL), or None when there may be one.

    On Linux and the BSDs a program sees a screen only through DISPLAY (X11) or
    WAYLAND_DISPLAY; SDL_VIDEODRIVER set means someone chose a driver on purpose."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if env.get("SDL_VIDEODRIVER") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no screen to show the kiosk on: neither DISPLAY nor WAYLAND_DISPLAY is set "
        f"(a remote or text-only session?); {_WHAT_TO_DO}"
    )


def open_display() -> str:
    """Start SDL's video and return its driver's name; raise NoDisplay when it cannot
    open a screen, or found only one that draws into memory without being asked to."""
    # SDL would otherwise take SIGTERM for itself (see kiosk.shell.app); set before it starts.
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    import pygame

    try:
        # SDL tries one video system after another; the failed ones (Wayland without a
        # session, say) print to the terminal.
        with stderr_to_log(log, "display start-up"):
            pygame.display.init()
    except pygame.error as exc:
        raise NoDisplay(f"cannot open the screen ({exc}); {_WHAT_TO_DO}") from None
    driver = pygame.display.get_driver()
    if driver in _INVISIBLE_DRIVERS and os.environ.get("SDL_VIDEODRIVER") != driver:
        pygame.display.quit()
        raise NoDisplay(
            f"no screen to show the kiosk on (SDL found only its {driver!r} driver, which "
            f"shows nothing); {_WHAT_TO_DO}"
        )
    return driver


@contextmanager
def stderr_to_log(logger: logging.Logger, source: str) -> Iterator[None]:
    """Send what C libraries write straight to standard error (file descriptor 2) while
    the block runs to `logger` instead of the terminal.

    Probing for sound on a PC without a sound card makes libasound print a screenful of
    "ALSA lib … Unknown PCM default"; it is not an error of Telpa's, but it belongs in the
    log, where IT staff look for why there is no sound. Where fd 2 cannot be redirected
    (no console on Windows) the block simply runs."""
    import tempfile

    try:
        sys.stderr.flush()
        capture = tempfile.TemporaryFile()
    except (OSError, ValueError, AttributeError):
        yield
        return
    with capture:
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            try:
                sys.stderr.flush()
            except (OSError, ValueError, AttributeError):
                pass
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            written = capture.read().decode("utf-8", errors="replace")
            for line in written.splitlines():
                if line.strip():
                    logger.info("%s: %s", source, line.rstrip())
