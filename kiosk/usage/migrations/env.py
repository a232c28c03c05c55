"""Alembic environment for the usage database, run in code by `kiosk.usage.db.upgrade`.

The caller hands over an open connection in ``config.attributes["connection"]`` (so the
migration shares its transaction and pragmas); there is no alembic.ini and no URL. New
migrations: `kiosk.usage.db.autogenerate_revision`, then edit the file it writes (plain
column types, no imports from kiosk, a docstring saying why)."""

from __future__ import annotations

from alembic import context

from kiosk.usage.models import metadata


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "the usage migrations run through kiosk.usage.db.upgrade(), "
            "which passes the connection to migrate"
        )
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


_run()
