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
- The errors: `UsageStoreError` and its subclasses (`NoUsageDatabase` among them);
  `disk_trouble` tells a full, read-only or failing disk (which heals) from other errors,
  and `RecordingPaused` is what an open store says while such a disk takes no writes.

The names load on first use (PEP 562), so a module that needs only a light part — the
`kiosk` command's parser, `kiosk run`'s supervisor — loads nothing it does not use. None of
them loads SQLAlchemy or Alembic: the store, the outbox and the readers are plain SQL on
the standard library's `sqlite3`, and `upgrade` loads Alembic only when a database is new
or behind (tests/sync/test_shell_without_sqlalchemy.py holds the kiosk to it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.usage.db import DB_FILENAME, database_path, upgrade
    from kiosk.usage.errors import (
        DatabaseTooNewError,
        DataFolderError,
        UsageDatabaseError,
        UsageStoreError,
        disk_trouble,
    )
    from kiosk.usage.integrity import DatabaseReport, check_database
    from kiosk.usage.outbox import NoUsageDatabase, Outbox, PendingBatch, PendingRow, SyncState
    from kiosk.usage.retention import mark_exported, purge
    from kiosk.usage.stats import RecentUsage, recent_usage, run_db_upgrade, run_stats
    from kiosk.usage.stats_options import add_stats_arguments
    from kiosk.usage.store import ProblemNote, RecordingPaused, UsageStore
    from kiosk.usage.totals import rebuild_totals

#: Each public name and the module that defines it.
_HOME = {
    "DB_FILENAME": "db",
    "database_path": "db",
    "upgrade": "db",
    "DatabaseTooNewError": "errors",
    "DataFolderError": "errors",
    "UsageDatabaseError": "errors",
    "UsageStoreError": "errors",
    "disk_trouble": "errors",
    "DatabaseReport": "integrity",
    "check_database": "integrity",
    "NoUsageDatabase": "outbox",
    "Outbox": "outbox",
    "PendingBatch": "outbox",
    "PendingRow": "outbox",
    "SyncState": "outbox",
    "mark_exported": "retention",
    "purge": "retention",
    "RecentUsage": "stats",
    "recent_usage": "stats",
    "run_db_upgrade": "stats",
    "run_stats": "stats",
    "add_stats_arguments": "stats_options",
    "ProblemNote": "store",
    "RecordingPaused": "store",
    "UsageStore": "store",
    "rebuild_totals": "totals",
}

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
    "RecordingPaused",
    "SyncState",
    "UsageDatabaseError",
    "UsageStore",
    "UsageStoreError",
    "add_stats_arguments",
    "check_database",
    "database_path",
    "disk_trouble",
    "mark_exported",
    "purge",
    "rebuild_totals",
    "recent_usage",
    "run_db_upgrade",
    "run_stats",
    "upgrade",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'kiosk.usage' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kiosk.usage.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
