"""Office initial schema: sites, stations, coordinators, batches, totals, settings.

Revision ID: office0001
Revises:
Create Date: 2026-11-26

Plain column types, spelled out, so this file never changes when the models do. Times are
naive UTC timestamps (kiosk.office.models.UtcDateTime).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "office0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _totals_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("db_instance_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sites_token_hash")),
    )
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("clock_skew_s", sa.Integer(), nullable=False),
        sa.Column("last_conflicts", sa.Integer(), nullable=False),
        sa.Column("conflicts_total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_stations_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("site_id", "station", name=op.f("uq_stations_site_id_station")),
    )
    op.create_table(
        "coordinators",
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_coordinators")),
    )
    op.create_table(
        "batches",
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("response_json", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_batches")),
    )
    op.create_table(
        "session_totals",
        *_totals_columns(),
        sa.Column("session_kind", sa.String(length=8), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("child_visits", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_session_totals_hour")),
        sa.CheckConstraint(
            "session_kind IN ('solo', 'group')", name=op.f("ck_session_totals_session_kind")
        ),
        sa.CheckConstraint(
            "age_band IN ('6-8', '9-11', '12-14', 'none')",
            name=op.f("ck_session_totals_age_band"),
        ),
        sa.CheckConstraint(
            "sessions >= 0 AND child_visits >= 0 AND seconds >= 0 AND rev >= 0",
            name=op.f("ck_session_totals_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_session_totals_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_totals")),
        sa.UniqueConstraint(
            "site_id",
            "station",
            "db_instance_id",
            "date",
            "hour",
            "session_kind",
            "age_band",
            name=op.f("uq_session_totals_key"),
        ),
    )
    op.create_index("ix_session_totals_date", "session_totals", ["date"])
    op.create_table(
        "activity_totals",
        *_totals_columns(),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("session_kind", sa.String(length=8), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("completed_runs", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_activity_totals_hour")),
        sa.CheckConstraint(
            "session_kind IN ('solo', 'group')", name=op.f("ck_activity_totals_session_kind")
        ),
        sa.CheckConstraint(
            "runs >= 0 AND completed_runs >= 0 AND completed_runs <= runs "
            "AND seconds >= 0 AND rev >= 0",
            name=op.f("ck_activity_totals_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_activity_totals_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_totals")),
        sa.UniqueConstraint(
            "site_id",
            "station",
            "db_instance_id",
            "date",
            "hour",
            "activity",
            "session_kind",
            name=op.f("uq_activity_totals_key"),
        ),
    )
    op.create_index("ix_activity_totals_date", "activity_totals", ["date"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )


def downgrade() -> None:
    for table in (
        "settings",
        "activity_totals",
        "session_totals",
        "batches",
        "coordinators",
        "stations",
        "sites",
    ):
        op.drop_table(table)
