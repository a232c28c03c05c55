"""Sound files for the voice tests, made here so nothing binary is kept in the repository."""

from __future__ import annotations

import math
import shutil
import subprocess
from array import array
from pathlib import Path

from kiosk.media.ffmpeg import ffmpeg_exe
from kiosk.voice.cache import wav_bytes

RATE = 22050


def tone(seconds: float, amplitude: float = 0.5, freq: float = 440.0) -> bytes:
    """A sine tone as 16-bit mono samples at RATE."""
    count = int(RATE * seconds)
    level = 32767 * amplitude
    return array(
        "h", (int(level * math.sin(2 * math.pi * freq * i / RATE)) for i in range(count))
    ).tobytes()


def write_wav(path: Path, seconds: float, amplitude: float = 0.5) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wav_bytes(tone(seconds, amplitude), RATE))
    return path


def write_ogg(path: Path, seconds: float, amplitude: float = 0.5) -> Path:
    """An Ogg Vorbis file, encoded by the ffmpeg Telpa ships."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "s16le",
            "-ar",
            str(RATE),
            "-ac",
            "1",
            "-i",
            "pipe:0",
            "-c:a",
            "libvorbis",
            str(path),
        ],
        input=tone(seconds, amplitude),
        check=True,
        capture_output=True,
        timeout=60,
    )
    return path


def copy_pack(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def samples_of(data: bytes) -> array[int]:
    out = array("h")
    out.frombytes(data[: len(data) - len(data) % 2])
    return out


def peak(samples: array[int]) -> int:
    return max(max(samples), -min(samples)) if samples else 0
