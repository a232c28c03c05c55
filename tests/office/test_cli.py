"""`kiosk office …` end to end on both backends: the CLI's `main(argv)` in the test's process
(tests/in_process.py), and real processes where the entry point is the point — the
installed `kiosk` console script adding a site and reading a password from a pipe, and
`python -m kiosk office serve`."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from kiosk.office.auth import check_account, site_for_token, token_hash
from kiosk.office.db import make_engine
from kiosk.paths import APP_ROOT
from tests.in_process import console_script, run_kiosk
from tests.office.conftest import (
    SITE,
    STATION,
    activity_row,
    make_batch,
    post_batch,
    session_row,
    snapshot_tables,
)

TOKEN_LINE = re.compile(r"^ {4}([A-Za-z0-9_-]{43})$", re.MULTILINE)


def office(
    url: str | None,
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`kiosk office [--db URL] ARGS`: through `main(argv)` in this process, or with
    `process` the installed console script in a process of its own."""
    command = ["office"]
    if url is not None:
        command += ["--db", url]
    if not process:
        return run_kiosk([*command, *args], stdin=stdin, env=env, cwd=APP_ROOT)
    return subprocess.run(
        [str(console_script()), *command, *args],
        cwd=APP_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def add_site(url: str, site: str = SITE, *extra: str) -> str:
    result = office(url, "add-site", site, "--name", "Ludzas novada bibliotēka", *extra)
    assert result.returncode == 0, result.stderr
    (token,) = TOKEN_LINE.findall(result.stdout)
    return token


def test_add_site_prints_the_token_once_and_stores_only_its_hash(office_url: str) -> None:
    result = office(
        office_url, "add-site", SITE, "--name", "Ludza", "--timezone", "Europe/Riga", process=True
    )
    assert result.returncode == 0, result.stderr
    (token,) = TOKEN_LINE.findall(result.stdout)
    assert result.stdout.count(token) == 1
    assert "sync.token_file" in result.stdout
    engine = make_engine(office_url)
    try:
        contents = repr(snapshot_tables(engine))
        assert token not in contents
        assert token_hash(token) in contents
        assert site_for_token(engine, token) == SITE
        assert site_for_token(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    finally:
        engine.dispose()

    again = office(office_url, "add-site", SITE, "--name", "Ludza", process=True)
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert not TOKEN_LINE.search(again.stdout)


def test_new_token_replaces_the_old_one(office_url: str) -> None:
    old = add_site(office_url)
    new = add_site(office_url, SITE, "--new-token")
    assert new != old
    engine = make_engine(office_url)
    try:
        assert site_for_token(engine, old) is None
        assert site_for_token(engine, new) == SITE
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["add-site", "Ludza Library", "--name", "x"], "site id"),
        (["add-site", "ludza", "--name", "x", "--timezone", "Riga"], "time zone"),
        (["add-site", "ludza", "--name", "  "], "--name"),
    ],
)
def test_add_site_refuses_bad_input_with_exit_2(
    office_url: str, args: list[str], complaint: str
) -> None:
    result = office(office_url, *args)
    assert result.returncode == 2
    assert complaint in result.stderr


def test_add_coordinator_reads_the_password_from_stdin_and_stores_a_salted_hash(
    office_url: str,
) -> None:
    short = office(office_url, "add-coordinator", "anna", stdin="too-short\n", process=True)
    assert short.returncode == 2
    assert "at least 10" in short.stderr
    password = "correct horse battery"
    result = office(office_url, "add-coordinator", "anna", stdin=password + "\n", process=True)
    assert result.returncode == 0, result.stderr
    assert office(office_url, "add-coordinator", "maris", stdin=password + "\n").returncode == 0
    engine = make_engine(office_url)
    try:
        assert password not in repr(snapshot_tables(engine))
        with engine.connect() as connection:
            hashes = connection.execute(
                text("SELECT password_hash FROM accounts ORDER BY login")
            ).scalars()
            anna, maris = list(hashes)
        assert anna.startswith("scrypt$") and anna != maris  # salted
        assert check_account(engine, "anna", password)
        assert not check_account(engine, "anna", password + "!")
        assert not check_account(engine, "nobody", password)
    finally:
        engine.dispose()


