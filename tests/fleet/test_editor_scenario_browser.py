"""Issue #18's scenario end to end: in Debian's headless Chromium a librarian of Ludza (made
with ``kiosk office add-user ilze --role librarian --site ludza``) logs in to the real
office (uvicorn on loopback; SQLite, and PostgreSQL when $TELPA_TEST_POSTGRES_URL is
set), uploads five photos, writes a five-question quiz in Latvian and Lithuanian, records
the first question's Latvian voice with Chromium's fake microphone (it hears a 440 Hz tone
from a file), keeps it and publishes to Ludza, the only library she may publish to. A
Ludza kiosk in the headless harness, in the middle of a child's visit, syncs; the new
pack shows at its next attract screen; a scripted child plays it (the recorded voice reads
the first question, not the synthetic one); the usage totals of that quiz arrive back in
the office. A Rokiškis kiosk syncing with the same office does not get the pack.

With $TELPA_DOCS_SCREENSHOTS=1 it writes the guide's picture of the recorder
(docs/screenshots/editor-voice.png); otherwise it goes to the test's temporary folder."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kiosk.config import Config, load_config
from kiosk.fleet.client import sync_content
from kiosk.fleet.store import ContentStore
from kiosk.harness import Harness
from kiosk.office.content_models import PackVersionFile
from kiosk.office.content_store import read_file
from kiosk.office.editor_voice import CLIP_RATE, decode_recording
from kiosk.office.models import ActivityTotal
from kiosk.usage import UsageStore
from kiosk.usage.stats import run_db_upgrade
from tests.fleet.conftest import station_config
from tests.office.test_cli import office as office_cli
from tests.office.test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS
from tests.office.test_editor_voice import TONE_HZ, crossings
from tests.office.test_pack_editor import LV_LT, phone_photo
from tests.office.test_pack_editor_browser import DOCS_SCREENSHOTS, save_small
from tests.voice.sounds import write_wav

if not CHROMIUM.exists() and os.environ.get("TELPA_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow  # Chromium, two kiosks and a whole quiz: about half a minute

LOGIN, PASSWORD = "ilze", "a long enough password"
PACK = "fire-station-visit"
#: The text whose voice is recorded in the browser.
VOICED = LV_LT[0][0]


def _station(tmp_path: Path, site: str, station: str, office: str, token: str) -> Config:
    return load_config(station_config(tmp_path, site, station, office, token))


def _data(tmp_path: Path, station: str) -> Path:
    return tmp_path / station / "data"


def _pack_ids(kiosk: Harness) -> set[str]:
    assert kiosk.app.packs.wait(30)
    return {pack.pack for pack in kiosk.app.packs.ready()}


def _start_visit(kiosk: Harness) -> None:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    assert kiosk.scene_name == "Launcher"


def _sync(kiosk: Harness) -> None:
    assert kiosk.app.sync is not None
    assert kiosk.app.sync.wait_for_attempt(kiosk.app.sync.sync_now(), timeout=60)
    assert kiosk.app.sync.status().last_error == ""


def _write_the_quiz_and_record_a_voice(page: Page, office: str, tmp_path: Path, out: Path) -> str:
    """The librarian's part, in the browser; returns the kept clip's sha256."""
    page.goto(office + "/packs")
    page.fill("#login", LOGIN)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(office + "/packs")
    page.click("text=New quiz")
    page.wait_for_url(office + "/packs/quiz")
    page.fill("#pack_id", PACK)
    # A librarian publishes to her own library only.
    assert page.locator("#site option").count() == 1
    assert page.locator("#site option[value=ludza]").count() == 1
    page.fill("#title_lv", "Ekskursija uz ugunsdzēsēju depo")
    page.fill("#title_lt", "Ekskursija į gaisrinę")
    for i, (prompt_lv, prompt_lt, right_lv, right_lt) in enumerate(LV_LT):
        photo = tmp_path / f"IMG_{i}.jpg"
        photo.write_bytes(phone_photo(rotated=i == 0))
        page.fill(f"#q{i}_prompt_lv", prompt_lv)
        page.fill(f"#q{i}_prompt_lt", prompt_lt)
        page.fill(f"#q{i}_a0_lv", right_lv)
        page.fill(f"#q{i}_a0_lt", right_lt)
        page.fill(f"#q{i}_a1_lv", "pastnieki")
        page.fill(f"#q{i}_a1_lt", "paštininkai")
        page.set_input_files(f"#q{i}_upload", str(photo))

    # Record the first question's Latvian text: Record, (say it), Stop, Listen, Keep.
    box = page.locator("#voice-q0_prompt_lv")
    box.locator("[data-voice=record]").click()
    box.locator("[data-voice=stop]").wait_for(state="visible")
    # The fake microphone is real time: wait until the recorder has 1.5 s of it (a selector:
    # the page's CSP allows no script from the test).
    enough = ",".join(f'[data-recorded-ms="{ms}"]' for ms in range(1500, 5000, 250))
    page.locator(f"#voice-q0_prompt_lv:is({enough})").wait_for(state="attached")
    box.locator("[data-voice=stop]").click()
    box.locator("[data-voice=keep]").wait_for(state="visible")
    assert box.locator("[data-voice=record]").is_hidden()
    with page.expect_response(re.compile(r"/packs/voice/[0-9a-f]{64}\.ogg$")) as played:
        box.locator("[data-voice=listen]").click()
    assert played.value.status == 200
    assert played.value.headers["content-type"] == "audio/ogg"
    assert page.input_value("input[name=voice_q0_prompt_lv]") == "", "not kept yet"
    box.locator("[data-voice=keep]").click()
    clip = page.input_value("input[name=voice_q0_prompt_lv]")
    assert re.fullmatch(r"[0-9a-f]{64}", clip)
    assert "Voice kept" in box.locator(".voice-status").inner_text()
    assert box.locator("[data-voice=redo]").is_visible()
    page.locator("#question-0 table.texts tbody tr").first.scroll_into_view_if_needed()
    save_small(page, out / "editor-voice.png", "#question-0 table.texts tbody tr:first-child")
    assert (out / "editor-voice.png").stat().st_size < 150_000, "keep the guide's pictures small"

    page.click("#publish")
    page.wait_for_url(f"**/packs?published={PACK}&version=1")
    assert f"{PACK} version 1 is published to ludza" in page.inner_text("main")
    return clip


def _the_child_plays_the_quiz(kiosk: Harness) -> None:
    """A child's visit: the quiz tile, the new topic, the easiest level, every question
    answered right; the first question's speaker plays the recorded voice."""
    _start_visit(kiosk)
    kiosk.tap_button("tile:quiz")
    kiosk.tap_button(f"topic:{PACK}")
    kiosk.tap_button("level:1")
    game = kiosk.app.top.activity  # type: ignore[union-attr]
    voice = kiosk.app.voice
    heard_the_recording = False
    while game.phase == "play":
        asked = game.round.current
        if asked.question.prompt["lv"] == VOICED:
            synthesised, started = voice.synthesised, voice.started
            kiosk.tap_button("speak")
            assert voice.wait_idle()
            kiosk.step()
            assert voice.started == started + 1 and voice.synthesised == synthesised
            assert voice.problems == []
            heard_the_recording = True
        kiosk.tap_button(f"answer:{asked.right_index}")
        assert asked.done and not asked.tried
        kiosk.tap_button("next")
    assert game.phase == "stars" and heard_the_recording
    kiosk.tap_button("home")
    kiosk.tap_button("bye")
    assert kiosk.scene_name == "Attract"


