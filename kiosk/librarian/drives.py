"""Where the librarian may export to: the removable drives plugged in now."""

from __future__ import annotations

import os
import string
from pathlib import Path


def removable_drives(
    mount_roots: tuple[Path, ...] = (Path("/media"), Path("/run/media")),
) -> list[Path]:
    """Drives a librarian may have plugged in: on Linux the mounts under /media/<user>/
    and /run/media/<user>/, on Windows every drive letter but C: that exists."""
    found: list[Path] = []
    if os.name == "nt":
        for letter in string.ascii_uppercase[3:]:
            drive = Path(f"{letter}:\\")
            if drive.exists():
                found.append(drive)
        return found
    for base in mount_roots:
        try:
            users = sorted(p for p in base.iterdir() if p.is_dir())
        except OSError:
            continue
        for user in users:
            try:
                found += sorted(p for p in user.iterdir() if p.is_dir())
            except OSError:
                continue
    return found
