"""What can go wrong when opening the usage store; every message says where and what to do.

    UsageStoreError              the usage store cannot be used (catch this one)
    ├── DataFolderError          the data folder cannot be created or written
    ├── DatabaseTooNewError      the database was upgraded by a newer Telpa
    └── UsageDatabaseError       no usable database, even after moving a damaged one aside

A damaged database file is not an error: it is moved aside, a fresh one is started and a
`problems` row tells the librarian panel (see `kiosk.usage.db`).

A full, read-only or failing disk is not an error either once the store runs:
`disk_trouble` tells such a failure from a bad record, and the store pauses recording and
keeps events in memory until the disk takes writes again (see `kiosk.usage.store`).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Literal

from kiosk.errors import TelpaError

DiskTrouble = Literal["full", "unwritable"]

#: OS errors that mean "no room for this write now": space or a quota can be freed. EFBIG
#: (file too large for the file system or the process's file-size limit) behaves the same.
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())
#: OS errors that mean "the disk refuses writes": remounted read-only, or failing.
_UNWRITABLE_ERRNOS = {errno.EROFS, errno.EIO}
# SQLite primary result codes: full; I/O error (also how a failed write beyond a size limit
# shows); read-only (file system remounted); cannot open (the drive went away); busy and
# locked (another program held the database longer than the busy timeout).
_SQLITE_FULL = 13
_SQLITE_UNWRITABLE = {10, 8, 14, 5, 6}


def disk_trouble(exc: BaseException) -> DiskTrouble | None:
    """Whether `exc` (or what caused it) says the disk cannot take a write now: "full" or
    "unwritable" — something that heals when space is freed or the disk comes back — and
    None when it is something else, such as a record that does not fit."""
    found = find_disk_trouble(exc)
    return found[0] if found is not None else None


def find_disk_trouble(exc: BaseException) -> tuple[DiskTrouble, BaseException] | None:
    """Like `disk_trouble`, with the OS or SQLite error that says so (for the log)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(current, sqlite3.Error) and code is not None:
            if code & 0xFF == _SQLITE_FULL:
                return "full", current
            if code & 0xFF in _SQLITE_UNWRITABLE:
                return "unwritable", current
        if isinstance(current, OSError):
            if current.errno in _FULL_ERRNOS:
                return "full", current
            if current.errno in _UNWRITABLE_ERRNOS:
                return "unwritable", current
        if isinstance(current, DataFolderError) and current.errno is not None:
            todo.append(OSError(current.errno, current.reason))
        orig = getattr(current, "orig", None)  # a migration: SQLAlchemy wraps the error
        todo += [
            orig if isinstance(orig, BaseException) else None,
            current.__cause__,
            current.__context__,
        ]
    return None


class UsageStoreError(TelpaError):
    """The usage store cannot be used; `str()` is the message to show or log."""

    code = "usage_store"


class DataFolderError(UsageStoreError):
    code = "data_folder"

    def __init__(self, folder: Path, reason: str, errno: int | None = None) -> None:
        self.folder = folder
        self.reason = reason
        #: The OS error number behind it, if any (a full disk is not a config mistake).
        self.errno = errno
        super().__init__(
            f"Cannot use the data folder {folder} ({reason}). Make sure the folder exists and "
            "this user account may write to it, or point storage.data_dir in the config file "
            "(or the KIOSK_DATA_DIR environment variable) at a folder that can be written, "
            "on a drive that is not reset when the PC restarts."
        )


class DatabaseTooNewError(UsageStoreError):
    code = "database_too_new"

    def __init__(self, db_path: Path, revision: str) -> None:
        self.db_path = db_path
        self.revision = revision
        super().__init__(
            f"The usage database {db_path} was upgraded by a newer version of Telpa "
            f"(schema revision {revision!r}, unknown to this version). Install the newer "
            "Telpa again; do not delete the file, it holds usage not yet sent to the office."
        )


class UsageDatabaseError(UsageStoreError):
    code = "usage_database"

    def __init__(self, db_path: Path, reason: str) -> None:
        self.db_path = db_path
        self.reason = reason
        super().__init__(
            f"Cannot open or create the usage database {db_path} ({reason}). Check that the "
            "disk is not full or failing, and that no other program holds the file open."
        )
