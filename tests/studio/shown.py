"""What the screen says: every text drawn during one full repaint."""

from __future__ import annotations

from typing import Any

from kiosk.harness import Harness


def shown_texts(kiosk: Harness) -> list[str]:
    """The texts the visible scenes draw when the whole screen is repainted."""
    renderer = kiosk.app.ui.text
    seen: list[str] = []
    fit, render = renderer.fit, renderer.render

    def spy_fit(text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(text)
        return fit(text, *args, **kwargs)

    def spy_render(text: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(text)
        return render(text, *args, **kwargs)

    renderer.fit, renderer.render = spy_fit, spy_render  # type: ignore[method-assign]
    try:
        kiosk.screenshot()
    finally:
        del renderer.fit, renderer.render
    return seen
