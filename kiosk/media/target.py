"""The export's target file, its name and its errors.

`export_name` names the file after the creation's kind and the moment it was made, in the
site's local time (what the review screen shows), so a librarian finds "film-20261126-1015…"
next to the time she saw. `PartFile` writes `<out>.part` and renames it to `<out>` only
once it is complete and on disk; `ExportError` carries a stable code the librarian panel
translates (the codes are listed in kiosk/media/export.py).
"""

from __future__ import annotations

import errno
import os
import re
import threading
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO

from kiosk.errors import TelpaError
from kiosk.fileio import fsync_folder


class ExportError(TelpaError):
    """An export that could not be finished; `code` is stable, `detail` is English."""

    codes = (
        "cancelled",
        "creation_invalid",
        "encoder_failed",
        "format_unsupported",
        "target_full",
        "target_readonly",
    )

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


def export_name(kind: str, created: datetime, zone: tzinfo, creation_id: str, fmt: str) -> str:
    """A safe file name for a creation's export, stamped in the site's local time, e.g.
    'film-20261126-121500-a1b2c3.mp4'; the creation id's random end keeps two creations of
    the same second apart."""
    stamp = created.astimezone(zone).strftime("%Y%m%d-%H%M%S")
    kind = re.sub(r"[^A-Za-z0-9]+", "", kind) or "creation"
    tail = re.sub(r"[^A-Za-z0-9]+", "", creation_id.rsplit("-", 1)[-1])[:12]
    return f"{kind}-{stamp}-{tail}.{fmt}" if tail else f"{kind}-{stamp}.{fmt}"


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
