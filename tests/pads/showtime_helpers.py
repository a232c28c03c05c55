"""Films and stories made the way the studio tools save them, for Showtime's tests."""

from __future__ import annotations

import io
import math
import wave
from array import array

import pygame

from kiosk.creations import Creation, CreationStore

RATE = 22050


def tone_wav(frequency: float, seconds: float) -> bytes:
    """A mono 16-bit WAV of a pure tone."""
    samples = array(
        "h",
        (
            int(12000 * math.sin(2 * math.pi * frequency * i / RATE))
            for i in range(int(RATE * seconds))
        ),
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def make_creation(
    store: CreationStore,
    kind: str,
    colours: list[tuple[int, int, int]],
    seconds: float = 0.5,
    tone: float | None = None,
    title: str = "",
) -> Creation:
    """A saved film or story of one coloured 1280×720 picture per shot; the first shot
    carries a `tone` Hz sound (a film's sound, a story's narration) when given."""
    creation = store.new(kind, "en")  # type: ignore[arg-type]
    timeline = []
    for i, colour in enumerate(colours):
        picture = pygame.Surface((1280, 720))
        picture.fill(colour)
        image = creation.write_png(f"render/shot-{i:02d}.png", picture)
        audio = None
        if i == 0 and tone is not None:
            audio = creation.write_bytes(f"audio/{i:02d}.wav", tone_wav(tone, 0.4))
        timeline.append({"image": image, "seconds": seconds, "audio": audio})
    creation.timeline = timeline
    if kind == "story":
        creation.data = {"slides": [{"title": title} for _ in colours]}
    creation.save("saved")
    creation.flush()
    return creation
