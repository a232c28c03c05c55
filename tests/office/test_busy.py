"""A busy database is "try again later" (503), never an unexpected error, and stores nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from kiosk.office import db as office_db
from kiosk.office.app import create_app
from kiosk.office.auth import create_site
from tests.office.conftest import SITE, _ServerThread, make_batch, post_batch, snapshot_tables


@pytest.fixture
def sqlite_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Engine]]:
    # A short busy timeout so the test does not wait the real 30 s.
    monkeypatch.setattr(office_db, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "office.db"
    app = create_app(f"sqlite:///{path}")
    server = _ServerThread(app)
    try:
        yield server.start(), app.state.engine
    finally:
        server.stop()
        app.state.engine.dispose()


def test_a_batch_that_cannot_get_the_write_lock_is_told_to_come_back(
    sqlite_office: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = sqlite_office
    token = create_site(engine, SITE, "Ludzas novada bibliotēka", "Europe/Riga")
    before = snapshot_tables(engine)
    holder = sqlite3.connect(tmp_path / "office.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with httpx.Client(base_url=url, timeout=30) as http:
            answer = post_batch(http, token, make_batch())
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert answer.status_code == 503
    assert answer.json()["error"] == "BUSY"
    assert int(answer.headers["retry-after"]) > 0
    assert snapshot_tables(engine) == before
    # Once the lock is gone, the same batch goes in.
    with httpx.Client(base_url=url, timeout=30) as http:
        again = post_batch(http, token, make_batch())
    assert again.status_code == 200, again.text
