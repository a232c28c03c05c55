"""Recordings a librarian made on this station: `data/voice/<lang>/<digest>.wav`.

A recording is the voice of one text in one language, found by the text itself (its
SHA-256), so it follows the text wherever it is shown. It is checked like a pack's clip
(not silent, at most 20 s) before it is kept, and written to a temporary name and
renamed, so a power cut leaves the old recording or the new one, never half of one."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kiosk.packs.safety import PackFileError
from kiosk.voice.clips import clip_info


def recorded_clip_path(folder: Path, text: str, lang: str) -> Path:
    """Where the recording of `text` in `lang` is kept in `folder`."""
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:32]
    return folder / lang / f"{digest}.wav"


class StationRecordings:
    def __init__(self, folder: Path | None) -> None:
        #: None when the kiosk has no data folder: nothing can be kept.
        self.folder = folder

    def path(self, text: str, lang: str) -> Path | None:
        """The recording of `text` in `lang`, if there is one."""
        if self.folder is None:
            return None
        path = recorded_clip_path(self.folder, text, lang)
        return path if path.is_file() else None

    def keep(self, text: str, lang: str, wav: Path) -> None:
        """Keep `wav` as the voice of `text` in `lang`. Raises PackFileError (with the
        message to show) when it cannot be used, OSError when it cannot be written."""
        if self.folder is None:
            raise PackFileError("this kiosk has no data folder to keep recordings in")
        data = wav.read_bytes()
        clip_info(data, wav.name)
        target = recorded_clip_path(self.folder, text, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".part")
        part.write_bytes(data)
        part.replace(target)

    def forget(self, text: str, lang: str) -> None:
        if self.folder is not None:
            recorded_clip_path(self.folder, text, lang).unlink(missing_ok=True)
