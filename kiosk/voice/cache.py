"""Synthesised speech kept on disk, so a question is synthesised once per station.

Each entry is a WAV file named by the SHA-256 of everything that shapes the sound
(engine version, voice, rate, pitch, language, text): a new eSpeak or another rate never
plays an old recording. Files are written to a temporary name and renamed, so a power
cut leaves either the whole file or none. The folder is kept under `max_bytes` by
deleting the files least recently used (a hit touches its file's mtime).
Only the voice worker thread uses a `SpeechCache`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import wave
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".wav"


def speech_key(engine: str, voice: str, rate: int, pitch: int, lang: str, text: str) -> str:
    """The cache key of one synthesised text."""
    parts = "\x1f".join((engine, voice, str(rate), str(pitch), lang, text))
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()


def wav_bytes(samples: bytes, rate: int) -> bytes:
    """16-bit mono samples as a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples)
    return out.getvalue()


class SpeechCache:
    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._size: int | None = None

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def get(self, key: str) -> bytes | None:
        """The stored WAV, or None (missing or unreadable: it is made again)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # most recently used
        except OSError:
            pass
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store a WAV; a full or read-only disk only costs the cache, never the speech."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".part-", suffix=SUFFIX)
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(data)
                os.replace(tmp, self.path(key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("speech cache %s: could not store a clip (%s)", self.folder, exc)
            return
        if self._size is None:
            self._size = self._measure()
        else:
            self._size += len(data)
        if self._size > self.max_bytes:
            self.prune()

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        try:
            with os.scandir(self.folder) as scan:
                for entry in scan:
                    if not entry.name.endswith(SUFFIX) or not entry.is_file(follow_symlinks=False):
                        continue
                    info = entry.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, Path(entry.path)))
        except OSError:
            return []
        return entries

    def _measure(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def prune(self) -> None:
        """Delete the least recently used files until the folder is under 3/4 of its limit
        (so it is not pruned again at the next clip)."""
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        target = self.max_bytes * 3 // 4
        for _, size, path in entries:
            if total <= target:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass
        self._size = total
