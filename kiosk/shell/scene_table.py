"""Which scene shows each route (kiosk/routes.py): the one place that knows every scene.

A scene's module is imported the first time its route is shown, not at start: most of a
day a station shows the attract screen, the launcher and games, and the librarian's screens
(the panel, the creations review with its exports, voice clips …) would otherwise hold
their code in memory from the first frame."""

from __future__ import annotations

import importlib

from kiosk import routes
from kiosk.scenes.base import Scene

#: route → "module:class" of the scene that shows it.
SCENES: dict[type[routes.Route], str] = {
    routes.PinPad: "kiosk.scenes.pin_pad:PinPad",
    routes.Panel: "kiosk.scenes.panel:Panel",
    routes.VoiceClips: "kiosk.scenes.voice_clips:VoiceClips",
    routes.Creations: "kiosk.scenes.creations:CreationsReview",
    routes.GroupSetup: "kiosk.scenes.group_setup:GroupSetup",
    routes.ControllersStep: "kiosk.scenes.controllers_step:ControllersStep",
    routes.TimeUp: "kiosk.scenes.time_up:TimeUp",
    routes.OutOfOrder: "kiosk.scenes.out_of_order:OutOfOrder",
    routes.Attract: "kiosk.scenes.attract:Attract",
    routes.AgePicker: "kiosk.scenes.age_picker:AgePicker",
    routes.Launcher: "kiosk.scenes.launcher:Launcher",
    routes.Activity: "kiosk.scenes.activity_host:ActivityHost",
    routes.IdlePrompt: "kiosk.scenes.idle_prompt:IdlePrompt",
    routes.Oops: "kiosk.scenes.oops:Oops",
    routes.Showtime: "kiosk.scenes.showtime:Showtime",
    routes.PadMissing: "kiosk.scenes.pad_missing:PadMissing",
}


class SceneTable:
    """The scene classes by route, each imported when first asked for."""

    def __init__(self) -> None:
        self._loaded: dict[type[routes.Route], type[Scene]] = {}

    def scene_class(self, route: type[routes.Route]) -> type[Scene]:
        found = self._loaded.get(route)
        if found is None:
            module, name = SCENES[route].split(":")
            found = self._loaded[route] = getattr(importlib.import_module(module), name)
        return found

    def loaded(self, route: type[routes.Route]) -> type[Scene] | None:
        """The class if it was imported already: no scene of a class never imported can
        be on the stack, so looking for one needs no import."""
        return self._loaded.get(route)


def scene_classes() -> dict[type[routes.Route], type[Scene]]:
    """Every route's scene class, all imported (tests, and checks that each route has one)."""
    table = SceneTable()
    return {route: table.scene_class(route) for route in SCENES}
