"""The librarian's volume and mute, set on the panel and kept through restarts.

The station's config says how loud the kiosk is (`sound.volume` for the feedback sounds,
`sound.speech_volume` for the voice); the panel's volume is a share of that, 0–100 % in
steps of 10 %, applied to both at once, so their balance stays what the config made it.
Mute silences both (a silent reading room); a librarian listening to a recording she made
still hears it.

The config folder is read-only for the kiosk's account on a locked-down station, so the
choice lives in `sound-settings.json` in the data folder (kept through restarts, like the
PIN lockout) and is applied at start on top of the config. When the file cannot be
written the choice holds until the kiosk restarts and the log says why; a file that cannot
be read or makes no sense is ignored (the config's volume, not muted) — never a crash."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.config import SoundConfig
from kiosk.fileio import atomic_write

log = logging.getLogger(__name__)

SOUND_SETTINGS_FILE = "sound-settings.json"
STEP_PERCENT = 10


class Adjustable(Protocol):
    """What the settings drive: the feedback sounds and the voice both have these."""

    def set_volume(self, volume: float) -> None: ...

    def set_muted(self, muted: bool) -> None: ...


@dataclass(frozen=True)
class SoundChoice:
    #: Share of the config's volumes, 0–100.
    percent: int = 100
    muted: bool = False

    def to_json(self) -> str:
        return json.dumps({"volume_percent": self.percent, "muted": self.muted})

    @classmethod
    def from_json(cls, text: str) -> SoundChoice:
        """Raises ValueError (or KeyError, TypeError) for anything but a sane choice."""
        data = json.loads(text)
        percent, muted = data["volume_percent"], data["muted"]
        if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
            raise ValueError(f"volume_percent {percent!r} is not a whole number 0–100")
        if not isinstance(muted, bool):
            raise ValueError(f"muted {muted!r} is not true or false")
        return cls(percent, muted)


class StationSound:
    """The station's sound as the librarian set it; `path` None keeps it in memory only."""

    def __init__(
        self, config: SoundConfig, path: Path | None, targets: tuple[Adjustable, Adjustable]
    ) -> None:
        self.config = config
        self.path = path
        self._effects, self._voice = targets
        self.choice = self._read()
        self._write_failed = False
        self._apply()

    @classmethod
    def for_station(
        cls, config: SoundConfig, data_folder: Path | None, effects: Adjustable, voice: Adjustable
    ) -> StationSound:
        path = data_folder / SOUND_SETTINGS_FILE if data_folder is not None else None
        return cls(config, path, (effects, voice))

    @property
    def percent(self) -> int:
        return self.choice.percent

    @property
    def muted(self) -> bool:
        return self.choice.muted

    def louder(self) -> None:
        self._set(SoundChoice(min(100, self.percent + STEP_PERCENT), self.muted))

    def quieter(self) -> None:
        self._set(SoundChoice(max(0, self.percent - STEP_PERCENT), self.muted))

    def toggle_mute(self) -> None:
        self._set(SoundChoice(self.percent, not self.muted))

    def _set(self, choice: SoundChoice) -> None:
        if choice == self.choice:
            return
        self.choice = choice
        self._apply()
        self._save()

    def _apply(self) -> None:
        share = self.choice.percent / 100
        self._effects.set_volume(self.config.volume * share)
        self._voice.set_volume(self.config.speech_volume * share)
        self._effects.set_muted(self.choice.muted)
        self._voice.set_muted(self.choice.muted)

    def _read(self) -> SoundChoice:
        if self.path is None:
            return SoundChoice()
        try:
            return SoundChoice.from_json(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return SoundChoice()
        except OSError as exc:
            problem = f"cannot be read ({exc.strerror})"
        except (ValueError, KeyError, TypeError) as exc:
            problem = f"makes no sense ({exc})"
        log.warning(
            "the sound settings file %s %s; the config's volume is used, not muted. "
            "Set the volume again on the librarian panel",
            self.path,
            problem,
        )
        return SoundChoice()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            atomic_write(self.path, self.choice.to_json().encode("utf-8"))
        except OSError as exc:
            if not self._write_failed:
                log.warning(
                    "cannot write the sound settings file %s (%s); the volume holds until "
                    "the kiosk restarts. Make the data folder writable for the kiosk's account",
                    self.path,
                    exc.strerror,
                )
            self._write_failed = True
        else:
            self._write_failed = False
