"""A headless kiosk for tests, screenshots, benchmarks and `kiosk monkey`.

`Harness` starts the real app on SDL's dummy video and audio drivers with a fake clock,
posts real pygame events (mouse, finger, keys) into SDL's queue, steps frames with a
fixed time step and hands back screenshots::

    with Harness(size=(1366, 768)) as kiosk:
        kiosk.tap_button("start")
        kiosk.tap_button("age:skip")
        kiosk.tap_button("tile:memory")
        kiosk.screenshot("memory.png")
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pygame

from kiosk.activities import RegisteredActivity
from kiosk.api import Activity
from kiosk.config import Config
from kiosk.first_frame import FirstFrame
from kiosk.sessions import MemoryUsageSink, UsageReader, UsageSink
from kiosk.shell import App, FakeClock, create_app
from kiosk.ui.widgets import Button, ButtonGroup

FRAME_S = 1 / 30


def use_headless_drivers() -> None:
    """Select SDL's dummy drivers (before any pygame subsystem starts)."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


class Harness:
    def __init__(
        self,
        config: Config | None = None,
        size: tuple[int, int] = (1366, 768),
        lang: str | None = None,
        sink: UsageSink | None = None,
        usage: UsageReader | None = None,
        registered: list[RegisteredActivity] | None = None,
        seed: int = 1,
        kiosk_mode: bool = True,
        data_folder: Path | None = None,
        first_frame: FirstFrame | None = None,
    ) -> None:
        use_headless_drivers()
        self.clock = FakeClock()
        self.sink = sink if sink is not None else MemoryUsageSink()
        if usage is None:
            from kiosk.usage import UsageStore

            # A real store given as the sink is also what the librarian panel reads back.
            usage = sink if isinstance(sink, UsageStore) else None
        self.app: App = create_app(
            config or Config.model_validate({}),
            windowed=not kiosk_mode,
            fullscreen=False,
            size=size,
            lang=lang,
            clock=self.clock,
            sink=self.sink,
            usage=usage,
            registered=registered,
            seed=seed,
            data_folder=data_folder,
            first_frame=first_frame,
        )
        self.app.start()

    # ----- lifetime ------------------------------------------------------------------

    def close(self) -> None:
        self.app.shutdown()
        pygame.mixer.quit()
        pygame.display.quit()

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----- time ----------------------------------------------------------------------

    def step(self, frames: int = 1, dt: float = FRAME_S) -> None:
        for _ in range(frames):
            self.clock.advance(dt)
            self.app.step(dt)

    def wait(self, seconds: float, dt: float = FRAME_S) -> None:
        """Let `seconds` pass with no input, frame by frame."""
        steps = max(1, round(seconds / dt))
        self.step(steps, seconds / steps)

    # ----- input ---------------------------------------------------------------------

    def post(self, event_type: int, **attrs: Any) -> None:
        pygame.event.post(pygame.event.Event(event_type, **attrs))

    def click(self, pos: tuple[int, int], frames: int = 2) -> None:
        """Mouse press and release at `pos`."""
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
        self.step()
        self.post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
        self.step(frames)

    tap = click

    def touch(
        self, pos: tuple[int, int], finger: int = 0, frames: int = 2, emulate_mouse: bool = True
    ) -> None:
        """A finger tap as SDL reports it: finger events plus, like SDL on a real
        touch screen, mouse events marked `touch` (which must not count twice)."""
        w, h = self.app.screen.get_size()
        norm = {
            "x": pos[0] / w,
            "y": pos[1] / h,
            "dx": 0.0,
            "dy": 0.0,
            "touch_id": 1,
            "finger_id": finger,
            "pressure": 1.0,
        }
        self.post(pygame.FINGERDOWN, **norm)
        if emulate_mouse:
            self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=True)
        self.step()
        self.post(pygame.FINGERUP, **norm)
        if emulate_mouse:
            self.post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=True)
        self.step(frames)

    def drag(self, start: tuple[int, int], end: tuple[int, int], steps: int = 6) -> None:
        self.post(pygame.MOUSEBUTTONDOWN, pos=start, button=1, touch=False)
        self.step()
        for i in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * i // steps
            y = start[1] + (end[1] - start[1]) * i // steps
            self.post(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(1, 0, 0), touch=False)
            self.step()
        self.post(pygame.MOUSEBUTTONUP, pos=end, button=1, touch=False)
        self.step()

    def key(self, key: int, mod: int = 0, unicode: str = "", frames: int = 2) -> None:
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0)
        self.post(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0)
        self.step(frames)

    # ----- looking -------------------------------------------------------------------

    def button_groups(self) -> list[ButtonGroup]:
        """The button groups of the visible scenes, top-most first (activities included)."""
        groups: list[ButtonGroup] = []
        for scene in reversed(self.app.stack.scenes):
            activity = getattr(scene, "activity", None)
            for owner in (scene, activity if isinstance(activity, Activity) else None):
                if owner is None:
                    continue
                for value in vars(owner).values():
                    if isinstance(value, ButtonGroup):
                        groups.append(value)
            if scene.opaque:
                break
        return groups

    def buttons(self) -> list[Button]:
        return [b for group in self.button_groups() for b in group.buttons]

    def find_button(self, button_id: str) -> Button:
        for button in self.buttons():
            if button.id == button_id:
                return button
        ids = ", ".join(b.id for b in self.buttons())
        raise LookupError(f"no button {button_id!r} on screen; there are: {ids}")

    def tap_button(self, button_id: str, via: str = "mouse") -> None:
        center = self.find_button(button_id).rect.center
        if via == "touch":
            self.touch(center)
        else:
            self.click(center)

    @property
    def scene_name(self) -> str:
        top = self.app.top
        return type(top).__name__ if top is not None else ""

    def screenshot(self, path: str | Path | None = None) -> pygame.Surface:
        """What the screen shows now (after a full repaint)."""
        self.app.invalidate()
        self.app.render()
        image = self.app.screen.copy()
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            pygame.image.save(image, str(path))
        return image
