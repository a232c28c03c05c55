"""The office migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from kiosk.office.db import (
    VERSION_TABLE,
    OfficeDatabaseError,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from kiosk.office.models import metadata

# Real migrations on empty databases, never the suite's migrated template (tests/conftest.py).
pytestmark = pytest.mark.fresh_databases


def test_upgrade_creates_every_table_at_head_and_is_idempotent(office_url: str) -> None:
    assert upgrade(office_url) == head_revision()
    assert upgrade(office_url) == head_revision()
    engine = make_engine(office_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert tables == set(metadata.tables) | {VERSION_TABLE}
        with engine.connect() as connection:
            assert current_revision(connection) == head_revision()
    finally:
        engine.dispose()


def test_offices_starting_at_once_migrate_in_turn(office_url: str) -> None:
    results: list[str | BaseException] = []

    def migrate() -> None:
        try:
            results.append(upgrade(office_url))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=migrate) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [head_revision()] * 3


def test_migrations_match_the_models(office_url: str) -> None:
    upgrade(office_url)
    engine = make_engine(office_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"version_table": VERSION_TABLE, "compare_type": True}
            )
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_a_database_from_a_newer_telpa_is_refused(office_url: str) -> None:
    upgrade(office_url)
    engine = make_engine(office_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'office9999'"))
    finally:
        engine.dispose()
    with pytest.raises(OfficeDatabaseError, match="newer version"):
        upgrade(office_url)


def test_unsupported_database_urls_are_refused() -> None:
    with pytest.raises(OfficeDatabaseError, match="unsupported database"):
        make_engine("mysql://localhost/telpa")
    with pytest.raises(OfficeDatabaseError, match="not a database URL"):
        make_engine("not a url at all")


def test_the_upgrade_deletes_the_old_cookie_signing_key(office_url: str) -> None:
    from alembic import command

    from kiosk.office.db import _alembic_config, write_transaction

    engine = make_engine(office_url)
    try:
        with write_transaction(engine) as connection:
            command.upgrade(_alembic_config(connection), "office0001")
            connection.execute(
                text("INSERT INTO settings (key, value) VALUES ('dashboard_cookie_secret', 'ab')")
            )
            connection.execute(text("INSERT INTO settings (key, value) VALUES ('other', 'x')"))
    finally:
        engine.dispose()
    upgrade(office_url)
    engine = make_engine(office_url)
    try:
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT key FROM settings")).scalars().all()
            assert keys == ["other"]
            tables = set(inspect(engine).get_table_names())
            assert {"dashboard_sessions", "login_throttle"} <= tables
    finally:
        engine.dispose()
