"""`check_database(data_dir)`: is the usage database intact, and at which schema? For
`kiosk doctor`, which must look without changing anything.

The file is opened read-only (SQLite's ``mode=ro``): no migration, no journal-mode change,
no moving aside — the kiosk does those when it starts. ``PRAGMA quick_check`` runs first,
then the full ``PRAGMA integrity_check`` (a kiosk's database is small: well under a second).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from kiosk.usage.db import BUSY_TIMEOUT_MS, MIGRATIONS_DIR, database_path, head_revision, is_damage

DatabaseState = Literal["missing", "ok", "behind", "too_new", "damaged", "unreadable"]


@dataclass(frozen=True)
class DatabaseReport:
    """`state`: "missing" (no file yet), "ok", "behind" (an older schema, upgraded when the
    kiosk starts), "too_new" (made by a newer Telpa), "damaged" or "unreadable" (could
    not be opened: permissions, a lock, a failing disk). `detail` is SQLite's own words."""

    path: Path
    state: DatabaseState
    revision: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class _Look:
    damage: str | None
    revision: str | None


def _look(uri: str) -> _Look:
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        for pragma in ("PRAGMA quick_check(5)", "PRAGMA integrity_check(5)"):
            rows = connection.execute(pragma).fetchall()
            if rows != [("ok",)]:
                return _Look("; ".join(str(row[0]) for row in rows[:3]), None)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            row = None  # no table yet: never migrated
        return _Look(None, str(row[0]) if row else None)
    finally:
        connection.close()


def check_database(data_dir: Path) -> DatabaseReport:
    """Look at the usage database in `data_dir` without changing it."""
    path = database_path(data_dir)
    if not path.exists():
        return DatabaseReport(path, "missing")
    if path.stat().st_size == 0:
        return DatabaseReport(path, "behind", detail="empty file")
    try:
        try:
            found = _look(f"file:{quote(str(path))}?mode=ro")
        except sqlite3.OperationalError as exc:
            if is_damage(exc):
                raise
            # A WAL database needs its -shm file, which a read-only or full drive cannot
            # hold: read the file as it is on disk (nothing can be writing it then).
            found = _look(f"file:{quote(str(path))}?mode=ro&immutable=1")
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return DatabaseReport(path, "damaged", detail=str(exc))
        return DatabaseReport(path, "unreadable", detail=str(exc))
    if found.damage is not None:
        return DatabaseReport(path, "damaged", detail=found.damage)
    if found.revision == head_revision():
        return DatabaseReport(path, "ok", found.revision)
    from alembic.script import ScriptDirectory  # only for a database that is not at head

    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    if found.revision is not None and found.revision not in known:
        return DatabaseReport(path, "too_new", found.revision)
    return DatabaseReport(path, "behind", found.revision)
