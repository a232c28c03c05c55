"""Gentle feedback sounds, synthesised at start so no audio files need licensing.

No sound device is normal on a library PC: then, or when the site turns sound off,
`play()` does nothing and everything else works the same, and what the system's audio
libraries say about the missing device goes to the log, not to the terminal. The
librarian's volume and mute (kiosk.librarian.sound_settings) change at once through
`set_volume` and `set_muted`."""

from __future__ import annotations

import logging
import math
from array import array

import pygame

from kiosk.system import stderr_to_log

log = logging.getLogger(__name__)

# (frequencies in Hz, seconds each): short, soft and never shrill.
_TUNES: dict[str, list[tuple[float, float]]] = {
    "tap": [(660.0, 0.05)],
    "flip": [(520.0, 0.04), (780.0, 0.05)],
    "good": [(523.25, 0.09), (659.25, 0.09), (783.99, 0.16)],
    "try-again": [(392.0, 0.10), (349.23, 0.16)],
    "success": [(523.25, 0.1), (659.25, 0.1), (783.99, 0.1), (1046.5, 0.3)],
}


def _synthesise(notes: list[tuple[float, float]], rate: int, channels: int, volume: float) -> bytes:
    samples = array("h")
    for freq, seconds in notes:
        count = int(rate * seconds)
        for i in range(count):
            t = i / rate
            # A soft bell: sine with a quick attack and an exponential decay.
            envelope = min(1.0, i / (rate * 0.005)) * math.exp(-4.0 * i / count)
            value = int(12000 * volume * envelope * math.sin(2 * math.pi * freq * t))
            for _ in range(channels):
                samples.append(value)
    return samples.tobytes()


def _open_device() -> tuple[int, int]:
    """Open the sound device through pygame's mixer; (rate, channels), or pygame.error."""
    # Without a sound card libasound prints a screenful to the terminal while SDL looks
    # for one; it goes to the log instead.
    with stderr_to_log(log, "sound start-up"):
        pygame.mixer.init(frequency=22050, size=-16, channels=1, buffer=512)
    init = pygame.mixer.get_init()
    if init is None:
        raise pygame.error("mixer did not start")
    rate, fmt, channels = init
    if fmt != -16:
        raise pygame.error(f"unexpected sample format {fmt}")
    return rate, channels


class SoundService:
    def __init__(self, enabled: bool, volume: float) -> None:
        self.available = False
        self.enabled = enabled
        self.volume = volume
        #: The librarian's mute (a silent reading room): `play()` does nothing meanwhile.
        self.muted = False
        #: The device is closed while the attract screen rests (`suspend`).
        self.suspended = False
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._format: tuple[int, int] = (0, 0)
        if not enabled:
            return
        try:
            self._format = _open_device()
            self.available = True
            log.info("sound is on (%d Hz)", self._format[0])
        except pygame.error as exc:
            log.info("sound is off: %s", exc)

    def suspend(self) -> bool:
        """Close the sound device while nothing can sound (the resting attract screen):
        SDL's audio thread, which mixes silence some forty times a second, ends with it.
        The mixer's other users let go of it first (the voice: `VoiceService.suspend`).
        False when it stays open: it was not open, or the microphone shares SDL's audio
        system (closing the mixer then could not be undone until the kiosk restarts)."""
        from kiosk.media.microphone import holds_audio

        if not self.available or self.suspended or holds_audio():
            return False
        self._sounds.clear()  # made for the closed device; made again on their next use
        pygame.mixer.quit()
        self.suspended = True
        log.debug("sound device closed while the attract screen rests")
        return True

    def resume(self) -> None:
        """Open the sound device again (the first input after `suspend`), before the
        input is handled, so the sound it makes is heard."""
        if not self.suspended:
            return
        self.suspended = False
        try:
            if _open_device() != self._format:
                # The voice and these sounds were made for the old format: not safe to play.
                pygame.mixer.quit()
                raise pygame.error("the sound device came back in another format")
        except pygame.error as exc:
            self.available = False
            log.warning(
                "sound is off: the sound device did not open again after the attract "
                "screen rested (%s); restart the kiosk once the device works",
                exc,
            )

    def set_volume(self, volume: float) -> None:
        """Play every sound at `volume` (0.0–1.0) from now on."""
        volume = max(0.0, min(1.0, volume))
        if volume != self.volume:
            self.volume = volume
            # Made again at the new volume on their next use (a few milliseconds each).
            self._sounds.clear()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted and self.available:
            for sound in self._sounds.values():
                sound.stop()

    def play(self, name: str) -> None:
        if not (self.enabled and self.available) or self.muted or name not in _TUNES:
            return
        sound = self._sounds.get(name)
        if sound is None:
            # Made on first use, so start-up does not wait for all of them.
            rate, channels = self._format
            sound = pygame.mixer.Sound(
                buffer=_synthesise(_TUNES[name], rate, channels, self.volume)
            )
            self._sounds[name] = sound
        sound.play()
