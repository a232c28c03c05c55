"""The office's tables for content distribution and station settings (docs/protocol.md,
"Content and settings"), on the same declarative Base as `kiosk.office.models`.

- `ContentFile`: a file of any pack version, stored once by its sha256 (content-addressed:
  two versions that share a photo share its row).
- `PackVersion`: one publish of one pack; versions of a pack count 1, 2, 3 … and are never
  changed. `owner_site_id` is the library that owns it (None: the coordinator's, for any
  library) and `made_with` how it was made ("upload" from the CLI today; the web editor
  will add "editor"), so the editor can later make versions owned by a site.
- `PackVersionFile`: a version's files by path.
- `PackAssignment`: which version of a pack a site's stations run. Publishing assigns the
  new version; rolling back assigns an older one again.
- `StationSettings`: the settings of a site (``station = ''``: every station) or of one
  station, as the flat JSON of `kiosk.fleet.settings.flatten`. '' rather than NULL keeps
  "the whole library" one key under the unique constraint.
- `StationContent`: what a station last said it runs, and which packs failed there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.office.models import Base, UtcDateTime


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
