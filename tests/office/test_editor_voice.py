"""Voice clips recorded in the pack editor, over HTTP on loopback against the real office
(SQLite, and PostgreSQL when $TELPA_TEST_POSTGRES_URL is set): a browser's WebM/Opus or
Ogg/Opus recording becomes the kiosk's Ogg Vorbis with the same sound in it; hostile
recordings are refused with a message and nothing is kept; a kept clip is published in the
pack under ``audio:`` for its text, comes back in the editor, and a Ludza kiosk that syncs
plays it instead of its synthetic voice (heard through SDL's disk audio driver)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from array import array
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from kiosk.config import load_config
from kiosk.fleet.client import sync_content
from kiosk.fleet.store import ContentStore
from kiosk.media.ffmpeg import ffmpeg_exe
from kiosk.office.content_models import ContentFile, PackVersionFile
from kiosk.office.content_store import read_file
from kiosk.office.editor_voice import (
    CLIP_RATE,
    MAX_RECORDING_BYTES,
    TRIM_MARGIN_S,
    decode_recording,
)
from kiosk.paths import APP_ROOT
from kiosk.voice.cache import wav_bytes
from kiosk.voice.clips import clip_info
from tests.fleet.conftest import station_config
from tests.office.test_dashboard import form_token
from tests.office.test_pack_editor import LV_LT, editor, phone_photo, post_quiz  # noqa: F401
from tests.voice.sounds import RATE, tone

TONE_HZ = 440


def recording(
    kind: str = "webm", seconds: float = 1.5, volume: float = 0.5, video: bool = False
) -> bytes:
    """A recording as a browser's MediaRecorder sends it: a `TONE_HZ` tone of `seconds`,
    as WebM/Opus (Chromium), Ogg/Opus (Firefox) or WAV, made by the ffmpeg Telpa ships."""
    source = f"sine=frequency={TONE_HZ}:duration={seconds}:sample_rate=48000"
    if video:
        command = ["-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=64x64"]
        command += ["-c:v", "libvpx", "-f", "webm"]
    else:
        command = ["-f", "lavfi", "-i", source, "-af", f"volume={volume}"]
        command += {
            "webm": ["-c:a", "libopus", "-f", "webm"],
            "ogg": ["-c:a", "libopus", "-f", "ogg"],
            "wav": ["-c:a", "pcm_s16le", "-f", "wav"],
        }[kind]
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", *command, "pipe:1"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def crossings(samples: array[int]) -> int:
    """Upward zero crossings: the tone's frequency times its length."""
    return sum(1 for a, b in zip(samples, samples[1:], strict=False) if a < 0 <= b)


def upload(http: httpx.Client, data: bytes, token: str | None = None) -> httpx.Response:
    token = token if token is not None else form_token(http.get("/packs/quiz").text)
    return http.post(
        "/packs/voice",
        data={"csrf_token": token},
        files={"recording": ("recording", data, "audio/webm;codecs=opus")},
    )


def stored_files(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ContentFile)).scalar_one())


@pytest.mark.parametrize("kind", ["webm", "ogg", "wav"])
def test_a_browser_recording_becomes_the_kiosks_ogg_vorbis_with_the_same_sound(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
    kind: str,
) -> None:
    answer = upload(editor, recording(kind))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert re.fullmatch(r"[0-9a-f]{64}", body["clip"])
    assert body["seconds"] == pytest.approx(1.5, abs=0.05)
    clip = editor.get(body["url"])
    assert clip.status_code == 200 and clip.headers["content-type"] == "audio/ogg"
    assert clip.content == read_file(office_engine, body["clip"])
    # What the kiosks get passes their own clip check, and is Vorbis (not Opus).
    info = clip_info(clip.content, "clip.ogg")
    assert info.seconds == pytest.approx(1.5, abs=0.05)
    report = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", "pipe:0", "-f", "null", "-"],
        input=clip.content,
        capture_output=True,
        timeout=60,
    ).stderr.decode()
    assert "Audio: vorbis" in report and "mono" in report
    # Decoded back, it is the tone that was recorded.
    heard = decode_recording(clip.content)
    assert len(heard) / CLIP_RATE == pytest.approx(1.5, abs=0.05)
    assert crossings(heard) == pytest.approx(TONE_HZ * 1.5, abs=5)
    # The same recording again is the same clip, kept once.
    files = stored_files(office_engine)
    assert upload(editor, recording(kind)).json()["clip"] == body["clip"]
    assert stored_files(office_engine) == files


