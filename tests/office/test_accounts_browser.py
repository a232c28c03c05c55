"""Accounts in a real headless Chromium against a real uvicorn server: a coordinator adds
the librarian of Ludza on the Accounts page; she logs in, sees Ludza's figures only, and
the Accounts page tells her it is for coordinators. With $TELPA_DOCS_SCREENSHOTS=1 it also
writes the guides' pictures (docs/screenshots/accounts-*.png); otherwise they go to the
test's temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kiosk.office.auth import create_coordinator
from tests.office.test_dashboard_browser import CHROMIUM, chromium_page
from tests.office.test_pack_editor_browser import DOCS_SCREENSHOTS, save_small
from tests.office.test_reports import seed_office

if not CHROMIUM.exists() and os.environ.get("TELPA_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)

from playwright.sync_api import Page  # noqa: E402

COORDINATOR, LIBRARIAN = "anna", "ilze.ludza"
PASSWORD, HER_PASSWORD = "a long enough password", "another long password"


@pytest.fixture
def browser_page(office_server: str, office_engine: Engine) -> Iterator[Page]:
    seed_office(office_engine)
    create_coordinator(office_engine, COORDINATOR, PASSWORD)
    with chromium_page() as page:
        yield page


def log_in(page: Page, server: str, login: str, password: str) -> None:
    page.goto(server + "/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("form button[type=submit]")
    page.wait_for_url(server + "/")


def test_a_coordinator_adds_a_librarian_who_then_sees_only_her_library(
    browser_page: Page, office_server: str, office_engine: Engine, tmp_path: Path
) -> None:
    out = DOCS_SCREENSHOTS if os.environ.get("TELPA_DOCS_SCREENSHOTS") == "1" else tmp_path
    page = browser_page
    log_in(page, office_server, COORDINATOR, PASSWORD)
    page.click("nav.pages >> text=Accounts")
    page.wait_for_url(office_server + "/accounts")
    page.fill("#new-login", LIBRARIAN)
    page.select_option("#new-role", "librarian")
    page.select_option("#new-site", "ludza")
    page.fill("#new-password", HER_PASSWORD)
    page.fill("#new-password-again", HER_PASSWORD)
    page.click("form.editor button[type=submit]")
    page.wait_for_selector("p.done")
    assert f"{LIBRARIAN} can now log in as the librarian of ludza" in page.inner_text("p.done")
    rows = page.locator("#accounts-table tbody tr")
    assert rows.count() == 2
    save_small(page, out / "accounts-page.png", "main")
    page.click("form.logout button")
    page.wait_for_url("**/login")

    log_in(page, office_server, LIBRARIAN, HER_PASSWORD)
    assert "librarian of ludza" in page.inner_text("header")
    assert page.locator("nav.pages >> text=Accounts").count() == 0
    libraries = page.locator("#usage-table tbody th")
    assert {libraries.nth(i).inner_text() for i in range(libraries.count())} == {
        "Ludzas novada bibliotēka"
    }
    assert {
        page.locator("rect.bar").nth(i).get_attribute("data-site")
        for i in range(page.locator("rect.bar").count())
    } == {"ludza"}
    save_small(page, out / "librarian-usage.png", "main")

    page.goto(office_server + "/accounts")
    assert page.locator("h1").inner_text() == "Not allowed"
    assert "Only coordinators may do this" in page.inner_text("[role=alert]")
    for name in ("accounts-page.png", "librarian-usage.png"):
        assert (out / name).stat().st_size < 150_000, "keep the guide's pictures small"
    with office_engine.connect() as conn:
        roles = conn.execute(text("SELECT login, role, site_id FROM accounts ORDER BY login"))
        assert [tuple(r) for r in roles] == [
            (COORDINATOR, "coordinator", None),
            (LIBRARIAN, "librarian", "ludza"),
        ]
