"""The librarian's side of the voice: sound settings and voice clips on the panel.

Volume, mute, damaged clips and the layout run in a headless kiosk on SDL's dummy
drivers. Recording through the panel and the station without any sound device run in a
fresh process each (SDL picks its audio driver once): the disk driver feeds the
microphone from a file and writes what the kiosk plays to another, as in
test_capture.py.

A real microphone is never opened in this process: the capture device's hold on SDL's
audio system outlives the kiosk, and the next kiosk's mixer would not start (and a
later `pygame.mixer` call would crash). Here the Voice clips page meets "no microphone",
or, for the layout, `QuietMicrophone`; recording itself is tested in a fresh process."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest

from kiosk import routes
from kiosk.cli import main
from kiosk.harness import Harness
from kiosk.i18n import LANGUAGES
from kiosk.librarian.sound_settings import SOUND_SETTINGS_FILE
from kiosk.paths import APP_ROOT
from kiosk.scenes import voice_clips
from tests.voice.sounds import RATE, samples_of, write_wav


class QuietMicrophone:
    """Stands in for `kiosk.media.microphone.Microphone` where only the screen matters."""

    level = 0.5
    error: str | None = None

    def __init__(self) -> None:
        self.seconds = 0.0

    def start(self, path: Path) -> None:
        self.seconds = 7.0

    def stop(self) -> float:
        return self.seconds


@pytest.fixture(autouse=True)
def no_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voice_clips, "open_microphone", lambda: None)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def kiosk(data: Path) -> Iterator[Harness]:
    harness = Harness(data_folder=data, lang="en")
    try:
        yield harness
    finally:
        harness.close()


def _open_panel(kiosk: Harness):  # type: ignore[no-untyped-def]
    kiosk.app.push(routes.Panel())
    kiosk.step()
    return kiosk.app.scene(routes.Panel)


def test_volume_and_mute_apply_at_once_and_are_kept_through_a_restart(
    kiosk: Harness, data: Path
) -> None:
    config = kiosk.app.config.sound
    sounds, voice = kiosk.app.ui.sounds, kiosk.app.voice
    panel = _open_panel(kiosk)
    assert panel.sound_lines() == ["100%"]
    for _ in range(3):
        kiosk.tap_button("panel:volume-down")
    assert sounds.volume == pytest.approx(config.volume * 0.7)  # type: ignore[attr-defined]
    assert voice.volume == pytest.approx(config.speech_volume * 0.7)
    kiosk.tap_button("panel:mute")
    assert sounds.muted and voice.muted  # type: ignore[attr-defined]
    assert panel.sound_lines() == ["Muted (70%)"]
    assert kiosk.find_button("panel:mute").label == "Turn sound on"
    voice.say("Kas cep maizi?", "lv")
    assert voice.wait_idle()
    kiosk.step()
    assert voice.started == 0  # a silent reading room stays silent
    kiosk.close()

    again = Harness(data_folder=data, lang="en")
    try:
        assert again.app.voice.muted and again.app.ui.sounds.muted  # type: ignore[attr-defined]
        assert again.app.voice.volume == pytest.approx(config.speech_volume * 0.7)
        panel = _open_panel(again)
        assert panel.sound_lines() == ["Muted (70%)"]
        again.tap_button("panel:mute")
        again.tap_button("panel:volume-up")
        assert not again.app.voice.muted
        assert json.loads((data / SOUND_SETTINGS_FILE).read_text(encoding="utf-8")) == {
            "volume_percent": 80,
            "muted": False,
        }
    finally:
        again.close()


def test_kiosk_where_shows_the_panels_volume(
    kiosk: Harness, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _open_panel(kiosk)
    kiosk.tap_button("panel:volume-down")
    kiosk.tap_button("panel:mute")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    assert main(["where"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "sound settings" in line]
    assert lines == [
        f"sound settings   {data / SOUND_SETTINGS_FILE}  (the panel's volume: 90 % of the "
        "config's, muted)"
    ]


def test_volume_stops_at_silence_and_at_the_configs_volume(kiosk: Harness) -> None:
    _open_panel(kiosk)
    assert not kiosk.find_button("panel:volume-up").enabled
    for _ in range(10):
        kiosk.tap_button("panel:volume-down")
    assert kiosk.app.station_sound.percent == 0
    assert not kiosk.find_button("panel:volume-down").enabled


def test_an_unreadable_settings_file_gives_the_configs_volume(data: Path) -> None:
    data.mkdir(parents=True)
    (data / SOUND_SETTINGS_FILE).write_text('{"volume_percent": 250, "muted": 1}', "utf-8")
    with Harness(data_folder=data) as kiosk:
        assert kiosk.app.station_sound.percent == 100 and not kiosk.app.voice.muted
        assert kiosk.app.voice.volume == kiosk.app.config.sound.speech_volume


def test_a_damaged_recording_is_read_by_synthesis_and_listed_on_the_panel(
    kiosk: Harness, tmp_path: Path
) -> None:
    voice = kiosk.app.voice
    kiosk.app.packs.wait()
    texts = [text for _pack, text in voice.texts_to_record("lv")[:3]]
    for text in texts:
        voice.keep_recording(text, "lv", write_wav(tmp_path / "take.wav", 1.0))
        clip = voice.recordings.path(text, "lv")
        assert clip is not None
        clip.write_bytes(clip.read_bytes()[:30])  # a copy cut off inside its header
    voice.say(texts[0], "lv")
    assert voice.wait_idle()
    kiosk.step()
    assert voice.synthesised == 1 and voice.started == 1
    panel = _open_panel(kiosk)
    listed = [w for w in panel.warnings if texts[0][:20] in w]
    assert len(listed) == 1
    assert "recorded on this kiosk cannot be played" in listed[0]
    assert "Record it again under Voice clips" in listed[0]
    kiosk.app.pop(panel)
    # More damaged clips than the card names: the rest are counted in one line.
    for text in texts[1:]:
        voice.say(text, "lv")
        assert voice.wait_idle()
    panel = _open_panel(kiosk)
    assert voice.synthesised == 3
    assert sum("cannot be played; the kiosk's voice" in w for w in panel.warnings) == 2
    assert panel.warnings[-1] == "1 more voice clip cannot be played (the log names it)."


def _open_clips(kiosk: Harness, lang: str = "lv"):  # type: ignore[no-untyped-def]
    kiosk.app.packs.wait()
    _open_panel(kiosk)
    kiosk.tap_button("panel:voices")
    kiosk.tap_button(f"lang:{lang}")
    return kiosk.app.scene(routes.VoiceClips)


def test_a_kept_recording_is_green_in_the_list_and_deleted_after_a_second_tap(
    kiosk: Harness, tmp_path: Path
) -> None:
    voice = kiosk.app.voice
    kiosk.app.packs.wait()
    _pack, text = voice.texts_to_record("lv")[0]
    voice.keep_recording(text, "lv", write_wav(tmp_path / "take.wav", 1.0))
    clips = _open_clips(kiosk)
    assert kiosk.find_button("clip:0").color != kiosk.find_button("clip:1").color
    kiosk.tap_button("clip:0")
    assert clips.chosen == text
    assert kiosk.find_button("clips:listen").enabled  # the kept recording
    kiosk.tap_button("clips:delete")
    assert voice.has_recording(text, "lv")
    assert kiosk.find_button("clips:delete").label == "Delete for good?"
    kiosk.tap_button("clips:delete")
    assert not voice.has_recording(text, "lv")
    assert clips.message == "Deleted. The kiosk's voice reads this text again."
    assert not kiosk.find_button("clips:delete").enabled
    kiosk.tap_button("clips:back")
    assert kiosk.find_button("clip:0").color == kiosk.find_button("clip:1").color


def test_next_pack_jumps_to_the_first_page_of_the_following_pack(kiosk: Harness) -> None:
    clips = _open_clips(kiosk)
    texts = clips.texts
    first_pack = texts[0][0]
    following = next(i for i, (pack, _t) in enumerate(texts) if pack != first_pack)
    assert kiosk.find_button("clips:next-pack").label == f"Next pack: {texts[following][0]}"
    kiosk.tap_button("clips:next-pack")
    assert clips.page == following // 10
    shown = [texts[int(b.id.split(":")[1])][0] for b in kiosk.buttons() if b.id.startswith("clip:")]
    assert texts[following][0] in shown


def test_voice_clips_close_when_left_alone_and_the_panel_waits_its_own_time(
    kiosk: Harness,
) -> None:
    _open_clips(kiosk)
    kiosk.wait(125, dt=1.0)
    assert kiosk.app.scene(routes.VoiceClips) is None
    assert kiosk.app.scene(routes.Panel) is not None  # its two minutes start again now
    kiosk.wait(121, dt=1.0)
    assert kiosk.app.scene(routes.Panel) is None


# ----- in a fresh process, with SDL's disk driver or none at all --------------------------

RECORD = """
import json, os, sys, time
from pathlib import Path
from kiosk import routes
from kiosk.cli import main
from kiosk.harness import Harness

