"""A film frame's sound, recorded in the stop-motion studio from the microphone through
SDL's disk audio driver (the capture device reads a tone file), kept with the film, heard
in the studio and in Showtime; and what happens without a microphone, when the disk
refuses the file and when the visit ends in the middle of a recording."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import threading
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.api import ActivityContext
from kiosk.harness import Harness
from kiosk.media.export import export_creation
from kiosk.media.ffmpeg import probe
from kiosk.media.microphone import RATE
from kiosk.paths import APP_ROOT
from kiosk.studio.film import StopMotion
from tests.pads.showtime_helpers import tones_heard
from tests.studio.shown import shown_texts
from tests.studio.tools import open_tool

RECORD_S = 1.0

# SDL picks its audio driver once, when audio starts: the kiosk runs in a fresh process
# with the disk driver. Each recording opens the capture device anew, which reads the file
# SDL_DISKAUDIOFILEIN names at that moment: the script points it at a different tone for
# each film and for the story. Recordings run in real time; the kiosk's clock is the
# harness's own.
SCRIPT = r"""
import json, logging, os, sys, time
from pathlib import Path
import pygame
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.librarian.pin import set_pin

folder, record_s = Path(sys.argv[1]), float(sys.argv[2])
speaker = Path(os.environ["SDL_DISKAUDIOFILE"])
config = parse_config("languages:\n  default: en\n", path=str(folder / "config.yaml"))
set_pin(folder / "secrets.json", "2468")
logged = []
handler = logging.Handler()
handler.emit = lambda record: logged.append(record.getMessage())
logging.getLogger("kiosk.studio.film_sound").addHandler(handler)
logging.getLogger("kiosk.studio.film_sound").setLevel(logging.INFO)


def listen_to(tone):
    os.environ["SDL_DISKAUDIOFILEIN"] = str(folder / f"tone-{tone}.raw")


def open_tool(kiosk, tile):
    while not any(b.id == f"tile:{tile}" for b in kiosk.buttons()):
        kiosk.tap_button("page:next")
    kiosk.tap_button(f"tile:{tile}")
    return kiosk.app.top.activity


def speak(kiosk, seconds):
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        kiosk.step()
        time.sleep(0.02)


def record_film_sound(kiosk, film, tone):
    listen_to(tone)
    kiosk.tap_button("frame-sound")
    kiosk.tap_button("sound-record")
    kiosk.wait(3.1)  # 3-2-1 on the kiosk's clock
    assert film.recorder.recording, "the recording did not start after the countdown"
    speak(kiosk, record_s)
    kiosk.tap_button("sound-stop")


def meta(creation):
    assert creation.flush(10)
    return json.loads((creation.folder / "creation.json").read_text(encoding="utf-8"))


