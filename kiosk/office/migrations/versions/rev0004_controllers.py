"""Game controllers in the session totals (sync protocol v1, addition "controllers").

Revision ID: office0004
Revises: office0003
Create Date: 2026-12-06

``session_totals.sessions_with_controllers`` and ``.controllers``: 0 for every stored row,
which is what those kiosks counted (a kiosk from before the addition has no controllers),
with a CHECK that they fit the row: no more sessions with controllers than sessions, and
at least one controller for each of them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "office0004"
down_revision: str | None = "office0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("session_totals") as batch:
        batch.add_column(
            sa.Column("sessions_with_controllers", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("controllers", sa.Integer(), nullable=False, server_default="0"))
        batch.create_check_constraint(
            op.f("ck_session_totals_controllers"),
            "sessions_with_controllers >= 0 AND sessions_with_controllers <= sessions "
            "AND controllers >= sessions_with_controllers",
        )


def downgrade() -> None:
    with op.batch_alter_table("session_totals") as batch:
        batch.drop_constraint(op.f("ck_session_totals_controllers"), type_="check")
        batch.drop_column("controllers")
        batch.drop_column("sessions_with_controllers")
