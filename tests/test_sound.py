from __future__ import annotations

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
