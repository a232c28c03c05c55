"""Reading texts aloud: recorded clips first, else eSpeak NG offline synthesis.

`VoiceService` (kiosk.voice.service) is what the shell builds and activities reach
through `ActivityContext.say`; `kiosk.voice.clips` checks recorded clips for
`kiosk content check`; `kiosk.voice.espeak` drives libespeak-ng; `kiosk.voice.cache`
keeps synthesised speech on disk."""

from kiosk.voice.espeak import Espeak, Speech, SpeechUnavailable
from kiosk.voice.service import VoiceService, recorded_clip_path

__all__ = ["Espeak", "Speech", "SpeechUnavailable", "VoiceService", "recorded_clip_path"]
