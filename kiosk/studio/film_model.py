"""The stop-motion film as the child edits it: frames in order, how long each holds, the
speed, the onion skin and the playback — and its files in the creation.

Frames live on disk only (``frames/0001.png``… at 640×480 in the creation); memory holds a
small thumbnail per frame and a few full frames for the stage, so a 100-frame film costs
a few megabytes. A frame may carry a sound the child recorded (``sounds/NNN.wav``, the
story's narration format): the frame then shows for as long as its sound, at least its
hold. The creation's data is ``{"fps", "frames": [{"file", "hold"[, "sound",
"sound_seconds"]}]}``; its timeline (one shot per frame, its seconds and its sound as the
shot's ``audio``) is written at every save."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

import pygame

from kiosk.api import ActivityContext, Creation

FRAME_SIZE = (640, 480)
THUMB_SIZE = (160, 120)
ONION_ALPHAS = (77, 128, 179)  # 30 %, 50 %, 70 %
MAX_FRAMES = 300
MAX_HOLD = 4
#: Full frames kept in memory for the stage (onion skin, playback): about 35 MB.
FULL_FRAMES_KEPT = 30


@dataclass(eq=False)
class Frame:
    file: str
    hold: int
    thumb: pygame.Surface
    #: The frame's recorded sound (relative path in the creation) and its length.
    sound: str | None = None
    sound_seconds: float = 0.0


@dataclass
class Film:
    """The frames and what the child set: every edit keeps `selected` on a frame (or None
    when there are none) and says whether the film changed."""

    frames: list[Frame] = field(default_factory=list)
    selected: int | None = None
    fps: int = 8
    onion: int = 1
    onion_alpha: int = ONION_ALPHAS[1]
    playing: bool = False
    play_index: int = 0
    play_clock: float = 0.0

    @property
    def full(self) -> bool:
        return len(self.frames) >= MAX_FRAMES

    @property
    def seconds(self) -> float:
        return sum(self.shown_seconds(f) for f in self.frames)

    def shown_seconds(self, frame: Frame) -> float:
        """How long `frame` shows: its hold, or as long as its sound when that is longer."""
        return max(frame.hold / self.fps, frame.sound_seconds if frame.sound else 0.0)

    @property
    def playing_frame(self) -> Frame | None:
        return self.frames[self.play_index % len(self.frames)] if self.frames else None

    def insert(self, frame: Frame) -> int:
        """Put `frame` after the selected one (or last) and select it; returns where."""
        at = len(self.frames) if self.selected is None else self.selected + 1
        self.frames.insert(at, frame)
        self.selected = at
        return at

    def move_to(self, index: int | None, target: int) -> bool:
        if index is None or not self.frames:
            return False
        target = max(0, min(len(self.frames) - 1, target))
        if target == index:
            return False
        self.frames.insert(target, self.frames.pop(index))
        self.selected = target
        return True

    def copy(self) -> bool:
        if self.selected is None or self.full:
            return False
        frame = self.frames[self.selected]
        self.frames.insert(self.selected + 1, Frame(frame.file, frame.hold, frame.thumb))
        self.selected += 1
        return True

    def cycle_hold(self) -> bool:
        if self.selected is None:
            return False
        frame = self.frames[self.selected]
        frame.hold = frame.hold % MAX_HOLD + 1
        return True

    def delete(self) -> bool:
        if self.selected is None:
            return False
        self.frames.pop(self.selected)
        self.selected = min(self.selected, len(self.frames) - 1) if self.frames else None
        if not self.frames:
            self.playing = False
        return True

    def toggle_play(self) -> None:
        self.playing = not self.playing and bool(self.frames)
        self.play_index = 0
        self.play_clock = 0.0

    def advance_play(self, dt: float) -> bool:
        """Let `dt` of playback pass; True when another frame shows."""
        if not self.playing or not self.frames:
            return False
        self.play_clock += dt
        moved = False
        while self.play_clock >= self.shown_seconds(self.frames[self.play_index]):
            self.play_clock -= self.shown_seconds(self.frames[self.play_index])
            self.play_index = (self.play_index + 1) % len(self.frames)
            moved = True
            if self.frames[self.play_index].sound:
                # Its sound starts now: the frame's time counts from here.
                self.play_clock = 0.0
                break
        return moved

    def cycle_onion(self) -> None:
        self.onion = (self.onion + 1) % 4

    def cycle_opacity(self) -> None:
        i = ONION_ALPHAS.index(self.onion_alpha) if self.onion_alpha in ONION_ALPHAS else 0
        self.onion_alpha = ONION_ALPHAS[(i + 1) % len(ONION_ALPHAS)]

    def set_sound(self, sound: str | None, seconds: float = 0.0) -> bool:
        """Give the selected frame `sound` (None takes it away)."""
        if self.selected is None:
            return False
        frame = self.frames[self.selected]
        frame.sound, frame.sound_seconds = sound, seconds if sound else 0.0
        return True

    def frames_data(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = []
        for f in self.frames:
            entry: dict[str, Any] = {"file": f.file, "hold": f.hold}
            if f.sound:
                entry.update(sound=f.sound, sound_seconds=round(f.sound_seconds, 3))
            data.append(entry)
        return data

    def sounds(self) -> set[str]:
        return {f.sound for f in self.frames if f.sound}


class FilmFiles:
    """A film's creation: frames written as they are taken, the few full frames kept in
    memory (least recently shown go first), and the film saved into creation.json."""

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx
        self.creation: Creation | None = None
        self.full: OrderedDict[str, pygame.Surface] = OrderedDict()
        self._next_number = 1
        self._next_sound = 1
        #: Recordings made into this creation that may still be on disk.
        self._sounds_made: set[str] = set()

    def reset(self) -> None:
        self.creation = None
        self.full.clear()
        self._next_number = 1
        self._next_sound = 1
        self._sounds_made = set()

    def new_sound(self) -> str:
        """A fresh name for a recording: a redo never overwrites the sound it may replace."""
        rel = f"sounds/{self._next_sound:03d}.wav"
        self._next_sound += 1
        self._sounds_made.add(rel)
        return rel

    def add(self, picture: pygame.Surface) -> Frame:
        """A new frame from a 640×480 `picture`, written (queued) into the creation."""
        if self.creation is None and self.ctx.creations is not None:
            self.creation = self.ctx.creations.new("film", self.ctx.lang)
        file = f"frames/{self._next_number:04d}.png"
        self._next_number += 1
        if self.creation is not None:
            self.creation.write_png(file, picture)
        self._remember(file, picture)
        return Frame(file, 1, pygame.transform.smoothscale(picture, THUMB_SIZE))

    def _remember(self, file: str, picture: pygame.Surface) -> None:
        self.full[file] = picture
        self.full.move_to_end(file)
        while len(self.full) > FULL_FRAMES_KEPT:
            self.full.popitem(last=False)

    def picture(self, file: str) -> pygame.Surface | None:
        """A frame at full size: from memory, else from the creation."""
        picture = self.full.get(file)
        if picture is not None:
            self.full.move_to_end(file)
            return picture
        if self.creation is None:
            return None
        picture = self.creation.load_png(file)
        if picture is not None:
            self._remember(file, picture)
        return picture

    def save(
        self,
        film: Film,
        state: Literal["draft", "saved"],
        new_thumb: bool,
        recording: str | None = None,
    ) -> None:
        """Queue creation.json (and the thumbnail) for the writer thread, and the removal
        of the recordings no frame names any more (a redone, deleted or dropped sound) —
        by name, so a recording started after this (or `recording`, running now) stays."""
        creation = self.creation
        if creation is None:
            return
        creation.data = {"fps": film.fps, "frames": film.frames_data()}
        creation.timeline = [
            {"image": f.file, "seconds": film.shown_seconds(f), "audio": f.sound}
            for f in film.frames
        ]
        creation.pages = [f.file for f in film.frames]
        first = self.picture(film.frames[0].file) if film.frames else None
        creation.save(state, thumbnail=first if new_thumb else None)
        if state == "saved":
            # Frames the child deleted leave the folder when the film is saved.
            creation.forget_files("frames", {f.file for f in film.frames})
        for rel in sorted(self._sounds_made - film.sounds() - {recording}):
            creation.forget_files("sounds", (), pattern=rel.split("/", 1)[1])
            self._sounds_made.discard(rel)
