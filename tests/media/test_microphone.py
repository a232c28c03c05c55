"""Narration through SDL's disk audio driver: a sine tone in, a WAV file out."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import wave
from array import array
from pathlib import Path

from kiosk.media.microphone import RATE
from kiosk.paths import APP_ROOT

# SDL reads its audio driver once, when audio starts: the recording runs in a fresh
# process with the disk driver, reading raw samples in the device's format (S16LE mono).
RECORD = """
import json, sys, time
from pathlib import Path
from kiosk.media import open_microphone
mic = open_microphone()
if mic is None:
    print(json.dumps({"mic": None}))
    sys.exit(0)
mic.start(Path(sys.argv[1]))
levels, started = [], time.monotonic()
while time.monotonic() - started < float(sys.argv[2]):
    time.sleep(0.05)
    levels.append(mic.level)
seconds = mic.stop()
print(json.dumps({"mic": True, "seconds": seconds, "wall": time.monotonic() - started,
                  "levels": levels}))
"""


def test_recording_from_the_disk_driver_writes_the_tone(tmp_path):
    tone_s, record_s = 1.0, 1.6
    tone = array(
        "h",
        (int(12000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(int(RATE * tone_s))),
    )
    raw = tmp_path / "in.raw"
    raw.write_bytes(tone.tobytes())
    wav_path = tmp_path / "narration.wav"
    env = {
        **os.environ,
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILEIN": str(raw),
        "SDL_DISKAUDIOFILE": str(tmp_path / "out.raw"),
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", RECORD, str(wav_path), str(record_s)],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["mic"], "the disk driver's capture device did not open"
    with wave.open(str(wav_path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        samples = array("h", wav.readframes(wav.getnframes()))
    duration = len(samples) / RATE
    # As long as it was recording (never longer), at least the tone's part: the disk driver
    # paces itself by the wall clock, so a loaded machine may record a little less.
    assert 0.8 <= duration <= report["wall"] + 0.2
    assert duration == report["seconds"]
    # The tone, then the silence the driver gives once its file has ended.
    head = samples[: int(RATE * 0.8)]
    tail = samples[int(RATE * (tone_s + 0.1)) :]
    assert (sum(s * s for s in head) / len(head)) ** 0.5 > 5000
    assert max(abs(s) for s in tail) == 0
    # The meter rose while the tone played and fell back after it.
    levels = report["levels"]
    assert max(levels[:10]) > 0.5 and levels[-1] < 0.1


def test_no_capture_device_gives_none(tmp_path):
    env = {**os.environ, "SDL_AUDIODRIVER": "no-such-driver", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    result = subprocess.run(
        [sys.executable, "-c", RECORD, str(tmp_path / "x.wav"), "0.1"],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"mic": None}
    assert not Path(tmp_path / "x.wav").exists()
