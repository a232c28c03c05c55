"""Initial schema: raw sessions and runs, hourly totals, kv, problems.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Times are BigInteger UTC microseconds (kiosk.usage.models.UtcTimestamp); migrations spell
out plain column types so they never change when the models do.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _micros_now() -> int:
    return (datetime.now(UTC) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("last_heartbeat_at", sa.BigInteger(), nullable=False),
        sa.Column("end_reason", sa.String(length=12), nullable=True),
        sa.CheckConstraint("kind IN ('solo', 'group')", name=op.f("ck_sessions_kind")),
        sa.CheckConstraint("headcount >= 1", name=op.f("ck_sessions_headcount")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_ended_at", "sessions", ["ended_at"])

    op.create_table(
        "activity_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("ended_at", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_activity_runs_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_runs")),
    )
    op.create_index("ix_activity_runs_ended_at", "activity_runs", ["ended_at"])
    op.create_index("ix_activity_runs_session_id", "activity_runs", ["session_id"])

    op.create_table(
        "session_totals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("session_kind", sa.String(length=8), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("child_visits", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("synced_rev", sa.Integer(), nullable=False),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_session_totals_hour")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_totals")),
        sa.UniqueConstraint(
            "date",
            "hour",
            "session_kind",
            "age_band",
            name=op.f("uq_session_totals_date_hour_session_kind_age_band"),
        ),
    )
    op.create_index("ix_session_totals_rev", "session_totals", ["rev"])

    op.create_table(
        "activity_totals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("activity", sa.String(length=64), nullable=False),
        sa.Column("session_kind", sa.String(length=8), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("completed_runs", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("synced_rev", sa.Integer(), nullable=False),
        sa.CheckConstraint("hour BETWEEN 0 AND 23", name=op.f("ck_activity_totals_hour")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_totals")),
        sa.UniqueConstraint(
            "date",
            "hour",
            "activity",
            "session_kind",
            name=op.f("uq_activity_totals_date_hour_activity_session_kind"),
        ),
    )
    op.create_index("ix_activity_totals_rev", "activity_totals", ["rev"])

    kv = op.create_table(
        "kv",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_kv")),
    )
    # Made once, when the database is created: a wiped or restored database gets a new id,
    # so the office never lets its rows overwrite the old instance's (DESIGN §4).
    op.bulk_insert(
        kv,
        [
            {"key": "db_instance_id", "value": str(uuid.uuid4())},
            {"key": "created_at", "value": str(_micros_now())},
        ],
    )

    op.create_table(
        "problems",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("dismissed_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problems")),
    )


def downgrade() -> None:
    op.drop_table("problems")
    op.drop_table("kv")
    op.drop_table("activity_totals")
    op.drop_table("session_totals")
    op.drop_table("activity_runs")
    op.drop_table("sessions")
