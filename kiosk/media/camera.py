"""Camera sources for the stop-motion studio: a real webcam or a synthetic test pattern.

A tool asks `open_camera()` for a source and then, once per frame, `latest_frame()`: the
newest picture or None, never a wait. A real webcam is read on its own worker thread that
keeps only the newest frame, so a slow camera cannot slow the render thread down.

`open_camera()` is quick when the PC has no camera (the usual case in a library): it returns
None at once, with a log line, and the tool explains kindly. When devices are listed, it
tries them in order and returns the first that really delivers a picture within
`FIRST_FRAME_TIMEOUT_S`; a tool that must not wait even that long uses `CameraSearch`,
which does the same on a background thread.

`KIOSK_CAMERA=synthetic` makes `open_camera()` return a `SyntheticCamera`: a moving,
numbered test pattern (tests and demos on PCs without a camera).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import pygame

log = logging.getLogger(__name__)

#: How long a listed device may take to deliver its first picture before the next is tried.
FIRST_FRAME_TIMEOUT_S = 2.0
#: How often the capture thread asks a device whether a new picture is ready.
POLL_S = 0.01

#: The synthetic pattern writes its frame number as this many bits in a strip of blocks
#: along the bottom edge, big enough to survive scaling and video compression.
CODE_BITS = 12


class CameraSource(Protocol):
    """What a tool needs from a camera. All methods return at once."""

    @property
    def size(self) -> tuple[int, int]: ...

    def start(self) -> None: ...

    def latest_frame(self) -> pygame.Surface | None: ...

    def stop(self) -> None: ...


class PygameCamera:
    """A pygame.camera device read on a worker thread that keeps only the newest frame.

    `frames_seen` counts the pictures delivered so far, so a tool can skip repainting
    when nothing new arrived."""

    def __init__(self, device: Any, size: tuple[int, int], make: Callable[..., Any]) -> None:
        self.device = device
        self._requested = size
        self._make = make
        self._camera: Any = None
        self._lock = threading.Lock()
        self._frame: pygame.Surface | None = None
        self.frames_seen = 0
        self._running = threading.Event()
        self._thread: threading.Thread | None = None
        self.failure: str | None = None

    @property
    def size(self) -> tuple[int, int]:
        frame = self._frame
        return frame.get_size() if frame is not None else self._requested

    def start(self) -> None:
        """Open the device and start reading it; harmless when already running."""
        if self._thread is not None and self._thread.is_alive():
            return
        self.failure = None
        self._running.set()
        self._thread = threading.Thread(
            target=self._capture, name=f"camera {self.device}", daemon=True
        )
        self._thread.start()

    def wait_first_frame(self, timeout: float) -> bool:
        """Wait (on the caller's thread) until a picture arrived or the device failed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.frames_seen:
                return True
            if self._thread is None or not self._thread.is_alive():
                return False
            time.sleep(POLL_S)
        return bool(self.frames_seen)

    def latest_frame(self) -> pygame.Surface | None:
        with self._lock:
            return self._frame

    def stop(self) -> None:
        """Stop reading and release the device (waits at most a moment for the thread)."""
        self._running.clear()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1.0)
        self._thread = None

    def _capture(self) -> None:
        try:
            camera = self._make(self.device, self._requested, "RGB")
            camera.start()
        except Exception as exc:  # drivers raise SystemError, pygame.error, OSError …
            self.failure = f"cannot start: {exc}"
            self._running.clear()
            return
        self._camera = camera
        try:
            while self._running.is_set():
                # query_image() first: get_image() on a device with nothing ready can wait
                # for a long time inside the driver.
                if not camera.query_image():
                    time.sleep(POLL_S)
                    continue
                frame = camera.get_image()
                with self._lock:
                    self._frame = frame
                    self.frames_seen += 1
        except Exception as exc:
            self.failure = f"stopped delivering pictures: {exc}"
            log.warning("camera %s %s", self.device, self.failure)
        finally:
            self._running.clear()
            try:
                camera.stop()
            except Exception as exc:
                log.info("camera %s did not stop cleanly: %s", self.device, exc)


