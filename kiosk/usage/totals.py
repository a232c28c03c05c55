"""Hourly totals, recomputed from raw rows for every local hour that changed.

Rules (DESIGN §3):

- A session counts in the local hour it started (`sessions` +1, `child_visits` +headcount,
  and when game controllers played `sessions_with_controllers` +1, `controllers` +their number);
  its seconds are split at local hour boundaries over every hour it overlaps. Runs likewise
  (`runs`, `completed_runs` in the start hour, seconds split). Only ended rows count; a row
  starts counting when it ends (or is closed by crash recovery).
- Seconds of a key are the exact sum of microseconds, rounded half up once per key.
- Values are absolute, never increments: a key's row is recomputed from *all* raw rows of
  its hour, so recomputing twice changes nothing.

How `rev` grows: a table-wide counter. Every refresh that changes at least one row takes
``rev = max(rev in the table) + 1`` inside its write transaction (BEGIN IMMEDIATE, so two
writers cannot pick the same number) and stamps only the rows whose values differ. Totals
rows are never deleted (a key with no raw rows left is set to zeros), so a row's new rev is
always greater than its old one and than any rev handed out before. A table-wide counter
(rather than one per row) also means "every row with rev ≤ R" is a consistent snapshot, which
is what lets a USB export be recorded as one number (`kiosk.usage.retention`).

Both paths share one set-based SQL query (INSERT … SELECT … GROUP BY): the incremental path
restricts it to the slices of the affected hours, the full rebuild (`rebuild_totals`) runs
it over every row. Dates before `frozen` (see `kiosk.usage.retention`) are never touched.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from sqlite3 import Connection
from zoneinfo import ZoneInfo

from kiosk.usage.hours import (
    HOUR_US,
    QUARTER_US,
    SECOND_US,
    HourMap,
    build_hour_map,
    hour_map_around,
    merge_spans,
    quarters_of_hours,
)
from kiosk.usage.retention import frozen_before
from kiosk.usage.schema import NO_AGE_BAND

#: Beyond any real timestamp; the "no clamping" bound of the full rebuild.
_FAR_FUTURE_US = 2**62

_TEMP_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS tz_quarter (q INTEGER PRIMARY KEY, slice_id INTEGER NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS tz_slice (id INTEGER PRIMARY KEY, lo INTEGER NOT NULL, "
    "hi INTEGER NOT NULL, day DATE NOT NULL, hour INTEGER NOT NULL, in_scope INTEGER NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS fresh_session_totals (day DATE, hour INTEGER, "
    "session_kind TEXT, age_band TEXT, sessions INTEGER, child_visits INTEGER, seconds INTEGER, "
    "sessions_with_controllers INTEGER, controllers INTEGER)",
    "CREATE TEMP TABLE IF NOT EXISTS fresh_activity_totals (day DATE, hour INTEGER, "
    "activity TEXT, session_kind TEXT, runs INTEGER, completed_runs INTEGER, seconds INTEGER)",
    # The zero-out step looks rows up by key; without these it is rows × rows.
    "CREATE UNIQUE INDEX IF NOT EXISTS temp.fresh_session_totals_key "
    "ON fresh_session_totals (day, hour, session_kind, age_band)",
    "CREATE UNIQUE INDEX IF NOT EXISTS temp.fresh_activity_totals_key "
    "ON fresh_activity_totals (day, hour, activity, session_kind)",
)

# Joins every ended raw row `r` to the slices it overlaps: look up the slice of its (clamped)
# first and last microsecond through tz_quarter, then take the slice ids in between —
# integer primary-key lookups only, so the cost grows with rows, not rows × slices.
_SLICE_JOIN = f"""
JOIN tz_quarter AS qs ON qs.q = max(r.started_at, :lo) / {QUARTER_US}
JOIN tz_quarter AS qe ON qe.q = min(max(r.ended_at - 1, r.started_at), :hi - 1) / {QUARTER_US}
JOIN tz_slice AS i ON i.id BETWEEN qs.slice_id AND qe.slice_id
"""
_STARTS_HERE = "(r.started_at >= i.lo AND r.started_at < i.hi)"
_SECONDS = (
    f"(sum(min(r.ended_at, i.hi) - max(r.started_at, i.lo)) + {SECOND_US // 2}) / {SECOND_US}"
)
_ONLY_NEAR = "AND r.ended_at >= :lo AND r.started_at < :hi"


@dataclass(frozen=True)
class TotalsTable:
    name: str
    raw_table: str
    #: Key columns after (date, hour).
    keys: tuple[str, ...]
    values: tuple[str, ...]
    aggregate: str

    @property
    def fresh(self) -> str:
        return f"fresh_{self.name}"


SESSION_TOTALS = TotalsTable(
    name="session_totals",
    raw_table="sessions",
    keys=("session_kind", "age_band"),
    values=("sessions", "child_visits", "seconds", "sessions_with_controllers", "controllers"),
    aggregate=f"""
