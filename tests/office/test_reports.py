"""Usage reports (kiosk.office.reports) on a real office database, SQLite and PostgreSQL.

The seed below is small enough to add up by hand; every expected number in these tests
was computed from it on paper, including a station that was wiped and came back with a
second db_instance_id (its old rows must still count)."""

from __future__ import annotations

import argparse
import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from kiosk.office.auth import create_site
from kiosk.office.db import make_engine, upgrade
from kiosk.office.ingest import ingest
from kiosk.office.reports import (
    ReportError,
    UsageQuery,
    csv_bytes,
    run_export,
    run_report,
    xlsx_bytes,
)

SITES = {"ludza": "Ludzas novada bibliotēka", "rokiskis": "Rokiškio biblioteka"}
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _session(
    day: str,
    hour: int,
    kind: str,
    band: str | None,
    sessions: int,
    visits: int,
    secs: int,
    **controllers: int,
) -> dict[str, Any]:
    """A session row; `controllers` (sessions_with_controllers=, controllers=) is the
    protocol addition, left out as an older kiosk leaves it out."""
    return {
        "date": day,
        "hour": hour,
        "session_kind": kind,
        "age_band": band,
        "sessions": sessions,
        "child_visits": visits,
        "seconds": secs,
        "rev": 1,
        **controllers,
    }


def _activity(
    day: str, hour: int, activity: str, kind: str, runs: int, done: int, secs: int
) -> dict[str, Any]:
    return {
        "date": day,
        "hour": hour,
        "activity": activity,
        "session_kind": kind,
        "runs": runs,
        "completed_runs": done,
        "seconds": secs,
        "rev": 1,
    }


def _body(
    site: str, station: str, instance: str, sessions: list[Any], runs: list[Any]
) -> dict[str, Any]:
    return {
        "schema": 1,
        "batch_id": str(uuid.uuid4()),
        "site": site,
        "station": station,
        "db_instance_id": instance,
        "app_version": "0.1.0",
        "sent_at": NOW.isoformat(),
        "timezone": "Europe/Riga" if site == "ludza" else "Europe/Vilnius",
        "session_totals": sessions,
        "activity_totals": runs,
    }


#: Three batches: Ludza's PC before and after it was wiped (instances A and B; B repeats
#: one of A's keys) and Rokiškis's whiteboard.
SEED = [
    _body(
        "ludza",
        "ludza-pc-1",
        "00000000-0000-4000-8000-00000000000a",
        [
            _session("2026-10-05", 10, "solo", None, 3, 3, 1800),
            _session("2026-10-05", 14, "group", "9-11", 1, 12, 3600),
            _session("2026-11-02", 11, "solo", "6-8", 2, 2, 1200),
        ],
        [
            _activity("2026-10-05", 10, "quiz", "solo", 4, 3, 900),
            _activity("2026-10-05", 14, "memory", "group", 2, 2, 2700),
            _activity("2026-11-02", 11, "quiz", "solo", 1, 0, 600),
        ],
    ),
    _body(
        "ludza",
        "ludza-pc-1",
        "00000000-0000-4000-8000-00000000000b",
        [_session("2026-11-02", 11, "solo", "6-8", 1, 1, 600)],
        [_activity("2026-11-02", 11, "quiz", "solo", 2, 1, 900)],
    ),
    _body(
        "rokiskis",
        "rokiskis-wb-1",
        "00000000-0000-4000-8000-00000000000c",
        [
            _session(
                "2026-11-20",
                9,
                "group",
                "none",
                1,
                25,
                2880,
                sessions_with_controllers=1,
                controllers=3,
            )
        ],
        [_activity("2026-11-20", 9, "words", "group", 3, 3, 2400)],
    ),
]

#: Library × month, worked out from SEED by hand:
#: (sessions, child visits, hours of use, activity runs, completed runs, hours in activities,
#: sessions with controllers, controllers)
EXPECTED_SITE_MONTH = {
    ("ludza", "2026-10"): (4, 15, 1.5, 6, 5, 1.0, 0, 0),  # 5400 s; 3600 s
    ("ludza", "2026-11"): (3, 3, 0.5, 3, 1, 0.4, 0, 0),  # 1800 s; 1500 s = 0.4167 h
    ("rokiskis", "2026-11"): (1, 25, 0.8, 3, 3, 0.7, 1, 3),  # 2880 s; 2400 s = 0.667 h
}


