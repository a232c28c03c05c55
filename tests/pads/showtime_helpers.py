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


def tones_heard(raw: bytes, rate: int) -> list[int]:
    """The steady tones heard, in order, as frequencies rounded to 10 Hz (from the zero
    crossings of 1024-sample blocks). A tone counts once it holds for four blocks
    (≈ 0.19 s), so the interface's short tap sounds (0.05 s) are not taken for one."""
    samples = array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    block = 1024
    estimates: list[int | None] = []
    for start in range(0, len(samples) - block, block):
        chunk = samples[start : start + block]
        if max(abs(v) for v in chunk) < 3000:
            estimates.append(None)
            continue
        crossings = sum(1 for a, b in zip(chunk, chunk[1:], strict=False) if (a < 0) != (b < 0))
        estimates.append(int(round(crossings / 2 / (block / rate), -1)))
    heard: list[int] = []
    run: list[int] = []
    for estimate in [*estimates, None]:
        if estimate is not None and (not run or abs(estimate - run[0]) <= 20):
            run.append(estimate)
            continue
        if len(run) >= 4:
            heard.append(sorted(run)[len(run) // 2])
        run = [estimate] if estimate is not None else []
    return heard