def test_a_ludza_librarian_makes_a_quiz_with_a_voice_and_only_ludzas_kiosk_plays_it(
    tmp_path: Path,
    office_server: str,
    office_engine: Engine,
    office_db: str,
    site_token: str,
    other_site_token: str,
) -> None:
    out = DOCS_SCREENSHOTS if os.environ.get("TELPA_DOCS_SCREENSHOTS") == "1" else tmp_path
    added = office_cli(
        office_db, "add-user", LOGIN, "--role", "librarian", "--site", "ludza",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    ludza = _station(tmp_path, "ludza", "ludza-pc-1", office_server, site_token)
    rokiskis = _station(tmp_path, "rokiskis", "rokiskis-pc-1", office_server, other_site_token)
    data = _data(tmp_path, "ludza-pc-1")
    assert run_db_upgrade(data, io.StringIO()) == 0  # as `kiosk db upgrade`
    store = UsageStore.open(data, ludza)
    tone = write_wav(tmp_path / "microphone.wav", 3.0)
    with Harness(config=ludza, sink=store, data_folder=data, lang="lv") as kiosk:
        assert kiosk.app.voice.available
        assert PACK not in _pack_ids(kiosk)
        _start_visit(kiosk)  # a child is at the kiosk while the librarian works

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    *CHROMIUM_ARGS,
                    "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream",
                    f"--use-file-for-fake-audio-capture={tone}",
                    "--autoplay-policy=no-user-gesture-required",
                ],
            )
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
            context.grant_permissions(["microphone"], origin=office_server)
            page = context.new_page()
            page.set_default_timeout(90_000)
            try:
                clip = _write_the_quiz_and_record_a_voice(page, office_server, tmp_path, out)
            finally:
                context.close()
                browser.close()

        # The pack carries the clip for the Latvian text, and it is the microphone's tone.
        with office_engine.connect() as conn:
            files = {
                row.path: row.sha256
                for row in conn.execute(select(PackVersionFile.path, PackVersionFile.sha256))
            }
        assert files["audio/q0_prompt_lv.ogg"] == clip
        sound = decode_recording(read_file(office_engine, clip) or b"")
        loud = [i for i, s in enumerate(sound) if abs(s) > 200]
        sound = sound[loud[0] : loud[-1] + 1]
        assert len(sound) / CLIP_RATE >= 1.0
        assert crossings(sound) / (len(sound) / CLIP_RATE) == pytest.approx(TONE_HZ, rel=0.03)

        _sync(kiosk)
        kiosk.step(5)
        assert PACK not in _pack_ids(kiosk), "never in the middle of a visit"
        kiosk.tap_button("bye")
        assert kiosk.scene_name == "Attract"
        assert PACK in _pack_ids(kiosk), "at the next attract screen"
        _the_child_plays_the_quiz(kiosk)
        assert store.flush(30)
        _sync(kiosk)

    with office_engine.connect() as conn:
        quiz = conn.execute(
            select(ActivityTotal.runs, ActivityTotal.completed_runs).where(
                ActivityTotal.site_id == "ludza",
                ActivityTotal.station == "ludza-pc-1",
                ActivityTotal.activity == "quiz",
            )
        ).all()
    assert [tuple(row) for row in quiz] == [(1, 1)], "the quiz's totals are at the office"

    sync_content(rokiskis, _data(tmp_path, "rokiskis-pc-1"))
    store_of_rokiskis = ContentStore(_data(tmp_path, "rokiskis-pc-1"))
    assert not any(PACK in f.name for f in store_of_rokiskis.pack_folders())
    with Harness(config=rokiskis, data_folder=_data(tmp_path, "rokiskis-pc-1")) as kiosk:
        assert PACK not in _pack_ids(kiosk)
