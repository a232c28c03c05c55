"""Shared fixtures: every test that needs a kiosk gets a fresh headless one.

The suite runs in pytest-xdist workers (``-n auto`` in pyproject.toml): each worker is a
process of its own, so everything made here per process — the machine's Telpa folders, the
environment, the migrated template databases — is per worker. Ports are always the
system's free ones (bind to port 0) and PostgreSQL databases carry a random name.

Databases start from a template migrated once per worker instead of a fresh Alembic run
for every test (see `_usage_database_from_template` and tests/office/conftest.py); a test
marked ``fresh_databases`` (the migration tests, the full-disk ones) gets real migrations.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

# Bytecode caches (the git-ignored __pycache__ folders) even where the environment says
# PYTHONDONTWRITEBYTECODE: otherwise each xdist worker, started after this, rewrites and
# compiles pytest's plugins (hypothesis, anyio, ...) and every test module again (about
# 4 s of CPU each), and so does every `kiosk` process a test starts with Telpa's sources.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    sys.dont_write_bytecode = False

# Never read or write this machine's own Telpa folders (/etc/telpa, ~/.config/telpa, a
# real station's data): every test run, and every `kiosk` process it starts, gets fresh
# user folders of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_machine = Path(tempfile.mkdtemp(prefix=f"telpa-tests-machine-{WORKER}-"))
atexit.register(shutil.rmtree, _machine, ignore_errors=True)
os.environ["KIOSK_SCOPE"] = "user"
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_machine / _name.lower())
for _name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_OFFICE_DB"):
    os.environ.pop(_name, None)

# pygame's import banner would land after pytest's summary line (in xdist's controller);
# the processes the tests start see the environment as it was.
_prompt = os.environ.get("PYGAME_HIDE_SUPPORT_PROMPT")
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
import pygame  # noqa: E402, F401

if _prompt is None:
    del os.environ["PYGAME_HIDE_SUPPORT_PROMPT"]
else:
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = _prompt


def _one_default_tls_context() -> None:
    """Every `httpx.Client` loads a bundle of some 150 certificates (certifi's, or
    $SSL_CERT_FILE's) into a new TLS context, 16 ms of CPU, also for plain http:// on
    loopback, and the suite makes a few thousand clients (each office test's, each kiosk
    sync, each login). In this process the default context (verify=True, no client
    certificate) is made once per $SSL_CERT_FILE and $SSL_CERT_DIR and shared, as one
    client shares it between its connections; other settings get a context of their own."""
    from httpx._transports import default

    make = default.create_ssl_context
    made: dict[tuple[str | None, ...], Any] = {}

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None:
            return make(verify=verify, cert=cert, trust_env=trust_env)
        key = (
            os.environ.get("SSL_CERT_FILE") if trust_env else None,
            os.environ.get("SSL_CERT_DIR") if trust_env else None,
        )
        if key not in made:
            made[key] = make(verify=verify, cert=cert, trust_env=trust_env)
        return made[key]

    default.create_ssl_context = create_ssl_context


_one_default_tls_context()

from kiosk.config import Config, parse_config  # noqa: E402
from kiosk.harness import Harness  # noqa: E402
from kiosk.sessions import MemoryUsageSink, RunEnded, UsageEvent  # noqa: E402
from kiosk.usage import UsageStore  # noqa: E402
from kiosk.usage import db as usage_db  # noqa: E402
from kiosk.usage.models import KV_CREATED_AT, KV_DB_INSTANCE_ID, to_micros  # noqa: E402


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``) each test goes to whichever worker is
    free, except that a module's tests that share a module-scoped fixture (a built wheel, a
    bundle, a station set up once) stay together on one worker, which builds it once.
    xdist hands out such groups first, the largest first."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or item.get_closest_marker("xdist_group") is not None:
            continue
        shared = any(
            definitions[-1].scope == "module"
            for definitions in info.name2fixturedefs.values()
            if definitions
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    if getattr(config.option, "loadgroup", False):  # an xdist worker, --dist loadgroup
        for item in items:
            _name_the_group_in_the_id(item)


def _name_the_group_in_the_id(item: pytest.Item) -> None:
    """What pytest-xdist 3.8 does to an ``xdist_group`` test's id on each worker (``id@group``:
    the controller sends the tests of one group to one worker), done here because it no
    longer works with pytest 9.2: xdist sets ``item._nodeid``, pytest 9 reads ``item._id``.
    Without it every module-scoped fixture was built again on each worker that ran one of
    the module's tests."""
    groups = sorted(
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    )
    if not groups or "@" in item.nodeid:  # none, or xdist named it already
        return
    nodeid = f"{item.nodeid}@{'_'.join(groups)}"
    if hasattr(item, "_id"):  # pytest 9
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(nodeid)
    else:
        item._nodeid = nodeid


