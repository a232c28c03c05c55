"""The jigsaw's rules, with no pygame in them: its levels, the pictures it offers, and
the stars a round earns."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.api import Pack

#: (pieces, columns, rows, how visible the faint guide picture is 0..255)
LEVELS = ((6, 3, 2, 90), (12, 4, 3, 60), (24, 6, 4, 0))
SNAP = 0.3  # of a cell: how close to its place a piece snaps in
MIN_PHOTO_SIDE = 300


@dataclass(frozen=True)
class Choice:
    """A picture to play: a built-in scene (pack None) or a pack's photo."""

    id: str
    pack: Pack | None = None
    picture: str = ""
    scene: int = 0


def stars_for(misses: int, pieces: int) -> int:
    if misses <= pieces // 6:
        return 3
    if misses <= pieces // 2:
        return 2
    return 1
