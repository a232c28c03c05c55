"""The story maker driven through the headless kiosk: slides, typed text in Latvian and
Lithuanian, narration through SDL's disk audio driver, and real MP4 and PDF exports."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pygame
import pytest

from kiosk import routes
from kiosk.api import ActivityContext
from kiosk.harness import Harness
from kiosk.media.export import export_creation
from kiosk.media.ffmpeg import probe
from kiosk.media.microphone import RATE
from kiosk.paths import APP_ROOT
from kiosk.studio.slides import TITLE_BOX
from kiosk.studio.story import NO_CAMERA_NOTE_S, StoryMaker
from tests.studio.shown import shown_texts

TONE_S = 1.0

# SDL picks its audio driver once, when audio starts: the kiosk runs in a fresh process
# with the disk driver, whose capture device reads the raw tone file (S16LE mono), then
# silence. The recording runs in real time, so the script lets real seconds pass.
MAKE_STORY = r"""
import json, sys, time
from pathlib import Path
import pygame
from kiosk.api import ActivityContext
from kiosk.harness import Harness

data, record_s = Path(sys.argv[1]), float(sys.argv[2])


def tap(kiosk, button):
    kiosk.tap_button(button)


def type_on_screen(kiosk, letters):
    for letter in letters:
        tap(kiosk, "key:space" if letter == " " else f"key:{letter}")


def type_on_pc(kiosk, text):
    for char in text:
        kiosk.key(pygame.K_SPACE if char == " " else pygame.K_a, unicode=char, frames=1)


def record(kiosk, story):
    tap(kiosk, "narration")
    tap(kiosk, "record-start")
    kiosk.wait(3.1)  # 3-2-1 on the kiosk's clock
    assert story.recording, "recording did not start after the countdown"
    started, levels = time.monotonic(), []
    while time.monotonic() - started < record_s:
        kiosk.step()
        levels.append(story.microphone.level)
        time.sleep(0.02)
    tap(kiosk, "record-stop")
    tap(kiosk, "record-done")
    return max(levels)


with Harness(data_folder=data, lang="lv") as kiosk:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    while not any(b.id == "tile:story" for b in kiosk.buttons()):
        kiosk.tap_button("page:next")
    kiosk.tap_button("tile:story")
    story = kiosk.app.top.activity
    loudest = []
    for number in range(1, 5):
        if number > 1:
            tap(kiosk, "slide-add")
        tap(kiosk, "background")
        pictures = [b.id for b in kiosk.buttons()
                    if b.id.startswith("pick:") and b.id not in ("pick:prev", "pick:next")]
        tap(kiosk, pictures[number])
        tap(kiosk, "title")
        tap(kiosk, "key:shift")
        type_on_screen(kiosk, "mūsu ")
        type_on_pc(kiosk, "mājā ų")
        type_on_pc(kiosk, f" {number}")
        kiosk.key(pygame.K_RETURN)
        tap(kiosk, "bubble")
        type_on_pc(kiosk, "Sveiki! Labas!")
        tap(kiosk, "text-done")
        if number in (1, 3):
            loudest.append(record(kiosk, story))
        if number == 2:
            tap(kiosk, "duration")  # 5 -> 8
            tap(kiosk, "duration")  # 8 -> 3
    tap(kiosk, "save")
    print(json.dumps({"id": story.creation.id, "errors": kiosk.app.errors, "loudest": loudest,
                      "overflows": len(kiosk.app.ui.text.overflows)}))
