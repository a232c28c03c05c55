"""The outbox: what the sync client may read from and write to the usage database.

DESIGN §2 keeps the usage database to `kiosk.usage`; the office sync client
(`kiosk.sync`) goes through this module and nothing else. It offers:

- `Outbox.batches(max_rows)` — the totals rows not yet at the office
  (``rev > synced_rev``), as batches of at most `max_rows`;
- `Outbox.mark_synced(batch)` — after the office answered 200: each row's `synced_rev`
  becomes the rev that was *sent*, and only where that raises it, so a row that changed
  while the batch was on its way stays pending;
- `Outbox.mark_exported(table_revs)` — after a USB export file is safely written
  (recorded for retention through `kiosk.usage.retention.mark_exported`);
- `Outbox.read_state()` / `write_state()` — the sync status kept in the `kv` table, so
  the librarian panel can show the last success after a restart;
- `Outbox.office_accepts()` / `set_office_accepts(names)` — the additions to protocol v1
  the office last said it stores; when it starts storing one, the rows that went out
  without that addition's numbers are queued again (see `set_office_accepts`);
- `Outbox.rows_waiting()`.

Rows come out as the protocol's own models (`kiosk.protocol.SessionTotalRow`,
`ActivityTotalRow`), so the body the sync client sends is built and checked in one place.

Database failures come out as `UsageDatabaseError` (a `UsageStoreError`). The outbox runs
inside the kiosk (the background sync), so it is plain SQL on the standard library's
`sqlite3` (`kiosk.usage.db.connect`), never SQLAlchemy. Reads use a plain reader
connection (in WAL mode a read transaction is a snapshot and never blocks the kiosk's
writer); writes use BEGIN IMMEDIATE and the busy timeout, so `kiosk sync` in a second
process waits its turn while the kiosk runs.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.protocol import (
    ADDITIONS,
    ActivityTotalRow,
    SessionTotalRow,
    TotalRow,
    describe_validation_error,
)
from kiosk.usage.db import connect, current_revision, database_path, head_revision, transaction
from kiosk.usage.errors import UsageDatabaseError
from kiosk.usage.retention import mark_exported
from kiosk.usage.schema import KV_DB_INSTANCE_ID, NO_AGE_BAND, from_micros, to_micros

TABLES = ("session_totals", "activity_totals")

_COLUMNS = {
    "session_totals": (
        "date",
        "hour",
        "session_kind",
        "age_band",
        "sessions",
        "child_visits",
        "seconds",
        "sessions_with_controllers",
        "controllers",
    ),
    "activity_totals": (
        "date",
        "hour",
        "activity",
        "session_kind",
        "runs",
        "completed_runs",
        "seconds",
    ),
}

_MODELS: dict[str, type[SessionTotalRow] | type[ActivityTotalRow]] = {
    "session_totals": SessionTotalRow,
    "activity_totals": ActivityTotalRow,
}

KV_LAST_SUCCESS = "sync.last_success_at"
KV_LAST_ATTEMPT = "sync.last_attempt_at"
KV_LAST_ERROR = "sync.last_error"
KV_LAST_CONFLICTS = "sync.last_conflicts"
#: The additions to protocol v1 the office said it stores (``accepts``), space-separated.
KV_OFFICE_ACCEPTS = "sync.office_accepts"


class NoUsageDatabase(UsageDatabaseError):
    """There is no usage database in the data folder yet (the kiosk has never run there)."""

    code = "no_usage_database"


@dataclass(frozen=True)
class PendingRow:
    """One totals row as it goes on the wire (DESIGN §4), plus where it came from."""

    table: str
    id: int
    rev: int
    #: The protocol's row, "no age band" already as None (JSON null).
    row: TotalRow

    def describe(self) -> str:
        """The row's key in plain words, for conflict lines: ``2026-11-25 14:00 quiz group``."""
        return self.row.describe()


@dataclass
class PendingBatch:
    """Rows of both tables for one request body."""

    session_rows: list[PendingRow] = field(default_factory=list)
    activity_rows: list[PendingRow] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.session_rows) + len(self.activity_rows)

    def rows(self, table: str) -> list[PendingRow]:
        return self.session_rows if table == "session_totals" else self.activity_rows

    def session_totals(self) -> list[SessionTotalRow]:
        return [r.row for r in self.session_rows if isinstance(r.row, SessionTotalRow)]

    def activity_totals(self) -> list[ActivityTotalRow]:
        return [r.row for r in self.activity_rows if isinstance(r.row, ActivityTotalRow)]

    def max_rev(self, table: str) -> int:
        return max((row.rev for row in self.rows(table)), default=0)


