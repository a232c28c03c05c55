"""`kiosk content check` on a pack's sound clips: readable, not silent, not too long."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.packs import read_pack
from tests.voice.sounds import copy_pack, write_ogg, write_wav

GOOD_PACK = Path(__file__).parents[1] / "packs" / "fixtures" / "good-visit"
CHECK_TIMEOUT_S = 120


def _pack(tmp_path: Path, audio: str, clips: dict[str, Callable[[Path], object]]) -> Path:
    folder = copy_pack(GOOD_PACK, tmp_path / "good-visit")
    for relative, make in clips.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        make(folder / relative)
    with (folder / "pack.yaml").open("a", encoding="utf-8") as file:
        file.write(audio)
    return folder


def _audio_line(folder: Path) -> int:
    lines = (folder / "pack.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index("audio:") + 1


def _check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
        env=dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy"),
    )


def test_good_clips_in_ogg_and_wav_pass_the_check(tmp_path: Path) -> None:
    folder = _pack(
        tmp_path,
        'audio:\n  lv:\n    "Kas cep maizi?": audio/q.ogg\n  en:\n    baker: audio/baker.wav\n',
        {
            "audio/q.ogg": lambda p: write_ogg(p, 1.5),
            "audio/baker.wav": lambda p: write_wav(p, 0.8),
        },
    )
    result = _check(folder)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("silent.ogg", lambda p: write_ogg(p, 2.0, amplitude=0.0), "'audio/silent.ogg' is silent"),
        (
            "silent.wav",
            lambda p: write_wav(p, 2.0, amplitude=0.001),
            "'audio/silent.wav' is silent",
        ),
        ("long.ogg", lambda p: write_ogg(p, 25.0), "lasts over 20 s; a clip may last at most 20 s"),
        ("long.wav", lambda p: write_wav(p, 21.0), "lasts 21 s; a clip may last at most 20 s"),
        (
            "picture.ogg",
            lambda p: p.write_bytes((GOOD_PACK / "images" / "oven.jpg").read_bytes()),
            "'audio/picture.ogg' is not a sound file",
        ),
        (
            "cut.ogg",
            lambda p: p.write_bytes(write_ogg(p, 1.0).read_bytes()[:120]),
            "'audio/cut.ogg'",
        ),
    ],
)
def test_content_check_refuses_a_bad_clip_with_its_line(
    tmp_path: Path, name: str, make: Callable[[Path], object], message: str
) -> None:
    (tmp_path / "pack").mkdir()
    folder = _pack(
        tmp_path / "pack",
        f"audio:\n  lv:\n    maiznieks: audio/{name}\n",
        {f"audio/{name}": make},
    )
    result = _check(folder)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        f"{folder / 'pack.yaml'}:{_audio_line(folder) + 2}: audio, lv, maiznieks: "
    )
    assert message in first
    assert "Traceback" not in result.stderr


def test_a_clip_for_a_text_the_pack_does_not_have_is_named(tmp_path: Path) -> None:
    folder = _pack(
        tmp_path,
        'audio:\n  lv:\n    "Kas cep kūkas?": audio/q.wav\n',
        {"audio/q.wav": lambda p: write_wav(p, 1.0)},
    )
    pack, problems = read_pack(folder)
    assert pack is None
    assert [str(p) for p in problems] == [
        f"{folder / 'pack.yaml'}:{_audio_line(folder) + 2}: audio, lv, Kas cep kūkas?: no 'lv' "
        "text like this in the pack; write it exactly as it is written above (was the text "
        "changed after the recording?)"
    ]


def test_a_clip_outside_the_pack_or_not_named_as_sound_is_refused(tmp_path: Path) -> None:
    folder = _pack(
        tmp_path,
        "audio:\n  lv:\n    maiznieks: ../secret.wav\n    maize: audio/maize.mp3\n",
        {},
    )
    messages = [p.message for p in read_pack(folder)[1]]
    assert messages == [
        "audio, lv, maiznieks: use a path inside the pack's folder, like images/photo.jpg",
        "audio, lv, maize: 'audio/maize.mp3' is not a sound file (use .ogg or .wav)",
    ]


def test_the_kiosk_keeps_a_pack_whose_clip_is_damaged(tmp_path: Path) -> None:
    # The kiosk does not decode clips when it reads packs: a damaged one is found when it
    # is played, and the synthetic voice reads that text (see test_service.py).
    folder = _pack(
        tmp_path,
        "audio:\n  lv:\n    maiznieks: audio/broken.ogg\n",
        {"audio/broken.ogg": lambda p: p.write_bytes(b"OggS" + bytes(100))},
    )
    pack, problems = read_pack(folder)
    assert problems == [] and pack is not None
    assert pack.clip("maiznieks", "lv") == "audio/broken.ogg"
