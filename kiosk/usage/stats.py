"""`kiosk stats` and `kiosk db upgrade`: what this station's totals say, and schema upkeep.

``kiosk stats [--from D] [--to D] [--by day|month|hour|activity] [--format table|csv|json]``
reads only the totals tables (raw rows may have been purged), in the site's local dates:

- by day, month or hour (each hour of each day): sessions and child visits counted in the
  period they started, activity runs and completed runs likewise, and *minutes* the
  station was in use (session time, split over the periods it covered);
- by activity: runs, completed runs and minutes spent in each activity; sessions are not
  per activity, so those cells are empty and only the total row shows them.

Without --from/--to every recorded date is shown. Exit codes: 0 done, 2 bad input or no
usable database (the message says what to do).
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from kiosk.usage.db import (
    connect,
    current_revision,
    database_path,
    head_revision,
    prepare_database,
    transaction,
)
from kiosk.usage.errors import UsageStoreError

_PERIOD_SQL = {
    "day": "date",
    "month": "substr(date, 1, 7)",
    "hour": "date || ' ' || printf('%02d:00', hour)",
}


@dataclass(frozen=True)
class StatsRow:
    period: str
    sessions: int | None
    child_visits: int | None
    activity_runs: int
    completed_runs: int
    seconds: int

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)

    def as_dict(self, by: str) -> dict[str, Any]:
        values = asdict(self)
        values.pop("seconds")
        values[by] = values.pop("period")
        values["minutes"] = self.minutes
        return {key: values[key] for key in (by, *COLUMNS)}


COLUMNS = ("sessions", "child_visits", "activity_runs", "completed_runs", "minutes")
_HEADERS = ("Sessions", "Child visits", "Activity runs", "Completed runs", "Minutes")


def query_stats(
    conn: sqlite3.Connection, by: str, date_from: date | None, date_to: date | None
) -> tuple[list[StatsRow], StatsRow]:
    """Rows for each period (or activity) in the range, and the total row."""
    where = "WHERE date >= :lo AND date <= :hi"
    bounds = {
        "lo": date_from.isoformat() if date_from else "",
        "hi": date_to.isoformat() if date_to else "9999-12-31",
    }
    session_sql = "sum(sessions), sum(child_visits), sum(seconds) FROM session_totals"
    run_sql = "sum(runs), sum(completed_runs), sum(seconds) FROM activity_totals"

    def grouped(sql: str, period: str) -> dict[str, tuple[int, int, int]]:
        result = conn.execute(
            f"SELECT {period} AS p, {sql} {where} GROUP BY p ORDER BY p", bounds
        ).fetchall()
        return {str(row[0]): (int(row[1]), int(row[2]), int(row[3])) for row in result}

    def summed(sql: str) -> tuple[int, int, int]:
        row = conn.execute(f"SELECT {sql} {where}", bounds).fetchone()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    sessions_total = summed(session_sql)
    runs_total = summed(run_sql)
    if by == "activity":
        rows = [
            StatsRow(activity, None, None, runs, completed, seconds)
            for activity, (runs, completed, seconds) in grouped(run_sql, "activity").items()
        ]
        total_seconds = runs_total[2]
    else:
        sessions = grouped(session_sql, _PERIOD_SQL[by])
        runs = grouped(run_sql, _PERIOD_SQL[by])
        rows = []
        for period in sorted(sessions.keys() | runs.keys()):
            count, visits, seconds = sessions.get(period, (0, 0, 0))
            run_count, completed, _ = runs.get(period, (0, 0, 0))
            rows.append(StatsRow(period, count, visits, run_count, completed, seconds))
        total_seconds = sessions_total[2]
    total = StatsRow("Total", *sessions_total[:2], *runs_total[:2], total_seconds)
    return rows, total


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def write_table(out: TextIO, by: str, rows: list[StatsRow], total: StatsRow) -> None:
    header = (by.capitalize(), *_HEADERS)
    body = [[_cell(v) for v in row.as_dict(by).values()] for row in [*rows, total]]
    widths = [max(len(line[i]) for line in [list(header), *body]) for i in range(len(header))]

    def line(cells: Iterable[str]) -> str:
        parts = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out.write(line(header) + "\n")
    out.write(line("-" * width for width in widths) + "\n")
    for cells in body[:-1]:
        out.write(line(cells) + "\n")
    out.write(line("-" * width for width in widths) + "\n")
    out.write(line(body[-1]) + "\n")


def write_csv(out: TextIO, by: str, rows: list[StatsRow]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((by, *COLUMNS))
    for row in rows:
        writer.writerow(["" if v is None else v for v in row.as_dict(by).values()])


def write_json(
    out: TextIO, by: str, rows: list[StatsRow], total: StatsRow, span: tuple[date | None, ...]
) -> None:
    document = {
        "from": span[0].isoformat() if span[0] else None,
        "to": span[1].isoformat() if span[1] else None,
        "by": by,
        "rows": [row.as_dict(by) for row in rows],
        "total": {key: value for key, value in total.as_dict(by).items() if key != by},
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def _describe_span(date_from: date | None, date_to: date | None) -> str:
    if date_from and date_to:
        return f" from {date_from} to {date_to}"
    if date_from:
        return f" since {date_from}"
    if date_to:
        return f" up to {date_to}"
    return " yet"


def run_stats(
    args: argparse.Namespace, data_dir: Path, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    """`kiosk stats`: print this station's totals; returns the exit code."""
    date_from: date | None = args.date_from
    date_to: date | None = args.date_to
    if date_from and date_to and date_from > date_to:
        err.write(f"kiosk stats: --from {date_from} is after --to {date_to}\n")
        return 2
    db_path = database_path(data_dir)
    if not db_path.exists():
        err.write(
            f"kiosk stats: no usage database in {data_dir} (the kiosk creates it when it "
            "first starts). Check storage.data_dir in the config or KIOSK_DATA_DIR.\n"
        )
        return 2
    try:
        conn = connect(db_path, writer=False)
        try:
            with transaction(conn, write=False):
                revision = current_revision(conn)
                if revision != head_revision():
                    err.write(
                        f"kiosk stats: the usage database {db_path} is at schema revision "
                        f"{revision!r}, not {head_revision()!r}: run `kiosk db upgrade` first.\n"
                    )
                    return 2
                rows, total = query_stats(conn, args.by, date_from, date_to)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        err.write(f"kiosk stats: cannot read the usage database {db_path}: {exc}\n")
        return 2
    if args.format == "csv":
        write_csv(out, args.by, rows)
    elif args.format == "json":
        write_json(out, args.by, rows, total, (date_from, date_to))
    elif not rows:
        out.write(f"No usage recorded{_describe_span(date_from, date_to)}.\n")
    else:
        write_table(out, args.by, rows, total)
    return 0


