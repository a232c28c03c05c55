"""What a child really hears, captured with SDL's disk audio driver.

SDL picks its audio driver once, when audio starts, so each case runs a headless kiosk
in a fresh process with `SDL_AUDIODRIVER=disk`: everything the mixer plays is written to
`SDL_DISKAUDIOFILE` as raw samples in the device's format (S16LE mono, 22050 Hz), and the
microphone reads `SDL_DISKAUDIOFILEIN`. The disk driver keeps real time (one buffer a
`SDL_DISKAUDIODELAY`), so the scripts wait for the sound to finish; here it runs 10×
faster than real time."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.paths import APP_ROOT
from tests.voice.sounds import RATE, peak, samples_of

TEXTS = {
    "lv": "Kas strādā slimnīcā?",
    "lt": "Kas dirba ligoninėje?",
    "en": "Who works in a hospital? The doctor and the nurse.",
}

SPEAK = """
import json, os, sys, time
from pathlib import Path
import pygame
from kiosk.harness import Harness

texts = json.loads(sys.argv[2])
harness = Harness(data_folder=Path(sys.argv[1]))
voice = harness.app.voice
out = Path(os.environ["SDL_DISKAUDIOFILE"])
report = {"available": voice.available, "said": []}
mic_wav = sys.argv[3] if len(sys.argv) > 3 else ""
if mic_wav:
    from kiosk.media import open_microphone
    mic = open_microphone()
    mic.start(Path(mic_wav))
    deadline = time.monotonic() + 20
    while mic.seconds < 1.0 and time.monotonic() < deadline:
        time.sleep(0.01)
    report["recorded_s"] = mic.stop()
    voice.keep_recording(texts[0][1], texts[0][0], Path(mic_wav))
for lang, text in texts:
    start = out.stat().st_size
    voice.say(text, lang)
    voice.wait_idle()
    harness.step()  # the frame that starts the sound
    deadline = time.monotonic() + 20
    while voice.speaking and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)  # let the driver write the last buffers
    report["said"].append({"lang": lang, "from": start, "to": out.stat().st_size})
report["synthesised"] = voice.synthesised
report["problems"] = voice.problems
harness.close()
print(json.dumps(report))
"""


def _run(tmp_path: Path, texts: list[tuple[str, str]], mic_in: Path | None = None) -> dict:
    env = {
        **os.environ,
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(tmp_path / "out.raw"),
        "SDL_DISKAUDIODELAY": "2",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    args = [sys.executable, "-c", SPEAK, str(tmp_path / "data"), json.dumps(texts)]
    if mic_in is not None:
        env["SDL_DISKAUDIOFILEIN"] = str(mic_in)
        args.append(str(tmp_path / "mic.wav"))
    result = subprocess.run(
        args, cwd=APP_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["available"], "the kiosk found no sound device on the disk driver"
    return report


def _heard(tmp_path: Path, said: dict) -> array[int]:
    """The sound between the first and the last audible sample of one utterance."""
    data = (tmp_path / "out.raw").read_bytes()[said["from"] : said["to"]]
    samples = samples_of(data)
    loud = [i for i, s in enumerate(samples) if abs(s) > 200]
    assert loud, "nothing audible was played"
    return samples[loud[0] : loud[-1] + 1]


def _cached(tmp_path: Path) -> dict[int, array[int]]:
    """The synthesised speech the kiosk cached, by length in samples."""
    found = {}
    for path in (tmp_path / "data" / "cache" / "speech").glob("*.wav"):
        with wave.open(str(path)) as wav:
            samples = samples_of(wav.readframes(wav.getnframes()))
        loud = [i for i, s in enumerate(samples) if abs(s) > 200]
        found[len(samples)] = samples[loud[0] : loud[-1] + 1]
    return found


def test_a_question_is_heard_in_each_language(tmp_path: Path) -> None:
    report = _run(tmp_path, list(TEXTS.items()))
    assert report["synthesised"] == 3 and report["problems"] == []
    cached = list(_cached(tmp_path).values())
    heard_by_lang = {said["lang"]: _heard(tmp_path, said) for said in report["said"]}
    for lang, heard in heard_by_lang.items():
        seconds = len(heard) / RATE
        words = len(TEXTS[lang].split())
        # Children's pace: 0.2–0.8 s a word, never silent.
        assert 0.2 * words <= seconds <= 0.8 * words + 0.5, (lang, seconds)
        assert peak(heard) > 3000
        # What came out of the speakers is exactly one synthesised text, sample for sample.
        assert sum(1 for c in cached if c == heard) == 1, lang
    # The longer English text took longer to say than the Lithuanian question.
    assert len(heard_by_lang["en"]) > 1.5 * len(heard_by_lang["lt"])


def test_a_clip_recorded_through_the_microphone_plays_instead_of_synthesis(
    tmp_path: Path,
) -> None:
    # The librarian's microphone hears a 1 s, 330 Hz tone (the disk driver's input file).
    tone = array("h", (int(12000 * math.sin(2 * math.pi * 330 * i / RATE)) for i in range(RATE)))
    mic_in = tmp_path / "in.raw"
    mic_in.write_bytes(tone.tobytes())
    report = _run(tmp_path, [("lv", TEXTS["lv"])], mic_in)
    assert report["recorded_s"] >= 1.0
    assert report["synthesised"] == 0
    heard = _heard(tmp_path, report["said"][0])
    assert len(heard) / RATE == pytest.approx(1.0, abs=0.05)
    crossings = sum(1 for a, b in zip(heard, heard[1:], strict=False) if a < 0 <= b)
    assert crossings == pytest.approx(330, abs=5)  # the tone, not a voice
