"""The first screen at once: the picture of the last attract screen, shown the moment the
window opens, while the shell starts behind it.

Everything the live attract screen needs (the config's validation, fonts, the usage
database, the activity list, the voice) takes the shell about half a second; a bare
window takes a fifth of that. So once the live attract screen has been drawn, the shell
keeps a picture of it in the data folder (``cache/attract.pixels``, with
``cache/attract.json`` saying what it shows), and the next start shows that picture as
soon as its window is open. The live screen replaces it as soon as it is ready; a touch
made meanwhile waits in SDL's queue and is answered then, never lost.

The picture is shown only when it is certainly what the live screen will show: the same
program version, the same config file (byte for byte), the same settings from the office
(``office/current.json``), the same command line (size, language, window), a screen of the
same size, and, where the office set opening hours, only until the room next opens or
closes. Anything else — no picture yet, a stale or damaged one, the supervisor's "out of
order" start — and the shell simply starts as before and takes a new picture. Nothing here
can stop the kiosk: every failure is logged and passed over.

The picture is the window's own pixels, byte for byte, behind a header naming its size
and pixel format and a CRC-32 of the pixels: showing it is one copy into the window, with
nothing to decode (earlier versions kept a compressed TGA, which took 6-7 ms to decode at
1920×1080 against 1.5 ms to read and check the raw pixels; the price is 8 MB on disk). The
file is input like any other: a half-written, damaged or foreign file, or one kept from a
screen with another pixel format, is refused before a byte of it reaches the window.

This module imports only pygame and the standard library (it runs before the rest of the
shell is imported)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk import __version__
from kiosk.screen import WindowPlan, open_window

log = logging.getLogger(__name__)

CACHE_DIR = "cache"
PICTURE = "attract.pixels"
ABOUT = "attract.json"
#: Kept by earlier versions; removed when a new picture is kept.
OLD_PICTURES = ("attract.tga",)
#: The picture file's header: magic, width, height, pitch (bytes a row), bytes a pixel,
#: the red, green, blue and alpha masks, the pixels' length and their CRC-32.
HEADER = struct.Struct("<8s10I")
MAGIC = b"TELPAPX1"
#: The largest picture read (an 8K screen); a header asking for more is refused.
MAX_SIDE = 8192
#: The office's settings as the kiosk runs them (kiosk.fleet.store).
OFFICE_CURRENT = Path("office") / "current.json"


@dataclass(frozen=True)
class FirstFrame:
    """Where this start's picture lives and what it must match."""

    folder: Path
    #: Hash of everything the attract screen is drawn from (see the module's docstring).
    key: str
    #: True when the picture was shown at this start (the shell then need not take a new one).
    shown: bool = False

    @property
    def picture(self) -> Path:
        return self.folder / CACHE_DIR / PICTURE

    @property
    def about(self) -> Path:
        return self.folder / CACHE_DIR / ABOUT


def start_key(config_file: Path | None, data_folder: Path, command_line: list[str]) -> str:
    """What the attract screen is drawn from: the version, the config file, the office's
    settings and the command line that matter to it."""
    digest = hashlib.sha256(__version__.encode())
    for part in (config_file, data_folder / OFFICE_CURRENT):
        digest.update(b"\0")
        if part is not None:
            try:
                digest.update(part.read_bytes())
            except OSError:
                digest.update(b"(none)")
    digest.update("\0".join(command_line).encode())
    return digest.hexdigest()


def show(
    data_folder: Path | None,
    config_file: Path | None,
    command_line: list[str],
    now: float | None = None,
) -> FirstFrame | None:
    """Open the window as last time and show the last attract screen in it, when it still
    holds. (The same config and command line give the shell the same window plan, so it
    takes this window rather than opening another.)

    Returns None without a data folder (nothing can be kept); otherwise the FirstFrame
    the shell uses to take a new picture when this one was not shown."""
    if data_folder is None:
        return None
    frame = FirstFrame(data_folder, start_key(config_file, data_folder, command_line))
    try:
        about = json.loads(frame.about.read_text(encoding="utf-8"))
        if not isinstance(about, dict) or about.get("key") != frame.key:
            return frame
        until = about.get("until")
        if until is not None and (now if now is not None else time.time()) >= float(until):
            return frame  # the room has opened or closed since
        plan = _plan_from_json(about.get("plan"))
        size = tuple(about.get("size", ()))
        # The picture is read while SDL opens the window (both wait on other things:
        # the disk, the display server).
        reader = _PictureReader(frame.picture)
        from kiosk.system import stderr_to_log

        with stderr_to_log(log, "display start-up"):  # SDL's probes, as in open_display
            screen = open_window(plan.kiosk_mode, plan.fullscreen, plan.size)
        picture = reader.result()
        if picture.size != size or screen.get_size() != size:
            return frame  # another screen than last time: the live screen will do
        if picture.layout != _layout(screen):
            raise ValueError("the picture was kept from a screen with another pixel format")
        screen.get_buffer().write(picture.pixels)
        pygame.display.flip()
    except FileNotFoundError:
        return frame
    except (OSError, ValueError, TypeError, pygame.error) as exc:
        log.info("the last attract screen cannot be shown (%s); starting without it", exc)
        return frame
    return FirstFrame(frame.folder, frame.key, shown=True)


#: What `show_early` found, for the shell's start-up to take (`taken_early`).
_early: FirstFrame | None = None


