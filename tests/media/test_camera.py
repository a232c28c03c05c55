"""Camera sources: the synthetic pattern, and choosing a device that really works."""

from __future__ import annotations

import logging
import threading
import time

import pygame
import pytest

from kiosk.media import CameraSearch, SyntheticCamera, open_camera
from kiosk.media.camera import PygameCamera


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_synthetic_frames_are_deterministic_and_numbered():
    a, b = SyntheticCamera((320, 240), seed=7), SyntheticCamera((320, 240), seed=7)
    assert pygame.image.tobytes(a.frame(42), "RGB") == pygame.image.tobytes(b.frame(42), "RGB")
    assert pygame.image.tobytes(a.frame(42), "RGB") != pygame.image.tobytes(a.frame(43), "RGB")
    for n in (0, 1, 9, 1234, 4095):
        assert SyntheticCamera.decode_number(a.frame(n)) == n


def test_synthetic_number_survives_scaling_and_letterboxing():
    frame = SyntheticCamera((640, 480)).frame(777)
    boxed = pygame.Surface((1280, 720))
    boxed.fill((255, 255, 255))
    boxed.blit(pygame.transform.smoothscale(frame, (960, 720)), (160, 0))
    assert SyntheticCamera.decode_number(boxed) == 777


def test_synthetic_camera_follows_its_clock_and_reuses_the_frame():
    clock = FakeClock()
    camera = SyntheticCamera((160, 120), fps=12, clock=clock)
    assert camera.latest_frame() is None  # not started
    camera.start()
    first = camera.latest_frame()
    assert first is not None and camera.latest_frame() is first
    clock.now += 1.0
    assert SyntheticCamera.decode_number(camera.latest_frame()) == 12
    camera.stop()
    assert camera.latest_frame() is None


def test_kiosk_camera_synthetic_gives_a_running_pattern(monkeypatch):
    monkeypatch.setenv("KIOSK_CAMERA", "synthetic")
    camera = open_camera((320, 240))
    assert isinstance(camera, SyntheticCamera) and camera.size == (320, 240)
    assert camera.latest_frame() is not None


def test_no_device_means_none_at_once_with_a_log_line(caplog):
    caplog.set_level(logging.INFO, logger="kiosk.media.camera")
    started = time.monotonic()
    assert open_camera(devices=[], make=lambda *a: None) is None
    assert time.monotonic() - started < 0.1
    assert "no camera" in caplog.text


class StandInDevice:
    """Behaves like pygame.camera.Camera (hardware is not available on test machines):
    `frames` pictures, one every `every` seconds, or none at all."""

    def __init__(self, device: str, size: tuple[int, int], mode: str) -> None:
        self.size = size
        self.silent = device == "/dev/video0"
        self.count = 0
        self.started_at = 0.0
        self.stopped = threading.Event()

    def start(self) -> None:
        self.started_at = time.monotonic()

    def query_image(self) -> bool:
        due = int((time.monotonic() - self.started_at) / 0.02)
        return not self.silent and due > self.count

    def get_image(self) -> pygame.Surface:
        self.count += 1
        return SyntheticCamera(self.size).frame(self.count)

    def stop(self) -> None:
        self.stopped.set()


def test_a_device_that_delivers_nothing_is_skipped(caplog):
    caplog.set_level(logging.INFO, logger="kiosk.media.camera")
    made: list[StandInDevice] = []

    def make(*args):
        made.append(StandInDevice(*args))
        return made[-1]

    camera = open_camera((160, 120), timeout=0.3, devices=["/dev/video0", "/dev/video1"], make=make)
    assert isinstance(camera, PygameCamera) and camera.device == "/dev/video1"
    assert made[0].stopped.wait(1.0)  # the silent one was released
    assert "/dev/video0 skipped" in caplog.text
    time.sleep(0.2)
    frame = camera.latest_frame()
    assert frame is not None and camera.frames_seen >= 5
    # Only the newest picture is kept.
    assert SyntheticCamera.decode_number(frame) >= camera.frames_seen - 1
    camera.stop()
    assert made[1].stopped.wait(1.0)


def test_camera_search_runs_off_the_calling_thread():
    search = CameraSearch((160, 120), timeout=0.5, devices=["/dev/video0"], make=StandInDevice)
    assert not search.done  # returned at once although the probe takes 0.5 s
    deadline = time.monotonic() + 5
    while not search.done and time.monotonic() < deadline:
        time.sleep(0.01)
    assert search.done and search.camera is None


@pytest.mark.parametrize("size", [(640, 480), (1280, 720)])
def test_synthetic_frame_is_cheap_enough_for_live_view(size):
    camera = SyntheticCamera(size)
    started = time.perf_counter()
    for n in range(20):
        camera.frame(n)
    assert (time.perf_counter() - started) / 20 < 0.02