kiosk = Harness(data_folder=Path(sys.argv[1]), lang="en")
kiosk.app.packs.wait()
voice = kiosk.app.voice
report = {"available": voice.available}
kiosk.app.push(routes.Panel())
kiosk.step()
kiosk.tap_button("panel:voices")
clips = kiosk.app.top
kiosk.tap_button("lang:lv")
kiosk.tap_button("clip:0")
text = clips.chosen
report["text"] = text
report["record_enabled"] = kiosk.find_button("clips:record").enabled
report["message"] = clips.message
if report["record_enabled"]:
    kiosk.tap_button("clips:record")
    kiosk.wait(3.2)  # the 3-2-1 countdown, on the kiosk's clock
    report["recording"] = clips.recording
    deadline = time.monotonic() + 20
    while clips.microphone.seconds < 1.5 and time.monotonic() < deadline:
        time.sleep(0.01)
        kiosk.step()
    kiosk.tap_button("clips:stop")
    report["take_s"] = clips.take_seconds
    kiosk.tap_button("clips:listen")
    voice.wait_idle()
    kiosk.step()
    report["listened"] = voice.started
    voice.stop()
    kiosk.tap_button("clips:keep")
    report["kept"] = voice.has_recording(text, "lv")
    report["after_keep"] = clips.message
    time.sleep(0.3)  # the taps' own sounds end before the text is said
    out = Path(os.environ["SDL_DISKAUDIOFILE"])
    start = out.stat().st_size
    voice.say(text, "lv")
    voice.wait_idle()
    kiosk.step()
    deadline = time.monotonic() + 20
    while voice.speaking and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)
    report["said"] = [start, out.stat().st_size]
