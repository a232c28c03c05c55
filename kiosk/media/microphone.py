"""Narration recording: a microphone captured into a mono 16-bit WAV file.

SDL's capture device calls back on its own audio thread with each chunk of samples. The
callback only measures the level and hands the bytes to a queue; a writer thread puts
them into the WAV file (the `wave` module), so neither the audio thread nor the render
thread ever waits for the disk.

SDL's audio subsystem is shared with `pygame.mixer` (kiosk/sound.py opens it at start when
sound is on). `open_microphone()` takes its own reference on the subsystem
(`SDL_InitSubSystem` counts), so it works whether the mixer started, failed or is off. If
the mixer is started *after* a microphone, a later `pygame.mixer.quit()` would drop the
only reference and close the capture device: start the mixer first (the app does).

Tests use SDL's disk driver: with `SDL_AUDIODRIVER=disk`, the capture device reads raw
samples in the device's own format (here signed 16-bit little-endian mono at `RATE`) from
the file named by `SDL_DISKAUDIOFILEIN`, one chunk every chunk-duration milliseconds
(`SDL_DISKAUDIODELAY` overrides the pause), and silence once the file has ended.

Stopping a device must not hold Python's GIL: SDL's audio thread keeps the device locked
while it runs the Python callback (which needs the GIL), and pygame's `AudioDevice.pause()`
waits for that lock *with* the GIL held — a deadlock that froze the kiosk now and then.
`_pause_without_gil` makes the same SDL call through ctypes, which lets the GIL go while
it waits; once paused, the callback never runs again and `close()` is safe.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
import wave
from array import array
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_sdl_library: Any = None

RATE = 22050
#: Samples per callback: about 23 ms at RATE, a lively meter without a busy audio thread.
CHUNK = 512
#: How quickly the meter falls back after a loud sound (per callback, 0..1).
METER_FALL = 0.15
#: RMS of a full-scale sine is about 23,000; speech near the microphone is far quieter, so
#: the meter reaches its top at this RMS.
METER_FULL_RMS = 8000.0


def _loaded_sdl() -> Any:
    """ctypes handle of the SDL2 library pygame already loaded (None if not found)."""
    global _sdl_library
    if _sdl_library is not None:
        return _sdl_library or None
    import ctypes
    import os
    import sys

    import pygame

    candidates: list[str] = []
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
                for line in maps:
                    path = line.rsplit(" ", 1)[-1].strip()
                    if os.path.basename(path).startswith("libSDL2-2"):
                        candidates.append(path)
        except OSError:
            pass
    package = Path(pygame.__file__).parent
    candidates += [str(package / "SDL2.dll"), "libSDL2-2.0.so.0", "SDL2"]
    for candidate in candidates:
        try:
            library = ctypes.CDLL(candidate)
            library.SDL_PauseAudioDevice.argtypes = [ctypes.c_uint32, ctypes.c_int]
            library.SDL_PauseAudioDevice.restype = None
        except (OSError, AttributeError):
            continue
        _sdl_library = library
        return library
    _sdl_library = False
    log.warning("microphone: SDL library not found for a GIL-free pause")
    return None


def _pause_without_gil(device: Any) -> None:
    """Pause `device` so its callback never runs again, without holding the GIL."""
    library = _loaded_sdl()
    device_id = int(getattr(device, "deviceid", 0) or 0)
    if library is None or not device_id:
        device.pause(1)
        return
    library.SDL_PauseAudioDevice(device_id, 1)


class Microphone:
    """One capture device. `start(path)` records until `stop()`; `level` feeds a meter."""

    def __init__(self, device_name: str | None = None) -> None:
        self.device_name = device_name
        self._device: Any = None
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._frames_written = 0
        self._level = 0.0
        self._path: Path | None = None
        self.error: str | None = None

    @property
    def level(self) -> float:
        """The smoothed loudness of the last moments, 0 (silence) to 1 (loud)."""
        return self._level

    @property
    def seconds(self) -> float:
        """Seconds of sound written to the file so far."""
        return self._frames_written / RATE

    @property
    def recording(self) -> bool:
        return self._device is not None

    def start(self, path: Path) -> None:
        """Start recording into `path` (a new mono 16-bit WAV at RATE Hz).

        Raises OSError when the file cannot be created and pygame.error when the device
        cannot be opened; nothing is left running then."""
        if self._device is not None:
            raise RuntimeError("the microphone is already recording")
        from pygame._sdl2 import audio as sdl_audio

        self._path = Path(path)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        wav = wave.open(str(self._path), "wb")
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        self._frames_written = 0
        self._level = 0.0
        self.error = None
        self._queue = queue.Queue()
        self._writer = threading.Thread(
            target=self._write, args=(wav, self._queue), name="microphone writer", daemon=True
        )
        self._writer.start()
        try:
            self._device = sdl_audio.AudioDevice(
                devicename=self.device_name,
                iscapture=True,
                frequency=RATE,
                audioformat=sdl_audio.AUDIO_S16,
                numchannels=1,
                chunksize=CHUNK,
                # 0: SDL converts whatever the hardware gives into exactly this format.
                allowed_changes=0,
                callback=self._on_audio,
            )
        except Exception:
            self._queue.put(None)
            self._writer.join()
            self._path.unlink(missing_ok=True)
            raise
        self._device.pause(0)

    def stop(self) -> float:
        """Stop recording, finish the WAV file and return its length in seconds."""
        device, self._device = self._device, None
        if device is not None:
            _pause_without_gil(device)
            device.close()
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        self._level = 0.0
        return self.seconds

    def _on_audio(self, device: Any, data: memoryview) -> None:
        # SDL's audio thread: copy, measure and hand over; no disk, no locks held long.
        chunk = bytes(data)
        self._queue.put(chunk)
        samples = array("h", chunk)
        if samples:
            rms = math.sqrt(sum(s * s for s in samples) / len(samples))
            loudness = min(1.0, rms / METER_FULL_RMS)
            self._level = max(loudness, self._level * (1.0 - METER_FALL))

    def _write(self, wav: wave.Wave_write, chunks: queue.Queue[bytes | None]) -> None:
        try:
            while True:
                chunk = chunks.get()
                if chunk is None:
                    break
                if self.error is None:
                    wav.writeframesraw(chunk)
                    self._frames_written += len(chunk) // 2
        except OSError as exc:
            self.error = f"cannot write {self._path}: {exc}"
            log.warning("microphone: %s", self.error)
            # Keep draining so the audio thread's queue does not grow.
            while chunks.get() is not None:
                pass
        finally:
            try:
                wav.close()
            except OSError as exc:
                self.error = self.error or f"cannot finish {self._path}: {exc}"


#: How many references on SDL's audio subsystem `_init_audio` took (see release_audio).
_audio_references = 0


def _init_audio() -> bool:
    global _audio_references
    try:
        from pygame._sdl2 import sdl2

        sdl2.init_subsystem(sdl2.INIT_AUDIO)
    except Exception as exc:
        log.info("no microphone: the audio system did not start (%s)", exc)
        return False
    _audio_references += 1
    return True


def holds_audio() -> bool:
    """The microphone code holds SDL's audio system (a microphone was opened): closing the
    mixer then leaves the system running, and pygame cannot open the mixer again."""
    return _audio_references > 0


def release_audio() -> None:
    """Give back every reference on SDL's audio subsystem the microphone code took, so
    that a kiosk built later in the same process (tests, `kiosk monkey`) can start its
    mixer again. A kiosk calls it when it shuts down, after its recordings have ended."""
    global _audio_references
    if not _audio_references:
        return
    library = _loaded_sdl()
    if library is None:
        return
    sdl_init_audio = 0x10
    while _audio_references:
        library.SDL_QuitSubSystem(sdl_init_audio)
        _audio_references -= 1


def open_microphone(timeout: float = 1.0) -> Microphone | None:
    """The default capture device when one is there and opens; None (and a log line) else.

    The device is opened once for a moment to check it really works, then closed again:
    `Microphone.start()` opens it for each recording."""
    if not _init_audio():
        return None
    from pygame._sdl2 import audio as sdl_audio

    try:
        names = sdl_audio.get_audio_device_names(True)
    except Exception as exc:
        log.info("no microphone: capture devices cannot be listed (%s)", exc)
        return None
    heard = threading.Event()
    try:
        probe = sdl_audio.AudioDevice(
            devicename=None,
            iscapture=True,
            frequency=RATE,
            audioformat=sdl_audio.AUDIO_S16,
            numchannels=1,
            chunksize=CHUNK,
            allowed_changes=0,
            callback=lambda device, data: heard.set(),
        )
    except Exception as exc:
        log.info("no microphone: %s (devices: %s)", exc, names or "none")
        return None
    try:
        probe.pause(0)
        started = time.monotonic()
        heard.wait(timeout)
        _pause_without_gil(probe)
    finally:
        probe.close()
    if not heard.is_set():
        log.info("no microphone: the capture device sent nothing in %.1f s", timeout)
        return None
    log.info("microphone ready after %.2f s (devices: %s)", time.monotonic() - started, names)
    return Microphone()
