"""Local wall-clock hours of the site's time zone, as stretches of UTC time.

Totals are keyed by the station's local (date, hour) (DESIGN §3). SQLite knows nothing of
IANA zones, so the zone is laid out here in Python as *slices*: maximal stretches of UTC
time that fall inside one local (date, hour). SQL then splits raw rows at slice bounds with
integer arithmetic (`kiosk.usage.totals`).

How time-zone changes come out (Europe/Riga, UTC+2 in winter, UTC+3 in summer):

- Spring forward (2026-03-29, 03:00 → 04:00 local): local hour 3 does not exist that day,
  so no slice and no totals row has it.
- Fall back (2026-10-25, 04:00 → 03:00 local): local 03:00–04:00 happens twice. Both
  occurrences map to the same key (2026-10-25, 3): one slice two UTC hours long, whose
  row may hold up to 7200 seconds of station time per session. The office sees one row
  per local hour, which is what a report by local hour needs.

The zone is sampled every 15 minutes of UTC: every local hour boundary and every offset
change of every zone in use since the 1970s falls on a quarter hour, so slices are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kiosk.usage.schema import to_micros

SECOND_US = 1_000_000
QUARTER_US = 15 * 60 * SECOND_US
HOUR_US = 60 * 60 * SECOND_US
#: How far from a moment the other moments of the same local hour can be: one hour plus
#: the largest DST shift in use (two hours, Antarctica/Troll), plus a quarter to spare.
SAME_HOUR_REACH_US = 3 * HOUR_US + QUARTER_US

HourKey = tuple[date, int]


@dataclass(frozen=True)
class HourSlice:
    """UTC time [lo, hi) that falls inside the local hour (day, hour)."""

    id: int
    lo: int
    hi: int
    day: date
    hour: int

    @property
    def key(self) -> HourKey:
        return self.day, self.hour


@dataclass
class HourMap:
    """Slices in time order (ids consecutive) and the slice of every sampled quarter."""

    slices: list[HourSlice]
    quarter_slice: list[tuple[int, int]]

    def keys_touching(self, lo: int, hi: int) -> set[HourKey]:
        """Keys of the local hours that overlap UTC [lo, hi)."""
        return {s.key for s in self.slices if s.lo < hi and lo < s.hi}

    def extent(self, keys: set[HourKey]) -> tuple[int, int]:
        """UTC [lo, hi) covering every slice of `keys`."""
        chosen = [s for s in self.slices if s.key in keys]
        return min(s.lo for s in chosen), max(s.hi for s in chosen)


def quarter_key(zone: ZoneInfo, quarter: int) -> HourKey:
    local = datetime.fromtimestamp(quarter * (QUARTER_US // SECOND_US), tz=zone)
    return local.date(), local.hour


def build_hour_map(zone: ZoneInfo, quarters: Iterable[int]) -> HourMap:
    """Slices for the given UTC quarter numbers (micros // QUARTER_US), which may have gaps;
    a slice never spans a gap, so a row must only touch sampled quarters."""
    slices: list[HourSlice] = []
    quarter_slice: list[tuple[int, int]] = []
    previous: int | None = None
    for quarter in sorted(set(quarters)):
        key = quarter_key(zone, quarter)
        lo = quarter * QUARTER_US
        last = slices[-1] if slices else None
        if last is not None and previous == quarter - 1 and last.key == key:
            slices[-1] = HourSlice(last.id, last.lo, lo + QUARTER_US, last.day, last.hour)
        else:
            slices.append(HourSlice(len(slices) + 1, lo, lo + QUARTER_US, key[0], key[1]))
        quarter_slice.append((quarter, slices[-1].id))
        previous = quarter
    return HourMap(slices, quarter_slice)


def hour_map_around(zone: ZoneInfo, lo: int, hi: int) -> HourMap:
    """Slices for UTC [lo, hi) widened so every local hour the span touches is whole."""
    first = max(0, lo - SAME_HOUR_REACH_US) // QUARTER_US
    last = (max(hi, lo) + SAME_HOUR_REACH_US) // QUARTER_US
    return build_hour_map(zone, range(first, last + 1))


def quarters_of_hours(utc_hours: Iterable[int]) -> list[int]:
    """Every quarter of the given UTC hour numbers (micros // HOUR_US)."""
    per_hour = HOUR_US // QUARTER_US
    return [h * per_hour + i for h in utc_hours for i in range(per_hour)]


def merge_spans(spans: Sequence[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Sorted union of [lo, hi) spans, joining spans closer than `gap`."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, max(lo, hi)))
    return merged


def local_midnight(zone: ZoneInfo, day: date) -> int:
    """UTC micros of the first moment of `day` in the zone (as close as the zone allows)."""
    return to_micros(datetime(day.year, day.month, day.day, tzinfo=zone))
