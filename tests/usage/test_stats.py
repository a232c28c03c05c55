"""`kiosk stats` and `kiosk db upgrade` as the CLI will call them."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from usage_helpers import OpenStore

from kiosk.sessions import RunEnded, RunStarted, SessionEnded, SessionStarted
from kiosk.usage import add_stats_arguments, run_db_upgrade, run_stats


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk stats")
    add_stats_arguments(parser)
    return parser.parse_args(argv)


def _stats(data_dir: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_stats(_parse(*argv), data_dir, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def recorded(open_store: OpenStore, data_dir: Path) -> Path:
    """Two days in November and one in December 2026, Riga time (UTC+2)."""
    store = open_store()
    visits = [
        ("s1", datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "solo", 1, 30, "memory", "completed"),
        ("s2", datetime(2026, 11, 24, 8, 40, tzinfo=UTC), "group", 20, 45, "quiz", "quit"),
        ("s3", datetime(2026, 11, 25, 12, 0, tzinfo=UTC), "solo", 1, 12, "memory", "completed"),
        ("s4", datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "solo", 1, 6, "quiz", "completed"),
    ]
    for sid, start, kind, headcount, minutes, activity, outcome in visits:
        end = start + timedelta(minutes=minutes)
        store.record(SessionStarted(sid, kind, headcount, None, "lv", start))  # type: ignore[arg-type]
        store.record(RunStarted(f"{sid}-r", sid, activity, None, start))
        store.record(RunEnded(f"{sid}-r", outcome, None, None, end))  # type: ignore[arg-type]
        store.record(SessionEnded(sid, "home", end))
    store.close()
    return data_dir


def test_table_by_day_has_aligned_columns_and_a_total(recorded: Path) -> None:
    code, out, err = _stats(recorded)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split("  ")[0] == "Day"
    assert "Child visits" in lines[0] and "Minutes" in lines[0]
    assert lines[2].split() == ["2026-11-24", "2", "21", "2", "1", "75.0"]
    assert lines[3].split() == ["2026-11-25", "1", "1", "1", "1", "12.0"]
    assert lines[-1].split() == ["Total", "4", "23", "4", "3", "93.0"]
    widths = {len(line) for line in lines}
    assert len(widths) == 1  # every line as wide as the header: columns line up


def test_csv_by_month(recorded: Path) -> None:
    code, out, _ = _stats(recorded, "--by", "month", "--format", "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["month", "sessions", "child_visits", "activity_runs", "completed_runs", "minutes"],
        ["2026-11", "3", "22", "3", "2", "87.0"],
        ["2026-12", "1", "1", "1", "1", "6.0"],
    ]


def test_json_by_hour_within_a_range(recorded: Path) -> None:
    code, out, _ = _stats(recorded, "--by", "hour", "--format", "json", "--from", "2026-11-24",
                          "--to", "2026-11-24")  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["from"] == "2026-11-24" and document["by"] == "hour"
    assert document["rows"] == [
        {"hour": "2026-11-24 10:00", "sessions": 2, "child_visits": 21, "activity_runs": 2,
         "completed_runs": 1, "minutes": 50.0},
        {"hour": "2026-11-24 11:00", "sessions": 0, "child_visits": 0, "activity_runs": 0,
         "completed_runs": 0, "minutes": 25.0},
    ]  # fmt: skip
    assert document["total"]["minutes"] == 75.0


def test_by_activity_leaves_sessions_to_the_total_row(recorded: Path) -> None:
    code, out, _ = _stats(recorded, "--by", "activity")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].split() == ["memory", "-", "-", "2", "2", "42.0"]
    assert lines[3].split() == ["quiz", "-", "-", "2", "1", "51.0"]
    assert lines[-1].split() == ["Total", "4", "23", "4", "3", "93.0"]


def test_empty_range_says_so(recorded: Path) -> None:
    code, out, _ = _stats(recorded, "--from", "2020-01-01", "--to", "2020-01-31")
    assert code == 0
    assert out == "No usage recorded from 2020-01-01 to 2020-01-31.\n"


def test_from_after_to_is_bad_input(recorded: Path) -> None:
    code, _, err = _stats(recorded, "--from", "2026-12-01", "--to", "2026-11-01")
    assert code == 2 and "after" in err


def test_a_malformed_date_is_an_argparse_error() -> None:
    with pytest.raises(SystemExit) as caught:
        _parse("--from", "25.11.2026")
    assert caught.value.code == 2


def test_missing_database_points_at_the_data_folder_setting(tmp_path: Path) -> None:
    code, out, err = _stats(tmp_path / "nowhere")
    assert code == 2 and out == ""
    assert str(tmp_path / "nowhere") in err and "KIOSK_DATA_DIR" in err


def test_db_upgrade_creates_the_database_and_reports_its_revision(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_db_upgrade(tmp_path / "data", out, err) == 0
    assert (tmp_path / "data" / "usage.db").is_file()
    assert "schema revision" in out.getvalue() and err.getvalue() == ""
    assert _stats(tmp_path / "data")[1] == "No usage recorded yet.\n"


def test_db_upgrade_on_an_unusable_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out, err = io.StringIO(), io.StringIO()
    assert run_db_upgrade(tmp_path / "file" / "data", out, err) == 2
    assert "storage.data_dir" in err.getvalue()
