"""What an export reads from a creation folder: its shots and pages, checked, and the
pictures fitted to the export's frame.

Per the studio contract, creation.json's `timeline` lists fully rendered pictures with
their seconds and optional narration (MP4, GIF) and `pages` the pictures of a handout
(PDF). Paths are relative to the folder; anything else is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk.media.target import ExportError

VIDEO_SIZE = (1280, 720)
STORY_FPS = 25
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Shot:
    image: Path
    seconds: float
    audio: Path | None


@dataclass(frozen=True)
class CreationMedia:
    """What an export needs from creation.json, with every path checked to exist."""

    folder: Path
    kind: str
    fps: float | None
    shots: list[Shot]
    pages: list[Path]


def _inside(folder: Path, rel: object, where: str) -> Path:
    if not isinstance(rel, str) or not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise ExportError("creation_invalid", f"{where}: {rel!r} is not a relative path")
    path = folder / rel
    if not path.is_file():
        raise ExportError("creation_invalid", f"{where}: {path} does not exist")
    return path


def read_creation(folder: Path) -> CreationMedia:
    """Read and check creation.json's `timeline` and `pages`; raise ExportError if bad."""
    folder = Path(folder)
    meta = folder / "creation.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError("creation_invalid", f"{meta}: cannot be read ({exc})") from exc
    if not isinstance(data, dict):
        raise ExportError("creation_invalid", f"{meta}: not a JSON object")
    shots = []
    for i, entry in enumerate(data.get("timeline") or []):
        where = f"{meta} timeline[{i}]"
        if not isinstance(entry, dict):
            raise ExportError("creation_invalid", f"{where}: not an object")
        seconds = entry.get("seconds")
        if not isinstance(seconds, int | float) or not 0 < seconds <= 3600:
            raise ExportError("creation_invalid", f"{where}: seconds {seconds!r} is not > 0")
        audio = entry.get("audio")
        shots.append(
            Shot(
                image=_inside(folder, entry.get("image"), where),
                seconds=float(seconds),
                audio=None if audio is None else _inside(folder, audio, where),
            )
        )
    pages = [
        _inside(folder, p, f"{meta} pages[{i}]") for i, p in enumerate(data.get("pages") or [])
    ]
    tool_data = data.get("data") if isinstance(data.get("data"), dict) else {}
    fps = tool_data.get("fps") if isinstance(tool_data, dict) else None
    kind = str(data.get("kind", ""))
    return CreationMedia(
        folder=folder,
        kind=kind,
        fps=float(fps) if isinstance(fps, int | float) and 1 <= fps <= 60 else None,
        shots=shots,
        pages=pages,
    )


def video_fps(creation: CreationMedia) -> float:
    """The output frame rate: a film's own rate; 25 for stories and drawings."""
    if creation.kind != "film":
        return float(STORY_FPS)
    if creation.fps:
        return creation.fps
    for rate in range(1, 61):
        if all(abs(s.seconds * rate - round(s.seconds * rate)) < 0.01 for s in creation.shots):
            return float(rate)
    return float(STORY_FPS)


def frame_counts(seconds: list[float], fps: float) -> list[int]:
    """Frames per shot such that shot i ends at round(cumulative seconds × fps)."""
    counts, total, done = [], 0.0, 0
    for s in seconds:
        total += s
        end = round(total * fps)
        counts.append(end - done)
        done = end
    return counts


def load_rgb(path: Path) -> Image.Image:
    """A picture as RGB, transparent parts on white; ExportError when unreadable."""
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode in ("RGBA", "LA", "P"):
                rgba = im.convert("RGBA")
                flat = Image.new("RGB", rgba.size, WHITE)
                flat.paste(rgba, mask=rgba.getchannel("A"))
                return flat
            return im.convert("RGB")
    except (OSError, ValueError) as exc:
        raise ExportError("creation_invalid", f"{path}: not a readable picture ({exc})") from exc


def fit(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`picture` scaled to fit inside `size`, centred on white (letterbox)."""
    w, h = size
    scale = min(w / picture.width, h / picture.height)
    inner = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    if inner != picture.size:
        picture = picture.resize(inner, Image.Resampling.BICUBIC, reducing_gap=2.0)
    if inner == size:
        return picture
    canvas = Image.new("RGB", size, WHITE)
    canvas.paste(picture, ((w - inner[0]) // 2, (h - inner[1]) // 2))
    return canvas


def gif_durations_ms(seconds: list[float]) -> list[int]:
    """Per-frame GIF durations in ms: GIF counts in 10 ms steps, so each frame ends at its
    cumulative time rounded to 10 ms, and rounding never adds up over a long film."""
    out, total, done = [], 0.0, 0
    for s in seconds:
        total += s
        end = round(total * 100) * 10
        out.append(max(10, end - done))
        done = end
    return out
