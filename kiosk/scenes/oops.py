"""The friendly screen after an activity failed: no traceback, just a way on."""

from __future__ import annotations

from kiosk import routes
from kiosk.scenes.message import MessageScreen


class Oops(MessageScreen):
    picture = "turtle"
    auto_continue_s = 8.0

    def message(self) -> str:
        return self._("Oops! This game needs a little rest. Let's pick another one.")

    def go_on(self) -> None:
        self.shell.go(routes.Launcher())
