"""Which scene shows each route (kiosk/routes.py): the one place that knows every scene."""

from __future__ import annotations

from kiosk import routes
from kiosk.scenes.base import Scene


def scene_classes() -> dict[type[routes.Route], type[Scene]]:
    # Imported here, not at module level: building the registry is the shell's job, and
    # scene modules never import each other (they name routes, kiosk/routes.py).
    from kiosk.scenes.activity_host import ActivityHost
    from kiosk.scenes.age_picker import AgePicker
    from kiosk.scenes.attract import Attract
    from kiosk.scenes.controllers_step import ControllersStep
    from kiosk.scenes.creations import CreationsReview
    from kiosk.scenes.group_setup import GroupSetup
    from kiosk.scenes.idle_prompt import IdlePrompt
    from kiosk.scenes.launcher import Launcher
    from kiosk.scenes.oops import Oops
    from kiosk.scenes.out_of_order import OutOfOrder
    from kiosk.scenes.pad_missing import PadMissing
    from kiosk.scenes.panel import Panel
    from kiosk.scenes.pin_pad import PinPad
    from kiosk.scenes.showtime import Showtime
    from kiosk.scenes.time_up import TimeUp
    from kiosk.scenes.voice_clips import VoiceClips

    return {
        routes.PinPad: PinPad,
        routes.Panel: Panel,
        routes.VoiceClips: VoiceClips,
        routes.Creations: CreationsReview,
        routes.GroupSetup: GroupSetup,
        routes.ControllersStep: ControllersStep,
        routes.TimeUp: TimeUp,
        routes.OutOfOrder: OutOfOrder,
        routes.Attract: Attract,
        routes.AgePicker: AgePicker,
        routes.Launcher: Launcher,
        routes.Activity: ActivityHost,
        routes.IdlePrompt: IdlePrompt,
        routes.Oops: Oops,
        routes.Showtime: Showtime,
        routes.PadMissing: PadMissing,
    }