#: Each test starts with what is alive frozen (`_earlier_objects_frozen`); every this many
#: tests, or once the worker has grown by this much, a full collection first.
FULL_COLLECTION_EVERY = 25
FULL_COLLECTION_GROWTH = 256 << 20


class _Collections:
    tests = 0
    resident_after = 0  # bytes the worker held after the last full collection


def _resident_bytes() -> int:
    """The worker's resident memory (Linux), or 0 where /proc is not there."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@pytest.fixture(autouse=True)
def _earlier_objects_frozen() -> None:
    """The shell runs a full garbage collection at start-up and at every scene change
    (cheap in a kiosk: start-up's objects are frozen, `App._freeze_start_up`), and its
    shutdown unfreezes them again. In a test worker each of those collections would also
    walk pytest, every imported module and what earlier tests left: some 140,000 objects,
    60–100 ms a time, a fifth of the kiosk tests' CPU. So each test starts with what is
    alive frozen (`gc.freeze` costs nothing), and earlier tests' garbage, frozen with it,
    is collected in one full collection every `FULL_COLLECTION_EVERY` tests, or sooner
    once the worker has grown by `FULL_COLLECTION_GROWTH`."""
    grown = _resident_bytes() - _Collections.resident_after
    if _Collections.tests >= FULL_COLLECTION_EVERY or grown > FULL_COLLECTION_GROWTH:
        gc.unfreeze()
        gc.collect()
        _Collections.tests = 0
        _Collections.resident_after = _resident_bytes()
    _Collections.tests += 1
    gc.freeze()


def uses_template(request: pytest.FixtureRequest) -> bool:
    """Whether this test's new databases may be copies of the migrated template: not for
    the migration tests, nor where a full disk must stop a database being created."""
    return (
        request.node.get_closest_marker("fresh_databases") is None
        and "full_disk" not in request.fixturenames
    )


@pytest.fixture(scope="session")
def usage_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A usage database migrated once for this worker, without the two kv rows that make
    each database its own (`_usage_database_from_template` adds them per copy)."""
    path = tmp_path_factory.mktemp("usage-template") / usage_db.DB_FILENAME
    usage_db.upgrade(path)
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM kv WHERE key IN (?, ?)", (KV_DB_INSTANCE_ID, KV_CREATED_AT))
    connection.close()  # the last connection to close folds the WAL into the file
    return path


def postgres_url(admin_url: str, database: str) -> str:
    """$TELPA_TEST_POSTGRES_URL with another database name."""
    from sqlalchemy.engine import make_url

    return make_url(admin_url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def office_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite office database migrated once for this worker (tests/office/conftest.py's
    `office_url` copies it; here, so that the sync tests share it)."""
    from kiosk.office.db import upgrade

    path = tmp_path_factory.mktemp("office-template") / "office.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def office_postgres_template() -> Iterator[str]:
    """The name of a PostgreSQL office database migrated once for this worker, in the server
    named by $TELPA_TEST_POSTGRES_URL, dropped at the worker's end. Nothing stays connected
    to it, so ``CREATE DATABASE … TEMPLATE`` may copy it."""
    from sqlalchemy import create_engine

    from kiosk.office.db import upgrade

    admin_url = os.environ["TELPA_TEST_POSTGRES_URL"].strip()
    name = f"telpa_test_template_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            upgrade(postgres_url(admin_url, name))
            yield name
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


class PostgresOffices:
    """This worker's PostgreSQL office databases at the newest schema, handed to one test
    at a time and emptied for the next instead of created and dropped per test.

    ``CREATE DATABASE … TEMPLATE`` and ``DROP DATABASE`` each write and fsync a whole
    database (about 8 MB with PostgreSQL's catalogs): some 0.8 s per test of the server's
    time and the worker's. A database given back is emptied instead: whoever is still
    connected is disconnected, and it is handed out again only if it still has the
    template's tables and Alembic revision, with every other table's rows deleted and its
    sequences restarted (ids start again at 1): what a copy of the template holds. Anything
    else (a test that changed the schema) is dropped. Created databases commit without
    waiting for their WAL to reach the disk (``synchronous_commit = off``): the server keeps
    the same transactions in the same order and loses nothing unless the server itself
    crashes, which no test does."""

    def __init__(self, admin_url: str, template: str) -> None:
        from sqlalchemy import create_engine

        self.admin_url = admin_url
        self.template = template
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.free: list[str] = []
        self.made: list[str] = []
        engine = self._engine(template)
        try:
            with engine.connect() as connection:
                self.schema = self._schema(connection)
        finally:
            engine.dispose()

    @staticmethod
    def _schema(connection: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The public tables and the Alembic revision of the database `connection` is on."""
        from kiosk.office.db import VERSION_TABLE

        tables = connection.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        revision = connection.exec_driver_sql(f"SELECT * FROM {VERSION_TABLE}")
        return sorted(row[0] for row in tables), sorted(tuple(row) for row in revision)

    def _engine(self, name: str) -> Any:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        return create_engine(postgres_url(self.admin_url, name), poolclass=NullPool)

    def take(self) -> str:
        if self.free:
            return self.free.pop()
        name = f"telpa_test_{uuid.uuid4().hex[:16]}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        self.made.append(name)
        return name

    def give_back(self, name: str) -> None:
        """Empty `name` for the next test, or drop it if it is no longer the template's."""
        from kiosk.office.db import VERSION_TABLE

        with self.admin.connect() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        engine = self._engine(name)
        try:
            with engine.begin() as connection:
                same = self._schema(connection) == self.schema
                if same:
                    # Without foreign-key checks (they fire as triggers), in any order:
                    # a few rows each, where TRUNCATE would make every table's files anew.
                    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
                    for table in self.schema[0]:
                        if table != VERSION_TABLE:
                            connection.exec_driver_sql(f'DELETE FROM "{table}"')
                    sequences = connection.exec_driver_sql(
                        "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
                    ).all()
                    for (sequence,) in sequences:
                        connection.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
        except Exception:  # whatever went wrong, the database is not used again
            same = False
        finally:
            engine.dispose()
        if same:
            self.free.append(name)
        else:
            self.drop(name)

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def office_postgres_databases(office_postgres_template: str) -> Iterator[PostgresOffices]:
    """This worker's `PostgresOffices`, all dropped at the worker's end (before the
    template they copy)."""
    pool = PostgresOffices(os.environ["TELPA_TEST_POSTGRES_URL"].strip(), office_postgres_template)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(autouse=True)
def _usage_database_from_template(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A usage database that does not exist yet starts as a copy of `usage_template` with
    a new instance id and creation time — what the first migration writes — and the real
    `upgrade` then finds it at the newest schema (about 65 ms less per store)."""
    if not uses_template(request):
        return
    template = request.getfixturevalue("usage_template")
    real_upgrade = usage_db.upgrade

    def upgrade(db_path: Path, now: datetime | None = None) -> str:
        if not db_path.exists() and db_path.parent.is_dir():
            try:
                shutil.copyfile(template, db_path)
                with sqlite3.connect(db_path) as connection:
                    connection.executemany(
                        "INSERT INTO kv (key, value) VALUES (?, ?)",
                        [
                            (KV_DB_INSTANCE_ID, str(uuid.uuid4())),
                            (KV_CREATED_AT, str(to_micros(datetime.now(UTC)))),
                        ],
                    )
                connection.close()
            except OSError:
                db_path.unlink(missing_ok=True)  # the real migration meets it and says so
        return real_upgrade(db_path, now)

    monkeypatch.setattr(usage_db, "upgrade", upgrade)


def make_config(text: str = "") -> Config:
    return parse_config(text or "{}")


class RecordedSink(MemoryUsageSink):
    """Keeps events for assertions and also records them in a real usage store."""

    def __init__(self, store: UsageStore) -> None:
        super().__init__()
        self.store = store

    def record(self, event: UsageEvent) -> None:
        super().record(event)
        self.store.record(event)

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def kiosk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    """A headless kiosk at 1366×768 on the default config; parametrise with
    `@pytest.mark.parametrize("kiosk", [{...Harness kwargs}], indirect=True)`.

    Its usage also goes to a real store; at the end every ended run the shell reported must
    be in the database with the same outcome, level and score."""
    options = dict(getattr(request, "param", {}) or {})
    data = tmp_path / "usage-data"
    sink = RecordedSink(UsageStore.open(data, options.get("config") or make_config()))
    harness = Harness(sink=sink, **options)
    try:
        yield harness
    finally:
        harness.close()
    reported = {
        (e.run_id, e.outcome, e.level, e.score)
        for e in sink.of_type(RunEnded)  # type: ignore[union-attr]
    }
    with sqlite3.connect(data / "usage.db") as db:
        stored = set(
            db.execute(
                "SELECT id, outcome, level, score FROM activity_runs WHERE ended_at IS NOT NULL"
            )
        )
    assert stored == reported


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core. Much of the suite waits on real processes (kiosks,
    offices, Chromium, ffmpeg) rather than computing, so two workers on two cores left a
    core idle half the time: the default run took 6 min 41 s with 2 workers and 5 min 50 s
    with 4 on this project's two-core machine (1,759 tests)."""
    return 2 * (os.cpu_count() or 1)
