"""The editor's voice recorder (static/voice.js) in Debian's headless Chromium against a real
uvicorn server, with Chromium's fake microphone reading a sound file: Redo records again,
a changed text asks for a new recording, Remove drops the kept voice; a silent microphone
is refused with its message under the text and nothing is kept. The whole way to a kiosk
is tests/fleet/test_editor_scenario_browser.py."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.office.auth import create_coordinator
from tests.office.test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS
from tests.voice.sounds import write_wav

if not CHROMIUM.exists() and os.environ.get("TELPA_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)

from playwright.sync_api import Locator, Page, sync_playwright  # noqa: E402

LOGIN, PASSWORD = "ilze", "a long enough password"
FIELD = "q0_prompt_lv"


@pytest.fixture
def editor_with_microphone(
    office_server: str, office_engine: Engine, site_token: str, tmp_path: Path
) -> Iterator[Callable[[float], Page]]:
    """Opens the quiz editor, logged in, in a Chromium whose microphone hears a 440 Hz tone
    at the given loudness (0: silence)."""
    create_coordinator(office_engine, LOGIN, PASSWORD)
    with sync_playwright() as playwright:
        browsers = []

        def open_editor(volume: float) -> Page:
            sound = write_wav(tmp_path / f"microphone-{volume}.wav", 3.0, amplitude=volume)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    *CHROMIUM_ARGS,
                    "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream",
                    f"--use-file-for-fake-audio-capture={sound}",
                ],
            )
            browsers.append(browser)
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
            page.set_default_timeout(60_000)
            page.goto(office_server + "/packs/quiz")
            page.fill("#login", LOGIN)
            page.fill("#password", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(office_server + "/packs/quiz")
            page.fill(f"#{FIELD}", "Kas brauc ar sarkano mašīnu?")
            return page

        try:
            yield open_editor
        finally:
            for browser in browsers:
                browser.close()


def record(page: Page, box: Locator, button: str = "record") -> None:
    box.locator(f"[data-voice={button}]").click()
    box.locator("[data-voice=stop]").wait_for(state="visible")
    # The fake microphone is real time: wait for half a second of it (a selector, since
    # the page's CSP allows no script from the test).
    enough = ",".join(f'[data-recorded-ms="{ms}"]' for ms in range(500, 5000, 250))
    page.locator(f"#voice-{FIELD}:is({enough})").wait_for(state="attached")
    box.locator("[data-voice=stop]").click()


def test_redo_records_again_a_changed_text_asks_for_a_new_one_and_remove_drops_it(
    editor_with_microphone: Callable[[float], Page],
) -> None:
    page = editor_with_microphone(0.5)
    box = page.locator(f"#voice-{FIELD}")
    kept = page.locator(f"input[name=voice_{FIELD}]")
    record(page, box)
    box.locator("[data-voice=keep]").wait_for(state="visible")
    assert box.locator(".voice-status").inner_text() == "Listen to it, then Keep it or Redo it."
    record(page, box, "redo")  # not kept: the first take is dropped
    box.locator("[data-voice=keep]").wait_for(state="visible")
    box.locator("[data-voice=keep]").click()
    assert re.fullmatch(r"[0-9a-f]{64}", kept.input_value())
    assert box.locator("[data-voice=record]").is_hidden()

    page.fill(f"#{FIELD}", "Kas brauc ar zilo mašīnu?")
    page.locator(f"#{FIELD}").press("End")
    assert "The text changed after the recording" in box.locator(".voice-status").inner_text()

    box.locator("[data-voice=remove]").click()
    assert kept.input_value() == ""
    assert box.locator("[data-voice=record]").is_visible()
    assert "the kiosk’s own voice reads this text" in box.locator(".voice-status").inner_text()


def test_a_silent_microphone_is_refused_under_the_text_and_nothing_is_kept(
    editor_with_microphone: Callable[[float], Page],
) -> None:
    page = editor_with_microphone(0.0)
    box = page.locator(f"#voice-{FIELD}")
    record(page, box)
    box.locator("[data-voice=record]").wait_for(state="visible")
    status = box.locator(".voice-status").inner_text()
    assert status.startswith("The recording is silent: check that the microphone is on")
    assert box.locator("[data-voice=keep]").is_hidden()
    assert page.locator(f"input[name=voice_{FIELD}]").input_value() == ""
