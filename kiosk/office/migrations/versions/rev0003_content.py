"""Content distribution and station settings: pack versions, their files by sha256, which
version each site runs, settings per site and station, and what each station reports.

Revision ID: office0003
Revises: office0002
Create Date: 2026-12-06

See `kiosk.office.content_models`. Times are naive UTC timestamps, as in office0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "office0003"
down_revision: str | None = "office0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "content_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_content_files")),
    )
    op.create_table(
        "pack_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("owner_site_id", sa.String(length=40), nullable=True),
        sa.Column("made_with", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_site_id"], ["sites.id"], name=op.f("fk_pack_versions_owner_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_versions")),
        sa.UniqueConstraint("pack_id", "version", name=op.f("uq_pack_versions_pack_id_version")),
    )
    op.create_table(
        "pack_version_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["content_files.sha256"],
            name=op.f("fk_pack_version_files_sha256_content_files"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["pack_versions.id"],
            name=op.f("fk_pack_version_files_version_id_pack_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_version_files")),
        sa.UniqueConstraint(
            "version_id", "path", name=op.f("uq_pack_version_files_version_id_path")
        ),
    )
    op.create_table(
        "pack_assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_pack_assignments_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["pack_versions.id"],
            name=op.f("fk_pack_assignments_version_id_pack_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_assignments")),
        sa.UniqueConstraint("site_id", "pack_id", name=op.f("uq_pack_assignments_site_id_pack_id")),
    )
    op.create_table(
        "station_settings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_station_settings_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_settings")),
        sa.UniqueConstraint("site_id", "station", name=op.f("uq_station_settings_site_id_station")),
    )
    op.create_table(
        "station_content",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("running_json", sa.Text(), nullable=False),
        sa.Column("failed_json", sa.Text(), nullable=False),
        sa.Column("manifest_etag", sa.String(length=80), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_station_content_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_content")),
        sa.UniqueConstraint("site_id", "station", name=op.f("uq_station_content_site_id_station")),
    )
    op.create_index("ix_station_content_site", "station_content", ["site_id"])


def downgrade() -> None:
    op.drop_index("ix_station_content_site", table_name="station_content")
    op.drop_table("station_content")
    op.drop_table("station_settings")
    op.drop_table("pack_assignments")
    op.drop_table("pack_version_files")
    op.drop_table("pack_versions")
    op.drop_table("content_files")