"""


def tone_file(path: Path, seconds: float) -> Path:
    tone = array(
        "h",
        (int(12000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(int(RATE * seconds))),
    )
    path.write_bytes(tone.tobytes())
    return path


def test_a_four_slide_story_with_narration_exports_to_mp4_and_pdf(tmp_path: Path) -> None:
    record_s = 1.5
    env = {
        **os.environ,
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILEIN": str(tone_file(tmp_path / "tone.raw", TONE_S)),
        "SDL_DISKAUDIOFILE": str(tmp_path / "speaker.raw"),
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    env.pop("KIOSK_CAMERA", None)
    result = subprocess.run(
        [sys.executable, "-c", MAKE_STORY, str(tmp_path / "data"), str(record_s)],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == 0 and report["overflows"] == 0
    assert min(report["loudest"]) > 0.5, "the level meter never saw the tone"
    folder = tmp_path / "data" / "creations" / report["id"]
    meta = json.loads((folder / "creation.json").read_text(encoding="utf-8"))

    slides = meta["data"]["slides"]
    assert meta["state"] == "saved" and len(slides) == 4
    assert [s["title"] for s in slides] == [f"Mūsu mājā ų {n}" for n in range(1, 5)]
    assert all(s["bubble"] == "Sveiki! Labas!" for s in slides)
    assert [s["audio"] is not None for s in slides] == [True, False, True, False]
    seconds = [shot["seconds"] for shot in meta["timeline"]]
    assert seconds[1] == 3 and seconds[3] == 5
    for index in (0, 2):
        audio = meta["timeline"][index]["audio"]
        with wave.open(str(folder / audio)) as wav:
            recorded = wav.getnframes() / wav.getframerate()
        assert recorded == pytest.approx(record_s, abs=0.4)
        assert seconds[index] == pytest.approx(recorded, abs=0.01)
    assert len(meta["pages"]) == 4
    for page in meta["pages"]:
        assert pygame.image.load(str(folder / page)).get_size() == (1280, 720)

    mp4 = export_creation(folder, "mp4", tmp_path / "story.mp4")
    info = probe(mp4)
    assert info.has_audio and info.audio_codec == "aac"
    assert (info.width, info.height) == (1280, 720)
    assert info.duration_s == pytest.approx(sum(seconds), abs=0.1)
    pdf = export_creation(folder, "pdf", tmp_path / "story.pdf")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == 4


def open_story(kiosk: Harness) -> StoryMaker:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    while not any(b.id == "tile:story" for b in kiosk.buttons()):
        kiosk.tap_button("page:next")
    kiosk.tap_button("tile:story")
    story = kiosk.app.top.activity  # type: ignore[union-attr]
    assert isinstance(story, StoryMaker)
    return story


def test_a_title_too_long_for_the_slide_is_refused_letter_by_letter(tmp_path: Path) -> None:
    with Harness(data_folder=tmp_path / "data", lang="lt") as kiosk:
        story = open_story(kiosk)
        kiosk.tap_button("title")
        assert {"key:ą", "key:ę", "key:ė", "key:į", "key:ų"} <= {b.id for b in kiosk.buttons()}
        for _ in range(120):
            kiosk.key(pygame.K_w, unicode="W", frames=1)
        title = story.slide.title
        assert 10 < len(title) < 120 and story.keyboard.refused > 0
        kiosk.tap_button("text-done")
        kiosk.tap_button("save")
        # The saved picture shows the whole title: it fitted at an allowed size.
        assert kiosk.app.ui.text.overflows == []
        assert story.creation is not None and story.creation.flush(10)
        meta = json.loads((story.creation.folder / "creation.json").read_text("utf-8"))
    assert meta["data"]["slides"][0]["title"] == title


def test_slides_are_added_moved_and_deleted(tmp_path: Path) -> None:
    with Harness(data_folder=tmp_path / "data", lang="en") as kiosk:
        story = open_story(kiosk)
        for word in ("one", "two", "three"):
            if word != "one":
                kiosk.tap_button("slide-add")
            kiosk.tap_button("title")
            for letter in word:
                kiosk.tap_button(f"key:{letter}")
            kiosk.tap_button("key:enter")
        assert [s.title for s in story.slides] == ["one", "two", "three"]
        kiosk.tap_button("slide-left")  # three before two
        kiosk.tap_button("slide:1")
        kiosk.tap_button("slide-delete")
        assert [s.title for s in story.slides] == ["three", "two"]
        kiosk.tap_button("duration")
        kiosk.tap_button("preview")
        assert story.mode == "preview"
        kiosk.wait(8.0 + 5.0 + 0.5)
        assert story.mode == "edit"
        kiosk.tap_button("save")
        assert story.creation is not None and story.creation.flush(10)
        meta = json.loads((story.creation.folder / "creation.json").read_text("utf-8"))
        assert kiosk.app.errors == 0
    assert [s["title"] for s in meta["data"]["slides"]] == ["three", "two"]
    assert [s["seconds"] for s in meta["timeline"]] == [8, 5]
    assert [s["audio"] for s in meta["timeline"]] == [None, None]


def test_without_camera_and_microphone_the_story_still_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ActivityContext, "open_camera", lambda self, size=(640, 480): None)
    monkeypatch.setattr(ActivityContext, "open_microphone", lambda self: None)
    with Harness(data_folder=tmp_path / "data", lang="lv") as kiosk:
        story = open_story(kiosk)
        kiosk.tap_button("photo")
        assert story.mode == "edit" and not kiosk.find_button("photo").enabled
        kiosk.tap_button("narration")
        assert not kiosk.find_button("record-start").enabled
        kiosk.screenshot()
        kiosk.tap_button("record-done")
        kiosk.tap_button("bubble")
        for key in ("ā", "č", "space", "ž"):
            kiosk.tap_button(f"key:{key}")
        kiosk.tap_button("text-done")
        kiosk.wait(5.0)  # the draft is written a moment after the change
        assert story.creation is not None and story.creation.flush(10)
        draft = json.loads((story.creation.folder / "creation.json").read_text("utf-8"))
        assert draft["state"] == "draft" and draft["data"]["slides"][0]["bubble"] == "āč ž"
        kiosk.tap_button("save")
        assert kiosk.app.errors == 0 and kiosk.app.ui.text.overflows == []
        assert story.creation.flush(10)
        meta = json.loads((story.creation.folder / "creation.json").read_text("utf-8"))
    assert meta["state"] == "saved"
    assert meta["timeline"] == [
        {"image": meta["pages"][0], "seconds": 5.0, "audio": None},
    ]


@pytest.mark.parametrize(
    "lang,why,label,size",
    [
        ("lv", "Šeit nav kameras. Izmanto attēlu vai zīmējumu!", "Nav kameras", (3840, 2160)),
        ("lt", "Čia nėra kameros. Naudok paveikslėlį ar piešinį!", "Nėra kameros", (1280, 1024)),
        ("en", "No camera here. Use a picture or a drawing!", "No camera", (1366, 768)),
    ],
)
def test_without_a_camera_the_photo_button_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    why: str,
    label: str,
    size: tuple[int, int],
) -> None:
    monkeypatch.setattr(ActivityContext, "open_camera", lambda self, size=(640, 480): None)
    with Harness(data_folder=tmp_path / "data", lang=lang, size=size) as kiosk:
        open_story(kiosk)
        assert kiosk.find_button("photo").label != label
        kiosk.tap_button("photo")
        assert why in shown_texts(kiosk)
        assert kiosk.app.ui.text.overflows == []
        photo = kiosk.find_button("photo")
        assert not photo.enabled and photo.label == label
        kiosk.wait(NO_CAMERA_NOTE_S + 0.1)
        assert why not in shown_texts(kiosk)
        assert kiosk.find_button("photo").label == label  # the greyed button still says why
        assert kiosk.app.ui.text.overflows == []


@pytest.mark.parametrize("size", [(1366, 768), (1280, 1024)])
def test_a_pictogram_stays_clear_of_the_title_band(tmp_path: Path, size: tuple[int, int]) -> None:
    with Harness(data_folder=tmp_path / "data", size=size, lang="lv") as kiosk:
        story = open_story(kiosk)
        kiosk.tap_button("title")
        for letter in "saule":
            kiosk.tap_button(f"key:{letter}")
        kiosk.tap_button("text-done")
        kiosk.tap_button("background")
        # The sun is as tall as it is wide: the tallest a pictogram gets.
        sun = next(
            b.id for b in kiosk.buttons() if b.id.startswith("pick:") and b.id.endswith("-sun")
        )
        kiosk.tap_button(sun)
        kiosk.tap_button("save")
        assert story.creation is not None and story.creation.flush(10)
        folder = story.creation.folder
        meta = json.loads((folder / "creation.json").read_text("utf-8"))
        background = pygame.image.load(str(folder / meta["data"]["slides"][0]["background"]))
        ink = pygame.mask.from_threshold(background, (255, 255, 255, 255), (8, 8, 8, 255))
        ink.invert()
        assert ink.get_bounding_rects(), "the pictogram is missing"
        top = min(r.top for r in ink.get_bounding_rects())
        assert top >= TITLE_BOX.bottom  # the saved slide shows the whole picture under the title
        kiosk.app.push(routes.Creations())
        kiosk.step()
        kiosk.tap_button(f"review:{story.creation.id}")
        kiosk.screenshot(tmp_path / "review.png")
        assert kiosk.app.ui.text.overflows == []
