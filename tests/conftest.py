"""Shared fixtures: every test that needs a kiosk gets a fresh headless one."""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

# Never read or write this machine's own Telpa folders (/etc/telpa, ~/.config/telpa, a
# real station's data): every test run, and every `kiosk` process it starts, gets fresh
# user folders of its own.
_machine = Path(tempfile.mkdtemp(prefix="telpa-tests-machine-"))
atexit.register(shutil.rmtree, _machine, ignore_errors=True)
os.environ["KIOSK_SCOPE"] = "user"
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_machine / _name.lower())
for _name in ("KIOSK_CONFIG", "KIOSK_DATA_DIR", "KIOSK_OFFICE_DB"):
    os.environ.pop(_name, None)

from kiosk.config import Config, parse_config  # noqa: E402
from kiosk.harness import Harness  # noqa: E402
from kiosk.sessions import MemoryUsageSink, RunEnded, UsageEvent  # noqa: E402
from kiosk.usage import UsageStore  # noqa: E402


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
