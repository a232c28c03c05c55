"""`kiosk doctor` on real stations: each FAIL is caused for real — an office that is down, a
token it does not know, a full disk, a read-only data folder, a damaged database — and
the real command (a subprocess) must say so on its line and exit 1."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest

from kiosk.doctor import CHECKS, run_doctor, station_for
from kiosk.librarian.pin import set_pin
from kiosk.usage import upgrade
from tests.sync.sync_helpers import OfficeServer


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfficeServer]:
    server = OfficeServer(f"sqlite:///{tmp_path_factory.mktemp('office') / 'office.db'}")
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def token(office: OfficeServer) -> str:
    return office.add_site("ludza", "Europe/Riga")


@dataclass
class Station:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config" / "config.yaml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def token_file(self) -> Path:
        return self.root / "config" / "site-token.txt"

    def write_config(self, office_url: str | None, lang: str = "en") -> None:
        self.config.parent.mkdir(parents=True, exist_ok=True)
        office = f"\nsync:\n  office_url: {office_url}\n  token_file: site-token.txt\n"
        self.config.write_text(
            f"site:\n  id: ludza\nstation:\n  id: ludza-wb-1\nlanguages:\n  default: {lang}\n"
            f"storage:\n  data_dir: {self.data}\n" + (office if office_url else ""),
            encoding="utf-8",
        )

    def doctor(self, *args: str, wrap: list[str] | None = None, **options: object) -> Result:
        command = [sys.executable, "-m", "kiosk", "doctor", "--config", str(self.config), *args]
        done = subprocess.run(
            [*(wrap or []), *command],
            capture_output=True,
            text=True,
            env={**os.environ, "LANG": "C.UTF-8"},
            timeout=120,
            **options,  # type: ignore[call-overload]
        )
        return Result(done.returncode, done.stdout, done.stderr)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def line(self, label: str) -> str:
        found = [line for line in self.out.splitlines() if line[6:].startswith(label + ":")]
        assert len(found) == 1, self.out + self.err
        return found[0]

    def failures(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith("FAIL")]


@pytest.fixture
def station(tmp_path: Path, office: OfficeServer, token: str) -> Station:
    """A station set up right: its config, token, PIN and database, syncing to `office`."""
    made = Station(tmp_path)
    made.write_config(office.url)
    made.token_file.write_text(token + "\n", encoding="utf-8")
    set_pin(made.config.parent / "secrets.json", "4826")
    made.data.mkdir()
    upgrade(made.data / "usage.db")
    return made


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


def test_a_healthy_station_has_no_failures_and_exits_0(station: Station) -> None:
    result = station.doctor()
    assert result.code == 0, result.out + result.err
    assert result.failures() == []
    assert len(result.out.splitlines()) == len(CHECKS)
    for label in ("Config", "Data folder", "Usage database", "Librarian PIN", "Versions"):
        assert result.line(label).startswith("OK ")
    assert "accepts it for ludza" in result.line("Site token")
    assert result.line("Office").startswith("OK ")
    assert result.line("Clock").startswith("OK ")
    assert station.token_file.read_text().strip() not in result.out + result.err


def test_it_speaks_the_station_language(station: Station, office: OfficeServer) -> None:
    station.write_config(office.url, lang="lv")
    result = station.doctor()
    assert result.code == 0, result.out
    assert result.line("Datu mape").startswith("OK ")
    assert "Datu mape" in result.out and "Data folder" not in result.out
    lithuanian = station.doctor("--lang", "lt")
    assert "Duomenų aplankas" in lithuanian.out


def test_an_office_that_is_down_fails(station: Station) -> None:
    down = f"http://127.0.0.1:{_closed_port()}"
    station.write_config(down)
    result = station.doctor()
    assert result.code == 1
    assert result.failures() == [result.line("Office")]
    assert f"the office at {down} could not be reached" in result.line("Office")
    assert result.line("Site token").startswith("WARN")


def test_a_token_the_office_does_not_know_fails(station: Station) -> None:
    station.token_file.write_text("y" * 43 + "\n", encoding="utf-8")
    result = station.doctor()
    assert result.code == 1
    assert result.failures() == [result.line("Site token")]
    assert "does not know this token" in result.line("Site token")
    assert "y" * 43 not in result.out + result.err


def test_a_full_disk_fails_the_data_folder(station: Station) -> None:
    def small_files_only() -> None:  # the kernel refuses to grow any file past 16 KiB
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    result = station.doctor(preexec_fn=small_files_only)
    assert result.code == 1
    assert result.failures() == [result.line("Data folder")]
    assert "disk is full" in result.line("Data folder")
    assert [p.name for p in station.data.iterdir() if p.name.startswith(".doctor-")] == []


def _in_own_mounts(script: str, folder: Path) -> list[str] | None:
    """`unshare -m sh -c SCRIPT` with $0 = folder, when this system lets the tests mount."""
    if shutil.which("unshare") is None:
        return None
    wrap = ["unshare", "-m", "sh", "-c", script + ' && shift && exec "$@"', str(folder), "--"]
    probe = subprocess.run([*wrap, "true"], capture_output=True, timeout=30)
    return wrap if probe.returncode == 0 else None


def test_a_drive_with_little_room_fails_the_free_space_check(station: Station) -> None:
    wrap = _in_own_mounts('mount -t tmpfs -o size=20m tmpfs "$0"', station.data)
    if wrap is None:
        pytest.skip("this system does not let the tests mount a small file system")
    result = station.doctor(wrap=wrap)
    assert result.code == 1
    assert "FAIL  Free disk space: only 20 MB free" in result.line("Free disk space")


def test_a_read_only_data_folder_fails(station: Station) -> None:
    wrap = _in_own_mounts('mount --bind "$0" "$0" && mount -o remount,bind,ro "$0"', station.data)
    immutable = False
    if wrap is None:  # no mount namespace: an immutable folder stops root too
        immutable = subprocess.run(["chattr", "+i", str(station.data)]).returncode == 0
        if not immutable:
            pytest.skip("neither a read-only mount nor chattr +i works here")
    try:
        result = station.doctor(wrap=wrap)
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(station.data)], check=True)
    assert result.code == 1
    line = result.line("Data folder")
    assert line.startswith("FAIL") and f"cannot write in {station.data}" in line


def test_a_damaged_database_fails_and_is_left_as_it_was(station: Station) -> None:
    database = station.data / "usage.db"
    garbage = b"this is not a database " * 200
    database.write_bytes(garbage)
    result = station.doctor()
    assert result.code == 1
    line = result.line("Usage database")
    assert line.startswith("FAIL") and "is damaged" in line
    assert database.read_bytes() == garbage
    assert sorted(p.name for p in station.data.iterdir()) == ["usage.db"]


def test_a_broken_config_fails_and_the_other_checks_still_run(station: Station) -> None:
    station.config.write_text("site:\n  id: Ludza Library\n", encoding="utf-8")
    result = station.doctor("--lang", "en")  # the config's own language cannot be read
    assert result.code == 1
    assert "site.id" in result.line("Config") and result.line("Config").startswith("FAIL")
    assert len(result.out.splitlines()) == len(CHECKS)


def test_a_station_without_a_pin_fails(station: Station) -> None:
    (station.config.parent / "secrets.json").unlink()
    result = station.doctor()
    assert result.code == 1
    assert result.failures() == [result.line("Librarian PIN")]


def _without_root_powers() -> list[str] | None:
    """Root reads any file whatever its mode; run the doctor without the two capabilities
    that let it (setpriv), so a mode-000 file is unreadable for real. None where that
    cannot be done."""
    if os.geteuid() != 0:
        return []
    caps = "-dac_override,-dac_read_search"
    wrap = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]
    try:
        probe = subprocess.run([*wrap, "true"], capture_output=True, timeout=30)
    except FileNotFoundError:
        return None
    return wrap if probe.returncode == 0 else None


def test_a_pin_file_this_account_cannot_read_is_not_called_missing(station: Station) -> None:
    wrap = _without_root_powers()
    if wrap is None:
        pytest.skip("cannot take root's power to read any file here (no setpriv)")
    secrets = station.config.parent / "secrets.json"
    secrets.chmod(0o000)
    try:
        result = station.doctor(wrap=wrap)
    finally:
        secrets.chmod(0o600)
    line = result.line("Librarian PIN")
    assert result.code == 1
    assert line.startswith("FAIL"), line
    assert "none is set" not in line
    assert str(secrets) in line and "cannot read it" in line
    assert "chgrp telpa" in line and "chmod 640" in line


def test_a_clock_minutes_off_the_office_warns(station: Station) -> None:
    seven_minutes_ahead = datetime.now(UTC) + timedelta(minutes=7, seconds=10)
    shown = StringIO()
    code = run_doctor(station_for(str(station.config), now=lambda: seven_minutes_ahead), out=shown)
    assert code == 0, shown.getvalue()
    (line,) = [line for line in shown.getvalue().splitlines() if "Clock:" in line]
    assert line.startswith("WARN") and "7 min off the office's" in line