SELECT i.day, i.hour, r.kind, coalesce(r.age_band, '{NO_AGE_BAND}'),
       sum({_STARTS_HERE}),
       sum(CASE WHEN {_STARTS_HERE} THEN r.headcount ELSE 0 END),
       {_SECONDS},
       sum({_STARTS_HERE} AND coalesce(r.controllers, 0) > 0),
       sum(CASE WHEN {_STARTS_HERE} THEN coalesce(r.controllers, 0) ELSE 0 END)
FROM sessions AS r {_SLICE_JOIN}
WHERE r.ended_at IS NOT NULL AND +i.in_scope = 1 {{near}}
GROUP BY i.day, i.hour, r.kind, coalesce(r.age_band, '{NO_AGE_BAND}')
""",
)

ACTIVITY_TOTALS = TotalsTable(
    name="activity_totals",
    raw_table="activity_runs",
    keys=("activity", "session_kind"),
    values=("runs", "completed_runs", "seconds"),
    aggregate=f"""
SELECT i.day, i.hour, r.activity, s.kind,
       sum({_STARTS_HERE}),
       sum({_STARTS_HERE} AND r.outcome = 'completed'),
       {_SECONDS}
FROM activity_runs AS r JOIN sessions AS s ON s.id = r.session_id {_SLICE_JOIN}
WHERE r.ended_at IS NOT NULL AND +i.in_scope = 1 {{near}}
GROUP BY i.day, i.hour, r.activity, s.kind
""",
)

TOTALS_TABLES = (SESSION_TOTALS, ACTIVITY_TOTALS)


def refresh_totals(
    conn: Connection,
    zone: ZoneInfo,
    table: TotalsTable,
    spans: Sequence[tuple[int, int]],
    frozen: str = "",
) -> int:
    """Recompute the local hours overlapping the UTC micros spans [lo, hi) of raw rows
    (give a zero-length row one microsecond so it touches its hour).

    `frozen` is a local date (YYYY-MM-DD); earlier dates are left alone. Returns the number
    of totals rows whose values changed."""
    changed = 0
    for lo, hi in merge_spans(spans, gap=HOUR_US):
        hour_map = hour_map_around(zone, lo, hi)
        keys = {key for key in hour_map.keys_touching(lo, hi) if key[0].isoformat() >= frozen}
        if not keys:
            continue
        scope_lo, scope_hi = hour_map.extent(keys)
        _load_hour_map(conn, hour_map, {s.id for s in hour_map.slices if s.key in keys})
        changed += _recompute(conn, table, near=_ONLY_NEAR, lo=scope_lo, hi=scope_hi, frozen=None)
    return changed


def rebuild_totals(
    conn: Connection,
    zone: ZoneInfo,
    frozen: str | None = None,
    tables: Sequence[TotalsTable] = TOTALS_TABLES,
) -> int:
    """Recompute every totals row from all raw rows, in one set-based pass per table.

    Dates before `frozen` (default: the database's own, see `kiosk.usage.retention`) are
    left alone. Rows whose values do not change keep their rev. Returns the number of
    changed rows."""
    if frozen is None:
        frozen = frozen_before(conn)
    changed = 0
    for table in tables:
        hour_map = build_hour_map(zone, quarters_of_hours(_touched_utc_hours(conn, table)))
        in_scope = {s.id for s in hour_map.slices if s.day.isoformat() >= frozen}
        _load_hour_map(conn, hour_map, in_scope)
        changed += _recompute(conn, table, near="", lo=0, hi=_FAR_FUTURE_US, frozen=frozen)
    return changed


def _touched_utc_hours(conn: Connection, table: TotalsTable) -> set[int]:
    raw = table.raw_table
    ended = f"FROM {raw} WHERE ended_at IS NOT NULL"
    hours = {
        row[0]
        for row in conn.execute(
            f"SELECT started_at / {HOUR_US} {ended} UNION SELECT ended_at / {HOUR_US} {ended}"
        ).fetchall()
    }
    # Rows crossing two or more hour boundaries need the hours in between as well.
    long_rows = conn.execute(
        f"SELECT started_at / {HOUR_US}, ended_at / {HOUR_US} {ended} "
        f"AND ended_at / {HOUR_US} - started_at / {HOUR_US} >= 2"
    ).fetchall()
    for first, last in long_rows:
        hours.update(range(first, last + 1))
    return hours


def _load_hour_map(conn: Connection, hour_map: HourMap, in_scope: Collection[int]) -> None:
    """Fill the temp tables with `hour_map`; `in_scope` are the ids of slices to recompute."""
    for statement in _TEMP_TABLES:
        conn.execute(statement)
    conn.execute("DELETE FROM tz_quarter")
    conn.execute("DELETE FROM tz_slice")
    if hour_map.slices:
        conn.executemany(
            "INSERT INTO tz_slice (id, lo, hi, day, hour, in_scope) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (s.id, s.lo, s.hi, s.day.isoformat(), s.hour, 1 if s.id in in_scope else 0)
                for s in hour_map.slices
            ],
        )
        conn.executemany(
            "INSERT INTO tz_quarter (q, slice_id) VALUES (?, ?)", hour_map.quarter_slice
        )


def _recompute(
    conn: Connection, table: TotalsTable, *, near: str, lo: int, hi: int, frozen: str | None
) -> int:
    """Aggregate into the fresh temp table, then write only what differs, with a new rev.

    `frozen` None: the scope is the in-scope slices' hours; else every date ≥ frozen."""
    fresh = table.fresh
    conn.execute(f"DELETE FROM {fresh}")
    conn.execute(f"INSERT INTO {fresh} {table.aggregate.format(near=near)}", {"lo": lo, "hi": hi})
    # A sliver of a row (under half a second in an hour) rounds to nothing: no new row for it.
    values = ", ".join(table.values)
    zeros = ", ".join("0" for _ in table.values)
    conn.execute(f"DELETE FROM {fresh} WHERE ({values}) = ({zeros})")
    (rev,) = conn.execute(f"SELECT coalesce(max(rev), 0) + 1 FROM {table.name}").fetchone()
    keys = ("date", "hour", *table.keys)
    fresh_keys = ("day", "hour", *table.keys)

    if frozen is None:
        scope = "(date, hour) IN (SELECT day, hour FROM tz_slice WHERE in_scope = 1)"
    else:
        scope = "date >= :frozen"
    pairs = zip(fresh_keys, keys, strict=True)
    same_key = " AND ".join(f"f.{mine} = {table.name}.{theirs}" for mine, theirs in pairs)
    # A key with no raw rows left keeps its row, set to zeros, so the office learns of it.
    zeroed = conn.execute(
        f"UPDATE {table.name} SET ({values}) = ({zeros}), rev = :rev "
        f"WHERE {scope} AND ({values}) != ({zeros}) "
        f"AND NOT EXISTS (SELECT 1 FROM {fresh} AS f WHERE {same_key})",
        {"rev": rev, "frozen": frozen or ""},
    ).rowcount

    updates = ", ".join(f"{v} = excluded.{v}" for v in table.values)
    excluded = ", ".join(f"excluded.{v}" for v in table.values)
    current = ", ".join(f"{table.name}.{v}" for v in table.values)
    # `WHERE true` lets SQLite parse ON CONFLICT after INSERT … SELECT.
    written = conn.execute(
        f"INSERT INTO {table.name} ({', '.join(keys)}, {values}, rev, synced_rev) "
        f"SELECT {', '.join(fresh_keys)}, {values}, :rev, 0 FROM {fresh} WHERE true "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}, rev = excluded.rev "
        f"WHERE ({current}) != ({excluded})",
        {"rev": rev},
    ).rowcount
    return max(0, zeroed) + max(0, written)
