"""The export's target file and its errors.

`PartFile` writes `<out>.part` and renames it to `<out>` only once it is complete and on
disk; `ExportError` carries a stable code the librarian panel translates (the codes are
listed in kiosk/media/export.py).
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import IO

from kiosk.fileio import fsync_folder


class ExportError(Exception):
    """An export that could not be finished; `code` is stable, `detail` is English."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def target_error(exc: OSError, path: Path) -> ExportError:
    """The ExportError for a failed write: full (no room, or a file too big for FAT32) or
    cannot be written (read-only, missing, not a folder, pulled out)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportError("target_full", f"The USB stick or folder is full: {path} ({exc})")
    return ExportError("target_readonly", f"{path} cannot be written ({exc.strerror or exc})")


def stderr_error(text: str, path: Path) -> ExportError:
    """The ExportError for an ffmpeg that failed, from the end of its stderr."""
    if "No space left" in text or "File too large" in text:
        return ExportError("target_full", f"The USB stick or folder is full: {path}")
    unwritable = ("Read-only file system", "Permission denied", "Input/output error")
    if any(reason in text for reason in unwritable):  # the last: a stick pulled out
        return ExportError("target_readonly", f"{path} cannot be written")
    return ExportError("encoder_failed", f"ffmpeg could not make {path}:\n{text[-1500:]}")


class PartFile:
    """`<out>.part` while writing; `commit()` fsyncs and renames it to `<out>`."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.part = self.out.with_name(self.out.name + ".part")

    def open(self) -> IO[bytes]:
        try:
            return self.part.open("wb")
        except OSError as exc:
            raise target_error(exc, self.part) from exc

    def commit(self) -> Path:
        try:
            with self.part.open("rb+") as f:
                os.fsync(f.fileno())
            os.replace(self.part, self.out)
            fsync_folder(self.out.parent)
        except OSError as exc:
            raise target_error(exc, self.out) from exc
        return self.out

    def discard(self) -> None:
        try:
            self.part.unlink()
        except OSError:
            pass


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ExportError("cancelled", "the export was cancelled")
