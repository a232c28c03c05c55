"""The office database: where it is, how it is opened and migrated.

SQLite (the default, a file in the user data folder) or PostgreSQL
(``postgresql+psycopg://…``), through the same code and the same Alembic migrations
(`kiosk/office/migrations`, version table ``office_alembic_version``, run in code: no
alembic.ini on disk).

A new SQLite file is created 0600 (`private_database_file`). SQLite connections use WAL
(dashboard reads never block an ingest) and a long busy timeout.
The driver's own transaction handling is switched off and BEGIN is emitted here, so a
writer that asks for it (``write_transaction``) starts with BEGIN IMMEDIATE and takes the
write lock before reading: two batches then queue instead of failing half-way with
"database is locked". On PostgreSQL, `write_transaction` is a plain transaction; the ingest
takes its own per-station advisory lock.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from kiosk.errors import TelpaError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "office_alembic_version"
ENV_VAR = "KIOSK_OFFICE_DB"
BUSY_TIMEOUT_MS = 30_000
_IMMEDIATE = "telpa_immediate"


class OfficeDatabaseError(TelpaError):
    """The office database cannot be used (wrong URL, unreachable, from a newer Telpa)."""

    code = "office_database"


def default_url() -> str:
    """$KIOSK_OFFICE_DB, else an SQLite file ``office.db`` in the user data folder."""
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    folder = Path(user_data_dir("telpa-office", appauthor=False))
    return f"sqlite:///{folder / 'office.db'}"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for `url` with the settings every office connection needs.

    A relative or absolute SQLite file path gets its folder created."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises several kinds for bad URLs
        raise OfficeDatabaseError(f"not a database URL: {url!r} ({exc})") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            # One shared connection, or every pooled connection would see its own empty DB.
            engine = create_engine(
                parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            if not database.startswith("file:"):
                private_database_file(Path(database).expanduser())
            engine = create_engine(parsed)
        _sqlite_pragmas(engine)
        return engine
    if backend != "postgresql":
        raise OfficeDatabaseError(
            f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)}"
            ": use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
        )
    return create_engine(parsed, pool_pre_ping=True)


def private_database_file(path: Path) -> None:
    """Make the SQLite file (and its folder, when new) readable by its owner only.

    SQLite creates a new file as 0644 under the usual umask, and its -wal and -shm files
    with the database file's mode; the office database holds hashes of passwords, tokens
    and sessions, which are nobody else's business. A file that exists with wider
    permissions is narrowed to 0600 (when it is ours), with a warning."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "posix":
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    except OSError:
        return  # SQLite reports what is wrong with the path when it opens it
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        member = path.with_name(name)
        try:
            info = member.stat()
            if info.st_mode & 0o077 and info.st_uid == os.getuid():
                os.chmod(member, 0o600)
                log.warning("%s was readable by other users; it is now 0600", member)
        except OSError:
            continue


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection inside one transaction that commits on success and rolls back on error;
    on SQLite it holds the write lock from its first statement (BEGIN IMMEDIATE)."""
    with engine.connect() as connection:
        connection.execution_options(**{_IMMEDIATE: True})
        with connection.begin():
            yield connection


def _alembic_config(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    # Alembic's options go through configparser, where "%" starts an interpolation.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade_engine(engine: Engine) -> str:
    """Migrate the database behind `engine` to the newest schema; return the revision."""
    with write_transaction(engine) as connection:
        if not is_sqlite(connection):
            # Two offices starting at once on one PostgreSQL database migrate in turn.
            connection.execute(text("SELECT pg_advisory_xact_lock(7400070001)"))
        known = {
            script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()
        }
        current = current_revision(connection)
        if current is not None and current not in known:
            raise OfficeDatabaseError(
                f"the office database is at schema {current!r}, which this Telpa does not "
                "know: it was made by a newer version; upgrade Telpa"
            )
        command.upgrade(_alembic_config(connection), "head")
    return head_revision()


def upgrade(url: str) -> str:
    """Create or migrate the office database at `url`; return its schema revision."""
    engine = make_engine(url)
    try:
        return upgrade_engine(engine)
    finally:
        engine.dispose()


def open_upgraded(url: str) -> Engine:
    """An engine on `url` with the schema brought to the newest version (for commands)."""
    engine = make_engine(url)
    try:
        upgrade_engine(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def upgraded(url: str) -> Iterator[Engine]:
    """`open_upgraded` for one command: the engine is disposed of when the block ends."""
    engine = open_upgraded(url)
    try:
        yield engine
    finally:
        engine.dispose()
