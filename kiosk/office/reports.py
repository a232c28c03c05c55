"""Usage reports of the project office: one query layer for the dashboard, the CSV and XLSX
downloads and `kiosk office export` (DESIGN §4, §5).

The kiosks send two kinds of totals, and they cannot be mixed freely:

- *visit measures* (sessions, child visits, hours of use, and the sessions played with game
  controllers and their controllers) come from `session_totals`, which know the age band
  but not the activity;
- *activity measures* (activity runs, completed runs, hours in activities) come from
  `activity_totals`, which know the activity but not the age band.

So a report that filters or groups by activity shows only activity measures, one that
filters or groups by age band shows only visit measures, and asking for both at once is
refused with a message saying why. Every number is a sum over `db_instance_id`: a wiped
kiosk's old rows stay and count.

Dates and hours are the station's local time. SQL groups by plain columns (date, hour, …)
on both SQLite and PostgreSQL; years and months are bucketed here in Python, so no
dialect-specific date functions are needed.

Files: CSV headers are stable English column ids (for scripts and spreadsheets alike), the
CSV is UTF-8 with a byte-order mark when written to a file so Excel reads Latvian and
Lithuanian letters right; XLSX headers are in the reader's language, cells are real numbers.

No file carries a live formula: every text cell is written as text, and one that starts with
a character a spreadsheet would read as the start of a formula or command (``= + - @``, tab,
carriage return) gets an apostrophe in front (`neutralised`, OWASP's advice for CSV
injection). Ingest already refuses such activity ids and versions; this is the second wall,
for anything stored before that rule or reaching a file another way.

Over 500 lines (just) because the dashboard, both downloads and `kiosk office export` must
read from exactly this one query layer, so that what is shown is what is exported.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, TextIO

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import Engine, func, select
from sqlalchemy.sql import ColumnElement

from kiosk.errors import TelpaError
from kiosk.office.models import AGE_BANDS, SESSION_KINDS, ActivityTotal, SessionTotal, Site

#: What a report can be grouped by, in the order the columns appear.
DIMENSIONS: tuple[str, ...] = (
    "site",
    "station",
    "year",
    "month",
    "day",
    "hour",
    "activity",
    "session_kind",
    "age_band",
)

VISIT_MEASURES = ("sessions", "child_visits", "hours_of_use")
ACTIVITY_MEASURES = ("activity_runs", "completed_runs", "activity_hours")
#: Visit measures too (from `session_totals`), added later: they come last, so the columns
#: scripts already read keep their places.
CONTROLLER_MEASURES = ("sessions_with_controllers", "controllers")

DEFAULT_GROUP_BY = ("site", "month")

_SESSION_TOTALS = SessionTotal.__table__
_ACTIVITY_TOTALS = ActivityTotal.__table__
_SITES = Site.__table__


class ReportError(TelpaError, ValueError):
    """A report request that cannot be answered; the message says what to change.

    `code` names the rule for screens that show their own translated message."""

    codes = (
        "report_bad_request",
        "report_bad_date",
        "report_date_order",
        "report_activity_with_age_band",
    )

    def __init__(self, message: str, code: str = "report_bad_request") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class UsageQuery:
    """What a coordinator asked for: a date range, filters and the grouping."""

    date_from: date | None = None
    date_to: date | None = None
    site: str | None = None
    activity: str | None = None
    session_kind: str | None = None
    age_band: str | None = None
    group_by: tuple[str, ...] = DEFAULT_GROUP_BY

    def __post_init__(self) -> None:
        unknown = [d for d in self.group_by if d not in DIMENSIONS]
        if unknown:
            raise ReportError(
                f"cannot group by {', '.join(unknown)}: choose from {', '.join(DIMENSIONS)}"
            )
        if len(set(self.group_by)) != len(self.group_by):
            raise ReportError("group by lists a column twice")
        if self.session_kind is not None and self.session_kind not in SESSION_KINDS:
            raise ReportError(f"solo/group must be 'solo' or 'group', not {self.session_kind!r}")
        if self.age_band is not None and self.age_band not in AGE_BANDS:
            raise ReportError(
                f"age band must be one of {', '.join(AGE_BANDS)}, not {self.age_band!r}"
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ReportError(
                f"the first date ({self.date_from}) is after the last date ({self.date_to})",
                "report_date_order",
            )
        if self.by_activity and self.by_age_band:
            raise ReportError(
                "activity and age band cannot be combined: the kiosks count activity runs "
                "without age bands and visits without activities",
                "report_activity_with_age_band",
            )

    @property
    def by_activity(self) -> bool:
        return self.activity is not None or "activity" in self.group_by

    @property
    def by_age_band(self) -> bool:
        return self.age_band is not None or "age_band" in self.group_by

    @property
    def measures(self) -> tuple[str, ...]:
        """The measure columns this query can answer honestly."""
        if self.by_activity:
            return ACTIVITY_MEASURES
        if self.by_age_band:
            return VISIT_MEASURES + CONTROLLER_MEASURES
        return VISIT_MEASURES + ACTIVITY_MEASURES + CONTROLLER_MEASURES

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The key columns: a station is always shown with its library (station ids are
        only unique within a site)."""
        dims = self.group_by
        if "station" in dims and "site" not in dims:
            dims = ("site", *dims)
        return tuple(sorted(dims, key=DIMENSIONS.index))

    def params(self) -> dict[str, str]:
        """The query as URL parameters (the download links carry exactly these)."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "site": self.site or "",
            "activity": self.activity or "",
            "session_kind": self.session_kind or "",
            "age_band": self.age_band or "",
            "group_by": ",".join(self.group_by),
        }
        return {key: value for key, value in values.items() if value}

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> UsageQuery:
        """Read URL parameters (as `params()` writes them; `group_by` may also repeat)."""
        return ReportParams.model_validate(params).to_query()


def _one_text(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _group_pieces(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    return [piece.strip() for item in items for piece in str(item).split(",") if piece.strip()]


FilterText = Annotated[str | None, BeforeValidator(_one_text)]


class ReportParams(BaseModel):
    """The URL parameters of a report (the dashboard's filter form, the download links):
    text as given, an empty one meaning "not given". `to_query` judges them, so a bad
    date or a clash of filters becomes a `ReportError` the page can explain, never a
    bare 422."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    date_from: FilterText = Field(None, alias="from")
    date_to: FilterText = Field(None, alias="to")
    site: FilterText = None
    activity: FilterText = None
    session_kind: FilterText = None
    age_band: FilterText = None
    #: Repeated (``group_by=site&group_by=month``) or comma-separated, or both.
    group_by: Annotated[list[str], BeforeValidator(_group_pieces)] = []

    def to_query(self) -> UsageQuery:
        """The report these parameters ask for; raises ReportError."""
        return UsageQuery(
            date_from=parse_date(self.date_from, "from"),
            date_to=parse_date(self.date_to, "to"),
            site=self.site,
            activity=self.activity,
            session_kind=self.session_kind,
            age_band=self.age_band,
            group_by=tuple(self.group_by) if self.group_by else DEFAULT_GROUP_BY,
        )


def parse_date(text: str | None, what: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(
            f"{what}: expected a date like 2026-11-25, not {text!r}", "report_bad_date"
        ) from None


def parse_group_by(text: str) -> tuple[str, ...]:
    """`--by site,month,activity` as a tuple; an empty list is an error."""
    dims = tuple(p.strip() for p in text.split(",") if p.strip())
    if not dims:
        raise ReportError(f"--by needs at least one of {', '.join(DIMENSIONS)}")
    return dims


@dataclass
class ReportRow:
    """One line of a report: its key values and raw sums (seconds stay exact)."""

    key: tuple[Any, ...]
    sums: dict[str, int] = field(default_factory=dict)

    def value(self, measure: str) -> int | float:
        if measure == "hours_of_use":
            return hours(self.sums.get("session_seconds", 0))
        if measure == "activity_hours":
            return hours(self.sums.get("activity_seconds", 0))
        return self.sums.get(measure, 0)


def hours(seconds: int) -> float:
    """Seconds as hours to one decimal, halves rounded up (what the screen and the files
    both show; exact decimal arithmetic, so 0.25 h is 0.3 everywhere)."""
    exact = Decimal(seconds) / Decimal(3600)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class UsageReport:
    query: UsageQuery
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    rows: list[ReportRow]
    total: ReportRow
    site_names: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.dimensions + self.measures

    def records(self) -> list[list[str | int | float]]:
        """The rows as plain values in column order, as the files carry them."""
        return [
            [*(key_text(d, v) for d, v in zip(self.dimensions, row.key, strict=True))]
            + [row.value(m) for m in self.measures]
            for row in self.rows
        ]


#: What a spreadsheet may read as the start of a formula or a command (DDE) in a text cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """`text` as a file's text cell carries it: with an apostrophe in front when it starts
    like a formula, so Excel and LibreOffice show it as the text it is."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _file_cell(value: str | int | float) -> str | int | float:
    return neutralised(value) if isinstance(value, str) else value


def key_text(dimension: str, value: Any) -> str | int:
    """A key value as the files write it: ISO dates, the hour as a number, ids as they are."""
    if dimension == "hour":
        return int(value)
    return str(value)


def _bucket(dimension: str, row: Any) -> Any:
    if dimension == "site":
        return row["site_id"]
    if dimension in ("year", "month", "day"):
        day: date = row["date"]
        if isinstance(day, str):  # a driver that hands back text
            day = date.fromisoformat(day)
        if dimension == "year":
            return f"{day.year:04d}"
        if dimension == "month":
            return f"{day.year:04d}-{day.month:02d}"
        return day.isoformat()
    return row[dimension]


def _sql_columns(dims: Iterable[str], source: Any) -> list[ColumnElement[Any]]:
    wanted: list[str] = []
    for dim in dims:
        name = {"site": "site_id", "year": "date", "month": "date", "day": "date"}.get(dim, dim)
        if name not in wanted:
            wanted.append(name)
    return [source.c[name] for name in wanted]


def _filtered(statement: Any, source: Any, query: UsageQuery, *, with_age: bool) -> Any:
    c = source.c
    if query.date_from is not None:
        statement = statement.where(c.date >= query.date_from)
    if query.date_to is not None:
        statement = statement.where(c.date <= query.date_to)
    if query.site is not None:
        statement = statement.where(c.site_id == query.site)
    if query.session_kind is not None:
        statement = statement.where(c.session_kind == query.session_kind)
    if with_age and query.age_band is not None:
        statement = statement.where(c.age_band == query.age_band)
    if not with_age and query.activity is not None:
        statement = statement.where(c.activity == query.activity)
    return statement


def _collect(
    engine: Engine,
    query: UsageQuery,
    dims: tuple[str, ...],
    source: Any,
    sums: Mapping[str, ColumnElement[Any]],
    into: dict[tuple[Any, ...], ReportRow],
    total: ReportRow,
) -> None:
    keys = _sql_columns(dims, source)
    labelled = [func.coalesce(func.sum(expr), 0).label(name) for name, expr in sums.items()]
    statement = select(*keys, *labelled)
    statement = _filtered(statement, source, query, with_age=source is _SESSION_TOTALS)
    if keys:
        statement = statement.group_by(*keys)
    with engine.connect() as conn:
        for row in conn.execute(statement).mappings():
            values = {name: int(row[name] or 0) for name in sums}
            key = tuple(_bucket(d, row) for d in dims)
            line = into.setdefault(key, ReportRow(key))
            for name, value in values.items():
                line.sums[name] = line.sums.get(name, 0) + value
                total.sums[name] = total.sums.get(name, 0) + value


def run_report(engine: Engine, query: UsageQuery) -> UsageReport:
    """The rows (sorted by their key columns) and the total line for `query`."""
    dims = query.dimensions
    measures = query.measures
    rows: dict[tuple[Any, ...], ReportRow] = {}
    total = ReportRow(())
    s, a = _SESSION_TOTALS.c, _ACTIVITY_TOTALS.c
    if set(measures) & set(VISIT_MEASURES):
        visit_sums = {
            "sessions": s.sessions,
            "child_visits": s.child_visits,
            "session_seconds": s.seconds,
            "sessions_with_controllers": s.sessions_with_controllers,
            "controllers": s.controllers,
        }
        _collect(engine, query, dims, _SESSION_TOTALS, visit_sums, rows, total)
    if set(measures) & set(ACTIVITY_MEASURES):
        activity_sums = {
            "activity_runs": a.runs,
            "completed_runs": a.completed_runs,
            "activity_seconds": a.seconds,
        }
        _collect(engine, query, dims, _ACTIVITY_TOTALS, activity_sums, rows, total)
    ordered = [rows[key] for key in sorted(rows, key=_sort_key)]
    return UsageReport(query, dims, measures, ordered, total, site_names(engine))


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[int, Any], ...]:
    return tuple((0, v) if isinstance(v, int) else (1, str(v)) for v in key)


def site_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {row.id: row.name for row in conn.execute(select(_SITES.c.id, _SITES.c.name))}


def activities(engine: Engine) -> list[str]:
    """Every activity id the office has seen (for the filter's choices)."""
    statement = select(_ACTIVITY_TOTALS.c.activity).distinct().order_by(_ACTIVITY_TOTALS.c.activity)
    with engine.connect() as conn:
        return [str(value) for value in conn.execute(statement).scalars()]


# --- files ------------------------------------------------------------------------------


def write_csv(report: UsageReport, out: TextIO) -> None:
    """The report as CSV: a header of column ids, then one line per row (no total line;
    a spreadsheet sums the columns itself)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralised(name) for name in report.columns])
    writer.writerows([_file_cell(value) for value in record] for record in report.records())


def csv_bytes(report: UsageReport) -> bytes:
    """The CSV file as downloaded: UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    write_csv(report, buffer)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(report: UsageReport, header: Callable[[str], str] = str) -> bytes:
    """The report as an Excel workbook: a bold, frozen header row (`header` turns a column
    id into its title), real numbers, columns wide enough to read."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Usage"
    titles: list[str | int | float] = [neutralised(header(name)) for name in report.columns]
    records = [[_file_cell(value) for value in record] for record in report.records()]
    for row_number, values in enumerate([titles, *records], start=1):
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = value
            if isinstance(value, str):
                # openpyxl takes any text starting with "=" for a formula; this is text.
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(report.columns, start=1):
        letter = get_column_letter(index)
        longest = max([len(str(titles[index - 1]))] + [len(str(r[index - 1])) for r in records])
        sheet.column_dimensions[letter].width = min(max(longest + 2, 8), 40)
        if name in ("hours_of_use", "activity_hours"):
            for row in range(2, len(records) + 2):
                sheet.cell(row=row, column=index).number_format = "0.0"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- kiosk office export ------------------------------------------------------------------


def run_export(engine: Engine, args: argparse.Namespace) -> int:
    """`kiosk office export`: CSV to stdout, or CSV/XLSX to --out. Exit 2 on bad input."""
    out_path = getattr(args, "out", None)
    file_format = getattr(args, "format", "csv") or "csv"
    try:
        query = UsageQuery(
            date_from=parse_date(getattr(args, "date_from", None), "--from"),
            date_to=parse_date(getattr(args, "date_to", None), "--to"),
            group_by=parse_group_by(getattr(args, "by", None) or ",".join(DEFAULT_GROUP_BY)),
        )
    except ReportError as error:
        print(f"kiosk office export: {error}", file=sys.stderr)
        return 2
    if file_format == "xlsx" and out_path is None:
        print(
            "kiosk office export: --format xlsx writes a binary file; name it with --out FILE.xlsx",
            file=sys.stderr,
        )
        return 2
    report = run_report(engine, query)
    if file_format == "xlsx":
        data = xlsx_bytes(report)
    elif out_path is not None:
        data = csv_bytes(report)
    else:
        write_csv(report, sys.stdout)
        return 0
    assert out_path is not None
    try:
        out_path.write_bytes(data)
    except OSError as error:
        print(f"kiosk office export: cannot write {out_path}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"{len(report.rows)} rows written to {out_path}", file=sys.stderr)
    return 0