def seed_office(engine: Engine) -> None:
    """Register the two libraries and import SEED through the real ingest."""
    for site_id, name in SITES.items():
        create_site(
            engine, site_id, name, "Europe/Riga" if site_id == "ludza" else "Europe/Vilnius"
        )
    for body in SEED:
        status, answer = ingest(engine, body["site"], body, now=NOW)
        assert status == 200 and answer["status"] == "OK", answer


@pytest.fixture
def engine(office_url: str) -> Iterator[Engine]:
    upgrade(office_url)
    engine = make_engine(office_url)
    seed_office(engine)
    yield engine
    engine.dispose()


def _table(query: UsageQuery, engine: Engine) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    report = run_report(engine, query)
    return {
        tuple(r[: len(report.dimensions)]): tuple(r[len(report.dimensions) :])
        for r in report.records()
    }


def test_library_by_month_sums_every_db_instance(engine: Engine) -> None:
    report = run_report(engine, UsageQuery(group_by=("site", "month")))
    assert report.columns == (
        "site",
        "month",
        "sessions",
        "child_visits",
        "hours_of_use",
        "activity_runs",
        "completed_runs",
        "activity_hours",
        "sessions_with_controllers",
        "controllers",
    )
    assert _table(UsageQuery(group_by=("site", "month")), engine) == EXPECTED_SITE_MONTH
    total = report.total
    assert [total.value(m) for m in report.measures] == [8, 43, 2.8, 12, 9, 2.1, 1, 3]


def test_grouping_by_activity_shows_only_activity_measures(engine: Engine) -> None:
    query = UsageQuery(group_by=("site", "activity"))
    assert query.measures == ("activity_runs", "completed_runs", "activity_hours")
    assert _table(query, engine) == {
        ("ludza", "memory"): (2, 2, 0.8),
        ("ludza", "quiz"): (7, 4, 0.7),  # 4+1+2 runs, 900+600+900 s
        ("rokiskis", "words"): (3, 3, 0.7),
    }


def test_filtering_by_activity_shows_only_that_activitys_runs(engine: Engine) -> None:
    query = UsageQuery(activity="quiz", group_by=("month",))
    assert _table(query, engine) == {("2026-10",): (4, 3, 0.3), ("2026-11",): (3, 1, 0.4)}


def test_age_band_shows_only_visit_measures(engine: Engine) -> None:
    query = UsageQuery(group_by=("age_band",))
    assert query.measures == (
        "sessions",
        "child_visits",
        "hours_of_use",
        "sessions_with_controllers",
        "controllers",
    )
    assert _table(query, engine) == {
        ("6-8",): (3, 3, 0.5, 0, 0),
        ("9-11",): (1, 12, 1.0, 0, 0),
        ("none",): (4, 28, 1.3, 1, 3),  # 1800 + 2880 s
    }
    filtered = UsageQuery(age_band="none", session_kind="group", group_by=("site",))
    assert _table(filtered, engine) == {("rokiskis",): (1, 25, 0.8, 1, 3)}


def test_filters_narrow_dates_library_and_kind(engine: Engine) -> None:
    query = UsageQuery(
        date_from=date(2026, 11, 1),
        date_to=date(2026, 11, 2),
        site="ludza",
        session_kind="solo",
        group_by=("day", "hour"),
    )
    assert _table(query, engine) == {("2026-11-02", 11): (3, 3, 0.5, 3, 1, 0.4, 0, 0)}


def test_station_rows_carry_their_library_and_years_bucket(engine: Engine) -> None:
    query = UsageQuery(group_by=("station", "year"))
    assert query.dimensions == ("site", "station", "year")
    assert _table(query, engine) == {
        ("ludza", "ludza-pc-1", "2026"): (7, 18, 2.0, 9, 6, 1.4, 0, 0),
        ("rokiskis", "rokiskis-wb-1", "2026"): (1, 25, 0.8, 3, 3, 0.7, 1, 3),
    }


