"""What code outside the models needs to know of the usage database's rows, without
loading SQLAlchemy: the kv keys, how "no age band" is stored, the controllers' bound, and
how times are stored (UTC integer microseconds; see `kiosk.usage.models` for why).

`kiosk.usage.models` (the SQLAlchemy models, for the migrations and tests) re-exports
these; the kiosk's own reading and writing (`kiosk.usage.writer`, `totals`, `outbox`, …)
is plain SQL on `sqlite3` and imports them from here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

#: The age band of a session that has none, as stored in the totals tables.
NO_AGE_BAND = "none"

#: Game controllers one session can have (the group setup's teams; `sessions.controllers`).
MAX_CONTROLLERS = 4

#: kv keys (other parts, e.g. the sync client, add their own).
KV_DB_INSTANCE_ID = "db_instance_id"
KV_CREATED_AT = "created_at"
#: Local date (YYYY-MM-DD) before which raw rows may have been purged; totals of earlier
#: dates are final and are never recomputed (see kiosk.usage.retention).
KV_FROZEN_BEFORE = "totals_frozen_before"
#: Highest totals `rev` written to a USB export file, per table; with `synced_rev` these
#: tell retention which hours are safely at the office (see kiosk.usage.retention).
KV_EXPORTED_REV = {
    "session_totals": "exported_rev.session_totals",
    "activity_totals": "exported_rev.activity_totals",
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def to_micros(moment: datetime) -> int:
    """UTC microseconds since the epoch; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICRO


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)