else:
    report["listen_enabled"] = kiosk.find_button("clips:listen").enabled
    kiosk.tap_button("clips:back")
    kiosk.tap_button("clips:back")
    kiosk.tap_button("panel:volume-down")
    kiosk.tap_button("panel:mute")
    panel = kiosk.app.scene(routes.Panel)
    report["sound_lines"] = panel.sound_lines()
report["synthesised"] = voice.synthesised
report["errors"] = kiosk.app.errors
kiosk.close()
print(json.dumps(report))
"""


def _run(tmp_path: Path, env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", RECORD, str(tmp_path / "data")],
        cwd=APP_ROOT,
        env={**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1", **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_clip_recorded_on_the_panel_plays_instead_of_synthesis(tmp_path: Path) -> None:
    # The librarian's microphone hears a 1 s, 330 Hz tone, then silence.
    tone = array("h", (int(12000 * math.sin(2 * math.pi * 330 * i / RATE)) for i in range(RATE)))
    mic_in = tmp_path / "in.raw"
    mic_in.write_bytes(tone.tobytes())
    out = tmp_path / "out.raw"
    report = _run(
        tmp_path,
        {
            "SDL_AUDIODRIVER": "disk",
            "SDL_DISKAUDIOFILE": str(out),
            "SDL_DISKAUDIOFILEIN": str(mic_in),
            "SDL_DISKAUDIODELAY": "2",
        },
    )
    assert report["available"] and report["record_enabled"] and report["recording"]
    assert report["take_s"] >= 1.5
    assert report["listened"] == 1  # Listen played the take before it was kept
    assert report["kept"], report["after_keep"]
    assert report["after_keep"].startswith("Kept.")
    assert report["synthesised"] == 0 and report["errors"] == 0
    start, end = report["said"]
    samples = samples_of(out.read_bytes()[start:end])
    loud = [i for i, s in enumerate(samples) if abs(s) > 200]
    assert loud, "nothing audible was played"
    heard = samples[loud[0] : loud[-1] + 1]
    assert len(heard) / RATE == pytest.approx(1.0, abs=0.05)
    crossings = sum(1 for a, b in zip(heard, heard[1:], strict=False) if a < 0 <= b)
    assert crossings == pytest.approx(330, abs=5)  # the recorded tone, not a voice


def test_without_sound_or_microphone_the_panel_says_why_and_nothing_breaks(
    tmp_path: Path,
) -> None:
    report = _run(tmp_path, {"SDL_AUDIODRIVER": "no-such-driver"})
    assert not report["available"]
    assert report["record_enabled"] is False and report["listen_enabled"] is False
    assert report["message"].startswith("No microphone was found")
    assert report["sound_lines"] == ["Sound: no sound device", "Muted (90%)"]
    assert report["errors"] == 0
    saved = json.loads((tmp_path / "data" / SOUND_SETTINGS_FILE).read_text(encoding="utf-8"))
    assert saved == {"volume_percent": 90, "muted": True}


# ----- layout -------------------------------------------------------------------------------

LAYOUT_SIZES = [(1280, 720), (1280, 1024), (1366, 768), (1920, 1080), (3840, 2160)]


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sound_row_and_voice_clips_fit_every_screen(
    size: tuple[int, int], lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voice_clips, "open_microphone", QuietMicrophone)
    with Harness(size=size, lang=lang, data_folder=tmp_path) as kiosk:
        kiosk.app.packs.wait()
        screen = pygame.Rect(0, 0, *size)

        def check(name: str) -> None:
            kiosk.screenshot()
            assert kiosk.app.ui.text.overflows == [], f"{name}: {kiosk.app.ui.text.overflows}"
            buttons = kiosk.buttons()
            for button in buttons:
                assert screen.contains(button.rect), f"{name}: {button.id} {button.rect}"
            overlapping = [
                (a.id, b.id)
                for i, a in enumerate(buttons)
                for b in buttons[i + 1 :]
                if a.rect.colliderect(b.rect)
            ]
            assert overlapping == [], name

        panel = _open_panel(kiosk)
        # A damaged clip's warning, with the longest text the packs have.
        longest = max((t for _p, t in kiosk.app.voice.texts_to_record(lang)), key=len)
        kiosk.app.voice.damaged_clips.append((longest, lang, "pack/audio/q.ogg", "damaged"))
        panel.on_resume()
        kiosk.tap_button("panel:volume-down")
        kiosk.tap_button("panel:mute")
        check("panel")
        # What a station without a sound device shows (told by the sound service).
        sounds = kiosk.app.ui.sounds
        available = sounds.available  # type: ignore[attr-defined]
        sounds.available = False  # type: ignore[attr-defined]
        panel.layout()
        check("panel without a sound device")
        sounds.available = available  # type: ignore[attr-defined]
        kiosk.tap_button("panel:voices")
        check("voice clips")
        kiosk.tap_button("clips:next")
        check("voice clips, page 2")
        clips = kiosk.app.top
        assert clips is not None
        clips.choose(longest)  # type: ignore[attr-defined]
        check("the longest text")
        kiosk.tap_button("clips:record")
        kiosk.step(10)
        check("countdown")
        kiosk.wait(3)
        assert clips.recording  # type: ignore[attr-defined]
        check("recording")
        kiosk.tap_button("clips:stop")
        check("a take to listen to")
        # Every message the page can show fits beside the meter.
        for message in (
            "No microphone was found, so nothing can be recorded here. Plug one in and "
            "open Voice clips again.",
            "The recording is silent. Check the microphone and its volume, then record it again.",
            "Kept. The kiosk now plays this recording for this text.",
        ):
            clips._say(kiosk.app.translator.gettext(message), ok=False)  # type: ignore[attr-defined]
            check(message[:20])
        assert kiosk.app.errors == 0
