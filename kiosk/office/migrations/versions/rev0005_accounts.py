"""Accounts with a role: coordinators become accounts, librarians join them; who published.

Revision ID: office0005
Revises: office0004
Create Date: 2026-12-06

``coordinators`` becomes ``accounts`` with a ``role`` (coordinator | librarian) and, for a
librarian, the ``site_id`` of her library; every existing login becomes a coordinator with
its password kept. The table is made anew and the rows copied (rather than renamed and
altered) so that SQLite and PostgreSQL take the same steps and the check constraints
exist on both. ``dashboard_sessions`` referred to the old table, so it is made anew too:
the upgrade logs everyone out once. ``pack_versions.published_by`` records the login that
published each version (NULL for versions from the command line and for older ones).
Times are naive UTC timestamps, as in office0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "office0005"
down_revision: str | None = "office0004"
branch_labels: str | None = None
depends_on: str | None = None


def _sessions_table(parent: str) -> None:
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
            [f"{parent}.login"],
            name=op.f(f"fk_dashboard_sessions_login_{parent}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_dashboard_sessions")),
    )
    op.create_index("ix_dashboard_sessions_login", "dashboard_sessions", ["login"])


def _drop_sessions() -> None:
    op.drop_index("ix_dashboard_sessions_login", table_name="dashboard_sessions")
    op.drop_table("dashboard_sessions")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("site_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('coordinator', 'librarian')", name=op.f("ck_accounts_role")),
        sa.CheckConstraint(
            "(role = 'coordinator' AND site_id IS NULL) "
            "OR (role = 'librarian' AND site_id IS NOT NULL)",
            name=op.f("ck_accounts_site_by_role"),
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_accounts_site_id_sites")),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_accounts")),
    )
    op.execute(
        "INSERT INTO accounts (login, password_hash, role, site_id, created_at) "
        "SELECT login, password_hash, 'coordinator', NULL, created_at FROM coordinators"
    )
    _drop_sessions()
    _sessions_table("accounts")
    op.drop_table("coordinators")
    op.add_column("pack_versions", sa.Column("published_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pack_versions") as batch:
        batch.drop_column("published_by")
    op.create_table(
        "coordinators",
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_coordinators")),
    )
    # Librarians have no place in the older schema: only coordinators go back.
    op.execute(
        "INSERT INTO coordinators (login, password_hash, created_at) "
        "SELECT login, password_hash, created_at FROM accounts WHERE role = 'coordinator'"
    )
    _drop_sessions()
    _sessions_table("coordinators")
    op.drop_table("accounts")
