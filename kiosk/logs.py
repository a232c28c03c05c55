"""Logging to a rotating file in the data folder; children never see a traceback."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(
    data_dir: Path, level: int = logging.INFO, to_stderr: bool = False, name: str = "kiosk.log"
) -> Path:
    """Send log records to data_dir/logs/NAME (1 MB × 5 files). Returns the path.

    The supervisor writes its own file: two processes must not rotate one file."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / name
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
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
