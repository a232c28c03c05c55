"""What the librarian's own screens over the panel share (creations review, voice clips):
Escape or the back arrow goes back, a short message in green or red, Delete after a second
tap, and closing by itself after two minutes without input, so a child never finds the
librarian's tools left open."""

from __future__ import annotations

from kiosk.input import InputEvent
from kiosk.scenes.base import Scene, Shell, is_back_key
from kiosk.ui.theme import BAD, GOOD, Color, darken
from kiosk.ui.widgets import ButtonGroup

IDLE_CLOSE_S = 120.0
#: A second tap on Delete within this many seconds deletes.
CONFIRM_S = 3.0


class LibrarianScreen(Scene):
    in_session = False

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.buttons = ButtonGroup(self.ui, shell.invalidate)
        #: What the last action did, in the station's language ("" for nothing).
        self.message = ""
        self.message_ok = True
        #: Seconds without input (work under way, like an export, keeps it at 0).
        self.idle = 0.0
        self._delete_armed_at: float | None = None

    def back(self) -> None:
        self.shell.pop(self)

    def _say(self, text: str, ok: bool) -> None:
        self.message = text
        self.message_ok = ok

    @property
    def message_color(self) -> Color:
        return darken(GOOD, 0.35) if self.message_ok else darken(BAD, 0.2)

    def _delete_armed(self) -> bool:
        return (
            self._delete_armed_at is not None
            and self.shell.now() - self._delete_armed_at < CONFIRM_S
        )

    def _confirm_delete(self) -> bool:
        """True at the second tap within CONFIRM_S; the first arms it (Delete asks again)."""
        if not self._delete_armed():
            self._delete_armed_at = self.shell.now()
            self.layout()
            return False
        self._delete_armed_at = None
        return True

    def handle_event(self, event: InputEvent) -> bool:
        self.idle = 0.0
        if is_back_key(event):
            self.back()
            return True
        self.buttons.handle(event)
        return True

    def _tick(self, dt: float) -> None:
        """The end of every `update`: an unconfirmed Delete disarms, idleness closes."""
        if self._delete_armed_at is not None and not self._delete_armed():
            self._delete_armed_at = None
            self.layout()
        self.idle += dt
        if self.idle >= IDLE_CLOSE_S:
            self.shell.pop(self)
