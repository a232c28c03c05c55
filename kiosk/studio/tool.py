"""What the film and the story share as activities: a stage fed by the camera, a 3-2-1
countdown, a creation kept as a draft when the visit ends, and the "saved!" screen with
its two ways on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pygame

from kiosk.api import Activity, Button, Creation
from kiosk.studio.common import saved_buttons
from kiosk.studio.stage import Countdown, newer_frame


class StudioTool(Activity):
    """A creative tool with a `view` (its `stage`), `files` (its `creation`), a `camera`
    and a `countdown`; subclasses say how to save and how to redraw their buttons."""

    #: The "saved!" screen's picture of the work, and the id of its "new …" button.
    saved_icon = ""
    new_id = ""
    view: Any
    files: Any
    camera: Any
    countdown: Countdown
    mode: str
    _live: pygame.Surface | None
    _session_end: str | None

    @property
    def creation(self) -> Creation | None:
        return self.files.creation

    @property
    def stage(self) -> pygame.Rect:
        return self.view.stage

    def on_session_end(self, reason: str) -> None:
        self._session_end = reason

    def _save(self, state: Literal["draft", "saved"]) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Build the buttons again (and place them, where the mode moves things)."""
        raise NotImplementedError

    def start_new(self) -> None:
        raise NotImplementedError

    def new_label(self) -> str:
        raise NotImplementedError

    def keep_draft(self) -> None:
        """Leaving: the work stays as a draft (kept for the librarian after an idle end)."""
        if self.creation is not None:
            if self._session_end == "idle":
                self.creation.closed_by = "idle"
            self._save("draft")

    def finish(self) -> None:
        """The child's Save: a saved creation, a completed round and the "saved!" screen."""
        self._save("saved")
        self.ctx.complete()
        self.ctx.play_sound("success")
        self.mode = "saved"
        self.refresh()

    def keep_going(self) -> None:
        self.mode = "edit"
        self.refresh()

    def _saved_buttons(self) -> list[Button]:
        return saved_buttons(
            self.ctx,
            self.saved_icon,
            self.keep_going,
            self.new_id,
            self.new_label(),
            self.start_new,
        )

    def follow_camera(self) -> None:
        """Show the camera's newest picture on the stage."""
        newest = newer_frame(self.camera, self._live)
        if newest is not None:
            self._live = newest
            self.ctx.invalidate(self.stage)

    def tick_countdown(self, dt: float, then: Callable[[], None], area: pygame.Rect) -> None:
        """Count down, redrawing `area`; `then` at zero."""
        if self.countdown.running:
            if self.countdown.tick(dt):
                then()
            self.ctx.invalidate(area)