def write_bundle(folder: Path, body: Any, name: str = "bundle.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_import_then_the_same_rows_over_http_are_all_unchanged(
    office_url: str, office_engine: Engine, http: httpx.Client, tmp_path: Path
) -> None:
    token = add_site(office_url)
    body = make_batch(
        [session_row(), session_row(hour=15, age_band=None)],
        [activity_row(), activity_row(activity="memory", completed_runs=9)],
    )
    result = office(office_url, "import", str(write_bundle(tmp_path, body)))
    assert result.returncode == 0, result.stderr
    assert f"{SITE}/{STATION}: 3 imported, 0 updated, 0 unchanged, 1 ignored" in result.stdout
    assert "COMPLETED_OVER_RUNS: activity_totals[1].completed_runs" in result.stdout

    online = post_batch(http, token, {**body, "batch_id": str(uuid.uuid4())}).json()
    assert online["counts"] == {"imported": 0, "updated": 0, "unchanged": 3, "ignored": 1}
    # The very same body (same batch_id) is a replay of the import.
    before = snapshot_tables(office_engine)
    replay = post_batch(http, token, body).json()
    assert replay["counts"]["imported"] == 3
    assert snapshot_tables(office_engine) == before


def test_importing_the_same_file_again_says_so_and_changes_nothing(
    office_url: str, office_engine: Engine, tmp_path: Path
) -> None:
    add_site(office_url)
    bundle = write_bundle(tmp_path, make_batch())
    first = office(office_url, "import", str(bundle))
    assert first.returncode == 0, first.stderr
    before = snapshot_tables(office_engine)
    # --db after the command works as well as before it.
    again = office(None, "import", str(bundle), "--db", office_url)
    assert again.returncode == 0, again.stderr
    assert f"{bundle}: already imported on " in again.stdout
    assert "nothing changed" in again.stdout
    assert snapshot_tables(office_engine) == before


def test_import_goes_on_after_a_bad_file_and_exits_1(office_url: str, tmp_path: Path) -> None:
    add_site(office_url)
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"schema": 1, "batch_id": ')
    unknown_site = write_bundle(tmp_path, make_batch(site="riga", station="riga-1"), "riga.json")
    good = write_bundle(tmp_path, make_batch(), "good.json")
    missing = tmp_path / "missing.json"
    result = office(office_url, "import", str(broken), str(unknown_site), str(missing), str(good))
    assert result.returncode == 1
    assert f"{broken}: not imported (INVALID_JSON)" in result.stderr
    assert f"{unknown_site}: not imported (UNKNOWN_SITE)" in result.stderr
    assert f"{missing}: not imported: cannot read it" in result.stderr
    assert f"{good}: {SITE}/{STATION}: 2 imported" in result.stdout
    again = office(office_url, "import", str(good))
    assert again.returncode == 0


def test_the_database_can_come_from_kiosk_office_db(office_url: str, tmp_path: Path) -> None:
    result = office(None, "add-site", SITE, "--name", "Ludza", env={"KIOSK_OFFICE_DB": office_url})
    assert result.returncode == 0, result.stderr
    engine = make_engine(office_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id FROM sites")).scalars().all() == [SITE]
    finally:
        engine.dispose()


def test_export_is_delegated_to_the_reports_module(office_url: str, tmp_path: Path) -> None:
    add_site(office_url)
    assert office(office_url, "import", str(write_bundle(tmp_path, make_batch()))).returncode == 0
    out = tmp_path / "usage.csv"
    result = office(office_url, "export", "--from", "2026-11-01", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert SITE in out.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_the_api_and_never_logs_the_token(office_url: str) -> None:
    token = add_site(office_url)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "office", "serve", "--db", office_url, "--port", str(port)],
        cwd=APP_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "kiosk office serve exited"
            assert time.monotonic() < deadline, "kiosk office serve did not start"
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as client:
            answer = post_batch(client, token, make_batch())
            assert answer.status_code == 200
            assert answer.json()["counts"]["imported"] == 2
            assert post_batch(client, token + "x", make_batch()).status_code == 401
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "POST /api/v1/totals" in output
    assert token not in output
    assert "Bearer" not in output


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_sqlite_database_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "new-folder"
    database = folder / "office.db"
    url = f"sqlite:///{database}"
    assert office(url, "add-site", SITE, "--name", "Ludza").returncode == 0
    assert office(url, "add-coordinator", "anna", stdin="correct horse battery\n").returncode == 0
    files = [p for p in folder.iterdir() if p.name.startswith("office.db")]
    assert database in files
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_database_readable_by_others_is_narrowed_to_0600(tmp_path: Path) -> None:
    database = tmp_path / "office.db"
    url = f"sqlite:///{database}"
    assert office(url, "add-site", SITE, "--name", "Ludza").returncode == 0
    database.chmod(0o644)
    result = office(url, "add-coordinator", "anna", stdin="correct horse battery\n")
    assert result.returncode == 0, result.stderr
    assert database.stat().st_mode & 0o777 == 0o600


def test_serve_refuses_a_read_timeout_that_is_not_positive(office_url: str) -> None:
    result = office(office_url, "serve", "--read-timeout", "0")
    assert result.returncode == 2
    assert "--read-timeout" in result.stderr