def run_db_upgrade(data_dir: Path, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """`kiosk db upgrade`: create or migrate the usage database; returns the exit code."""
    try:
        prepared = prepare_database(data_dir, datetime.now(UTC))
    except UsageStoreError as exc:
        err.write(f"kiosk db upgrade: {exc}\n")
        return 2
    if prepared.moved_aside is not None:
        err.write(
            f"kiosk db upgrade: the old database was damaged and was moved aside to "
            f"{prepared.moved_aside}; a fresh one was started.\n"
        )
    out.write(f"Usage database {prepared.path} is at schema revision {prepared.revision}.\n")
    return 0


@dataclass(frozen=True)
class DayCount:
    day: date
    sessions: int
    child_visits: int
    minutes: int


@dataclass(frozen=True)
class RecentUsage:
    """What the librarian panel shows: the last seven days and the week's top activities."""

    days: list[DayCount]
    top_activities: list[tuple[str, int]]

    @property
    def today(self) -> DayCount:
        return self.days[-1]

    @property
    def week(self) -> DayCount:
        return DayCount(
            self.today.day,
            sum(d.sessions for d in self.days),
            sum(d.child_visits for d in self.days),
            sum(d.minutes for d in self.days),
        )


def empty_recent_usage(today: date) -> RecentUsage:
    from datetime import timedelta

    return RecentUsage([DayCount(today - timedelta(days=6 - i), 0, 0, 0) for i in range(7)], [])


def recent_usage(data_dir: Path, today: date) -> RecentUsage:
    """Totals of `today` and the six days before it (empty when there is no database).
    Opens a connection of its own: for tools; the shell reads through
    `UsageStore.recent_usage`."""
    db_path = database_path(data_dir)
    if not db_path.exists():
        return empty_recent_usage(today)
    try:
        conn = connect(db_path, writer=False)
    except sqlite3.Error:
        return empty_recent_usage(today)
    try:
        return read_recent_usage(conn, today)
    finally:
        conn.close()


def read_recent_usage(conn: sqlite3.Connection, today: date) -> RecentUsage:
    """`recent_usage` through a connection the caller owns, in one read transaction (zeros
    if the read fails: the store reports a damaged database itself)."""
    from datetime import timedelta

    first = today - timedelta(days=6)
    days = {first + timedelta(days=i): [0, 0, 0] for i in range(7)}
    top: list[tuple[str, int]] = []
    try:
        with transaction(conn, write=False):
            bounds = {"lo": first.isoformat(), "hi": today.isoformat()}
            for day, sessions, visits, seconds in conn.execute(
                "SELECT date, sum(sessions), sum(child_visits), sum(seconds) "
                "FROM session_totals WHERE date >= :lo AND date <= :hi GROUP BY date",
                bounds,
            ).fetchall():
                days[date.fromisoformat(day)] = [int(sessions), int(visits), int(seconds)]
            top = [
                (str(activity), int(runs))
                for activity, runs in conn.execute(
                    "SELECT activity, sum(runs) AS n FROM activity_totals "
                    "WHERE date >= :lo AND date <= :hi GROUP BY activity "
                    "HAVING n > 0 ORDER BY n DESC, activity LIMIT 5",
                    bounds,
                ).fetchall()
            ]
    except sqlite3.Error:
        pass  # the panel shows zeros; the store reports a damaged database itself
    return RecentUsage(
        [DayCount(d, v[0], v[1], round(v[2] / 60)) for d, v in sorted(days.items())], top
    )