@dataclass(frozen=True)
class SyncState:
    """The sync status kept in the database's kv table."""

    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    #: A stable code from kiosk.sync (e.g. ``unreachable``), "" after a success.
    last_error: str = ""
    last_conflicts: int = 0


class Outbox:
    """The usage database at `db_path`, as the sync client sees it. Build with `open`."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        # Opened at first use; one call at a time (the sync worker is the only caller, a
        # lock keeps a second thread from sharing a connection mid-statement anyway).
        self._lock = threading.RLock()
        self._reader_connection: sqlite3.Connection | None = None
        self._writer_connection: sqlite3.Connection | None = None

    @classmethod
    def open(cls, data_dir: Path) -> Outbox:
        """The outbox of the database in `data_dir`.

        Raises NoUsageDatabase when there is none yet, UsageDatabaseError when it cannot be
        read or is not at this Telpa's schema (run `kiosk db upgrade`)."""
        db_path = database_path(data_dir)
        if not db_path.exists():
            raise NoUsageDatabase(
                db_path, "there is none yet (the kiosk creates it when it first starts)"
            )
        outbox = cls(db_path)
        try:
            with outbox._reading() as conn:
                revision = current_revision(conn)
        except UsageDatabaseError:
            outbox.close()
            raise
        if revision != head_revision():
            outbox.close()
            raise UsageDatabaseError(
                db_path,
                f"it is at schema revision {revision!r}, not {head_revision()!r}: "
                "run `kiosk db upgrade` first",
            )
        return outbox

    def close(self) -> None:
        with self._lock:
            for conn in (self._reader_connection, self._writer_connection):
                if conn is not None:
                    conn.close()
            self._reader_connection = self._writer_connection = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The reader connection, in one read transaction (a snapshot)."""
        with self._errors():
            if self._reader_connection is None:
                self._reader_connection = connect(self.db_path, writer=False)
            with transaction(self._reader_connection, write=False):
                yield self._reader_connection

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The writer connection, in one write transaction (BEGIN IMMEDIATE)."""
        with self._errors():
            if self._writer_connection is None:
                self._writer_connection = connect(self.db_path)
            with transaction(self._writer_connection):
                yield self._writer_connection

    @contextmanager
    def _errors(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise UsageDatabaseError(self.db_path, str(exc)) from exc
            except ValidationError as exc:
                # A totals row that protocol v1 cannot carry: only a damaged database has one.
                raise UsageDatabaseError(
                    self.db_path, f"a totals row cannot be sent: {describe_validation_error(exc)}"
                ) from exc

    # ----- reading -----------------------------------------------------------------------

    def db_instance_id(self) -> str:
        with self._reading() as conn:
            return _kv(conn, KV_DB_INSTANCE_ID) or ""

    def rows_waiting(self) -> int:
        """Totals rows the office does not have in their current state."""
        with self._reading() as conn:
            return sum(
                int(conn.execute(f"SELECT count(*) FROM {t} WHERE rev > synced_rev").fetchone()[0])
                for t in TABLES
            )

    def table_revs(self) -> dict[str, int]:
        """max(rev) of each table now. Read *before* the batches of an export: every row up
        to it ends up in the batches (possibly in a newer state) or is already synced,
        because rev is a table-wide counter (see kiosk.usage.totals)."""
        with self._reading() as conn:
            return {
                t: int(conn.execute(f"SELECT coalesce(max(rev), 0) FROM {t}").fetchone()[0])
                for t in TABLES
            }

    def batches(self, max_rows: int) -> Iterator[PendingBatch]:
        """Every pending row, in batches of at most `max_rows` (session rows first).

        Each batch is read in its own short transaction, walking the tables by id, so a
        year's backlog never sits in memory at once. Always yields at least one batch (an
        empty one when nothing is pending: it still tells the office the station is alive).
        """
        if max_rows < 1:
            raise ValueError("max_rows must be at least 1")
        after = dict.fromkeys(TABLES, 0)
        yielded = False
        while True:
            batch = PendingBatch()
            with self._reading() as conn:
                for table in TABLES:
                    room = max_rows - len(batch)
                    if room <= 0:
                        break
                    rows = list(_pending_rows(conn, table, after[table], room))
                    batch.rows(table).extend(rows)
                    if rows:
                        after[table] = rows[-1].id
            if not batch and yielded:
                return
            yielded = True
            yield batch
            if len(batch) < max_rows:
                return

    def read_state(self) -> SyncState:
        with self._reading() as conn:
            values = {
                key: _kv(conn, key)
                for key in (KV_LAST_SUCCESS, KV_LAST_ATTEMPT, KV_LAST_ERROR, KV_LAST_CONFLICTS)
            }

        def moment(text: str | None) -> datetime | None:
            return from_micros(int(text)) if text else None

        return SyncState(
            last_success_at=moment(values[KV_LAST_SUCCESS]),
            last_attempt_at=moment(values[KV_LAST_ATTEMPT]),
            last_error=values[KV_LAST_ERROR] or "",
            last_conflicts=int(values[KV_LAST_CONFLICTS] or 0),
        )

    # ----- writing -----------------------------------------------------------------------

    def mark_synced(self, batch: PendingBatch) -> int:
        """The office stored `batch` (answer 200): set each row's synced_rev to the rev
        that was sent, where that raises it. Returns the number of rows marked."""
        marked = 0
        with self._writing() as conn:
            for table in TABLES:
                for row in batch.rows(table):
                    marked += conn.execute(
                        f"UPDATE {table} SET synced_rev = :rev "
                        "WHERE id = :id AND synced_rev < :rev",
                        {"rev": row.rev, "id": row.id},
                    ).rowcount
        return marked

    def mark_exported(self, table_revs: dict[str, int]) -> None:
        """Every pending row up to `table_revs` (read before the batches, see `table_revs`)
        is safely in an export file: tell retention."""
        with self._writing() as conn:
            mark_exported(conn, table_revs["session_totals"], table_revs["activity_totals"])

    def office_accepts(self) -> frozenset[str]:
        """The additions to protocol v1 the office said it stores (none until it said so)."""
        with self._reading() as conn:
            return frozenset((_kv(conn, KV_OFFICE_ACCEPTS) or "").split())

    def set_office_accepts(self, names: Collection[str]) -> int:
        """Remember the additions the office stores (the ``accepts`` of its answer, or none
        after it refused a body that carried one). For each addition it now stores and did
        not before, the synced rows with numbers of that addition are queued again: they
        may have gone out without them, and the same rev with the numbers replaces the
        office's row (DESIGN §4: rev ≥ stored). Returns how many rows were queued."""
        known = frozenset(name for name in names if name in ADDITIONS)
        queued = 0
        with self._writing() as conn:
            before = frozenset((_kv(conn, KV_OFFICE_ACCEPTS) or "").split())
            if known == before:
                return 0
            for addition in sorted(known - before):
                for table, fields in ADDITIONS[addition].items():
                    nonzero = " OR ".join(f"{name} != 0" for name in fields)
                    queued += conn.execute(
                        f"UPDATE {table} SET synced_rev = 0 WHERE synced_rev > 0 AND ({nonzero})"
                    ).rowcount
            _set_kv(conn, KV_OFFICE_ACCEPTS, " ".join(sorted(known)))
        return queued

    def write_state(self, state: SyncState) -> None:
        values = {
            KV_LAST_SUCCESS: _micros_text(state.last_success_at),
            KV_LAST_ATTEMPT: _micros_text(state.last_attempt_at),
            KV_LAST_ERROR: state.last_error,
            KV_LAST_CONFLICTS: str(state.last_conflicts),
        }
        with self._writing() as conn:
            for key, value in values.items():
                _set_kv(conn, key, value)


def _micros_text(moment: datetime | None) -> str:
    return "" if moment is None else str(to_micros(moment))


def _set_kv(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO kv (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _kv(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _pending_rows(
    conn: sqlite3.Connection, table: str, after_id: int, limit: int
) -> Iterator[PendingRow]:
    columns = _COLUMNS[table]
    result = conn.execute(
        f"SELECT id, rev, {', '.join(columns)} FROM {table} "
        "WHERE rev > synced_rev AND id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    ).fetchall()
    model = _MODELS[table]
    for row in result:
        fields: dict[str, Any] = dict(zip(columns, row[2:], strict=True))
        fields["date"] = str(fields["date"])
        if fields.get("age_band") == NO_AGE_BAND:
            fields["age_band"] = None
        fields["rev"] = int(row[1])
        yield PendingRow(table, int(row[0]), int(row[1]), model.model_validate(fields))