class SyntheticCamera:
    """A deterministic moving test pattern with a big frame number.

    Frame n depends only on (n, size, seed): `frame(n)` draws it. `latest_frame()` draws
    the frame for the current time, `int((clock() - start) * fps)`, and reuses it until
    the number changes. `decode_number()` reads the number back from a picture of the
    pattern, even after scaling and video compression (tests checking frame order)."""

    def __init__(
        self,
        size: tuple[int, int] = (640, 480),
        fps: float = 15.0,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._size = (int(size[0]), int(size[1]))
        self.fps = fps
        self.seed = seed
        self._clock = clock
        self._started_at: float | None = None
        self._cached: tuple[int, pygame.Surface] | None = None

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def start(self) -> None:
        if self._started_at is None:
            self._started_at = self._clock()

    def stop(self) -> None:
        self._started_at = None

    def frame_number(self) -> int | None:
        """The number of the frame showing now, or None when stopped."""
        if self._started_at is None:
            return None
        return int((self._clock() - self._started_at) * self.fps)

    def latest_frame(self) -> pygame.Surface | None:
        number = self.frame_number()
        if number is None:
            return None
        if self._cached is None or self._cached[0] != number:
            self._cached = (number, self.frame(number))
        return self._cached[1]

    def frame(self, number: int) -> pygame.Surface:
        """Draw frame `number`: a colour field, a bouncing ball, big digits and a bit strip."""
        w, h = self._size
        surface = pygame.Surface((w, h))
        hue = (self.seed * 47 + number * 3) % 360
        background = pygame.Color(0)
        background.hsva = (hue, 35, 95, 100)
        surface.fill(background)
        # A ball that crosses the picture in about two seconds at 12 fps: visible motion.
        travel = max(1, w - h // 4)
        x = (number * 23 + self.seed * 101) % (2 * travel)
        x = x if x < travel else 2 * travel - x
        pygame.draw.circle(surface, (200, 40, 40), (h // 8 + x, h // 3), h // 8)
        _draw_digits(surface, f"{number:04d}"[-4:], pygame.Rect(w // 8, h // 2, w * 3 // 4, h // 3))
        _draw_code(surface, number)
        return surface

    @staticmethod
    def decode_number(surface: pygame.Surface) -> int:
        """Read back the frame number written by `frame()` (any scale, letterboxed or not)."""
        w, h = surface.get_size()
        # The strip spans the picture's own width; find it by scanning for its dark start
        # marker so a letterboxed (white side bars) picture reads the same.
        row = h - max(1, h // 40)
        left = 0
        while left < w and sum(surface.get_at((left, row))[:3]) > 200:
            left += 1
        right = w - 1
        while right > left and sum(surface.get_at((right, row))[:3]) > 200:
            right -= 1
        strip = right - left + 1
        cell = strip / (CODE_BITS + 2)
        number = 0
        for bit in range(CODE_BITS):
            px = int(left + cell * (bit + 1.5))
            level = sum(surface.get_at((px, row))[:3]) / 3
            number = number * 2 + (1 if level > 127 else 0)
        return number


_SEGMENTS = {
    "0": "abcdef",
    "1": "bc",
    "2": "abged",
    "3": "abgcd",
    "4": "fgbc",
    "5": "afgcd",
    "6": "afgedc",
    "7": "abc",
    "8": "abcdefg",
    "9": "abcdfg",
}


def _draw_digits(surface: pygame.Surface, text: str, box: pygame.Rect) -> None:
    """Seven-segment digits: no font needed, so frames can be drawn on any thread."""
    width = box.width // len(text)
    t = max(2, min(width, box.height) // 8)
    for i, char in enumerate(text):
        x0 = box.x + i * width + t
        x1 = box.x + (i + 1) * width - 2 * t
        y0, y2 = box.y, box.bottom - t
        y1 = (y0 + y2) // 2
        bars = {
            "a": (x0, y0, x1 - x0 + t, t),
            "b": (x1, y0, t, y1 - y0 + t),
            "c": (x1, y1, t, y2 - y1 + t),
            "d": (x0, y2, x1 - x0 + t, t),
            "e": (x0, y1, t, y2 - y1 + t),
            "f": (x0, y0, t, y1 - y0 + t),
            "g": (x0, y1, x1 - x0 + t, t),
        }
        for segment in _SEGMENTS[char]:
            surface.fill((20, 20, 60), bars[segment])


def _draw_code(surface: pygame.Surface, number: int) -> None:
    """The frame number as CODE_BITS black/white blocks between two black end markers."""
    w, h = surface.get_size()
    height = max(2, h // 20)
    cell = w / (CODE_BITS + 2)
    top = h - height
    surface.fill((0, 0, 0), (0, top, w, height))
    for bit in range(CODE_BITS):
        on = (number >> (CODE_BITS - 1 - bit)) & 1
        x = int(cell * (bit + 1))
        colour = (255, 255, 255) if on else (0, 0, 0)
        surface.fill(colour, (x, top, int(cell * (bit + 2)) - x, height))


def _list_devices() -> tuple[list[Any], Callable[..., Any]] | None:
    try:
        import pygame.camera

        pygame.camera.init()
        return list(pygame.camera.list_cameras()), pygame.camera.Camera
    except Exception as exc:  # no backend on this platform, driver trouble …
        log.info("no camera: the camera module did not start (%s)", exc)
        return None


def open_camera(
    size: tuple[int, int] = (640, 480),
    timeout: float = FIRST_FRAME_TIMEOUT_S,
    devices: list[Any] | None = None,
    make: Callable[..., Any] | None = None,
) -> CameraSource | None:
    """The first camera that really delivers a picture, already running; else None.

    Returns at once with None when no device is listed. Otherwise each listed device gets
    up to `timeout` seconds for its first picture. `devices` and `make` replace
    `pygame.camera.list_cameras()` and `pygame.camera.Camera` (tests of the choice)."""
    if os.environ.get("KIOSK_CAMERA", "").strip().lower() == "synthetic":
        camera = SyntheticCamera(size)
        camera.start()
        return camera
    if devices is None or make is None:
        found = _list_devices()
        if found is None:
            return None
        devices = found[0] if devices is None else devices
        make = found[1] if make is None else make
    if not devices:
        log.info("no camera: no video device is connected")
        return None
    for device in devices:
        source = PygameCamera(device, size, make)
        source.start()
        if source.wait_first_frame(timeout):
            log.info("camera %s delivers %dx%d pictures", device, *source.size)
            return source
        source.stop()
        log.info("camera %s skipped: %s", device, source.failure or "no picture in time")
    log.warning("no camera: none of %d devices delivered a picture", len(devices))
    return None


class CameraSearch:
    """`open_camera()` on a background thread: poll `done`, then read `camera`."""

    def __init__(self, size: tuple[int, int] = (640, 480), **options: Any) -> None:
        self.done = False
        self.camera: CameraSource | None = None
        self._thread = threading.Thread(
            target=self._search, args=(size, options), name="camera search", daemon=True
        )
        self._thread.start()

    def _search(self, size: tuple[int, int], options: dict[str, Any]) -> None:
        try:
            self.camera = open_camera(size, **options)
        finally:
            self.done = True
