"""The Settings page in a real headless Chromium against a real uvicorn server: the
librarian of Ludza opens Settings from the menu, sets her library's opening hours and
hides the drawing board, and the stations' manifest carries both. With
$TELPA_DOCS_SCREENSHOTS=1 it also writes the guides' picture
(docs/screenshots/settings-page.png); otherwise it goes to the test's temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from kiosk.office.auth import create_account, create_site
from tests.office.test_dashboard_browser import CHROMIUM, chromium_page
from tests.office.test_pack_editor_browser import save_small, screenshots_folder
from tests.office.test_reports import SITES, seed_office

if not CHROMIUM.exists() and os.environ.get("TELPA_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)

from playwright.sync_api import Page  # noqa: E402

LIBRARIAN, PASSWORD = "ilze.ludza", "a long enough password"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@pytest.fixture
def browser_page(office_server: str, office_engine: Engine) -> Iterator[Page]:
    seed_office(office_engine)
    create_account(office_engine, LIBRARIAN, PASSWORD, "librarian", "ludza")
    with chromium_page() as page:
        yield page


def test_a_librarian_sets_opening_hours_and_hides_an_activity(
    browser_page: Page, office_server: str, office_engine: Engine, tmp_path: Path
) -> None:
    page = browser_page
    token = create_site(office_engine, "ludza", SITES["ludza"], new_token_for_existing=True)
    page.goto(office_server + "/login")
    page.fill("#login", LIBRARIAN)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(office_server + "/")
    page.click("nav.pages >> text=Settings")
    page.wait_for_url(office_server + "/settings")
    assert page.locator("#choose-site option").all_inner_texts() == ["Ludzas novada bibliotēka"]

    for day in WEEKDAYS:
        page.fill(f"#hours-{day}", "10:00-18:00")
    page.fill("#hours-sat", "10:00-14:00")
    page.fill("#hours-sun", "closed")
    page.uncheck("#shown-draw")
    page.click("#save-settings")
    page.wait_for_selector("p.done")
    assert "next attract screen" in page.inner_text("p.done")
    assert page.input_value("#hours-sat") == "10:00-14:00"
    assert not page.is_checked("#shown-draw")
    out = screenshots_folder(tmp_path)
    save_small(page, out / "settings-page.png", "main")
    assert (out / "settings-page.png").stat().st_size < 150_000, "keep the guide's picture small"

    manifest = httpx.get(
        office_server + "/api/v1/manifest",
        params={"station": "ludza-wb-1"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert manifest.status_code == 200
    settings = manifest.json()["settings"]
    assert settings["activities.hidden"] == ["draw"]
    assert settings["opening_hours"] == {
        **{day: "10:00-18:00" for day in WEEKDAYS},
        "sat": "10:00-14:00",
        "sun": "closed",
    }
