"""Game controllers: how many played in a session, and per hour in the session totals.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

- ``sessions.controllers``: nullable (NULL: no pad joined, and every session recorded
  before this revision), 0-4 by a CHECK. The table is rebuilt (batch mode) so the CHECK
  is a named table constraint, as the models declare it; rows and ids are copied as they are.
- ``session_totals.sessions_with_controllers`` and ``.controllers``: 0 for every existing
  row, which is true (no session before this revision had a controller), so no row changes
  its values and no rev moves: nothing is sent to the office again because of the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("controllers", sa.SmallInteger(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_sessions_controllers"), "controllers BETWEEN 0 AND 4"
        )
    with op.batch_alter_table("session_totals") as batch:
        batch.add_column(
            sa.Column("sessions_with_controllers", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("controllers", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("session_totals") as batch:
        batch.drop_column("controllers")
        batch.drop_column("sessions_with_controllers")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_constraint(op.f("ck_sessions_controllers"), type_="check")
        batch.drop_column("controllers")
