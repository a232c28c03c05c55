"""The office database's tables, as typed SQLAlchemy 2.0 models (DESIGN §4).

One schema for SQLite and PostgreSQL. Choices worth knowing:

- **Totals are keyed by (site, station, db_instance_id, key…)** with a UNIQUE constraint, so
  the database itself refuses a second row for the same key; `kiosk.office.ingest` writes
  with INSERT … ON CONFLICT DO UPDATE. A wiped kiosk comes back with a new
  `db_instance_id`: its old rows stay and count, reports SUM over instances.
- **"No age band" is the string `'none'`, never NULL**: SQL treats NULLs as distinct in a
  unique constraint, so NULL would allow two "no age band" rows for one hour. On the wire
  both JSON null and "none" mean it.
- **Times are aware UTC datetimes** in Python (`UtcDateTime`), stored as naive UTC
  timestamps, because SQLite has no time zone type and the two backends must agree.
- Check constraints repeat the row rules that are facts rather than judgement (hour 0-23,
  known kinds and bands, no negative counts), so a bug in the code cannot store such a row.
  The softer "absurd value" bounds live only in `kiosk.office.ingest`.
- Site tokens and account passwords are stored hashed only (see `kiosk.office.auth`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from kiosk import protocol

# The protocol's vocabulary, defined once with the models of the wire (kiosk.protocol).
NO_AGE_BAND = protocol.NO_AGE_BAND
AGE_BANDS = protocol.AGE_BANDS
SESSION_KINDS = protocol.SESSION_KINDS
ID_PATTERN = protocol.ID_PATTERN
ACTIVITY_PATTERN = protocol.ACTIVITY_PATTERN
APP_VERSION_PATTERN = protocol.APP_VERSION_PATTERN

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as a naive UTC timestamp (both backends read it back aware)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


metadata = Base.metadata


class Site(Base):
    """A library registered at the office; its stations sync with its token."""

    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: IANA zone; the row rule "date after tomorrow" is judged in it.
    timezone: Mapped[str] = mapped_column(String(64))
    #: sha256 hex of the site token (see kiosk.office.auth); unique, so a token names one site.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Station(Base):
    """A kiosk PC or whiteboard, created on its first sync."""

    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("site_id", "station"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    station: Mapped[str] = mapped_column(String(40))
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_sync_at: Mapped[datetime] = mapped_column(UtcDateTime)
    app_version: Mapped[str] = mapped_column(String(40))
    #: The kiosk's `sent_at` minus the server's time at its last sync, whole seconds.
    clock_skew_s: Mapped[int] = mapped_column(Integer)
    #: Conflicts in its last batch, and over all its batches.
    last_conflicts: Mapped[int] = mapped_column(Integer, default=0)
    conflicts_total: Mapped[int] = mapped_column(Integer, default=0)


ROLES = ("coordinator", "librarian")
COORDINATOR = "coordinator"
LIBRARIAN = "librarian"


class Account(Base):
    """A dashboard login at the project office, with its role (see `kiosk.office.accounts`).

    A *coordinator* sees and changes everything, accounts included; a *librarian* belongs to
    one library (`site_id`) and sees and changes only what is that library's. The database
    refuses a librarian without a library and a coordinator with one."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("role IN ('coordinator', 'librarian')", name="role"),
        CheckConstraint(
            "(role = 'coordinator' AND site_id IS NULL) "
            "OR (role = 'librarian' AND site_id IS NOT NULL)",
            name="site_by_role",
        ),
    )

    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: "scrypt$n$r$p$salt_hex$hash_hex" (see kiosk.office.auth).
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    #: The librarian's library; None for a coordinator.
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Batch(Base):
    """An accepted batch and the response it got, for replaying a resent `batch_id`."""

    __tablename__ = "batches"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(40))
    station: Mapped[str] = mapped_column(String(40))
    #: sha256 of the canonical JSON body (sorted keys, no spaces).
    body_sha256: Mapped[str] = mapped_column(String(64))
    response_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SessionTotal(Base):
    """Sessions, child visits and seconds of one local hour, kind and age band, and how
    many of the sessions were played with game controllers (with how many controllers)."""

    __tablename__ = "session_totals"
    __table_args__ = (
        UniqueConstraint(
            "site_id",
            "station",
            "db_instance_id",
            "date",
            "hour",
            "session_kind",
            "age_band",
            name="uq_session_totals_key",
        ),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
        CheckConstraint("session_kind IN ('solo', 'group')", name="session_kind"),
        CheckConstraint("age_band IN ('6-8', '9-11', '12-14', 'none')", name="age_band"),
        CheckConstraint(
            "sessions >= 0 AND child_visits >= 0 AND seconds >= 0 AND rev >= 0", name="counts"
        ),
        CheckConstraint(
            "sessions_with_controllers >= 0 AND sessions_with_controllers <= sessions "
            "AND controllers >= sessions_with_controllers",
            name="controllers",
        ),
        Index("ix_session_totals_date", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    station: Mapped[str] = mapped_column(String(40))
    db_instance_id: Mapped[str] = mapped_column(String(36))
    date: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)
    session_kind: Mapped[str] = mapped_column(String(8))
    age_band: Mapped[str] = mapped_column(String(8))
    sessions: Mapped[int] = mapped_column(Integer)
    child_visits: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    rev: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Protocol addition "controllers": sessions played with game controllers and the sum
    #: of their controllers; 0 from kiosks that do not send them (they had none).
    sessions_with_controllers: Mapped[int] = mapped_column(Integer, server_default="0")
    controllers: Mapped[int] = mapped_column(Integer, server_default="0")


class ActivityTotal(Base):
    """Runs, completed runs and seconds of one activity in one local hour and kind."""

    __tablename__ = "activity_totals"
    __table_args__ = (
        UniqueConstraint(
            "site_id",
            "station",
            "db_instance_id",
            "date",
            "hour",
            "activity",
            "session_kind",
            name="uq_activity_totals_key",
        ),
        CheckConstraint("hour BETWEEN 0 AND 23", name="hour"),
        CheckConstraint("session_kind IN ('solo', 'group')", name="session_kind"),
        CheckConstraint(
            "runs >= 0 AND completed_runs >= 0 AND completed_runs <= runs "
            "AND seconds >= 0 AND rev >= 0",
            name="counts",
        ),
        Index("ix_activity_totals_date", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    station: Mapped[str] = mapped_column(String(40))
    db_instance_id: Mapped[str] = mapped_column(String(36))
    date: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)
    activity: Mapped[str] = mapped_column(String(64))
    session_kind: Mapped[str] = mapped_column(String(8))
    runs: Mapped[int] = mapped_column(Integer)
    completed_runs: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    rev: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DashboardSession(Base):
    """A login (coordinator or librarian) in one browser (see `kiosk.office.sessions`).

    The browser's cookie holds a random id; only its sha256 is stored, so a copy of the
    database (a backup) holds nothing that opens the dashboard. Logging out, a new password
    and removing the account delete the rows, which ends those sessions at once."""

    __tablename__ = "dashboard_sessions"
    __table_args__ = (Index("ix_dashboard_sessions_login", "login"),)

    #: sha256 hex of the cookie's session id.
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(ForeignKey("accounts.login", ondelete="CASCADE"))
    #: The token every form of this session carries (compared on each POST).
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: created_at + the absolute lifetime; idle expiry is judged from last_seen_at.
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LoginThrottle(Base):
    """Failed dashboard logins of one login name or one client address, and until when
    further attempts are refused (see `kiosk.office.sessions`)."""

    __tablename__ = "login_throttle"

    #: "login" or "address".
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Setting(Base):
    """A named value kept by the office (nothing secret: see `DashboardSession`)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ----- content distribution and station settings (docs/protocol.md, "Content and settings")
#
# - `ContentFile`: a file of any pack version, stored once by its sha256 (content-addressed:
#  two versions that share a photo share its row).
# - `PackVersion`: one publish of one pack; versions of a pack count 1, 2, 3 … and are never
#  changed. `owner_site_id` is the library that owns the pack (None: the coordinators', for
#  any library; a librarian's packs are her library's, see `kiosk.office.accounts`),
#  `made_with` how it was made ("upload" or "editor") and `published_by` who published it.
# - `PackVersionFile`: a version's files by path.
# - `PackAssignment`: which version of a pack a site's stations run. Publishing assigns the
#  new version; rolling back assigns an older one again.
# - `StationSettings`: the settings of a site (``station = ''``: every station) or of one
#  station, as the flat JSON of `kiosk.fleet.settings.flatten`. '' rather than NULL keeps
#  "the whole library" one key under the unique constraint.
# - `StationContent`: what a station last said it runs, and which packs failed there.


class ContentFile(Base):
    __tablename__ = "content_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PackVersion(Base):
    __tablename__ = "pack_versions"
    __table_args__ = (UniqueConstraint("pack_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    owner_site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), nullable=True)
    made_with: Mapped[str] = mapped_column(String(16))
    #: The login that published it from the dashboard; None: from the command line.
    #: Not a foreign key: the history keeps the name after the account is removed.
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: sha256 of the sorted "path sha256" lines: equal for equal contents.
    content_sha256: Mapped[str] = mapped_column(String(64))
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PackVersionFile(Base):
    __tablename__ = "pack_version_files"
    __table_args__ = (UniqueConstraint("version_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("pack_versions.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(ForeignKey("content_files.sha256"))
    size: Mapped[int] = mapped_column(BigInteger)


class PackAssignment(Base):
    __tablename__ = "pack_assignments"
    __table_args__ = (UniqueConstraint("site_id", "pack_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    pack_id: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(ForeignKey("pack_versions.id"))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StationSettings(Base):
    __tablename__ = "station_settings"
    __table_args__ = (UniqueConstraint("site_id", "station"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    #: '' for the whole library.
    station: Mapped[str] = mapped_column(String(40))
    settings_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StationContent(Base):
    __tablename__ = "station_content"
    __table_args__ = (
        UniqueConstraint("site_id", "station"),
        Index("ix_station_content_site", "site_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    station: Mapped[str] = mapped_column(String(40))
    #: JSON {"pack": version, …} of the versions the station runs.
    running_json: Mapped[str] = mapped_column(Text)
    #: JSON [{"pack", "version", "problem"}, …] of versions that failed there.
    failed_json: Mapped[str] = mapped_column(Text)
    #: The manifest ETag the station last applied.
    manifest_etag: Mapped[str] = mapped_column(String(80))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
