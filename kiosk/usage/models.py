"""The usage database's tables, as typed SQLAlchemy 2.0 models: what the migrations are
written against (and checked against, tests/usage/test_migrations.py). The running kiosk
does not load them: it reads and writes with plain SQL on `sqlite3` (`kiosk.usage.db`),
and the facts it needs of these rows live in `kiosk.usage.schema`.

Raw rows (`sessions`, `activity_runs`) are what the kiosk saw; totals (`session_totals`,
`activity_totals`) are what leaves the machine (DESIGN §3, §4).

Choices worth knowing:

- **Times are UTC, as integer microseconds since 1970-01-01** (`UtcTimestamp`). Python sees
  aware `datetime`s in UTC; SQL sees exact integers, so the totals can be split at local hour
  boundaries with set-based integer arithmetic (see `kiosk.usage.totals`) without string
  parsing or float rounding. To read one by hand:
  ``SELECT datetime(started_at / 1000000, 'unixepoch') FROM sessions``.
- **"No age band" is the string `'none'` in the totals, never NULL.** SQL unique constraints
  treat NULLs as distinct, so NULL would let two "no age band" rows exist for the same hour
  and the office's upsert could not tell them apart (DESIGN §4). `'none'` rather than `''`
  because it reads unambiguously in CSV and JSON. Raw `sessions.age_band` keeps NULL.
- Totals rows are never deleted (a key whose raw rows vanished would be set to zero instead),
  so `max(rev)` of a table never goes down; see `kiosk.usage.totals` for how `rev` grows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from kiosk.usage.schema import (
    KV_CREATED_AT,
    KV_DB_INSTANCE_ID,
    KV_EXPORTED_REV,
    KV_FROZEN_BEFORE,
    MAX_CONTROLLERS,
    NO_AGE_BAND,
    from_micros,
    to_micros,
)

__all__ = [
    "KV_CREATED_AT",
    "KV_DB_INSTANCE_ID",
    "KV_EXPORTED_REV",
    "KV_FROZEN_BEFORE",
    "MAX_CONTROLLERS",
    "NO_AGE_BAND",
    "ActivityRun",
    "ActivityTotal",
    "Base",
    "KeyValue",
    "Problem",
    "SessionTotal",
    "UsageSession",
    "UtcTimestamp",
    "from_micros",
    "metadata",
    "to_micros",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcTimestamp(TypeDecorator[datetime]):
    """An aware datetime stored as integer UTC microseconds (see the module docstring)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, int):
            return value
        return to_micros(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_micros(int(value))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UsageSession(Base):
    """One solo or group session at this station."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("kind IN ('solo', 'group')", name="kind"),
        CheckConstraint("headcount >= 1", name="headcount"),
        CheckConstraint(f"controllers BETWEEN 0 AND {MAX_CONTROLLERS}", name="controllers"),
        Index("ix_sessions_ended_at", "ended_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))
    headcount: Mapped[int] = mapped_column(Integer)
    age_band: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    ended_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    #: Last sign of life (heartbeat or run event); a crashed session ends here.
    last_heartbeat_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    end_reason: Mapped[str | None] = mapped_column(String(12))
    #: How many game controllers played (a group's teams, 1-4); NULL when none joined.
    #: A number only: which pad or team is never recorded.
    controllers: Mapped[int | None] = mapped_column(SmallInteger)


class ActivityRun(Base):
    """One run of one activity inside a session."""

    __tablename__ = "activity_runs"
    __table_args__ = (
        Index("ix_activity_runs_ended_at", "ended_at"),
        Index("ix_activity_runs_session_id", "session_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"))
    activity: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    ended_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)
    outcome: Mapped[str | None] = mapped_column(String(12))
    level: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)


class SessionTotal(Base):
    """Sessions counted in the local hour they started; seconds split over every hour.

    `sessions_with_controllers` counts the sessions of the row played with at least one
    game controller, `controllers` the sum of their controllers (a group with 3 pads adds
    3), both in the hour the session started, like `sessions`."""

    __tablename__ = "session_totals"
    __table_args__ = (
        UniqueConstraint("date", "hour", "session_kind", "age_band"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
        Index("ix_session_totals_rev", "rev"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    date: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)
    session_kind: Mapped[str] = mapped_column(String(8))
    age_band: Mapped[str] = mapped_column(String(8))
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    child_visits: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    rev: Mapped[int] = mapped_column(Integer)
    synced_rev: Mapped[int] = mapped_column(Integer, default=0)
    sessions_with_controllers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    controllers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ActivityTotal(Base):
    """Runs counted in the local hour they started; seconds split over every hour."""

    __tablename__ = "activity_totals"
    __table_args__ = (
        UniqueConstraint("date", "hour", "activity", "session_kind"),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
        Index("ix_activity_totals_rev", "rev"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    date: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)
    activity: Mapped[str] = mapped_column(String(64))
    session_kind: Mapped[str] = mapped_column(String(8))
    runs: Mapped[int] = mapped_column(Integer, default=0)
    completed_runs: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    rev: Mapped[int] = mapped_column(Integer)
    synced_rev: Mapped[int] = mapped_column(Integer, default=0)


class KeyValue(Base):
    """Small facts about this database: its instance id, creation time, sync state."""

    __tablename__ = "kv"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Problem(Base):
    """Something the librarian panel must show, e.g. "the database was moved aside"."""

    __tablename__ = "problems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcTimestamp)
    #: Stable machine-readable code, e.g. ``database_moved_aside``; the panel translates it.
    code: Mapped[str] = mapped_column(String(40))
    #: English details for logs and `kiosk` commands (paths, file names).
    message: Mapped[str] = mapped_column(Text)
    dismissed_at: Mapped[datetime | None] = mapped_column(UtcTimestamp)


metadata = Base.metadata
