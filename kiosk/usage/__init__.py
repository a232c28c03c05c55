"""The anonymous usage store (DESIGN §3): the only code that talks to the usage database.

Public surface (re-exported here; guarded by tests/usage/test_public_api.py):

- `UsageStore.open(data_dir, config, clock=...)` — the `UsageSink` the shell records into.
- `upgrade(db_path)` — create or migrate a database file (also run by `UsageStore.open`).
- `run_stats`, `add_stats_arguments`, `run_db_upgrade` — the `kiosk stats` and
  `kiosk db upgrade` commands; `recent_usage` — the librarian panel's last seven days.
- `rebuild_totals`, `purge`, `mark_exported` — maintenance on an open connection.
- `Outbox` (with `PendingBatch`, `PendingRow`, `SyncState`) — the office sync client's only
  way to read pending totals and record what the office has (`kiosk.usage.outbox`).
- `check_database` (with `DatabaseReport`) — `kiosk doctor`'s read-only integrity check.
- The errors: `UsageStoreError` and its subclasses (`NoUsageDatabase` among them).
"""

from kiosk.usage.db import DB_FILENAME, database_path, upgrade
from kiosk.usage.errors import (
    DatabaseTooNewError,
    DataFolderError,
    UsageDatabaseError,
    UsageStoreError,
)
from kiosk.usage.integrity import DatabaseReport, check_database
from kiosk.usage.outbox import NoUsageDatabase, Outbox, PendingBatch, PendingRow, SyncState
from kiosk.usage.retention import mark_exported, purge
from kiosk.usage.stats import (
    RecentUsage,
    add_stats_arguments,
    recent_usage,
    run_db_upgrade,
    run_stats,
)
from kiosk.usage.store import ProblemNote, UsageStore
from kiosk.usage.totals import rebuild_totals

__all__ = [
    "DB_FILENAME",
    "DataFolderError",
    "DatabaseReport",
    "DatabaseTooNewError",
    "NoUsageDatabase",
    "Outbox",
    "PendingBatch",
    "PendingRow",
    "ProblemNote",
    "RecentUsage",
    "SyncState",
    "UsageDatabaseError",
    "UsageStore",
    "UsageStoreError",
    "add_stats_arguments",
    "check_database",
    "database_path",
    "mark_exported",
    "purge",
    "rebuild_totals",
    "recent_usage",
    "run_db_upgrade",
    "run_stats",
    "upgrade",
]
