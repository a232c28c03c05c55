"""Exports decoded back with ffmpeg and Pillow: frame counts, durations, sizes, sound."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from array import array
from pathlib import Path

import pygame
import pytest
from PIL import Image

from kiosk.media import ExportError, ExportJob, export_creation, probe
from kiosk.media.camera import SyntheticCamera
from kiosk.media.export import frame_counts, gif_durations_ms
from kiosk.media.ffmpeg import ffmpeg_exe, mp4_top_level_boxes
from tests.media.conftest import FILM_FPS, FILM_FRAMES, STORY_NARRATION, STORY_SECONDS


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def decoded_frames(path: Path, size: tuple[int, int]) -> list[pygame.Surface]:
    """Every frame of the video, scaled by ffmpeg to `size`."""
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-s", f"{size[0]}x{size[1]}"]
        + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    step = size[0] * size[1] * 3
    return [
        pygame.image.frombuffer(raw[i : i + step], size, "RGB") for i in range(0, len(raw), step)
    ]


def decoded_audio(path: Path, rate: int = 8000) -> array:
    raw = subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-ac",
            "1",
            "-ar",
            str(rate),
        ]
        + ["-f", "s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return array("h", raw)


def rms(samples: array) -> float:
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


def test_film_mp4_has_every_frame_in_order_at_its_fps(creations, tmp_path):
    out = export_creation(creations["film"], "mp4", tmp_path / "film.mp4")
    info = probe(out)
    assert (info.frames, info.fps) == (FILM_FRAMES, FILM_FPS)
    assert info.duration_s == pytest.approx(FILM_FRAMES / FILM_FPS, abs=0.05)
    assert (info.width, info.height, info.video_codec, info.pix_fmt) == (
        1280,
        720,
        "h264",
        "yuv420p",
    )
    assert not info.has_audio  # a film without narration has no audio stream
    boxes = mp4_top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart
    numbers = [SyntheticCamera.decode_number(f) for f in decoded_frames(out, (640, 360))]
    assert numbers == list(range(FILM_FRAMES))
    assert not (tmp_path / "film.mp4.part").exists()


def test_story_mp4_has_narration_lined_up_with_its_slides(creations, tmp_path):
    out = export_creation(creations["story"], "mp4", tmp_path / "story.mp4")
    info = probe(out)
    total = sum(STORY_SECONDS)
    assert info.duration_s == pytest.approx(total, abs=0.1)
    assert info.frames == round(total * 25)
    assert (info.width, info.height, info.pix_fmt) == (1280, 720, "yuv420p")
    assert info.has_audio and info.audio_codec == "aac"
    boxes = mp4_top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")
    audio = decoded_audio(out)
    assert len(audio) / 8000 == pytest.approx(total, abs=0.1)
    start = 0.0
    for i, seconds in enumerate(STORY_SECONDS):
        heard = min(STORY_NARRATION.get(i, 0.0), seconds)
        # Sample well inside each part, away from AAC's edges: tone where narration is,
        # silence after it and on slides without narration.
        if heard:
            tone = audio[int((start + 0.1) * 8000) : int((start + heard - 0.1) * 8000)]
            assert rms(tone) > 3000, f"slide {i + 1} narration missing"
        if seconds - heard > 0.3:
            quiet = audio[int((start + heard + 0.1) * 8000) : int((start + seconds - 0.1) * 8000)]
            assert rms(quiet) < 100, f"slide {i + 1} should be silent after its narration"
        start += seconds


def test_story_mp4_shows_each_slide_for_its_duration(creations, tmp_path):
    out = export_creation(creations["story"], "mp4", tmp_path / "story.mp4")
    frames = decoded_frames(out, (160, 90))
    # Slide i is filled with red 40 + 50 i; read the red of a pixel inside the picture.
    reds = [f.get_at((80, 75))[0] for f in frames]
    expected = [40 + 50 * i for i, s in enumerate(STORY_SECONDS) for _ in range(round(s * 25))]
    assert len(reds) == len(expected)
    assert all(abs(r - e) < 12 for r, e in zip(reds, expected, strict=True))


def test_film_gif_is_640_wide_with_exact_frame_durations(creations, tmp_path):
    out = export_creation(creations["film"], "gif", tmp_path / "film.gif")
    with Image.open(out) as gif:
        assert gif.size == (640, 480)
        durations = []
        for n in range(gif.n_frames):
            gif.seek(n)
            durations.append(gif.info["duration"])
        assert gif.info.get("loop") == 0
    assert len(durations) == FILM_FRAMES
    assert sum(durations) == 1000 * FILM_FRAMES // FILM_FPS
    assert set(durations) <= {80, 90}


def test_story_gif_keeps_slide_durations(creations, tmp_path):
    out = export_creation(creations["story"], "gif", tmp_path / "story.gif")
    with Image.open(out) as gif:
        assert gif.width == 640
        durations = []
        for n in range(gif.n_frames):
            gif.seek(n)
            durations.append(gif.info["duration"])
    assert durations == [round(s * 1000) for s in STORY_SECONDS]


def test_story_pdf_has_one_a4_landscape_page_per_slide(creations, tmp_path):
    out = export_creation(creations["story"], "pdf", tmp_path / "story.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == len(STORY_SECONDS)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) == len(STORY_SECONDS)
    for width, height in boxes:  # PDF points: A4 landscape is 842 x 595
        assert float(width) == pytest.approx(842, abs=2)
        assert float(height) == pytest.approx(595, abs=2)


def test_drawing_png_is_a_copy_of_its_picture(creations, tmp_path):
    out = export_creation(creations["drawing"], "png", tmp_path / "drawing.png")
    assert out.read_bytes() == (creations["drawing"] / "render/page-01.png").read_bytes()
    with pytest.raises(ExportError) as error:
        export_creation(creations["film"], "png", tmp_path / "film.png")
    assert error.value.code == "format_unsupported"


def test_drawing_mp4_is_a_three_second_still(creations, tmp_path):
    info = probe(export_creation(creations["drawing"], "mp4", tmp_path / "drawing.mp4"))
    assert (info.frames, info.duration_s, info.has_audio) == (
        75,
        pytest.approx(3.0, abs=0.05),
        False,
    )


def test_frame_and_gif_rounding_never_adds_up():
    assert sum(frame_counts([1 / 12] * 360, 12)) == 360
    assert sum(frame_counts([0.33] * 100, 25)) == round(33 * 25)
    durations = gif_durations_ms([1 / 12] * 360)
    assert sum(durations) == 30_000 and set(durations) <= {80, 90}


@pytest.mark.parametrize("fmt", ["mp4", "gif", "pdf", "png"])
def test_a_full_target_says_so_and_leaves_nothing(creations, tmp_path, fmt):
    # /dev/full fails every write with ENOSPC, as a full USB stick does, even for root.
    kind = "drawing" if fmt == "png" else "story"
    out = tmp_path / f"export.{fmt}"
    Path(f"{out}.part").symlink_to("/dev/full")
    before = folder_digest(creations[kind])
    with pytest.raises(ExportError) as error:
        export_creation(creations[kind], fmt, out)
    assert error.value.code == "target_full", error.value.detail
    assert "full" in error.value.detail
    assert list(tmp_path.iterdir()) == []
    assert folder_digest(creations[kind]) == before


@pytest.mark.parametrize("fmt", ["mp4", "gif"])
def test_a_target_that_cannot_be_written_says_so(creations, tmp_path, fmt):
    # Both fail for root too: /proc takes no new files, and a file is not a folder.
    not_a_folder = tmp_path / "stick"
    not_a_folder.write_text("a file where a folder should be")
    for out in (Path("/proc") / f"telpa-export.{fmt}", not_a_folder / f"export.{fmt}"):
        with pytest.raises(ExportError) as error:
            export_creation(creations["film"], fmt, out)
        assert error.value.code == "target_readonly"
        assert "cannot be written" in error.value.detail
        assert not out.exists()


def test_a_missing_picture_names_the_file(creations, tmp_path):
    broken = tmp_path / "film-broken"
    subprocess.run(["cp", "-r", str(creations["film"]), str(broken)], check=True)
    (broken / "render/0005.png").unlink()
    with pytest.raises(ExportError) as error:
        export_creation(broken, "mp4", tmp_path / "out.mp4")
    assert error.value.code == "creation_invalid"
    assert "0005.png" in error.value.detail
    assert not (tmp_path / "out.mp4").exists()


def test_export_job_reports_progress_and_the_result(creations, tmp_path):
    job = ExportJob(creations["story"], "mp4", tmp_path / "story.mp4").start()
    seen = []
    while not job.wait(0.02):
        seen.append(job.progress)
    assert job.error is None and job.result == tmp_path / "story.mp4"
    assert job.progress == 1.0
    assert seen == sorted(seen)  # never goes backwards
    assert probe(job.result).has_audio


def test_export_job_makes_a_gif_in_its_child_process(creations, tmp_path):
    job = ExportJob(creations["film"], "gif", tmp_path / "film.gif").start()
    assert job.wait(60) and job.error is None
    with Image.open(job.result) as gif:
        assert (gif.n_frames, gif.width) == (FILM_FRAMES, 640)


def test_export_job_reports_a_bad_target_with_its_code(creations, tmp_path):
    (tmp_path / "stick").write_text("not a folder")
    job = ExportJob(creations["story"], "pdf", tmp_path / "stick" / "story.pdf").start()
    assert job.wait(60)
    assert job.code == "target_readonly" and "cannot be written" in (job.error or "")


@pytest.mark.parametrize("when", ["before it starts", "mid-way"])
def test_a_cancelled_export_leaves_nothing(creations, tmp_path, when):
    job = ExportJob(creations["story"], "mp4", tmp_path / "story.mp4")
    if when == "before it starts":
        job.cancel()
    job.start()
    if when == "mid-way":
        while job.progress < 0.1 and not job.done:
            time.sleep(0.01)
        job.cancel()
    assert job.wait(30)
    assert job.code == "cancelled", job.error
    assert job.result is None
    assert list(tmp_path.iterdir()) == []


def test_a_story_without_narration_still_has_a_silent_audio_track(tmp_path):
    from tests.media.conftest import make_story

    story = make_story(tmp_path / "story-quiet")
    meta = json.loads((story / "creation.json").read_text())
    for shot in meta["timeline"]:
        shot["audio"] = None
    (story / "creation.json").write_text(json.dumps(meta))
    out = export_creation(story, "mp4", tmp_path / "quiet: story.mp4")  # a colon in the name
    info = probe(out)
    assert info.has_audio and info.duration_s == pytest.approx(sum(STORY_SECONDS), abs=0.1)
    assert max(abs(s) for s in decoded_audio(out)) < 50
