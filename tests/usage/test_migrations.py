"""Migrations: run in code on a temporary file, and agree with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from usage_helpers import query

from kiosk.usage import DatabaseTooNewError, upgrade
from kiosk.usage.db import _alembic_config, head_revision, make_engine
from kiosk.usage.models import metadata

# Real migrations on empty databases, never the suite's migrated template (tests/conftest.py).
pytestmark = pytest.mark.fresh_databases

TABLES = {"sessions", "activity_runs", "session_totals", "activity_totals", "kv", "problems"}


def _tables(db_path: Path) -> set[str]:
    rows = query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows} - {"alembic_version"}


def test_upgrade_creates_every_table_in_a_new_file(tmp_path: Path) -> None:
    db_path = tmp_path / "usage.db"
    assert upgrade(db_path) == head_revision()
    assert _tables(db_path) == TABLES
    assert query(db_path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    db_path = tmp_path / "usage.db"
    upgrade(db_path)
    engine = make_engine(db_path)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_twice_changes_nothing_and_keeps_the_instance_id(tmp_path: Path) -> None:
    db_path = tmp_path / "usage.db"
    upgrade(db_path)
    before = query(db_path, "SELECT key, value FROM kv ORDER BY key")
    upgrade(db_path)
    assert query(db_path, "SELECT key, value FROM kv ORDER BY key") == before


def test_each_new_database_gets_its_own_instance_id(tmp_path: Path) -> None:
    ids = []
    for name in ("one.db", "two.db"):
        upgrade(tmp_path / name)
        ids += query(tmp_path / name, "SELECT value FROM kv WHERE key = 'db_instance_id'")
    assert len(ids) == 2 and ids[0] != ids[1]
    assert all(len(value) == 36 for (value,) in ids)


def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    db_path = tmp_path / "usage.db"
    upgrade(db_path)
    engine = make_engine(db_path, foreign_keys=False)
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "base")
    engine.dispose()
    assert _tables(db_path) == set()
    upgrade(db_path)
    assert _tables(db_path) == TABLES


def test_database_from_a_newer_version_is_refused_with_advice(tmp_path: Path) -> None:
    db_path = tmp_path / "usage.db"
    upgrade(db_path)
    engine = make_engine(db_path)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(DatabaseTooNewError, match="newer version of Telpa") as caught:
        upgrade(db_path)
    assert str(db_path) in str(caught.value)


def test_database_is_in_wal_mode(tmp_path: Path) -> None:
    db_path = tmp_path / "usage.db"
    upgrade(db_path)
    assert query(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_schema_head_constant_is_alembics_newest_revision() -> None:
    from alembic.script import ScriptDirectory

    from kiosk.usage.db import MIGRATIONS_DIR, SCHEMA_HEAD

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic costs ~170 ms and ~10 MB before the kiosk's first frame, SQLAlchemy ~20 MB
    for the whole day: a station whose database is already at the newest schema never
    loads either."""
    import subprocess
    import sys

    upgrade(tmp_path / "usage.db")
    script = (
        "import sys; from pathlib import Path; from kiosk.usage import upgrade; "
        f"upgrade(Path({str(tmp_path / 'usage.db')!r})); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'sqlalchemy')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
