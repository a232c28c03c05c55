"""Reading texts aloud: recorded clips first, else eSpeak NG offline synthesis.

`VoiceService` (kiosk.voice.service) is what the shell builds and activities reach
through `ActivityContext.say`; `kiosk.voice.clips` checks recorded clips for
`kiosk content check`; `kiosk.voice.espeak` drives libespeak-ng; `kiosk.voice.cache`
keeps synthesised speech on disk.

The names below are imported on first use, so `kiosk content check` (which needs only
`kiosk.voice.clips`) does not load pygame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.voice.espeak import Espeak, Speech, SpeechUnavailable
    from kiosk.voice.recordings import recorded_clip_path
    from kiosk.voice.service import VoiceService

__all__ = ["Espeak", "Speech", "SpeechUnavailable", "VoiceService", "recorded_clip_path"]

_HOMES = {
    "Espeak": "kiosk.voice.espeak",
    "Speech": "kiosk.voice.espeak",
    "SpeechUnavailable": "kiosk.voice.espeak",
    "VoiceService": "kiosk.voice.service",
    "recorded_clip_path": "kiosk.voice.recordings",
}


def __getattr__(name: str) -> Any:
    import importlib

    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kiosk.voice' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
