"""Creation folders written straight to disk as the studio contract describes them."""

from __future__ import annotations

import json
import math
import wave
from array import array
from pathlib import Path

import pygame
import pytest

from kiosk.media.camera import SyntheticCamera

FILM_FRAMES = 24
FILM_FPS = 12
#: Slide durations of the test story; slides 1 and 3 carry narration, 2 and 4 none.
STORY_SECONDS = [2.0, 1.5, 2.5, 1.0]
STORY_NARRATION = {0: 1.2, 2: 3.0}  # slide index -> seconds of tone (slide 3 gets cut)


def write_creation(folder: Path, kind: str, timeline: list[dict], pages: list[str], **data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "schema": 1,
        "id": folder.name,
        "kind": kind,
        "state": "saved",
        "created_at": "2026-11-26T06:00:00+00:00",
        "updated_at": "2026-11-26T06:00:00+00:00",
        "language": "lv",
        "station": "test",
        "closed_by": None,
        "consent_at": None,
        "exports": [],
        "data": data,
        "timeline": timeline,
        "pages": pages,
    }
    (folder / "creation.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def sine_wav(path: Path, seconds: float, rate: int = 22050, freq: float = 440.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = array(
        "h",
        (int(12000 * math.sin(2 * math.pi * freq * i / rate)) for i in range(int(rate * seconds))),
    )
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return path


def make_film(
    folder: Path, frames: int = FILM_FRAMES, fps: int = FILM_FPS, size=(640, 480)
) -> Path:
    camera = SyntheticCamera(size, fps=fps, seed=3)
    (folder / "render").mkdir(parents=True)
    timeline = []
    for n in range(frames):
        rel = f"render/{n + 1:04d}.png"
        pygame.image.save(camera.frame(n), str(folder / rel))
        timeline.append({"image": rel, "seconds": 1 / fps, "audio": None})
    return write_creation(folder, "film", timeline, [timeline[0]["image"]], fps=fps)


def make_story(folder: Path) -> Path:
    (folder / "render").mkdir(parents=True)
    timeline, pages = [], []
    for i, seconds in enumerate(STORY_SECONDS):
        rel = f"render/page-{i + 1:02d}.png"
        # Slides of different sizes: the exporter must letterbox each into 1280x720.
        slide = pygame.Surface((1280, 720) if i % 2 == 0 else (800, 600))
        slide.fill((40 + 50 * i, 120, 200))
        pygame.draw.circle(slide, (250, 250, 0), (300, 300), 120)
        pygame.image.save(slide, str(folder / rel))
        audio = None
        if i in STORY_NARRATION:
            audio = f"audio/{i + 1:02d}.wav"
            sine_wav(folder / audio, STORY_NARRATION[i], freq=330.0 + 110 * i)
        timeline.append({"image": rel, "seconds": seconds, "audio": audio})
        pages.append(rel)
    return write_creation(folder, "story", timeline, pages, slides=len(pages))


def make_drawing(folder: Path) -> Path:
    (folder / "render").mkdir(parents=True)
    picture = pygame.Surface((1280, 720), pygame.SRCALPHA)
    picture.fill((255, 255, 255, 255))
    pygame.draw.line(picture, (200, 0, 0, 255), (100, 100), (1100, 600), 24)
    pygame.image.save(picture, str(folder / "render/page-01.png"))
    timeline = [{"image": "render/page-01.png", "seconds": 3.0, "audio": None}]
    return write_creation(folder, "drawing", timeline, ["render/page-01.png"])


@pytest.fixture(scope="session")
def creations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One film, one story and one drawing, shared read-only by the export tests."""
    root = tmp_path_factory.mktemp("creations")
    return {
        "film": make_film(root / "film-20261126-060000-aaaaaa"),
        "story": make_story(root / "story-20261126-060000-bbbbbb"),
        "drawing": make_drawing(root / "drawing-20261126-060000-cccccc"),
    }
