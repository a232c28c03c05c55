"""The kiosk's steady state loads neither SQLAlchemy nor Alembic (issue #14: about 30 MB of
the shell's memory for the whole day). The shell's own process plays a visit, shows the
librarian panel's figures and syncs with a real office on loopback — the office runs in
this test's process, so the kiosk's child process holds only what the kiosk itself loads.
Alembic (and with it SQLAlchemy) is loaded only to migrate a database that is behind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sync_helpers import SITE, ZONE, OfficeServer, kiosk_totals, pending

from kiosk.librarian.pin import set_pin
from kiosk.paths import APP_ROOT
from kiosk.usage import upgrade

PIN = "2468"

# The kiosk's process: the real shell (headless harness) on the data folder, with the
# real usage store and the real background sync service.
_SHELL = """
import json, sys
from pathlib import Path

import pygame

from kiosk import routes
from kiosk.config import parse_config
from kiosk.harness import Harness
from kiosk.usage import UsageStore

folder = Path(sys.argv[1])
config_path = folder / "config.yaml"
config = parse_config(config_path.read_text(encoding="utf-8"), str(config_path))
store = UsageStore.open(folder / "data", config)
report = {}
with Harness(config, sink=store, data_folder=folder / "data", lang="en") as kiosk:
    kiosk.tap_button("start")
    kiosk.tap_button("age:skip")
    kiosk.tap_button("tile:memory")
    kiosk.step(30)
    kiosk.tap_button("home")
    kiosk.tap_button("bye")
    assert store.flush(timeout=30)
    kiosk.key(pygame.K_l, mod=pygame.KMOD_LCTRL | pygame.KMOD_LALT)
    for digit in sys.argv[2]:
        kiosk.tap_button(f"pin:{digit}")
    kiosk.tap_button("pin:ok")
    panel = kiosk.app.scene(routes.Panel)
    report["week"] = panel.week_lines()
    sync = kiosk.app.sync
    kiosk.tap_button("panel:sync-now")
    report["synced"] = sync.wait_for_attempt(1, 60)
    report["sync_error"] = sync.status().last_error
    report["rows_waiting"] = sync.status().rows_waiting
store.close()
report["loaded"] = sorted(
    {name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "alembic"}
)
print(json.dumps(report))
"""

# A process that opens the store on a database behind the newest schema.
_OPEN_STORE = """
import json, sys
from pathlib import Path

from kiosk.config import parse_config
from kiosk.usage import UsageStore

folder = Path(sys.argv[1])
config = parse_config("station: {id: test-pc-1}", str(folder / "config.yaml"))
store = UsageStore.open(folder / "data", config)
store.close()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "alembic"})))
"""


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=APP_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_day_of_the_shell_with_a_visit_the_panel_and_a_sync_loads_no_sqlalchemy(
    tmp_path: Path, office: OfficeServer, site_token: str
) -> None:
    folder = tmp_path / "station"
    (folder / "data").mkdir(parents=True)
    (folder / "site-token.txt").write_text(site_token + "\n", encoding="utf-8")
    (folder / "config.yaml").write_text(
        f"site: {{id: {SITE}, timezone: {ZONE}}}\nstation: {{id: ludza-pc-1}}\n"
        f"sync: {{office_url: '{office.url}', token_file: site-token.txt}}\n",
        encoding="utf-8",
    )
    set_pin(folder / "secrets.json", PIN)
    db_path = folder / "data" / "usage.db"
    upgrade(db_path)  # a station that has run before: its database is at the newest schema

    report = json.loads(_run(_SHELL, str(folder), PIN))

    assert report["loaded"] == []
    assert report["week"] == [
        "Today: 1 session · 1 child visit",
        "This week: 1 session · 1 child visit",
    ]
    assert report["synced"] is True and report["sync_error"] == ""
    assert report["rows_waiting"] == 0 and pending(db_path) == 0
    sessions, activities = kiosk_totals(db_path, "ludza-pc-1")
    assert sum(values[0] for values in sessions.values()) == 1
    assert sum(values[0] for values in activities.values()) == 1  # the memory game's run
    assert office.totals(site_token) == (sessions, activities)


def test_a_database_behind_the_newest_schema_is_still_migrated_when_the_store_opens(
    tmp_path: Path,
) -> None:
    from alembic import command

    from kiosk.usage.db import _alembic_config, head_revision, make_engine

    db_path = tmp_path / "data" / "usage.db"
    db_path.parent.mkdir(parents=True)
    engine = make_engine(db_path, foreign_keys=False)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
    engine.dispose()

    loaded = json.loads(_run(_OPEN_STORE, str(tmp_path)))

    assert loaded == ["alembic", "sqlalchemy"]  # loaded to migrate, as they must be
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        columns = {row[1] for row in connection.execute("PRAGMA table_info(sessions)")}
    connection.close()
    assert revision == [(head_revision(),)]
    assert "controllers" in columns  # what 0002 adds
