"""Logging to a rotating file in the data folder; children never see a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: A log file is rotated past this size, keeping this many older files.
MAX_BYTES, BACKUPS = 1_000_000, 5


class RotatingLog(logging.FileHandler):
    """A file handler that rotates like `logging.handlers.RotatingFileHandler` (whose
    rollover it uses), but imports that module only when a rollover is due: it brings
    sockets, pickle and queues (about 1 MB) into two processes that run all day and log
    a few lines."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is not None and self.stream.tell() >= MAX_BYTES:
                import logging.handlers

                rotating = logging.handlers.RotatingFileHandler(
                    self.baseFilename, backupCount=BACKUPS, encoding=self.encoding, delay=True
                )
                self.stream.close()
                rotating.doRollover()
                rotating.close()
                self.stream = self._open()
        except Exception:  # noqa: BLE001 - a full or failing disk: as FileHandler does
            self.handleError(record)
            return
        super().emit(record)


def setup_logging(
    data_dir: Path, level: int = logging.INFO, to_stderr: bool = False, name: str = "kiosk.log"
) -> Path:
    """Send log records to data_dir/logs/NAME (1 MB × 5 older files). Returns the path.

    The supervisor writes its own file: two processes must not rotate one file."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / name
    handler = RotatingLog(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.setLevel(level)
    for old in list(root.handlers):
        if getattr(old, "_telpa", False):
            root.removeHandler(old)
            old.close()
    handler._telpa = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if to_stderr:
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        console.setLevel(logging.WARNING)
        console._telpa = True  # type: ignore[attr-defined]
        root.addHandler(console)
    return path
