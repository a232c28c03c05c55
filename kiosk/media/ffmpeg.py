"""The ffmpeg that imageio-ffmpeg ships, run as a child process; and reading files back.

`Encoder` starts ffmpeg with raw RGB frames on its stdin, reads its `-progress` report on
stdout and keeps the end of its stderr for the error message. `probe()` describes a video
file from `ffmpeg -i` (imageio-ffmpeg ships no ffprobe) and counts its frames exactly;
`mp4_top_level_boxes()` tells whether an MP4 is "faststart" (moov before mdat).
"""

from __future__ import annotations

import collections
import os
import re
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kiosk.system import helper_creation_flags

#: The encoder yields to the kiosk when both want the CPU (niceness, higher = kinder).
ENCODER_NICENESS = 10


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


class Encoder:
    """One running ffmpeg: write frames with `write()`, then `finish()`; `kill()` stops it.

    `frames_done` follows ffmpeg's own progress report (frames encoded so far)."""

    def __init__(self, args: list[str]) -> None:
        command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-y"]
        command += ["-progress", "pipe:1", "-stats_period", "0.25", *args]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            creationflags=helper_creation_flags(),
        )
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, ENCODER_NICENESS)
        except (AttributeError, OSError):
            pass  # not on this platform, or not allowed: the encode still works.
        self.frames_done = 0
        self.finished = False
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        assert self.process.stdout is not None and self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._read_progress, args=(self.process.stdout,), daemon=True),
            threading.Thread(target=self._read_errors, args=(self.process.stderr,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def write(self, data: bytes) -> None:
        """Hand one frame to ffmpeg; raises BrokenPipeError when ffmpeg has gone."""
        assert self.process.stdin is not None
        self.process.stdin.write(data)

    def finish(self) -> int:
        """Close the input, wait for ffmpeg to write the file and return its exit status."""
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass
        status = self.process.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        return status

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.finish()

    @property
    def error_text(self) -> str:
        """The last lines ffmpeg wrote to stderr."""
        return "\n".join(self._stderr)

    def _read_progress(self, stream: IO[bytes]) -> None:
        for raw in stream:
            key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
            if key == "frame" and value.isdigit():
                self.frames_done = int(value)
            elif key == "progress" and value == "end":
                self.finished = True

    def _read_errors(self, stream: IO[bytes]) -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self._stderr.append(line)


@dataclass(frozen=True)
class MediaInfo:
    """What `probe()` found in a file."""

    duration_s: float
    frames: int
    width: int
    height: int
    fps: float
    video_codec: str
    pix_fmt: str
    has_audio: bool
    audio_codec: str | None


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(
    r"Stream #\S+.*?: Video: (\w+)[^,]*, (\w+)(?:\([^)]*\))?(?:, \w+)?.*?, (\d+)x(\d+)"
)
_FPS = re.compile(r"([\d.]+) fps")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")
_FRAMES = re.compile(r"frame=\s*(\d+)")


def probe(path: Path) -> MediaInfo:
    """Describe a video file: container duration, exact frame count, size, codecs.

    Raises ValueError when ffmpeg finds no video stream in it."""
    exe = ffmpeg_exe()
    header = subprocess.run(
        [exe, "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        creationflags=helper_creation_flags(),
    ).stderr
    video = _VIDEO.search(header)
    if video is None:
        raise ValueError(f"{path}: no video stream found by ffmpeg:\n{header[-800:]}")
    duration = _DURATION.search(header)
    seconds = 0.0
    if duration:
        hours, minutes, secs = duration.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + float(secs)
    video_line = header[video.start() : header.find("\n", video.start())]
    fps = _FPS.search(video_line)
    audio = _AUDIO.search(header)
    counted = subprocess.run(
        [exe, "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-c", "copy"]
        + ["-f", "null", "-"],
        capture_output=True,
        text=True,
        creationflags=helper_creation_flags(),
    ).stderr
    frames = _FRAMES.findall(counted)
    return MediaInfo(
        duration_s=seconds,
        frames=int(frames[-1]) if frames else 0,
        width=int(video.group(3)),
        height=int(video.group(4)),
        fps=float(fps.group(1)) if fps else 0.0,
        video_codec=video.group(1),
        pix_fmt=video.group(2),
        has_audio=audio is not None,
        audio_codec=audio.group(1) if audio else None,
    )


def mp4_top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types in file order, e.g. ['ftyp', 'moov', 'free', 'mdat']."""
    boxes: list[str] = []
    size_total = path.stat().st_size
    with path.open("rb") as f:
        offset = 0
        while offset + 8 <= size_total:
            f.seek(offset)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:  # a 64-bit size follows the type
                (size,) = struct.unpack(">Q", f.read(8))
            elif size == 0:  # the box runs to the end of the file
                size = size_total - offset
            if size < 8:
                raise ValueError(f"{path}: broken MP4 box at byte {offset}")
            boxes.append(kind.decode("latin-1"))
            offset += size
    return boxes