def test_hour_alone_groups_the_hour_of_day_across_dates(engine: Engine) -> None:
    table = _table(UsageQuery(group_by=("hour",)), engine)
    assert list(table) == [(9,), (10,), (11,), (14,)]
    assert table[(11,)] == (3, 3, 0.5, 3, 1, 0.4, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"group_by": ("site", "week")}, "cannot group by week"),
        ({"group_by": ("site", "site")}, "twice"),
        ({"activity": "quiz", "age_band": "6-8"}, "cannot be combined"),
        ({"group_by": ("activity", "age_band")}, "cannot be combined"),
        ({"session_kind": "family"}, "'solo' or 'group'"),
        ({"age_band": "3-5"}, "age band must be one of"),
        ({"date_from": date(2026, 12, 1), "date_to": date(2026, 11, 1)}, "is after"),
    ],
)
def test_impossible_reports_are_refused_with_a_reason(kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(ReportError, match=words):
        UsageQuery(**kwargs)


def test_url_parameters_round_trip() -> None:
    query = UsageQuery(
        date_from=date(2026, 10, 1), site="ludza", activity="quiz", group_by=("site", "day")
    )
    assert UsageQuery.from_params(query.params()) == query
    repeated = UsageQuery.from_params({"group_by": ["site", "month,activity"], "from": ""})
    assert repeated.group_by == ("site", "month", "activity") and repeated.date_from is None
    with pytest.raises(ReportError, match="from: expected a date like"):
        UsageQuery.from_params({"from": "26.11.2026"})


def test_csv_has_a_bom_column_ids_and_the_report_rows(engine: Engine) -> None:
    report = run_report(engine, UsageQuery(group_by=("site", "month")))
    data = csv_bytes(report)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == list(report.columns)
    assert lines[1:] == [[str(v) for v in record] for record in report.records()]
    assert lines[3] == ["rokiskis", "2026-11", "1", "25", "0.8", "3", "3", "0.7", "1", "3"]


def test_xlsx_has_numbers_a_bold_frozen_header_and_wide_columns(engine: Engine) -> None:
    report = run_report(engine, UsageQuery(group_by=("site", "month")))
    titles = {"site": "Bibliotēka", "child_visits": "Bērnu apmeklējumi"}
    sheet = load_workbook(io.BytesIO(xlsx_bytes(report, lambda c: titles.get(c, c)))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Bibliotēka", "month", "sessions", "Bērnu apmeklējumi")
    assert [list(r) for r in rows[1:]] == report.records()
    assert isinstance(sheet["D2"].value, int) and isinstance(sheet["E2"].value, float)
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= len("Bērnu apmeklējumi")


def _export_args(**overrides: Any) -> argparse.Namespace:
    values = {"date_from": None, "date_to": None, "by": "site,month,activity", "format": "csv"}
    values["out"] = None
    values.update(overrides)
    return argparse.Namespace(**values)


def test_export_writes_csv_to_stdout(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_export(engine, _export_args(by="site,month", date_from="2026-11-01")) == 0
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert lines == [
        ["site", "month", "sessions", "child_visits", "hours_of_use", "activity_runs"]
        + ["completed_runs", "activity_hours", "sessions_with_controllers", "controllers"],
        ["ludza", "2026-11", "3", "3", "0.5", "3", "1", "0.4", "0", "0"],
        ["rokiskis", "2026-11", "1", "25", "0.8", "3", "3", "0.7", "1", "3"],
    ]


def test_export_default_grouping_is_site_month_activity(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_export(engine, _export_args()) == 0
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert lines[0] == ["site", "month", "activity", "activity_runs", "completed_runs"] + [
        "activity_hours"
    ]
    assert ["ludza", "2026-11", "quiz", "3", "1", "0.4"] in lines
    assert len(lines) == 5


def test_export_xlsx_to_a_file(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "usage.xlsx"
    assert run_export(engine, _export_args(format="xlsx", out=out, by="site")) == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("ludza", 7, 18, 2.0, 9, 6, 1.4, 0, 0),
        ("rokiskis", 1, 25, 0.8, 3, 3, 0.7, 1, 3),
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"format": "xlsx"}, "name it with --out"),
        ({"by": "site,week"}, "cannot group by week"),
        ({"by": ","}, "--by needs at least one of"),
        ({"date_from": "yesterday"}, "--from: expected a date like 2026-11-25"),
    ],
)
def test_export_bad_usage_exits_2_with_a_clear_message(
    engine: Engine, capsys: pytest.CaptureFixture[str], overrides: dict[str, Any], message: str
) -> None:
    assert run_export(engine, _export_args(**overrides)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_kiosk_office_export_command_end_to_end(engine: Engine, office_url: str) -> None:
    from tests.in_process import run_kiosk  # `kiosk office …` as a process: test_cli.py

    result = run_kiosk(["office", "--db", office_url, "export", "--by", "site"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "ludza,7,18,2.0,9,6,1.4,0,0",
        "rokiskis,1,25,0.8,3,3,0.7,1,3",
    ]
    refused = run_kiosk(["office", "--db", office_url, "export", "--format", "xlsx"])
    assert refused.returncode == 2 and "--out" in refused.stderr and refused.stdout == ""
