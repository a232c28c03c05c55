"""Alembic environment for the office database, run in code by `kiosk.office.db.upgrade`.

The caller hands over an open connection in ``config.attributes["connection"]``; there is
no alembic.ini and no URL. The version table is ``office_alembic_version`` so the office
schema can share a PostgreSQL database with other tools without clashing. Batch mode keeps
the same migrations working on SQLite, which cannot ALTER most things in place."""

from __future__ import annotations

from alembic import context

from kiosk.office.models import metadata


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "the office migrations run through kiosk.office.db.upgrade(), "
            "which passes the connection to migrate"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        version_table="office_alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
