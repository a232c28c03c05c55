from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from kiosk.sound import SoundService


def test_no_sound_device_means_sound_off_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    pygame.mixer.quit()
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-driver")
    sounds = SoundService(enabled=True, volume=0.5)
    assert not sounds.available
    sounds.play("good")  # silently nothing
    pygame.mixer.quit()


def test_sounds_play_on_a_working_device(monkeypatch: pytest.MonkeyPatch) -> None:
    pygame.mixer.quit()
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    sounds = SoundService(enabled=True, volume=0.5)
    assert sounds.available
    sounds.play("success")
    sounds.play("not-a-sound")
    pygame.mixer.quit()


def test_a_site_can_turn_sound_off() -> None:
    sounds = SoundService(enabled=False, volume=0.5)
    assert not sounds.available
    sounds.play("tap")


def test_a_kiosk_after_one_that_opened_the_microphone_still_has_sound(tmp_path: Path) -> None:
    """Tests and monkey runs build many kiosks in one process: a microphone opened by one
    (the story maker's narration) must not leave the next without sound."""
    script = (
        "import os, sys\n"
        "from kiosk.harness import Harness\n"
        "from kiosk.media.microphone import open_microphone\n"
        "with Harness() as kiosk:\n"
        "    open_microphone()\n"
        "os.environ['SDL_AUDIODRIVER'] = 'dummy'\n"
        "with Harness() as kiosk:\n"
        "    print(kiosk.app.ui.sounds.available)\n"
    )
    env = {
        **os.environ,
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(tmp_path / "out.raw"),
        "SDL_DISKAUDIOFILEIN": "/dev/zero",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True"
