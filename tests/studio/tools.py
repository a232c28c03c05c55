"""Opening a creative tool the way a child does: start, skip the age, find its tile."""

from __future__ import annotations

from kiosk.harness import Harness


def open_tool(kiosk: Harness, tile: str) -> object:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    while not any(b.id == f"tile:{tile}" for b in kiosk.buttons()):
        kiosk.tap_button("page:next")
    kiosk.tap_button(f"tile:{tile}")
    return kiosk.app.top.activity  # type: ignore[union-attr]
