"""Importing a batch of usage totals: the one implementation of sync protocol v1's server
rules (DESIGN §4), used by ``POST /api/v1/totals`` and by ``kiosk office import``.

`ingest(engine, site_id, body)` answers ``(status_code, response)``. In order:

1. **Whole-batch checks** — nothing is stored when one fails, and the answer is
   ``{"error": CODE, "message": "where: what"}``:

   ============  ======================  ==================================================
   status        error                   when
   ============  ======================  ==================================================
   400           INVALID_JSON            not UTF-8 JSON (NaN/Infinity count as invalid)
   403           SITE_MISMATCH           the token's site is not the body's ``site``
   413           BODY_TOO_LARGE          over 5 MB (`MAX_BODY_BYTES`)
   413           TOO_MANY_ROWS           over 20,000 rows in the two lists (`MAX_ROWS`)
   422           UNSUPPORTED_SCHEMA      ``schema`` is not 1
   422           INVALID_BODY            a field missing, unknown or of the wrong type
                                         (see `kiosk.office.protocol`)
   422           UNKNOWN_SITE            the body's site is not registered (file import)
   422           BATCH_ID_REUSED         a stored ``batch_id`` with a different body
   ============  ======================  ==================================================

2. **Replay** — a ``batch_id`` seen before with the same body (sha256 of its canonical
   JSON: sorted keys, no spaces) gets the stored response verbatim and changes nothing.

3. **Row rules** — a row that breaks one is ignored with a conflict
   ``{"table", "index", "code", "message"}`` and the rest imports:

   - ``FUTURE_DATE``: date after tomorrow in the *site's* time zone (from the ``sites``
     table, not the body: a kiosk with a wrong clock or zone must not decide it). Tomorrow
     itself is allowed, for kiosks whose clock runs a little fast around midnight.
   - ``DATE_TOO_OLD``: before `OLDEST_DATE` (2020-01-01, before Telpa existed): a PC whose
     clock battery died reports 1970 or 2000, and such rows would pollute reports.
   - ``BAD_HOUR`` (not 0-23), ``UNKNOWN_SESSION_KIND`` (not solo/group),
     ``UNKNOWN_AGE_BAND`` (not 6-8, 9-11, 12-14, "none" or null), ``BAD_ACTIVITY`` (not
     `ACTIVITY_PATTERN`: 1-64 lowercase letters, digits, ``_`` and ``-``, starting with a
     letter or digit — so no id can reach a spreadsheet as a formula).
   - ``NEGATIVE_COUNT``: any count or ``rev`` below zero.
   - ``COMPLETED_OVER_RUNS``: completed_runs > runs.
   - ``ABSURD_COUNT``: beyond what an honest kiosk can produce in one local hour. A station
     runs one session and one activity at a time and counts a session or run in the hour
     it *started*, splitting its seconds over the hours it spans (kiosk.usage.totals). So
     per row:

     * ``seconds`` ≤ 14,400 (`MAX_SECONDS`): one wall-clock hour is at most 3,600 s, and
       7,200 s in the hour repeated when daylight saving time ends; the bound doubles that
       again for clock corrections while a session runs. It catches unit mix-ups
       (milliseconds) and wrapped counters, not merely busy hours.
     * ``sessions`` and ``runs`` ≤ 7,200 (`MAX_STARTS`): one start per second over the
       longest local hour; a real child needs far longer than a second per session or run.
     * ``child_visits`` between ``sessions`` and 60 × ``sessions`` (a headcount is 1-60,
       DESIGN §1), and equal to ``sessions`` for solo sessions (headcount 1).
     * addition "controllers": ``sessions_with_controllers`` ≤ ``sessions``, and
       ``controllers`` between ``sessions_with_controllers`` and 4 × that (1-4 pads a
       session).
     * ``rev`` ≤ 2^53 − 1 (`MAX_REV`), the largest integer every JSON reader keeps exact.

   - ``DUPLICATE_KEY``: a second row with the same key in one batch (the first one counts).
   - ``STALE``: ``rev`` older than the stored row's; the stored row is kept.

4. **Upsert** — every other row replaces the stored one of its key when its ``rev`` is ≥
   the stored ``rev`` (values are never added, so a resent batch changes nothing). Counted
   as ``imported`` (new key), ``updated`` (other values) or ``unchanged`` (same values).
   The database enforces it too: the write is ``INSERT … ON CONFLICT (key) DO UPDATE …
   WHERE excluded.rev >= rev`` against the tables' unique keys.

Everything from reading the stored rows to storing the response happens in one
transaction, so a failure stores nothing. Concurrent batches are safe: SQLite takes the
write lock at BEGIN (`kiosk.office.db.write_transaction`); PostgreSQL takes a
transaction-scoped advisory lock per (site, station), so two batches of one station are
classified one after the other, while different stations run in parallel. The station
row (created on first sync) records app version, last sync, clock skew (``sent_at`` minus
the server's time, whole seconds) and conflict counts.

Over 500 lines because it is the one place that states protocol v1's server rules, checks
and writes in the order the table above lists them; splitting the checks from the writes
would separate a rule from the code that enforces it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Table, column, func, select, table
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.errors import TelpaError
from kiosk.office.db import is_sqlite, write_transaction
from kiosk.office.models import (
    ACTIVITY_PATTERN,
    AGE_BANDS,
    NO_AGE_BAND,
    SESSION_KINDS,
    ActivityTotal,
    Batch,
    SessionTotal,
    Site,
    Station,
)
from kiosk.protocol import (
    ACTIVITY_TABLE,
    ADDITIONS,
    MAX_BODY_BYTES,
    MAX_CONTROLLERS,
    MAX_ROWS,
    SCHEMA_VERSION,
    SESSION_TABLE,
    ActivityTotalRow,
    ConflictCode,
    ErrorBody,
    ErrorCode,
    SessionTotalRow,
    TotalsBatch,
    describe_validation_error,
    parse_batch,
)

log = logging.getLogger(__name__)

OLDEST_DATE = date(2020, 1, 1)
MAX_SECONDS = 4 * 3600
MAX_STARTS = 7200
MAX_HEADCOUNT = 60
MAX_REV = 2**53 - 1
_MAX_SKEW = 2**31 - 1
_LIMITS = {
    "seconds": MAX_SECONDS,
    "child_visits": MAX_STARTS * MAX_HEADCOUNT,
    "controllers": MAX_STARTS * MAX_CONTROLLERS,
}

Response = dict[str, Any]


class BatchRefused(TelpaError):
    """The whole batch is refused; nothing was stored. `error` is the protocol's code for
    the kiosk (`ErrorCode`), the message says where and what."""

    code = "batch_refused"

    def __init__(self, status: int, error: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message

    def response(self) -> tuple[int, Response]:
        return self.status, ErrorBody(error=self.error, message=self.message).model_dump()


@dataclass
class _TableSpec:
    name: str
    table: Table
    key: tuple[str, ...]
    values: tuple[str, ...]


_SESSION = _TableSpec(
    SESSION_TABLE,
    SessionTotal.__table__,  # type: ignore[arg-type]
    ("date", "hour", "session_kind", "age_band"),
    ("sessions", "child_visits", "seconds", "sessions_with_controllers", "controllers"),
)
_ACTIVITY = _TableSpec(
    ACTIVITY_TABLE,
    ActivityTotal.__table__,  # type: ignore[arg-type]
    ("date", "hour", "activity", "session_kind"),
    ("runs", "completed_runs", "seconds"),
)


@dataclass
class _Outcome:
    counts: dict[str, int] = field(
        default_factory=lambda: {"imported": 0, "updated": 0, "unchanged": 0, "ignored": 0}
    )
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def conflict(self, table: str, index: int, code: str, message: str) -> None:
        self.counts["ignored"] += 1
        self.conflicts.append({"table": table, "index": index, "code": code, "message": message})


def ingest(
    engine: Engine,
    site_id: str | None,
    body: dict[str, Any] | bytes,
    *,
    now: datetime | None = None,
) -> tuple[int, Response]:
    """Import one batch (raw bytes of a request or file, or an already decoded dict).

    `site_id` is the site the caller is entitled to (the token's); None takes the body's
    own site, which must be registered (the coordinator's file import). Returns the HTTP
    status and the JSON answer (the DESIGN §4 response, or ``{"error", "message"}``)."""
    moment = now or datetime.now(UTC)
    try:
        data = _decode(body)
        _check_whole(data, site_id)
        batch = _validate(data)
        digest = canonical_sha256(data)
        for attempt in (1, 2):
            try:
                return _store(engine, batch, digest, moment)
            except sa_exc.IntegrityError:
                # Only the batches primary key can clash here (rows are upserts): the same
                # batch_id arrived twice at once. Once the other commits, replay decides.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")
    except BatchRefused as rejected:
        return rejected.response()


def canonical_sha256(data: dict[str, Any]) -> str:
    """sha256 of the body as canonical JSON (sorted keys, no spaces, ASCII escapes)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _decode(body: dict[str, Any] | bytes) -> Any:
    if not isinstance(body, bytes | bytearray):
        return body
    if len(body) > MAX_BODY_BYTES:
        raise BatchRefused(
            413,
            ErrorCode.BODY_TOO_LARGE,
            f"the body has {len(body):,} bytes; the limit is {MAX_BODY_BYTES:,} "
            "(send fewer rows per batch)",
        )
    try:
        return json.loads(bytes(body).decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise BatchRefused(
            400, ErrorCode.INVALID_JSON, f"the body is not UTF-8 text (byte {exc.start})"
        ) from None
    except json.JSONDecodeError as exc:
        raise BatchRefused(
            400,
            ErrorCode.INVALID_JSON,
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise BatchRefused(
            400, ErrorCode.INVALID_JSON, f"the body is not valid JSON: {exc}"
        ) from None


def _check_whole(data: Any, site_id: str | None) -> None:
    if not isinstance(data, dict):
        raise BatchRefused(
            422, ErrorCode.INVALID_BODY, f"body: expected a JSON object, got {type(data).__name__}"
        )
    body_site = data.get("site")
    if site_id is not None and isinstance(body_site, str) and body_site != site_id:
        raise BatchRefused(
            403,
            ErrorCode.SITE_MISMATCH,
            f"site: the token belongs to site {site_id!r}, the body is for {body_site[:60]!r}",
        )
    rows = sum(
        len(data[name])
        for name in (SESSION_TABLE, ACTIVITY_TABLE)
        if isinstance(data.get(name), list)
    )
    if rows > MAX_ROWS:
        raise BatchRefused(
            413,
            ErrorCode.TOO_MANY_ROWS,
            f"the batch has {rows:,} rows; the limit is {MAX_ROWS:,} per batch",
        )
    schema = data.get("schema")
    if "schema" in data and (type(schema) is not int or schema != SCHEMA_VERSION):
        raise BatchRefused(
            422,
            ErrorCode.UNSUPPORTED_SCHEMA,
            f"schema: this office speaks sync protocol {SCHEMA_VERSION}, "
            f"the body says {str(schema)[:20]!r}",
        )


def _validate(data: dict[str, Any]) -> TotalsBatch:
    try:
        return parse_batch(data)
    except ValidationError as exc:
        raise BatchRefused(422, ErrorCode.INVALID_BODY, describe_validation_error(exc)) from None
    except RecursionError:
        raise BatchRefused(422, ErrorCode.INVALID_BODY, "body: nested too deeply") from None


def _store(engine: Engine, batch: TotalsBatch, digest: str, now: datetime) -> tuple[int, Response]:
    with write_transaction(engine) as connection:
        if not is_sqlite(connection):
            connection.execute(select(func.pg_advisory_xact_lock(_lock_key(batch))))
        stored = connection.execute(
            select(Batch.body_sha256, Batch.response_json).where(Batch.batch_id == batch.batch_id)
        ).first()
        if stored is not None:
            if stored.body_sha256 == digest:
                return 200, json.loads(stored.response_json)
            raise BatchRefused(
                422,
                ErrorCode.BATCH_ID_REUSED,
                f"batch_id: {batch.batch_id} was already used for a different body; "
                "every batch needs a new batch_id",
            )
        timezone = connection.execute(select(Site.timezone).where(Site.id == batch.site)).scalar()
        if timezone is None:
            raise BatchRefused(
                422,
                ErrorCode.UNKNOWN_SITE,
                f"site: {batch.site!r} is not registered at this office "
                "(register it with `kiosk office add-site`)",
            )
        latest_date = now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=1)
        outcome = _Outcome()
        _ingest_table(
            connection,
            _SESSION,
            batch,
            [
                _session_values(i, row, latest_date, outcome)
                for i, row in enumerate(batch.session_totals)
            ],
            outcome,
            now,
        )
        _ingest_table(
            connection,
            _ACTIVITY,
            batch,
            [
                _activity_values(i, row, latest_date, outcome)
                for i, row in enumerate(batch.activity_totals)
            ],
            outcome,
            now,
        )
        # Rule breaks are found before stale rows; answer in the order of the body.
        outcome.conflicts.sort(key=lambda item: (item["table"] != SESSION_TABLE, item["index"]))
        skew = _clock_skew(batch.sent_at, now)
        _record_station(connection, batch, now, skew, len(outcome.conflicts))
        response: Response = {
            "status": "WARNING" if outcome.conflicts else "OK",
            "batch_id": batch.batch_id,
            "counts": outcome.counts,
            "conflicts": outcome.conflicts,
            "server_time": now.isoformat(),
            "clock_skew_s": skew,
            "accepts": sorted(ADDITIONS),
        }
        connection.execute(
            Batch.__table__.insert().values(  # type: ignore[attr-defined]
                batch_id=batch.batch_id,
                site_id=batch.site,
                station=batch.station,
                body_sha256=digest,
                response_json=json.dumps(response, ensure_ascii=True),
                received_at=now,
            )
        )
    log.info(
        "batch %s from %s/%s: %s",
        batch.batch_id,
        batch.site,
        batch.station,
        ", ".join(f"{count} {name}" for name, count in outcome.counts.items()),
    )
    return 200, response


def _lock_key(batch: TotalsBatch) -> int:
    digest = hashlib.sha256(f"telpa-office\0{batch.site}\0{batch.station}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _clock_skew(sent_at: datetime, now: datetime) -> int:
    try:
        skew = round((sent_at - now).total_seconds())
    except OverflowError:
        skew = _MAX_SKEW if sent_at.year > now.year else -_MAX_SKEW
    return max(-_MAX_SKEW, min(_MAX_SKEW, skew))


def _date_problem(table: str, index: int, day: date, latest: date) -> tuple[str, str] | None:
    where = f"{table}[{index}].date"
    if day > latest:
        return (
            ConflictCode.FUTURE_DATE,
            f"{where}: {day.isoformat()} is after tomorrow in the site's time zone "
            f"(latest accepted {latest.isoformat()}); is the kiosk's clock right?",
        )
    if day < OLDEST_DATE:
        return (
            ConflictCode.DATE_TOO_OLD,
            f"{where}: {day.isoformat()} is before {OLDEST_DATE.isoformat()}; "
            "is the kiosk's clock right?",
        )
    return None


def _common_problem(
    table: str, index: int, hour: int, kind: str, counts: Sequence[tuple[str, int]], rev: int
) -> tuple[str, str] | None:
    where = f"{table}[{index}]"
    if not 0 <= hour <= 23:
        return ConflictCode.BAD_HOUR, f"{where}.hour: {hour} is not an hour of the day (0-23)"
    if kind not in SESSION_KINDS:
        return (
            ConflictCode.UNKNOWN_SESSION_KIND,
            f"{where}.session_kind: {kind[:40]!r} is not one of solo, group",
        )
    for name, value in (*counts, ("rev", rev)):
        if value < 0:
            return ConflictCode.NEGATIVE_COUNT, f"{where}.{name}: {value} is negative"
    if rev > MAX_REV:
        return ConflictCode.ABSURD_COUNT, f"{where}.rev: {rev} is larger than {MAX_REV}"
    for name, value in counts:
        limit = _LIMITS.get(name, MAX_STARTS)
        if value > limit:
            return (
                ConflictCode.ABSURD_COUNT,
                f"{where}.{name}: {value} is more than one station can have in one hour "
                f"(at most {limit})",
            )
    return None


def _session_values(
    index: int, row: SessionTotalRow, latest: date, outcome: _Outcome
) -> dict[str, Any] | None:
    problem = _date_problem(SESSION_TABLE, index, row.date, latest) or _common_problem(
        SESSION_TABLE,
        index,
        row.hour,
        row.session_kind,
        (
            ("sessions", row.sessions),
            ("child_visits", row.child_visits),
            ("seconds", row.seconds),
            ("sessions_with_controllers", row.sessions_with_controllers),
            ("controllers", row.controllers),
        ),
        row.rev,
    )
    band = NO_AGE_BAND if row.age_band is None else row.age_band
    where = f"{SESSION_TABLE}[{index}]"
    if problem is None and band not in AGE_BANDS:
        problem = (
            ConflictCode.UNKNOWN_AGE_BAND,
            f"{where}.age_band: {band[:40]!r} is not one of 6-8, 9-11, 12-14, none (or null)",
        )
    if problem is None:
        low = row.sessions
        high = row.sessions if row.session_kind == "solo" else row.sessions * MAX_HEADCOUNT
        if not low <= row.child_visits <= high:
            problem = (
                ConflictCode.ABSURD_COUNT,
                f"{where}.child_visits: {row.child_visits} does not fit {row.sessions} "
                f"{row.session_kind} session(s) (expected {low}"
                + (f"-{high})" if high != low else ")"),
            )
    if problem is None:
        problem = _controllers_problem(where, row)
    if problem is not None:
        outcome.conflict(SESSION_TABLE, index, *problem)
        return None
    return {
        "date": row.date,
        "hour": row.hour,
        "session_kind": row.session_kind,
        "age_band": band,
        "sessions": row.sessions,
        "child_visits": row.child_visits,
        "seconds": row.seconds,
        "sessions_with_controllers": row.sessions_with_controllers,
        "controllers": row.controllers,
        "rev": row.rev,
    }


def _controllers_problem(where: str, row: SessionTotalRow) -> tuple[str, str] | None:
    """Addition "controllers": no more sessions with controllers than sessions, and 1 to
    `MAX_CONTROLLERS` controllers for each of them."""
    played = row.sessions_with_controllers
    if played > row.sessions:
        return (
            ConflictCode.ABSURD_COUNT,
            f"{where}.sessions_with_controllers: {played} is more than the row's "
            f"{row.sessions} session(s)",
        )
    low, high = played, played * MAX_CONTROLLERS
    if not low <= row.controllers <= high:
        return (
            ConflictCode.ABSURD_COUNT,
            f"{where}.controllers: {row.controllers} does not fit {played} session(s) with "
            f"controllers (expected {low}" + (f"-{high})" if high != low else ")"),
        )
    return None


def _activity_values(
    index: int, row: ActivityTotalRow, latest: date, outcome: _Outcome
) -> dict[str, Any] | None:
    where = f"{ACTIVITY_TABLE}[{index}]"
    problem = _date_problem(ACTIVITY_TABLE, index, row.date, latest) or _common_problem(
        ACTIVITY_TABLE,
        index,
        row.hour,
        row.session_kind,
        (("runs", row.runs), ("completed_runs", row.completed_runs), ("seconds", row.seconds)),
        row.rev,
    )
    if problem is None and not re.fullmatch(ACTIVITY_PATTERN, row.activity):
        problem = (
            ConflictCode.BAD_ACTIVITY,
            f"{where}.activity: {row.activity[:40]!r} is not an activity id (1-64 lowercase "
            "letters, digits, '_' and '-', starting with a letter or digit)",
        )
    if problem is None and row.completed_runs > row.runs:
        problem = (
            ConflictCode.COMPLETED_OVER_RUNS,
            f"{where}.completed_runs: {row.completed_runs} is more than runs ({row.runs})",
        )
    if problem is not None:
        outcome.conflict(ACTIVITY_TABLE, index, *problem)
        return None
    return {
        "date": row.date,
        "hour": row.hour,
        "activity": row.activity,
        "session_kind": row.session_kind,
        "runs": row.runs,
        "completed_runs": row.completed_runs,
        "seconds": row.seconds,
        "rev": row.rev,
    }


def _replace_if_not_older(statement: Any, spec: _TableSpec) -> Any:
    """``… ON CONFLICT (key) DO UPDATE SET values WHERE excluded.rev >= rev`` (both backends'
    insert constructs spell it the same)."""
    return statement.on_conflict_do_update(
        index_elements=["site_id", "station", "db_instance_id", *spec.key],
        set_={name: statement.excluded[name] for name in (*spec.values, "rev", "updated_at")},
        where=statement.excluded.rev >= spec.table.c.rev,
    )


def _ingest_table(
    connection: Connection,
    spec: _TableSpec,
    batch: TotalsBatch,
    rows: list[dict[str, Any] | None],
    outcome: _Outcome,
    now: datetime,
) -> None:
    valid = [(index, row) for index, row in enumerate(rows) if row is not None]
    if not valid:
        return
    columns = spec.table.c
    days = [row["date"] for _, row in valid]
    stored: dict[tuple[Any, ...], tuple[tuple[int, ...], int]] = {}
    query = select(*(columns[name] for name in (*spec.key, *spec.values, "rev"))).where(
        columns.site_id == batch.site,
        columns.station == batch.station,
        columns.db_instance_id == batch.db_instance_id,
        columns.date.between(min(days), max(days)),
    )
    width = len(spec.key)
    for found in connection.execute(query):
        stored[tuple(found[:width])] = (tuple(found[width:-1]), found[-1])

    first_index: dict[tuple[Any, ...], int] = {}
    writes: list[dict[str, Any]] = []
    identity = {
        "site_id": batch.site,
        "station": batch.station,
        "db_instance_id": batch.db_instance_id,
    }
    for index, row in valid:
        key = tuple(row[name] for name in spec.key)
        where = f"{spec.name}[{index}]"
        if key in first_index:
            outcome.conflict(
                spec.name,
                index,
                ConflictCode.DUPLICATE_KEY,
                f"{where}: same key as {spec.name}[{first_index[key]}] in this batch; "
                "only the first counts",
            )
            continue
        first_index[key] = index
        values = tuple(row[name] for name in spec.values)
        previous = stored.get(key)
        if previous is None:
            outcome.counts["imported"] += 1
        elif row["rev"] < previous[1]:
            outcome.conflict(
                spec.name,
                index,
                ConflictCode.STALE,
                f"{where}.rev: {row['rev']} is older than the stored rev {previous[1]}; "
                "the stored row is kept",
            )
            continue
        elif values == previous[0]:
            outcome.counts["unchanged"] += 1
            if row["rev"] == previous[1]:
                continue
        else:
            outcome.counts["updated"] += 1
        writes.append(row)
    if writes:
        _bulk_upsert(connection, spec, writes, {**identity, "updated_at": now})


def _bulk_upsert(
    connection: Connection, spec: _TableSpec, rows: list[dict[str, Any]], fixed: dict[str, Any]
) -> None:
    """Upsert `rows` in bulk, their parameters converted for the driver here.

    For 20,000 rows SQLAlchemy's per-row parameter processing costs more than SQLite's own
    work, so on SQLite the statement is compiled once and run as one executemany (on
    PostgreSQL see `_copy_upsert`), and each column's bind processor runs once per
    distinct value: the `fixed` columns (the same in every row) once, dates once per day,
    while integers and strings need none on either backend. Rows need no particular order:
    the per-station lock (see the module docstring) keeps two transactions off one key."""
    dialect = connection.dialect
    names = [*fixed, *rows[0]]

    def processor(name: str) -> Callable[[Any], Any] | None:
        column_type = spec.table.c[name].type
        return column_type.dialect_impl(dialect).bind_processor(dialect)

    constants = {}
    for name, value in fixed.items():
        convert = processor(name)
        constants[name] = convert(value) if convert is not None else value
    converters: dict[str, Callable[[Any], Any]] = {}
    for name in rows[0]:
        convert = processor(name)
        if convert is not None:
            converters[name] = convert
    seen: dict[str, dict[Any, Any]] = {name: {} for name in converters}
    params: list[dict[str, Any]] = []
    for row in rows:
        item = {**constants, **row}
        for name, convert in converters.items():
            value = row[name]
            memo = seen[name]
            if value not in memo:
                memo[value] = convert(value)
            item[name] = memo[value]
        params.append(item)
    if not is_sqlite(connection):
        _copy_upsert(connection, spec, names, params)
        return
    upsert = _replace_if_not_older(sqlite.insert(spec.table), spec)
    compiled = upsert.compile(dialect=dialect, column_keys=names)
    if compiled.positional:
        order = compiled.positiontup or []
        connection.exec_driver_sql(
            compiled.string, [tuple(item[name] for name in order) for item in params]
        )
    else:
        connection.exec_driver_sql(compiled.string, params)


def _copy_upsert(
    connection: Connection, spec: _TableSpec, names: list[str], params: list[dict[str, Any]]
) -> None:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT … SELECT … ON
    CONFLICT: about twice as fast as an executemany of single-row upserts."""
    incoming = f"incoming_{spec.name}"
    column_list = ", ".join(names)
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {incoming} ON COMMIT DROP AS "
        f"SELECT {column_list} FROM {spec.name} WITH NO DATA"
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {incoming} ({column_list}) FROM STDIN") as copy:
        for item in params:
            copy.write_row([item[name] for name in names])
    source = table(incoming, *(column(name) for name in names))
    statement = postgresql.insert(spec.table).from_select(names, select(source))
    connection.execute(_replace_if_not_older(statement, spec))


def _record_station(
    connection: Connection, batch: TotalsBatch, now: datetime, skew: int, conflicts: int
) -> None:
    insert: Callable[[Any], Any] = sqlite.insert if is_sqlite(connection) else postgresql.insert
    statement = insert(Station).values(
        site_id=batch.site,
        station=batch.station,
        first_seen_at=now,
        last_sync_at=now,
        app_version=batch.app_version,
        clock_skew_s=skew,
        last_conflicts=conflicts,
        conflicts_total=conflicts,
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["site_id", "station"],
            set_={
                "last_sync_at": statement.excluded.last_sync_at,
                "app_version": statement.excluded.app_version,
                "clock_skew_s": statement.excluded.clock_skew_s,
                "last_conflicts": statement.excluded.last_conflicts,
                "conflicts_total": Station.conflicts_total + statement.excluded.conflicts_total,
            },
        )
    )
