"""A test activity that keeps every key it receives, and its pauses."""

from __future__ import annotations

from kiosk.activities import RegisteredActivity
from kiosk.api import Activity, ActivityInfo, InputEvent, KeyEvent
from kiosk.harness import Harness


class KeyRecorder(Activity):
    info = ActivityInfo(id="keys", title={"en": "Keys"}, icon="star")

    def on_enter(self) -> None:
        self.keys: list[KeyEvent] = []
        self.pauses = 0
        self.resumes = 0

    def on_pause(self) -> None:
        self.pauses += 1

    def on_resume(self) -> None:
        self.resumes += 1

    def handle_event(self, event: InputEvent) -> bool:
        if isinstance(event, KeyEvent):
            self.keys.append(event)
        return True


RECORDER = {"registered": [RegisteredActivity(KeyRecorder, "tests")]}


def open_recorder(kiosk: Harness) -> KeyRecorder:
    """From the attract screen into the recorder, by touch."""
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:keys")
    activity = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(activity, KeyRecorder)
    return activity