def test_the_quiet_before_and_after_the_voice_is_cut(
    editor: httpx.Client,  # noqa: F811
) -> None:
    # Record pressed, a second before speaking; a second and a half before Stop.
    quiet = bytes(2 * RATE)
    spoken = wav_bytes(quiet + tone(1.0) + quiet + quiet[:RATE], RATE)
    answer = upload(editor, spoken)
    assert answer.status_code == 200, answer.text
    assert answer.json()["seconds"] == pytest.approx(1.0 + 2 * TRIM_MARGIN_S, abs=0.02)
    heard = decode_recording(editor.get(answer.json()["url"]).content)
    loud = [i for i, s in enumerate(heard) if abs(s) > 200]
    assert loud[0] / CLIP_RATE == pytest.approx(TRIM_MARGIN_S, abs=0.02)
    assert (len(heard) - 1 - loud[-1]) / CLIP_RATE == pytest.approx(TRIM_MARGIN_S, abs=0.02)
    assert crossings(heard[loud[0] : loud[-1] + 1]) == pytest.approx(TONE_HZ, abs=8)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("empty", lambda: b"", "The recording is empty"),
        ("a photo", lambda: phone_photo(), "not a recording the office can read"),
        ("cut short", lambda: recording()[:300], "not a recording the office can read"),
        ("noise after", lambda: recording()[:800] + os.urandom(6000), "no sound in it"),
        ("not webm", lambda: b"\x1a\x45\xdf\xa3" + os.urandom(4000), "not a recording"),
        ("video only", lambda: recording(video=True), "not a recording the office can read"),
        ("too long", lambda: recording(seconds=25), "longer than 20 s"),
        ("silent", lambda: recording(volume=0.0), "The recording is silent"),
        ("a click", lambda: recording(seconds=0.1), "no sound in it"),
    ],
)
def test_a_recording_that_cannot_be_used_is_refused_with_its_message_and_nothing_is_kept(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
    name: str,
    make: object,
    message: str,
) -> None:
    before = stored_files(office_engine)
    answer = upload(editor, make())  # type: ignore[operator]
    assert answer.status_code == 422, (name, answer.text)
    assert message in answer.json()["detail"], name
    assert stored_files(office_engine) == before


def test_the_problem_is_said_in_the_librarians_language(
    editor: httpx.Client,  # noqa: F811
) -> None:
    editor.headers["Accept-Language"] = "lv"
    answer = upload(editor, recording(volume=0.0))
    assert answer.status_code == 422
    assert "mikrofon" in answer.json()["detail"]


@pytest.mark.parametrize("extra", [1, 1_000_000], ids=["a byte over", "declared over"])
def test_an_oversized_recording_is_refused_and_nothing_is_kept(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
    extra: int,
) -> None:
    answer = upload(editor, b"\x1a\x45\xdf\xa3" + b"\0" * (MAX_RECORDING_BYTES + extra))
    assert answer.status_code == 413
    assert "over 4 MB" in answer.json()["detail"]
    assert stored_files(office_engine) == 0


def test_recording_needs_the_login_and_the_forms_csrf_token(
    editor: httpx.Client,  # noqa: F811
    office_server: str,
    office_engine: Engine,
) -> None:
    assert upload(editor, recording(), token="forged").status_code == 403
    with httpx.Client(base_url=office_server) as stranger:
        assert upload(stranger, recording(), token="x").status_code in (303, 401)
        assert stranger.get("/packs/voice/" + "0" * 64 + ".ogg").status_code in (303, 401)
        assert stranger.get("/static/voice.js").status_code in (303, 401)
    assert stored_files(office_engine) == 0
    # A stored photo is not handed out as a recording.
    photo = editor.post(
        "/packs/quiz",
        data={"csrf_token": form_token(editor.get("/packs/quiz").text), "count": "1"},
        files={"q0_upload": ("IMG.jpg", phone_photo(), "image/jpeg")},
    )
    sha = re.search(r'name="q0_photo" value="([0-9a-f]{64})"', photo.text)
    assert sha is not None
    assert editor.get(f"/packs/voice/{sha.group(1)}.ogg").status_code == 404


