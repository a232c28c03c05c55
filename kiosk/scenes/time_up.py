"""The calm end of a group session whose timer ran out."""

from __future__ import annotations

from kiosk.scenes.message import MessageScreen


class TimeUp(MessageScreen):
    in_session = False
    picture = "alarm-clock"
    auto_continue_s = 60.0

    def message(self) -> str:
        return self._("Time is up! Thank you for playing together.")

    def go_on(self) -> None:
        self.shell.end_session("timer")  # already ended; this resets language and screen