report = {}
with Harness(config, data_folder=folder / "data", lang="en") as kiosk:
    # A child on their own: the disk refuses the sound, then the visit ends mid-recording.
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    film = open_tool(kiosk, "film")
    kiosk.tap_button("capture")
    # Where the sounds go is taken by a file: the recording cannot be created.
    assert film.creation.flush(10)
    (film.creation.folder / "sounds").write_bytes(b"")
    listen_to(440)
    kiosk.tap_button("frame-sound")
    kiosk.tap_button("sound-record")
    kiosk.wait(3.1)
    report["refused_recording"] = film.recorder.recording
    kiosk.tap_button("sound-done")
    kiosk.tap_button("save")
    report["refused"] = meta(film.creation)
    kiosk.tap_button("new-film")
    kiosk.tap_button("capture")
    kiosk.tap_button("frame-sound")
    kiosk.tap_button("sound-record")
    kiosk.wait(3.1)
    report["cut_recording"] = film.recorder.recording
    speak(kiosk, 0.5)
    cut = film.creation
    kiosk.wait(200, dt=1.0)  # no input: "Are you still there?", then the visit ends
    report["after_idle"] = kiosk.scene_name
    report["cut"] = meta(cut)
    report["cut_files"] = sorted(p.name for p in (cut.folder / "sounds").glob("*"))

    # The group: two films with sound and a story with narration, then Showtime.
    kiosk.app.session.start_group(12, None, None, None)
    films = []
    film = open_tool(kiosk, "film")
    for tone in (440, 660):
        if films:
            kiosk.tap_button("new-film")
        kiosk.tap_button("capture")
        kiosk.tap_button("capture")
        kiosk.tap_button("frame:1")
        record_film_sound(kiosk, film, tone)
        if tone == 440:
            kiosk.tap_button("sound-play")
            report["heard_back"] = film.recorder.playing
            kiosk.tap_button("sound-done")
            # Played in the studio, the first frame waits for its sound.
            seconds = film.frames[0].sound_seconds
            kiosk.tap_button("play")
            started = film.time
            while film.film.play_index == 0 and film.time - started < 5:
                kiosk.step()
            report["frame_shown"] = [seconds, film.time - started]
            kiosk.tap_button("play")
        else:
            kiosk.tap_button("sound-done")
        kiosk.tap_button("save")
        films.append(film.creation)
    kiosk.tap_button("home")
    listen_to(880)
    story = open_tool(kiosk, "story")
    kiosk.tap_button("narration")
    kiosk.tap_button("record-start")
    kiosk.wait(3.1)
    assert story.recording
    speak(kiosk, record_s)
    kiosk.tap_button("record-stop")
    kiosk.tap_button("record-done")
    kiosk.tap_button("save")
    report["story"] = story.creation.id
    kiosk.tap_button("home")
    report["films"] = [meta(c) for c in films]

    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in "2468":
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    kiosk.app.creations.flush(10)
    time.sleep(0.5)  # what the interface played so far reaches the speaker file
    report["show_starts_at"] = speaker.stat().st_size
    kiosk.tap_button("panel:showtime")
    show = kiosk.app.top
    deadline = time.monotonic() + 120
    while not show.finished and time.monotonic() < deadline:
        kiosk.step()
    report.update(played=show.played, scene=kiosk.scene_name, errors=kiosk.app.errors,
                  mixer=list(pygame.mixer.get_init() or []),
                  overflows=len(kiosk.app.ui.text.overflows))
report["logged"] = logged
print(json.dumps(report))
"""


def tone_file(path: Path, frequency: float, seconds: float) -> None:
    tone = array(
        "h",
        (
            int(12000 * math.sin(2 * math.pi * frequency * i / RATE))
            for i in range(int(RATE * seconds))
        ),
    )
    path.write_bytes(tone.tobytes())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Everything the script did, once for the tests below (it takes real seconds)."""
    folder = tmp_path_factory.mktemp("filmsound")
    for frequency in (440, 660, 880):
        tone_file(folder / f"tone-{frequency}.raw", frequency, RECORD_S + 0.5)
    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(folder / "speaker.raw"),
        "KIOSK_CAMERA": "synthetic",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder), str(RECORD_S)],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return folder, json.loads(result.stdout.strip().splitlines()[-1])