def show_early(folder: str, config_file: str, command_line: list[str]) -> None:
    """`show`, first thing in the shell's process (kiosk/__main__.py), with the data folder
    and config file the supervisor found and the rest of the command line."""
    global _early
    hold_log()
    _early = show(Path(folder), Path(config_file), command_line)


class _HeldRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_held: _HeldRecords | None = None


def hold_log() -> None:
    """Keep what this module logs until `release_log`: the picture is shown before the
    shell has set up its log file, and why one was refused belongs in it."""
    global _held
    if _held is None:
        _held = _HeldRecords()
        log.addHandler(_held)
        log.setLevel(logging.INFO)


def release_log() -> None:
    """Pass what was held since `hold_log` to the log as it is set up now."""
    global _held
    if _held is not None:
        log.removeHandler(_held)
        log.setLevel(logging.NOTSET)
        for record in _held.records:
            log.handle(record)
        _held = None


def taken_early() -> FirstFrame | None:
    """What `show_early` did in this process (None when it did not run)."""
    return _early


def keep(
    frame: FirstFrame,
    screen: pygame.Surface,
    plan: WindowPlan,
    until: float | None,
    *,
    wait: bool = False,
) -> threading.Thread:
    """Keep a picture of the attract screen on `screen` for the next start, written on a
    worker thread (a copy is taken now). `until`: when it stops holding (the next
    opening-hours change), or None."""
    picture = screen.copy()
    about = {
        "key": frame.key,
        "until": until,
        "size": list(picture.get_size()),
        "plan": _plan_json(plan),
        "version": __version__,
    }

    def write() -> None:
        cache = frame.folder / CACHE_DIR
        try:
            cache.mkdir(parents=True, exist_ok=True)
            _remove(frame.about)  # never a description of a half-written picture
            part = cache / (PICTURE + ".part")
            pixels = picture.get_buffer().raw
            size, layout = picture.get_size(), _layout(picture)
            checksum = zlib.crc32(pixels)
            with open(part, "wb") as file:
                file.write(HEADER.pack(MAGIC, *size, *layout, len(pixels), checksum))
                file.write(pixels)
            os.replace(part, frame.picture)
            for old in OLD_PICTURES:
                _remove(cache / old)
            text = cache / (ABOUT + ".part")
            text.write_text(json.dumps(about), encoding="utf-8")
            os.replace(text, frame.about)
        except (OSError, pygame.error) as exc:
            log.info("could not keep the attract screen for the next start: %s", exc)

    thread = threading.Thread(target=write, name="first-frame", daemon=True)
    thread.start()
    if wait:
        thread.join()
    return thread


class Picture:
    """A kept picture as read from its file: size, pixel layout and the pixels."""

    def __init__(self, size: tuple[int, int], layout: tuple[int, ...], pixels: bytes) -> None:
        self.size = size
        #: (pitch, bytes a pixel, red, green, blue and alpha masks), as `_layout` gives.
        self.layout = layout
        self.pixels = pixels

    def surface(self) -> pygame.Surface:
        """The picture as a surface of its own (for tests and tools)."""
        pitch, bytesize, *masks = self.layout
        surface = pygame.Surface(self.size, 0, bytesize * 8, masks)
        if surface.get_pitch() != pitch:
            raise ValueError("the picture's rows are not laid out as a surface's")
        surface.get_buffer().write(self.pixels)
        return surface


def _layout(surface: pygame.Surface) -> tuple[int, ...]:
    return (surface.get_pitch(), surface.get_bytesize(), *surface.get_masks())


def read_picture(path: Path) -> Picture:
    """Read a kept picture; ValueError for a file that is not a whole, undamaged one."""
    with open(path, "rb") as file:
        header = file.read(HEADER.size)
        if len(header) != HEADER.size:
            raise ValueError(f"{path.name}: too short for a kept picture")
        magic, width, height, pitch, bytesize, *rest = HEADER.unpack(header)
        masks, length, checksum = rest[:4], rest[4], rest[5]
        if magic != MAGIC:
            raise ValueError(f"{path.name}: not a picture kept by this version of Telpa")
        if not (
            0 < width <= MAX_SIDE
            and 0 < height <= MAX_SIDE
            and bytesize in (2, 3, 4)
            and width * bytesize <= pitch <= width * bytesize + 64
            and length == pitch * height
        ):
            raise ValueError(f"{path.name}: its header does not describe a picture")
        pixels = file.read(length + 1)
    if len(pixels) != length:
        raise ValueError(f"{path.name}: {len(pixels)} bytes of pixels where {length} belong")
    if zlib.crc32(pixels) != checksum:
        raise ValueError(f"{path.name}: damaged (its checksum does not match)")
    return Picture((width, height), (pitch, bytesize, *masks), pixels)


class _PictureReader:
    """Reads the kept picture on a worker thread."""

    def __init__(self, path: Path) -> None:
        self._picture: Picture | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._read, args=(path,), name="first-frame")
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            self._picture = read_picture(path)
        except Exception as exc:  # handed to the caller, which knows what to do
            self._error = exc

    def result(self) -> Picture:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._picture is not None
        return self._picture


def _plan_json(plan: WindowPlan) -> list[object]:
    return [plan.kiosk_mode, plan.fullscreen, list(plan.size) if plan.size else None]


def _plan_from_json(value: object) -> WindowPlan:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError(f"not a window plan: {value!r}")
    kiosk_mode, fullscreen, size = value
    if size is not None:
        width, height = (int(n) for n in size)
        size = (width, height)
    return WindowPlan(bool(kiosk_mode), bool(fullscreen), size)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
