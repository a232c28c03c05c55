"""Screenshots that tests save for a person to look at — only when asked.

Tests check what a screen shows in memory (`Harness.screenshot()` returns the surface);
writing PNGs, some of them 4K, is slow, so a test names its file through `shots(group)`
and it is written only when $TELPA_TEST_SHOTS names a folder:

    TELPA_TEST_SHOTS=/tmp/shots .venv/bin/python -m pytest tests/games -n0

(the files land in ``/tmp/shots/<group>/``). The documentation's screenshots are made by
``scripts/screenshots.py``, not by the tests.
"""

from __future__ import annotations

import os
from pathlib import Path

SHOTS_ENV = "TELPA_TEST_SHOTS"


class Shots:
    """``shots / "name.png"``: the file to write, or None (keep the picture in memory)."""

    def __init__(self, group: str) -> None:
        self.group = group

    def __truediv__(self, name: str) -> Path | None:
        folder = os.environ.get(SHOTS_ENV, "").strip()
        return Path(folder) / self.group / name if folder else None


def shots(group: str) -> Shots:
    return Shots(group)
