"""Server-side dashboard sessions and login throttling; the cookie-signing key goes.

Revision ID: office0002
Revises: office0001
Create Date: 2026-12-05

Sessions used to be HMAC-signed cookies whose key sat in the ``settings`` table, so anyone
with a backup could mint cookies, and a cookie could not be revoked. Now the cookie carries
a random id whose hash is a row of ``dashboard_sessions``; the key is deleted, which also
ends every session signed with it. Times are naive UTC timestamps, as in office0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "office0002"
down_revision: str | None = "office0001"
branch_labels: str | None = None
depends_on: str | None = None

SECRET_SETTING = "dashboard_cookie_secret"


def upgrade() -> None:
    op.create_table(
        "dashboard_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["login"],
            ["coordinators.login"],
            name=op.f("fk_dashboard_sessions_login_coordinators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_dashboard_sessions")),
    )
    op.create_index("ix_dashboard_sessions_login", "dashboard_sessions", ["login"])
    op.create_table(
        "login_throttle",
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_login_throttle")),
    )
    settings = sa.table("settings", sa.column("key", sa.String()))
    op.execute(settings.delete().where(settings.c.key == SECRET_SETTING))


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_index("ix_dashboard_sessions_login", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")
