"""What the running kiosk takes from the office's content: the pack folders to read and the
settings to lay over its config, picked up at the attract screen and never mid-visit.

`OfficeContent.poll()` is called when the attract screen comes: it looks at
``current.json``'s stat (cheap) and, only when it changed, reads it (a few kilobytes) and
returns an `OfficeUpdate`. The shell then reads the packs again on a worker thread and
rebuilds what depends on the settings."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.fleet.settings import apply_to_config, is_open
from kiosk.fleet.store import CURRENT, ContentStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfficeUpdate:
    pack_folders: list[Path]
    settings: dict[str, Any]


class OfficeContent:
    def __init__(self, data_folder: Path | None) -> None:
        self.store = ContentStore(data_folder) if data_folder is not None else None
        self._seen: tuple[int, int] | None = None
        self.settings: dict[str, Any] = {}
        self.pack_folders: list[Path] = []

    def _stamp(self) -> tuple[int, int] | None:
        if self.store is None:
            return None
        try:
            info = os.stat(self.store.root / CURRENT)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_ino

    def poll(self) -> OfficeUpdate | None:
        """The new state when ``current.json`` changed since the last call, else None."""
        stamp = self._stamp()
        if stamp == self._seen or self.store is None:
            return None
        self._seen = stamp
        current = self.store.read_current()
        folders = self.store.pack_folders()
        try:
            self.store.mark_in_use(folders)
        except OSError as exc:
            log.warning("office content: cannot note the folders in use: %s", exc)
        self.settings = current.settings
        self.pack_folders = folders
        return OfficeUpdate(folders, current.settings)

    def config(self, base: Config) -> Config:
        """`base` with the office's settings laid over it (invalid ones are logged, not used)."""
        try:
            return apply_to_config(base, self.settings)
        except Exception as exc:  # noqa: BLE001 - a bad setting must never stop the kiosk
            log.warning("office content: the office's settings cannot be applied: %s", exc)
            return base

    def group_defaults(self) -> dict[str, Any]:
        return {
            key.split(".", 1)[1]: value
            for key, value in self.settings.items()
            if key.startswith("group.")
        }

    def is_open(self, now: datetime, timezone: str) -> bool:
        return is_open(self.settings.get("opening_hours"), now, timezone)
