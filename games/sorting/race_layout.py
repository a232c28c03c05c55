"""Where things go on the race's screen: one lane per team — two side by side, three in
columns, four in a 2×2 grid (four columns would leave each lane a narrow strip at
1366×768) — and inside each lane its header (animal, name, progress), a note line, the
thing to sort and the bins. Sizes follow the lane, so one layout serves 1280×720 up to
3840×2160; every text is fitted into these boxes by the painter."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

import games.sorting.looks as looks

#: A bin's width to its height, as on the solo screen (270×206 units); where a lane has
#: the width, a bin may be up to WIDE_BIN times wider, for its (sometimes long) name.
BIN_ASPECT = 270 / 206
WIDE_BIN = 1.3
#: How far the pile of things still to sort peeks out behind the card (share of its
#: height; race_view draws two cards back, each 1/28 of it further).
PILE_REACH = 2 / 28
#: How much wider than the solo screen's card the race's card may be.
WIDEN = 1.3


@dataclass(frozen=True)
class LaneLayout:
    """The rectangles of one lane, in screen pixels."""

    frame: pygame.Rect
    #: The strip with the team's animal, name and progress.
    header: pygame.Rect
    animal: pygame.Rect
    name: pygame.Rect
    count: pygame.Rect
    progress: pygame.Rect
    #: A line for "Try again!" or the seconds left.
    note: pygame.Rect
    #: The room of the thing to sort (and of the "finished" picture).
    table: pygame.Rect
    #: Where the thing to sort rests (the card, without its shadow).
    home: pygame.Rect
    bins: tuple[pygame.Rect, ...]
    #: Bins per row (the d-pad moves along rows and columns of this grid).
    columns: int

    @property
    def border(self) -> int:
        return max(3, self.header.height // 12)

    @property
    def ring(self) -> int:
        """The width of the ring around the bin a pad points at."""
        return ring_width(self.header.height)


def ring_width(header_height: int) -> int:
    return max(4, header_height // 6)


def lane_frames(area: pygame.Rect, teams: int, gap: int) -> list[pygame.Rect]:
    """The lanes' outer rectangles within `area`, in the teams' order (reading order)."""
    columns, rows = (2, 2) if teams == 4 else (teams, 1)
    width = (area.width - (columns + 1) * gap) // columns
    height = (area.height - (rows + 1) * gap) // rows
    return [
        pygame.Rect(
            area.left + gap + (i % columns) * (width + gap),
            area.top + gap + (i // columns) * (height + gap),
            width,
            height,
        )
        for i in range(teams)
    ]


def lane(frame: pygame.Rect, bins: int) -> LaneLayout:
    """One lane's inside for a round with `bins` bins."""
    pad = max(6, min(frame.width, frame.height) // 36)
    head_h = max(28, round(min(frame.height * 0.13, frame.width * 0.14)))
    header = pygame.Rect(frame.left, frame.top, frame.width, head_h)
    animal = pygame.Rect(0, 0, round(head_h * 0.8), round(head_h * 0.8))
    animal.midleft = (header.left + pad + pad // 2, header.centery)
    count = pygame.Rect(0, 0, round(head_h * 1.9), round(head_h * 0.7))
    count.midright = (header.right - pad - pad // 2, header.centery)
    name = pygame.Rect(
        animal.right + pad, header.top + head_h // 8, count.left - animal.right - 2 * pad, 0
    )
    name.height = head_h - 2 * (head_h // 8)
    bar_h = max(6, head_h // 6)
    progress = pygame.Rect(frame.left + 2 * pad, header.bottom + pad, frame.width - 4 * pad, bar_h)
    body = pygame.Rect(frame.left + pad, progress.bottom + pad, frame.width - 2 * pad, 0)
    body.height = frame.bottom - pad - body.top
    note_h = max(20, round(min(body.height * 0.14, head_h * 0.85)))
    if body.width > body.height * 1.5:
        # A wide lane (four teams): the thing on the left, the bins on the right.
        side = pygame.Rect(body.left, body.top, round(body.width * 0.36), body.height)
        note = pygame.Rect(side.left, side.top, side.width, note_h)
        card_room = pygame.Rect(side.left, note.bottom, side.width, side.bottom - note.bottom)
        bins_room = pygame.Rect(side.right + pad, body.top, body.right - side.right - pad, 0)
        bins_room.height = body.height
    else:
        note = pygame.Rect(body.left, body.top, body.width, note_h)
        card_room = pygame.Rect(body.left, note.bottom, body.width, round(body.height * 0.4))
        bins_room = pygame.Rect(body.left, card_room.bottom + pad, body.width, 0)
        bins_room.height = body.bottom - bins_room.top
    home = _card_in(card_room, pad)
    # Room for the ring around the bin a pad points at.
    reach = 2 * ring_width(head_h)
    rects, columns = bin_grid(bins_room.inflate(-2 * reach, -2 * reach), bins, pad + reach)
    return LaneLayout(
        frame, header, animal, name, count, progress, note, card_room, home, tuple(rects), columns
    )


def _card_in(room: pygame.Rect, pad: int) -> pygame.Rect:
    """The largest card of the solo screen's shape that fits `room` with its shadow."""
    room = room.inflate(-2 * pad, -2 * pad)
    # The pile behind the card peeks out up and right by up to PILE_REACH of its height.
    height = int(room.height / (1 + PILE_REACH))
    width = int(min(room.width / (1 + PILE_REACH), height * looks.CARD_W / looks.CARD_H))
    height = min(height, int(width * looks.CARD_H / looks.CARD_W))
    # Wider than the solo card where the lane has room: long names ("žirnelių konservų
    # skardinė") need the width more than the picture needs the height.
    width = int(min(room.width / (1 + PILE_REACH), width * WIDEN))
    card = pygame.Rect(0, 0, width, height)
    card.midbottom = (room.centerx, room.bottom)
    return card


def bin_grid(room: pygame.Rect, count: int, gap: int) -> tuple[list[pygame.Rect], int]:
    """`count` bins of the solo screen's shape in `room`: in one row, or in two when that
    makes them larger. Returns their rectangles and the number per row."""
    best: tuple[int, int, int] | None = None
    for columns in sorted({count, math.ceil(count / 2)}):
        rows = math.ceil(count / columns)
        cell_w = (room.width - (columns - 1) * gap) // columns
        cell_h = (room.height - (rows - 1) * gap) // rows
        w = min(cell_w, int(cell_h * BIN_ASPECT * WIDE_BIN))
        h = min(cell_h, int(w / BIN_ASPECT * 1.15))
        if best is None or w * h > best[1] * best[2]:
            best = (columns, w, h)
    assert best is not None
    columns, w, h = best
    rows = math.ceil(count / columns)
    top = room.centery - (rows * h + (rows - 1) * gap) // 2
    rects = []
    for row in range(rows):
        in_row = min(columns, count - row * columns)
        left = room.centerx - (in_row * w + (in_row - 1) * gap) // 2
        for col in range(in_row):
            rects.append(pygame.Rect(left + col * (w + gap), top + row * (h + gap), w, h))
    return rects, columns


def neighbour(index: int, direction: str, count: int, columns: int) -> int:
    """The bin a d-pad `direction` ("left", "right", "up", "down") leads to from `index`.
    Left and right run through all bins in reading order and wrap; up and down move to the
    other row of the grid, and in a single row they act like left and right."""
    if direction in ("left", "right") or count <= columns:
        step = -1 if direction in ("left", "up") else 1
        return (index + step) % count
    rows = math.ceil(count / columns)
    row, col = divmod(index, columns)
    row = (row + (-1 if direction == "up" else 1)) % rows
    # A shorter last row: its nearest bin.
    return min(row * columns + col, count - 1)
