"""What can go wrong when opening the usage store; every message says where and what to do.

    UsageStoreError              the usage store cannot be used (catch this one)
    ├── DataFolderError          the data folder cannot be created or written
    ├── DatabaseTooNewError      the database was upgraded by a newer Telpa
    └── UsageDatabaseError       no usable database, even after moving a damaged one aside

A damaged database file is not an error: it is moved aside, a fresh one is started and a
`problems` row tells the librarian panel (see `kiosk.usage.db`).
"""

from __future__ import annotations

from pathlib import Path


class UsageStoreError(Exception):
    """The usage store cannot be used; `str()` is the message to show or log."""


class DataFolderError(UsageStoreError):
    def __init__(self, folder: Path, reason: str) -> None:
        self.folder = folder
        self.reason = reason
        super().__init__(
            f"Cannot use the data folder {folder} ({reason}). Make sure the folder exists and "
            "this user account may write to it, or point storage.data_dir in the config file "
            "(or the KIOSK_DATA_DIR environment variable) at a folder that can be written, "
            "on a drive that is not reset when the PC restarts."
        )


class DatabaseTooNewError(UsageStoreError):
    def __init__(self, db_path: Path, revision: str) -> None:
        self.db_path = db_path
        self.revision = revision
        super().__init__(
            f"The usage database {db_path} was upgraded by a newer version of Telpa "
            f"(schema revision {revision!r}, unknown to this version). Install the newer "
            "Telpa again; do not delete the file, it holds usage not yet sent to the office."
        )


class UsageDatabaseError(UsageStoreError):
    def __init__(self, db_path: Path, reason: str) -> None:
        self.db_path = db_path
        self.reason = reason
        super().__init__(
            f"Cannot open or create the usage database {db_path} ({reason}). Check that the "
            "disk is not full or failing, and that no other program holds the file open."
        )
