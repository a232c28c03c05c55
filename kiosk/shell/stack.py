"""The scene stack: which scenes are open, who gets input, and what is repainted.

Drawing starts at the top-most opaque scene, so covered scenes cost nothing. Redrawing is
by invalidation: scenes mark rectangles dirty and only those are repainted and sent to the
screen, which keeps an idle attract screen or launcher near zero CPU.

The stack does not know the scenes' kinds: the shell hands it built scenes. Every call
into a scene goes through `safely`, which the shell supplies (it logs, counts and
recovers)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import pygame

from kiosk.input import InputEvent
from kiosk.scenes.base import Scene

Safely = Callable[[Callable[[], object], str], None]


def _where(scene: Scene, what: str) -> str:
    return f"{type(scene).__name__}.{what}"


class SceneStack:
    def __init__(self, safely: Safely) -> None:
        self._safely = safely
        self.scenes: list[Scene] = []
        self._dirty: list[pygame.Rect] = []
        self._full_redraw = True
        self._updating_hidden = False
        #: Frames sent to the screen (benchmarks, tests).
        self.frames = 0

    # ----- changing the stack ----------------------------------------------------------

    def clear(self) -> bool:
        """Close every scene, top first; True when one of them `releases_memory`."""
        released = False
        while self.scenes:
            scene = self.scenes.pop()
            released |= scene.releases_memory
            self._safely(scene.on_exit, _where(scene, "on_exit"))
        return released

    def go(self, scene_factory: Callable[[], Scene]) -> bool:
        """Replace the whole stack; True when a closed scene `releases_memory`."""
        released = self.clear()
        self.enter(scene_factory())
        return released

    def push(self, scene_factory: Callable[[], Scene]) -> None:
        if self.scenes:
            top = self.scenes[-1]
            self._safely(top.on_pause, _where(top, "on_pause"))
        self.enter(scene_factory())

    def pop(self, scene: Scene) -> None:
        if scene not in self.scenes:
            return
        was_top = self.scenes[-1] is scene
        self.scenes.remove(scene)
        self._safely(scene.on_exit, _where(scene, "on_exit"))
        if was_top and self.scenes:
            top = self.scenes[-1]
            self._safely(top.on_resume, _where(top, "on_resume"))
        self.invalidate()

    def enter(self, scene: Scene) -> None:
        self.scenes.append(scene)
        self._safely(scene.on_enter, _where(scene, "on_enter"))
        self.invalidate()

    # ----- looking ---------------------------------------------------------------------

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def find(self, kind: type[Scene]) -> Scene | None:
        """The top-most scene of that class, if any."""
        for scene in reversed(self.scenes):
            if isinstance(scene, kind):
                return scene
        return None

    def visible(self) -> list[Scene]:
        start = 0
        for i in range(len(self.scenes) - 1, -1, -1):
            if self.scenes[i].opaque:
                start = i
                break
        return self.scenes[start:]

    @property
    def frame_rate(self) -> int:
        """The frame rate the visible scenes need; covered scenes' animations do not count."""
        return max((scene.frame_rate for scene in self.visible()), default=0)

    def update_due(self, now: float) -> float:
        """When the earliest scene's `update` next has something to do, covered scenes
        included (they are updated too); `now`: at every turn."""
        return min((scene.update_due(now) for scene in self.scenes), default=math.inf)

    @property
    def dirty(self) -> bool:
        """Something was invalidated since the last `render`."""
        return self._full_redraw or bool(self._dirty)

    # ----- every frame -----------------------------------------------------------------

    def deliver(self, event: InputEvent) -> None:
        """Top scene first; an opaque scene or one that handled it stops the event."""
        for scene in reversed(list(self.scenes)):
            handled = False

            def deliver(scene: Scene = scene) -> None:
                nonlocal handled
                handled = scene.handle_event(event)

            self._safely(deliver, _where(scene, "handle_event"))
            if handled or scene.opaque or not self.scenes or scene not in self.scenes:
                break

    def each(self, what: str, call: Callable[[Scene], object]) -> None:
        """`call` on every open scene, bottom first (layout, language changes)."""
        for scene in list(self.scenes):
            self._safely(partial(call, scene), _where(scene, what))

    def update(self, dt: float) -> None:
        visible = self.visible()
        for scene in list(self.scenes):
            if scene in self.scenes:
                self._updating_hidden = scene not in visible
                try:
                    self._safely(partial(scene.update, dt), _where(scene, "update"))
                finally:
                    self._updating_hidden = False

    def invalidate(self, rect: pygame.Rect | None = None) -> None:
        if self._updating_hidden:
            # A covered scene's animation is not on screen: the whole screen is painted
            # again anyway when the scene on top of it goes.
            return
        if rect is None:
            self._full_redraw = True
        else:
            self._dirty.append(pygame.Rect(rect))

    def render(self, screen: pygame.Surface, overlays: Callable[[], None]) -> list[pygame.Rect]:
        """Repaint what was invalidated, the shell's `overlays` on top; returns the
        rectangles sent to the screen."""

        def paint() -> None:
            for scene in self.visible():
                self._safely(partial(scene.draw, screen), _where(scene, "draw"))
            self._safely(overlays, "overlays")

        screen_rect = screen.get_rect()
        if self._full_redraw:
            self._full_redraw = False
            self._dirty.clear()
            screen.set_clip(None)
            paint()
            pygame.display.flip()
            self.frames += 1
            return [screen_rect]
        if not self._dirty:
            return []
        rects = [r.clip(screen_rect) for r in self._dirty if r.colliderect(screen_rect)]
        self._dirty.clear()
        if not rects:
            return []
        if len(rects) > 4:
            rects = [rects[0].unionall(rects[1:])]
        for rect in rects:
            screen.set_clip(rect)
            paint()
        screen.set_clip(None)
        pygame.display.update(rects)
        self.frames += 1
        return rects
