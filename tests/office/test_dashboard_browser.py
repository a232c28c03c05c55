"""The dashboard in a real headless Chromium against a real uvicorn server: log in, filter,
read the SVG chart, download the CSV and XLSX and check their numbers against what the
kiosks sent (computed here from the ingested bodies, not from the office's own code)."""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from kiosk.office.auth import create_coordinator
from tests.office.test_reports import SEED, seed_office

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOGIN, PASSWORD = "eva", "ten letters or more"

if not CHROMIUM.exists() and os.environ.get("TELPA_REQUIRE_BROWSER") != "1":
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402


@contextmanager
def chromium_page(height: int = 800, timeout_ms: int = 20_000) -> Iterator[Page]:
    """A page of Debian's headless Chromium, 1366 wide, English (the office tests' browser)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": height}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def sent_by_month(site: str) -> dict[str, dict[str, int]]:
    """What the kiosks of `site` sent, summed by month over every db_instance_id."""
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for body in SEED:
        if body["site"] != site:
            continue
        for row in body["session_totals"]:
            months[row["date"][:7]]["child_visits"] += row["child_visits"]
            months[row["date"][:7]]["sessions"] += row["sessions"]
        for row in body["activity_totals"]:
            months[row["date"][:7]]["activity_runs"] += row["runs"]
            months[row["date"][:7]]["completed_runs"] += row["completed_runs"]
    return {month: dict(values) for month, values in months.items()}


@pytest.fixture
def browser_page(office_server: str, office_engine: Engine) -> Iterator[Page]:
    seed_office(office_engine)
    create_coordinator(office_engine, LOGIN, PASSWORD)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="en-GB", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def test_coordinator_logs_in_filters_sees_the_chart_and_downloads_the_numbers(
    browser_page: Page, office_server: str
) -> None:
    page = browser_page
    page.goto(office_server + "/")
    assert page.url.startswith(office_server + "/login")
    page.fill("#login", LOGIN)
    page.fill("#password", "wrong password!")
    page.click("form button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Wrong login or password."
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(office_server + "/")
    assert page.locator("h1").inner_text() == "Usage of the kiosks"

    page.select_option("#site", "ludza")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**site=ludza**")

    expected = sent_by_month("ludza")
    assert expected == {
        "2026-10": {"sessions": 4, "child_visits": 15, "activity_runs": 6, "completed_runs": 5},
        "2026-11": {"sessions": 3, "child_visits": 3, "activity_runs": 3, "completed_runs": 1},
    }
    chart = page.locator("#usage-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 800 and 150 < box["height"] <= 260
    bars = chart.locator("rect.bar")
    assert bars.count() == 2
    drawn = {
        bars.nth(i).get_attribute("data-month"): (
            int(bars.nth(i).get_attribute("data-value") or -1),
            float(bars.nth(i).get_attribute("height") or -1),
            bars.nth(i).get_attribute("data-site"),
        )
        for i in range(2)
    }
    assert {month: value for month, (value, _h, _s) in drawn.items()} == {
        month: sums["child_visits"] for month, sums in expected.items()
    }
    assert {site for _v, _h, site in drawn.values()} == {"ludza"}
    # Bar heights are to scale: 15 visits draw five times as tall as 3.
    assert drawn["2026-10"][1] == pytest.approx(5 * drawn["2026-11"][1], rel=0.01)
    assert "Ludzas novada bibliotēka" in chart.locator("title").first.text_content()  # type: ignore[operator]

    screen_rows = page.locator("#usage-table tbody tr")
    assert screen_rows.count() == 2

    with page.expect_download() as csv_info:
        page.click("#download-csv")
    csv_text = Path(csv_info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [(r["site"], r["month"]) for r in rows] == [("ludza", "2026-10"), ("ludza", "2026-11")]
    for row in rows:
        sums = expected[row["month"]]
        for column in ("sessions", "child_visits", "activity_runs", "completed_runs"):
            assert int(row[column]) == sums[column], (row, column)

    with page.expect_download() as xlsx_info:
        page.click("#download-xlsx")
    assert xlsx_info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(xlsx_info.value.path()).read_bytes())).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Library", "Month", "Sessions", "Child visits"]
    table = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2], r[3], r[5], r[6]) for r in table] == [
        ("ludza", month, s["sessions"], s["child_visits"], s["activity_runs"], s["completed_runs"])
        for month, s in sorted(expected.items())
    ]

    page.click("a[hreflang=lv]")
    assert page.locator("h1").inner_text() == "Kiosku lietojums"
    assert page.locator("#site").input_value() == "ludza"
    assert page.locator("#usage-table tbody tr").count() == 2  # still by library and month
    assert page.locator("#usage-table tfoot td").first.inner_text() == "7"  # 4 + 3 sessions

    # Logging out is a form with the session's CSRF token; afterwards the pages need a login.
    page.click(".logout button")
    page.wait_for_url("**/login")
    page.goto(office_server + "/")
    assert page.url.startswith(office_server + "/login")
