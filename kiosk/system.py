"""Process-level tuning for a kiosk that runs for weeks on old PCs."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

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
