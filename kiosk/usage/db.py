"""The usage database file: where it is, how it is opened, migrated, and moved aside.

The kiosk reaches it through the standard library's `sqlite3` (`connect`, `transaction`):
SQLAlchemy alone held about 22 MB of the shell's memory for the whole day (Alembic about
10 MB more), and everything the kiosk does there is a few SQL statements. Both are loaded
only to migrate (`upgrade` on a new database or one behind `SCHEMA_HEAD`) and by the tools
that want them (tests, Alembic's autogenerate), never by `import kiosk.usage` or the
running kiosk.

Connections use WAL (readers such as `kiosk stats` never block the kiosk) with
``synchronous=FULL``: in WAL mode NORMAL survives a killed process but may lose the last
commits on a power cut, and library PCs are switched off at the wall. Write transactions
start with BEGIN IMMEDIATE so a second writer (e.g. `kiosk sync` updating `synced_rev`)
waits its turn through the busy timeout instead of failing half-way.

Migrations are Alembic's, run in code: no alembic.ini on disk; the script folder is
`kiosk/usage/migrations`. A database whose file SQLite reports as damaged (not a database,
malformed) is renamed ``usage.db.corrupt-<UTC time>`` with its -wal/-shm files, kept, and
a fresh database is started with a `problems` row for the librarian panel.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.usage.errors import DatabaseTooNewError, DataFolderError, UsageDatabaseError
from kiosk.usage.schema import KV_CREATED_AT, KV_DB_INSTANCE_ID, to_micros

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import Connection, Engine

#: The newest migration's revision. tests/usage/test_migrations.py holds it to Alembic's
#: script folder, so a new migration cannot forget it. It lets a start with an up-to-date
#: database skip loading Alembic at all (about 170 ms and 10 MB before the first frame).
SCHEMA_HEAD = "0002"

log = logging.getLogger(__name__)

DB_FILENAME = "usage.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
PROBLEM_MOVED_ASIDE = "database_moved_aside"
PROBLEM_OTHER_STATION = "database_of_other_station"
#: kv key: the "site/station" a database records usage for.
KV_IDENTITY = "identity"

# Primary SQLite result codes that mean "this file is damaged", not "try again".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


#: Called with the connection before every transaction starts (also the migrations').
#: Empty in the kiosk; tests append to it to make the disk look full or read-only.
TRANSACTION_HOOKS: list[Callable[[sqlite3.Connection], None]] = []


def connect(db_path: Path, *, foreign_keys: bool = True, writer: bool = True) -> sqlite3.Connection:
    """A connection to the file at `db_path` with the pragmas every connection needs.

    `writer` False makes a plain reader (no journal-mode change; `transaction` then takes a
    plain BEGIN). The driver never opens transactions by itself (``isolation_level=None``):
    `transaction` does. The connection may be handed between threads, never shared by two
    at once (each owner keeps its own, or a lock)."""
    connection = sqlite3.connect(
        db_path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if writer:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
        connection.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        connection.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        connection.close()
        raise
    return connection


def _begin(connection: sqlite3.Connection, write: bool) -> None:
    for hook in TRANSACTION_HOOKS:
        hook(connection)
    connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def transaction(connection: sqlite3.Connection, *, write: bool = True) -> Iterator[None]:
    """One transaction on `connection`: committed when the block ends, rolled back when it
    raises. `write` takes the write lock at once (BEGIN IMMEDIATE), so a second writer
    waits its turn through the busy timeout instead of failing half-way; a read-only
    block (`write` False) is one consistent snapshot."""
    _begin(connection, write)
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            try:
                connection.execute("ROLLBACK")
            except sqlite3.Error:
                log.debug("usage: rollback failed; the connection is closed by its owner")
        raise


def make_engine(db_path: Path, *, foreign_keys: bool = True, writer: bool = True) -> Engine:
    """A SQLAlchemy engine on `connect`'s connections, for Alembic and the tests (it loads
    SQLAlchemy: the kiosk itself never calls it unless it migrates)."""
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{db_path}",
        creator=lambda: connect(db_path, foreign_keys=foreign_keys, writer=writer),
    )

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        driver = connection.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        _begin(driver, writer)

    return engine


def ensure_data_folder(folder: Path) -> None:
    """Create the data folder if needed and prove it can be written; else DataFolderError."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFolderError(
            folder, f"cannot create it: {exc.strerror or exc}", exc.errno
        ) from None
    try:
        handle, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise DataFolderError(
            folder, f"cannot write in it: {exc.strerror or exc}", exc.errno
        ) from None
    db_file = database_path(folder)
    if db_file.exists() and not os.access(db_file, os.W_OK):
        raise DataFolderError(folder, f"{db_file.name} is read-only")


def sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind `exc`: itself, or the driver's error SQLAlchemy wrapped (a
    migration runs through SQLAlchemy); None for any other error."""
    if isinstance(exc, sqlite3.Error):
        return exc
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, sqlite3.Error) else None


def is_damage(exc: BaseException) -> bool:
    """Whether an error (SQLAlchemy-wrapped or not) says the database file is damaged."""
    error = sqlite_error(exc)
    code = getattr(error, "sqlite_errorcode", None)
    return (
        isinstance(error, sqlite3.DatabaseError)
        and code is not None
        and (code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB))
    )


def find_damage(db_path: Path) -> str | None:
    """What is wrong with the file at `db_path`, or None if it is fine (or absent)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return str(exc)
        raise UsageDatabaseError(db_path, str(exc)) from None
    if rows != [("ok",)]:
        return "; ".join(str(row[0]) for row in rows[:3])
    return None


def move_aside(db_path: Path, now: datetime, why: str = "corrupt") -> Path:
    """Rename a database (and its -wal/-shm files) out of the way; never delete."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.{why}-{stamp}")
    counter = 1
    while target.exists():
        target = db_path.with_name(f"{db_path.name}.{why}-{stamp}-{counter}")
        counter += 1
    os.replace(db_path, target)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    log.warning("usage database %s moved aside (%s) to %s", db_path, why, target)
    return target


def _alembic_config(connection: Connection) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    # Alembic's options go through configparser, where "%" starts an interpolation.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return SCHEMA_HEAD


def current_revision(connection: sqlite3.Connection) -> str | None:
    """The database's schema revision (Alembic's own table), or None for a new file."""
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return None if row is None else str(row[0])


def _instance_facts(now: datetime | None) -> list[tuple[str, str]]:
    created = str(to_micros(now or datetime.now(UTC)))
    return [(KV_DB_INSTANCE_ID, str(uuid.uuid4())), (KV_CREATED_AT, created)]


# The initial migration makes these; a hand-made database may lack them.
_ADD_FACT = "INSERT OR IGNORE INTO kv (key, value) VALUES (?, ?)"


def upgrade(db_path: Path, now: datetime | None = None) -> str:
    """Create or migrate the database at `db_path` to the newest schema; return its revision.

    A database already at `SCHEMA_HEAD` is only read (sqlite3); Alembic and SQLAlchemy are
    loaded only when there is something to migrate. Raises DatabaseTooNewError for a
    database from a newer Telpa; SQLite errors otherwise, possibly wrapped by SQLAlchemy
    (`sqlite_error` unwraps, `is_damage` tells a damaged file)."""
    connection = connect(db_path, foreign_keys=False)
    try:
        with transaction(connection):
            if current_revision(connection) == SCHEMA_HEAD:
                connection.executemany(_ADD_FACT, _instance_facts(now))
                return SCHEMA_HEAD
    finally:
        connection.close()
    _migrate(db_path, now)
    return SCHEMA_HEAD


def _migrate(db_path: Path, now: datetime | None) -> None:
    """Alembic's upgrade to head, in one write transaction (another process migrating at
    the same moment waits, then finds nothing left to do)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    engine = make_engine(db_path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            driver = connection.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            current = current_revision(driver)
            if current != SCHEMA_HEAD:
                scripts = ScriptDirectory(str(MIGRATIONS_DIR))
                known = {script.revision for script in scripts.walk_revisions()}
                if current is not None and current not in known:
                    raise DatabaseTooNewError(db_path, current)
                command.upgrade(_alembic_config(connection), "head")
            for key, value in _instance_facts(now):
                connection.exec_driver_sql(_ADD_FACT, (key, value))
    finally:
        engine.dispose()


def autogenerate_revision(message: str, scratch_dir: Path) -> None:
    """Developer tool: write a new migration for what the models changed since head.

    ``python -c "from pathlib import Path; from kiosk.usage.db import autogenerate_revision;
    autogenerate_revision('add x', Path('/tmp'))"`` — then read and tidy the new file."""
    db_path = scratch_dir / "autogenerate.db"
    db_path.unlink(missing_ok=True)
    from alembic import command

    upgrade(db_path)
    engine = make_engine(db_path, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.revision(_alembic_config(connection), message=message, autogenerate=True)
    finally:
        engine.dispose()
        db_path.unlink(missing_ok=True)


@dataclass(frozen=True)
class PreparedDatabase:
    path: Path
    revision: str
    #: Where a damaged database was moved, if it was.
    moved_aside: Path | None


def prepare_database(
    data_dir: Path, now: datetime, identity: str | None = None
) -> PreparedDatabase:
    """Make sure `data_dir/usage.db` exists, is healthy and at the newest schema.

    A damaged file is moved aside and a fresh database started (once: a second failure
    raises UsageDatabaseError rather than looping). With `identity` ("site/station"), a
    database that recorded another identity (say the demo site, tried out on this PC
    before it was set up as a library's station) is moved aside too, so its usage is never
    sent to the office as this station's."""
    ensure_data_folder(data_dir)
    db_path = database_path(data_dir)
    damage = find_damage(db_path)
    moved: Path | None = move_aside(db_path, now) if damage else None
    try:
        revision = upgrade(db_path, now)
    except Exception as exc:
        error = sqlite_error(exc)
        if error is None:
            raise
        if moved is not None or not is_damage(error):
            raise UsageDatabaseError(db_path, str(error)) from None
        damage = str(error)
        moved = move_aside(db_path, now)
        try:
            revision = upgrade(db_path, now)
        except Exception as again:
            error = sqlite_error(again)
            if error is None:
                raise
            raise UsageDatabaseError(db_path, str(error)) from None
    if identity is not None and moved is None:
        recorded = _identity(db_path, identity)
        if recorded != identity:
            moved = move_aside(db_path, now, "other-station")
            revision = upgrade(db_path, now)
            _identity(db_path, identity)
            record_problem(
                db_path,
                now,
                PROBLEM_OTHER_STATION,
                f"The usage database in {data_dir} belonged to {recorded}, not {identity}. "
                f"It was moved aside to {moved.name} and kept; a fresh database was started, "
                "so its usage is not counted for this station.",
            )
            return PreparedDatabase(db_path, revision, moved)
    if moved is not None:
        record_problem(
            db_path,
            now,
            PROBLEM_MOVED_ASIDE,
            f"The usage database was damaged ({damage}). It was moved aside to {moved.name} "
            f"in {moved.parent} and kept; a fresh database was started. Usage recorded before "
            "its last successful sync is in the old file: keep it for the project office.",
        )
    return PreparedDatabase(db_path, revision, moved)


def _identity(db_path: Path, identity: str) -> str:
    """The "site/station" this database records usage for; a database without one (new, or
    made before this was kept) takes `identity`."""
    connection = connect(db_path)
    try:
        with transaction(connection):
            row = connection.execute(
                "SELECT value FROM kv WHERE key = ?", (KV_IDENTITY,)
            ).fetchone()
            if row is not None:
                return str(row[0])
            connection.execute("INSERT INTO kv (key, value) VALUES (?, ?)", (KV_IDENTITY, identity))
            return identity
    finally:
        connection.close()


def record_problem(db_path: Path, now: datetime, code: str, message: str) -> None:
    connection = connect(db_path)
    try:
        with transaction(connection):
            connection.execute(
                "INSERT INTO problems (at, code, message) VALUES (?, ?, ?)",
                (to_micros(now), code, message),
            )
    finally:
        connection.close()
