"""The quiz editor in a real headless Chromium against a real uvicorn server: log in, make a
five-question quiz in Latvian and Lithuanian with photos, see the missing English marked,
preview a question drawn by the kiosk, publish to Ludza and find the version on the packs
page. With $TELPA_DOCS_SCREENSHOTS=1 it also writes the coordinator guide's pictures
(docs/screenshots/editor-*.png); otherwise they go to the test's temporary folder."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, select

from kiosk.office.auth import create_coordinator
from kiosk.office.content_models import PackAssignment, PackVersion
from tests.office.test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS
from tests.office.test_pack_editor import LV_LT, phone_photo

if not CHROMIUM.exists() and os.environ.get("TELPA_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

LOGIN, PASSWORD = "ilze", "a long enough password"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def browser_page(
    office_server: str, office_engine: Engine, site_token: str, other_site_token: str
) -> Iterator[Page]:
    create_coordinator(office_engine, LOGIN, PASSWORD)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(90_000)  # a preview starts a headless kiosk
        try:
            yield page
        finally:
            context.close()
            browser.close()


def save_small(page: Page, path: Path, selector: str) -> None:
    """A screenshot of one part of the page, as a small palette PNG for the docs."""
    shot = page.locator(selector).screenshot()
    with Image.open(io.BytesIO(shot)) as image:
        image.convert("RGB").quantize(colors=64).save(path, optimize=True)


def open_new_editor(page: Page, office_server: str, link: str, kind: str) -> None:
    """Log in on the packs page and follow its "New …" link to the editor of `kind`."""
    page.goto(office_server + "/packs")
    page.fill("#login", LOGIN)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(office_server + "/packs")
    page.click(f"text={link}")
    page.wait_for_url(office_server + f"/packs/{kind}")


def screenshots_folder(tmp_path: Path) -> Path:
    """docs/screenshots with $TELPA_DOCS_SCREENSHOTS=1, else the test's own folder."""
    return DOCS_SCREENSHOTS if os.environ.get("TELPA_DOCS_SCREENSHOTS") == "1" else tmp_path


def test_coordinator_writes_a_quiz_previews_it_and_publishes_it_to_ludza(
    browser_page: Page, office_server: str, office_engine: Engine, tmp_path: Path
) -> None:
    out = screenshots_folder(tmp_path)
    page = browser_page
    open_new_editor(page, office_server, "New quiz", "quiz")

    for i in range(5):
        photo = tmp_path / f"IMG_{i}.jpg"
        photo.write_bytes(phone_photo(rotated=i == 0))
    page.fill("#pack_id", "fire-station-visit")
    page.select_option("#site", "ludza")
    page.fill("#title_lv", "Ekskursija uz ugunsdzēsēju depo")
    page.fill("#title_lt", "Ekskursija į gaisrinę")
    for i, (prompt_lv, prompt_lt, right_lv, right_lt) in enumerate(LV_LT):
        page.fill(f"#q{i}_prompt_lv", prompt_lv)
        page.fill(f"#q{i}_prompt_lt", prompt_lt)
        page.fill(f"#q{i}_a0_lv", right_lv)
        page.fill(f"#q{i}_a0_lt", right_lt)
        page.fill(f"#q{i}_a1_lv", "pastnieki")
        page.fill(f"#q{i}_a1_lt", "paštininkai")
        page.set_input_files(f"#q{i}_upload", str(tmp_path / f"IMG_{i}.jpg"))
    page.click("button[value=check]")
    page.wait_for_selector("p.done")
    assert page.locator("#mark-q0_prompt_en").is_visible()
    assert page.locator("td.missing").count() == 1 + 5 * 3
    assert "English" in page.locator("#offered").inner_text()
    assert page.locator("#question-0 .photo img").is_visible()

    page.click("#question-0 button[value=preview-0-lv]")
    page.wait_for_selector("#preview img")
    # The preview is drawn by the kiosk's renderer on the server: wait until it has arrived
    # (or failed: then naturalWidth is 0) before reading its width.
    page.eval_on_selector("#preview img", "img => img.decode().then(() => true, () => false)")
    loaded = page.eval_on_selector("#preview img", "img => img.complete && img.naturalWidth")
    assert loaded == 1366, "the kiosk's own picture of the question is in the page"
    page.locator("#question-0").scroll_into_view_if_needed()
    save_small(page, out / "editor-quiz.png", "#question-0")

    page.click("#publish")
    page.wait_for_url("**/packs?published=fire-station-visit&version=1")
    assert "fire-station-visit version 1 is published to ludza" in page.inner_text("main")
    save_small(page, out / "editor-packs.png", "main")
    for name in ("editor-quiz.png", "editor-packs.png"):
        assert (out / name).stat().st_size < 150_000, "keep the guide's pictures small"

    with office_engine.connect() as conn:
        rows = conn.execute(
            select(PackVersion.made_with, PackAssignment.site_id).join(
                PackAssignment, PackAssignment.version_id == PackVersion.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [("editor", "ludza")]
