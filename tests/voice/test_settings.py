"""The sound.speech* settings: defaults, and a wrong value named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import parse_config


def test_speech_is_on_and_reads_aloud_for_the_youngest_by_default() -> None:
    sound = parse_config("{}").sound
    assert (sound.speech, sound.read_aloud, sound.speech_volume) == (True, "youngest", 1.0)


def test_a_silent_reading_room_turns_speech_off() -> None:
    sound = parse_config("sound:\n  speech: false\n  read_aloud: 'off'\n").sound
    assert sound.speech is False and sound.read_aloud == "off"


def test_a_wrong_read_aloud_value_stops_the_kiosk_with_its_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.yaml"
    config.write_text("site:\n  id: ludza\nsound:\n  read_aloud: sometimes\n", encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 2
    err = capfd.readouterr().err.strip()
    assert err.startswith(f"{config}:4: sound.read_aloud: ")
    assert "'off', 'youngest' or 'always'" in err