def test_a_film_with_sound_is_saved_with_its_wav_as_the_frames_audio(
    made: tuple[Path, dict],
) -> None:
    folder, report = made
    first = report["films"][0]
    assert first["state"] == "saved"
    frames = first["data"]["frames"]
    assert frames[0]["sound"] == "sounds/001.wav" and "sound" not in frames[1]
    shots = first["timeline"]
    assert [s["audio"] for s in shots] == ["sounds/001.wav", None]
    wav_path = folder / "data" / "creations" / first["id"] / "sounds" / "001.wav"
    with wave.open(str(wav_path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        recorded = wav.getnframes() / wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    assert recorded == pytest.approx(RECORD_S, abs=0.4)
    assert max(samples) > 8000, "the tone did not reach the film's sound"
    # The frame shows for as long as its sound; the other for its hold at 8 a second.
    assert shots[0]["seconds"] == pytest.approx(recorded, abs=0.01)
    assert shots[1]["seconds"] == pytest.approx(1 / 8)
    assert report["heard_back"] is True
    mp4 = export_creation(wav_path.parent.parent, "mp4", folder / "film.mp4")
    info = probe(mp4)
    assert info.has_audio and info.audio_codec == "aac"
    assert info.duration_s == pytest.approx(recorded + 1 / 8, abs=0.15)
    sound_s, shown_s = report["frame_shown"]
    assert sound_s == pytest.approx(shots[0]["seconds"], abs=0.01)
    assert shown_s == pytest.approx(sound_s, abs=0.15)


def test_showtime_plays_two_films_with_their_sounds_and_a_story_with_its_narration(
    made: tuple[Path, dict],
) -> None:
    folder, report = made
    assert report["errors"] == 0 and report["overflows"] == 0
    assert report["played"] == [report["films"][0]["id"], report["films"][1]["id"]] + [
        report["story"]
    ]
    assert report["scene"] == "Showtime"
    rate, _size, channels = report["mixer"]
    assert channels == 1
    raw = (folder / "speaker.raw").read_bytes()[report["show_starts_at"] :]
    heard = tones_heard(raw, rate)
    assert [min((440, 660, 880), key=lambda f: abs(f - h)) for h in heard] == [440, 660, 880]


def test_a_recording_the_disk_refuses_is_logged_and_the_film_still_saved(
    made: tuple[Path, dict],
) -> None:
    _folder, report = made
    assert report["refused_recording"] is False
    refused = report["refused"]
    assert refused["state"] == "saved" and len(refused["timeline"]) == 1
    assert refused["timeline"][0]["audio"] is None
    assert any(
        line.startswith("film sound: cannot record into") and "free space" in line
        for line in report["logged"]
    ), report["logged"]


def test_a_recording_cut_by_the_end_of_the_visit_is_dropped(made: tuple[Path, dict]) -> None:
    _folder, report = made
    assert report["cut_recording"] is True
    assert report["after_idle"] == "Attract"
    cut = report["cut"]
    assert cut["state"] == "draft" and cut["closed_by"] == "idle"
    assert [s["audio"] for s in cut["timeline"]] == [None]
    assert "sound" not in cut["data"]["frames"][0]
    # Its half-made file left the folder with the draft's save: nothing can play it.
    assert report["cut_files"] == []


def test_without_a_microphone_the_sound_button_says_so_and_the_film_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_CAMERA", "synthetic")
    monkeypatch.setattr(ActivityContext, "open_microphone", lambda self: None)
    with Harness(data_folder=tmp_path / "data", lang="lv") as kiosk:
        film = open_tool(kiosk, "film")
        assert isinstance(film, StopMotion)
        assert not kiosk.find_button("frame-sound").enabled  # no frame to give it to yet
        kiosk.tap_button("capture")
        kiosk.tap_button("frame-sound")
        assert film.mode == "edit"
        assert "Šeit nav mikrofona. Tava filma tik un tā var kustēties!" in shown_texts(kiosk)
        assert not kiosk.find_button("frame-sound").enabled
        kiosk.tap_button("save")
        assert kiosk.app.errors == 0 and kiosk.app.ui.text.overflows == []
        assert film.creation is not None and film.creation.flush(10)
        meta = json.loads((film.creation.folder / "creation.json").read_text("utf-8"))
    assert meta["state"] == "saved"
    assert [s["audio"] for s in meta["timeline"]] == [None]


def test_the_retention_purge_removes_a_films_sounds_with_it(
    made: tuple[Path, dict], tmp_path: Path
) -> None:
    folder, report = made
    film_id = report["films"][0]["id"]
    creations = tmp_path / "data" / "creations"
    shutil.copytree(folder / "data" / "creations" / film_id, creations / film_id)
    meta_file = creations / film_id / "creation.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    # Last changed 40 days before the kiosk's clock starts (past the default 30 days).
    meta["updated_at"] = meta["created_at"] = "2026-10-17T10:00:00+00:00"
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    assert (creations / film_id / "sounds" / "001.wav").is_file()
    with Harness(data_folder=tmp_path / "data"):
        for thread in threading.enumerate():
            if thread.name == "creations-purge":
                thread.join(10)
    assert not (creations / film_id).exists()
