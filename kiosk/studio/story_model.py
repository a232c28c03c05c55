"""The story as the child edits it — slides in order, the one chosen — and its files.

On disk (a creation of kind "story"): ``backgrounds/NN.png`` (1280×720), ``audio/NN.wav``
and the rendered slides ``render/slide-NN.png`` with the text baked in, listed in the
timeline (duration and narration) and as pages; ``data`` keeps the editable slides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pygame

from kiosk.api import ActivityContext, Creation
from kiosk.studio.slides import DURATIONS, THUMB_SIZE, Slide, render_slide

MAX_SLIDES = 12


@dataclass
class Story:
    """The slides and which one is chosen (`current`); there is always at least one."""

    slides: list[Slide] = field(default_factory=list)
    current: int = 0
    _next_uid: int = 1

    @property
    def slide(self) -> Slide:
        return self.slides[self.current]

    @property
    def full(self) -> bool:
        return len(self.slides) >= MAX_SLIDES

    def add(self) -> Slide:
        """A new empty slide after the chosen one (the first when there are none), chosen."""
        slide = Slide(uid=self._next_uid)
        self._next_uid += 1
        at = self.current + 1 if self.slides else 0
        self.slides.insert(at, slide)
        self.current = at
        return slide

    def choose(self, index: int) -> None:
        self.current = max(0, min(len(self.slides) - 1, index))

    def move(self, step: int) -> bool:
        """The chosen slide `step` places on; False at either end."""
        target = self.current + step
        if not 0 <= target < len(self.slides):
            return False
        self.slides.insert(target, self.slides.pop(self.current))
        self.current = target
        return True

    def delete(self) -> bool:
        """Remove the chosen slide; the last one left is emptied instead (returns False)."""
        if len(self.slides) <= 1:
            slide = self.slide
            slide.background, slide.title, slide.bubble = None, "", ""
            slide.audio, slide.audio_seconds, slide.duration = None, 0.0, DURATIONS[1]
            return False
        self.slides.pop(self.current)
        self.current = min(self.current, len(self.slides) - 1)
        return True

    def cycle_duration(self) -> None:
        """3, 5, 8 seconds, and "as long as the narration" when it has one."""
        slide = self.slide
        choices: list[int | None] = list(DURATIONS)
        if slide.audio is not None:
            choices.append(None)
        i = choices.index(slide.duration) if slide.duration in choices else 0
        slide.duration = choices[(i + 1) % len(choices)]


class StoryFiles:
    """A story's creation: backgrounds written as they are chosen, the few shown kept in
    memory, and the slides rendered and saved."""

    def __init__(self, ctx: ActivityContext) -> None:
        self.ctx = ctx
        self.creation: Creation | None = None
        self._backgrounds: dict[int, pygame.Surface] = {}
        #: Slides changed since the last save (their pictures are rendered again).
        self.dirty: set[int] = set()

    def reset(self) -> None:
        self.creation = None
        self._backgrounds.clear()
        self.dirty.clear()

    def make(self) -> Creation | None:
        """The story's creation, made at its first change; None without a store."""
        if self.creation is None and self.ctx.creations is not None:
            self.creation = self.ctx.creations.new("story", self.ctx.lang)
        return self.creation

    def set_background(self, slide: Slide, picture: pygame.Surface) -> None:
        creation = self.make()
        rel = f"backgrounds/{slide.uid:02d}.png"
        if creation is not None:
            creation.write_png(rel, picture)
        slide.background = rel
        self._backgrounds = {slide.uid: picture}

    def background(self, slide: Slide) -> pygame.Surface | None:
        if slide.background is None:
            return None
        picture = self._backgrounds.get(slide.uid)
        if picture is None and self.creation is not None:
            picture = self.creation.load_png(slide.background)
            if picture is not None:
                if len(self._backgrounds) >= 3:
                    self._backgrounds.pop(next(iter(self._backgrounds)))
                self._backgrounds[slide.uid] = picture
        return picture

    def render(self, slide: Slide) -> pygame.Surface:
        """The slide as saved: its background with the text baked in, 1280×720."""
        return render_slide(self.ctx.ui, slide, self.background(slide))

    def thumb(self, slide: Slide) -> pygame.Surface:
        return pygame.transform.smoothscale(self.render(slide), THUMB_SIZE)

    def save(self, story: Story, state: Literal["draft", "saved"]) -> None:
        """Render the changed slides and queue them, and creation.json, for the writer."""
        creation = self.creation
        if creation is None:
            return
        thumbnail = None
        for slide in story.slides:
            rel = f"render/slide-{slide.uid:02d}.png"
            if slide.uid in self.dirty or not creation.has(rel):
                picture = self.render(slide)
                creation.write_png(rel, picture)
                if slide is story.slides[0]:
                    thumbnail = picture
        creation.data = {"slides": [s.to_json() for s in story.slides]}
        creation.timeline = [
            {"image": f"render/slide-{s.uid:02d}.png", "seconds": s.seconds, "audio": s.audio}
            for s in story.slides
        ]
        creation.pages = [f"render/slide-{s.uid:02d}.png" for s in story.slides]
        creation.save(state, thumbnail=thumbnail)
        self.dirty.clear()
