"""A film frame's sound: the microphone the story maker records narration with (through
`ActivityContext.open_microphone`), one recording at a time into the film's creation,
and a sound played back.

A recording becomes the frame's only when it ended well: stopped by the child (or at
`MAX_SOUND_S`), at least `MIN_SOUND_S` long, and written without an error. A recording cut
by the end of the visit, or one the disk refused, is dropped: no frame names it, so it is
never played, and the next save of the film removes its file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pygame

from kiosk.api import ActivityContext, Creation

log = logging.getLogger(__name__)

#: Long enough for "Boom!" or a short sentence; the frame shows for as long.
MAX_SOUND_S = 10.0
#: Shorter than this is a slip of the finger, not a sound.
MIN_SOUND_S = 0.3


class FilmSoundRecorder:
    """The microphone (looked for once, when the child first wants a sound), the recording
    running now, and the sound playing now."""

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx
        self.microphone: Any = None
        self.checked = False
        self.recording = False
        self._rel = ""
        self._creation: Creation | None = None
        self._channel: Any = None

    def find_microphone(self) -> bool:
        """Whether there is a microphone; looked for only the first time."""
        if not self.checked:
            self.microphone = self.ctx.open_microphone()
            self.checked = True
        return self.microphone is not None

    @property
    def recording_to(self) -> str | None:
        """The file (in the creation) the running recording goes into."""
        return self._rel if self.recording else None

    @property
    def level(self) -> float:
        return float(self.microphone.level) if self.recording else 0.0

    @property
    def seconds(self) -> float:
        return float(self.microphone.seconds) if self.recording else 0.0

    def start(self, creation: Creation, rel: str) -> bool:
        """Record into `rel` of `creation`; False (logged) when it cannot start."""
        if self.microphone is None or self.recording:
            return False
        self.stop_playing()
        try:
            self.microphone.start(creation.path(rel))
        except (OSError, pygame.error) as exc:
            log.warning(
                "film sound: cannot record into %s: %s. The film is kept without this "
                "sound; check that the data folder's disk has free space and can be written.",
                creation.path(rel),
                exc,
            )
            return False
        self.recording, self._rel, self._creation = True, rel, creation
        return True

    def stop(self) -> tuple[str, float] | None:
        """End the recording: (its path in the creation, its seconds) when it is good to
        keep, else None (too short, or the disk failed — said in the log)."""
        if not self.recording:
            return None
        self.recording = False
        seconds = float(self.microphone.stop())
        error = getattr(self.microphone, "error", None)
        if error:
            log.warning(
                "film sound: the recording %s was not kept: %s. The film is kept without "
                "this sound; free space on the data folder's disk.",
                self._path(),
                error,
            )
            return None
        if seconds < MIN_SOUND_S:
            return None
        return self._rel, seconds

    def drop(self) -> None:
        """End a recording cut short (the visit ended): no frame gets it."""
        if self.recording:
            self.recording = False
            self.microphone.stop()
            log.info("film sound: a recording cut by the end of the visit was dropped")

    def _path(self) -> Path | str:
        return self._creation.path(self._rel) if self._creation is not None else self._rel

    # ----- hearing it ------------------------------------------------------------------

    def play(self, creation: Creation | None, rel: str | None) -> None:
        """Play a recorded sound of `creation` (nothing when sound is off or missing)."""
        self.stop_playing()
        sounds = self.ctx.ui.sounds
        sound_on = getattr(sounds, "enabled", True) and not getattr(sounds, "muted", False)
        if rel is None or creation is None or not sound_on or not pygame.mixer.get_init():
            return
        try:
            sound = pygame.mixer.Sound(str(creation.path(rel)))
            sound.set_volume(float(getattr(sounds, "volume", 1.0)))
            self._channel = sound.play()
        except (pygame.error, FileNotFoundError) as exc:
            log.warning("film sound: cannot play %s: %s", rel, exc)
            self._channel = None

    @property
    def playing(self) -> bool:
        return self._channel is not None and bool(self._channel.get_busy())

    def stop_playing(self) -> None:
        if self._channel is not None:
            self._channel.stop()
            self._channel = None