def test_the_editor_page_has_a_recorder_next_to_each_text_and_the_script_is_allowed(
    editor: httpx.Client,  # noqa: F811
) -> None:
    page = editor.get("/packs/quiz")
    # The title and five questions of six texts each, in three languages.
    assert page.text.count('class="voice"') == 3 * (1 + 5 * 6)
    assert 'id="voice-q0_prompt_lv"' in page.text and 'name="voice_q0_prompt_lv"' in page.text
    assert '<script src="/static/voice.js" defer>' in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "media-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    script = editor.get("/static/voice.js")
    assert script.status_code == 200 and "MediaRecorder" in script.text


def _publish_with_clip(editor: httpx.Client, **changes: str) -> tuple[str, httpx.Response]:  # noqa: F811
    sha = upload(editor, recording()).json()["clip"]
    page = post_quiz(editor, "publish", voice_q0_prompt_lv=sha, **changes)
    return sha, page


def _published_files(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {
            r.path: r.sha256
            for r in conn.execute(select(PackVersionFile.path, PackVersionFile.sha256))
        }


def test_a_kept_clip_is_published_for_its_text_and_comes_back_in_the_editor(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    sha, page = _publish_with_clip(
        editor, voice_q0_prompt_en=("0" * 64), voice_q1_a1_lt="not a sha"
    )
    assert page.status_code == 303, page.text
    files = _published_files(office_engine)
    assert files["audio/q0_prompt_lv.ogg"] == sha
    # The English clip is left out: the quiz has no English (and no forged id is used).
    assert [p for p in files if p.startswith("audio/")] == ["audio/q0_prompt_lv.ogg"]
    pack_yaml = (read_file(office_engine, files["pack.yaml"]) or b"").decode()
    assert f'audio:\n  lv:\n    "{LV_LT[0][0]}": audio/q0_prompt_lv.ogg\n' in pack_yaml
    reopened = editor.get("/packs/quiz", params={"pack": "fire-station-visit"}).text
    assert f'name="voice_q0_prompt_lv" value="{sha}"' in reopened
    assert 'name="voice_q0_prompt_lt" value=""' in reopened


def test_a_clip_no_longer_at_the_office_is_shown_at_its_text(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    page = post_quiz(editor, "publish", voice_q0_prompt_lt="ab" * 32)
    assert page.status_code == 422
    cell = re.search(r'id="problem-q0_prompt_lt">([^<]*)<', page.text)
    assert cell is not None and "q0_prompt_lt.ogg" in cell.group(1), page.text
    assert _published_files(office_engine) == {}


SAY = """
import json, os, sys, time
from pathlib import Path
from kiosk.config import load_config
from kiosk.harness import Harness

config, data, text = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
harness = Harness(config=load_config(config), data_folder=data)
assert harness.app.packs.wait(60)
voice = harness.app.voice
out = Path(os.environ["SDL_DISKAUDIOFILE"])
start = out.stat().st_size
voice.say(text, "lv")
voice.wait_idle()
harness.step()  # the frame that starts the sound
deadline = time.monotonic() + 20
while voice.speaking and time.monotonic() < deadline:
    time.sleep(0.005)
time.sleep(0.05)  # let the driver write the last buffers
report = {"available": voice.available, "from": start, "to": out.stat().st_size,
          "synthesised": voice.synthesised, "problems": voice.problems}
harness.close()
print(json.dumps(report))
"""


def test_a_ludza_kiosk_plays_the_published_clip_instead_of_its_synthetic_voice(
    editor: httpx.Client,  # noqa: F811
    office_server: str,
    site_token: str,
    tmp_path: Path,
) -> None:
    _sha, page = _publish_with_clip(editor)
    assert page.status_code == 303, page.text
    config = station_config(tmp_path, "ludza", "ludza-pc-1", office_server, site_token)
    data = config.parent / "data"
    sync_content(load_config(config), data)
    assert any("fire-station-visit" in f.name for f in ContentStore(data).pack_folders())
    env = {
        **os.environ,
        "SDL_AUDIODRIVER": "disk",
        "SDL_DISKAUDIOFILE": str(tmp_path / "out.raw"),
        "SDL_DISKAUDIODELAY": "2",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", SAY, str(config), str(data), LV_LT[0][0]],
        cwd=APP_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["available"] and report["problems"] == []
    assert report["synthesised"] == 0, "the recorded clip, not eSpeak"
    heard = array("h")
    raw = (tmp_path / "out.raw").read_bytes()[report["from"] : report["to"]]
    heard.frombytes(raw[: len(raw) - len(raw) % 2])
    loud = [i for i, s in enumerate(heard) if abs(s) > 200]
    assert loud, "nothing audible was played"
    heard = heard[loud[0] : loud[-1] + 1]
    # The kiosk's mixer runs at 22,050 Hz mono, the clip's own rate.
    assert len(heard) / 22050 == pytest.approx(1.5, abs=0.06)
    assert crossings(heard) == pytest.approx(TONE_HZ * 1.5, abs=8)


def test_a_kept_clip_stays_with_its_text_through_check_and_add_a_question(
    editor: httpx.Client,  # noqa: F811
) -> None:
    sha = upload(editor, recording()).json()["clip"]
    for action in ("check", "add"):
        page = post_quiz(editor, action, voice_q2_a1_lt=sha)
        assert page.status_code == 200, page.text
        assert f'name="voice_q2_a1_lt" value="{sha}"' in page.text, action
        assert "A recorded voice reads this text." in page.text


def test_two_texts_alike_in_one_language_share_the_first_ones_voice(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
) -> None:
    # Every question has the wrong answer "pastnieki"; pack.yaml lists a text once.
    first = upload(editor, recording()).json()["clip"]
    second = upload(editor, recording(seconds=1.0)).json()["clip"]
    page = post_quiz(editor, "publish", voice_q0_a2_lv=first, voice_q3_a2_lv=second)
    assert page.status_code == 303, page.text
    files = _published_files(office_engine)
    assert [p for p in files if p.startswith("audio/")] == ["audio/q0_a2_lv.ogg"]
    pack_yaml = (read_file(office_engine, files["pack.yaml"]) or b"").decode()
    assert pack_yaml.count('"pastnieki": audio/') == 1
    reopened = editor.get("/packs/quiz", params={"pack": "fire-station-visit"}).text
    for i in range(5):
        assert f'name="voice_q{i}_a2_lv" value="{first}"' in reopened


@pytest.mark.parametrize(
    ("kind_name", "voiced"),
    [
        ("memory", "p0a_text_lv"),
        ("sorting", "prompt_lv"),
        ("sorting", "i1_text_lt"),
        ("words", "w2_text_lv"),
        ("jigsaw", "title_lt"),
    ],
)
def test_every_editor_publishes_a_kept_voice_and_the_kiosk_finds_it_for_its_text(
    editor: httpx.Client,  # noqa: F811
    office_engine: Engine,
    kind_name: str,
    voiced: str,
    tmp_path: Path,
) -> None:
    from kiosk.packs.library import PackLibrary
    from tests.office.test_pack_editors import KINDS, post, upload_files

    kind = next(k for k in KINDS if k.name == kind_name)
    sha = upload(editor, recording()).json()["clip"]
    page = post(editor, kind, "publish", files=upload_files(kind), **{f"voice_{voiced}": sha})
    assert page.status_code == 303, page.text
    files = _published_files(office_engine)
    assert files[f"audio/{voiced}.ogg"] == sha
    # The pack as a kiosk gets it: the clip is the one for that text in that language.
    folder = tmp_path / kind.pack_id
    for path, file_sha in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(read_file(office_engine, file_sha) or b"")
    library = PackLibrary([tmp_path])
    assert library.broken == []
    (pack,) = [p for p in library.ready() if p.pack == kind.pack_id]
    lang = voiced.rsplit("_", 1)[1]
    assert pack.clip(kind.fields[voiced], lang) == f"audio/{voiced}.ogg"
    reopened = editor.get(f"/packs/{kind.name}", params={"pack": kind.pack_id}).text
    assert f'name="voice_{voiced}" value="{sha}"' in reopened
