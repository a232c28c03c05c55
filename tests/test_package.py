"""Telpa is a program, not a checkout (DESIGN §2): the wheel built from this tree is
installed into a fresh virtualenv and run from another folder, with the checkout nowhere
on its path, and it never opens a file of the checkout.

Slow-ish (a wheel, two or three virtualenvs from the local package index, about a minute
in all) but part of every run: it is the only test of what a library actually installs."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from kiosk.paths import APP_ROOT
from tests.served_office import serve_office

# A long end-to-end run: it builds the wheel and installs it into fresh virtualenvs.
# `pytest -m slow` and CI run it.
pytestmark = pytest.mark.slow

CHECKOUT = APP_ROOT.resolve()
CONSTRAINTS = CHECKOUT / "constraints.txt"
OFFICE_MODULES = (
    "fastapi",
    "uvicorn",
    "jinja2",
    "multipart",
    "openpyxl",
    "psycopg",
    "itsdangerous",
)
_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "out",
    "secrets.json",
)

# Runs one `kiosk` command in the installed Telpa with an audit hook that notes every file
# or folder it opens inside the checkout (and any checkout folder on sys.path).
AUDITED = """
import os, sys
checkout, report, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
# Written as it goes: a server stopped by a signal may never reach a `finally`.
out = open(report, "w", encoding="utf-8")
seen = set()

def note(path):
    if path not in seen:
        seen.add(path)
        out.write(path + "\\n")
        out.flush()

def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args:
        path = args[0]
        if isinstance(path, (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(path))
            if path == checkout or path.startswith(checkout + os.sep):
                note(path)

for entry in sys.path:
    if entry and os.path.abspath(entry).startswith(checkout):
        note("on sys.path: " + entry)
sys.addaudithook(hook)
import kiosk
if kiosk.__file__.startswith(checkout):
    note("imported: " + kiosk.__file__)
from kiosk.cli import main
sys.exit(main(argv))
"""


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        command, capture_output=True, text=True, timeout=300, check=False, **kwargs
    )


def build_wheel(source: Path, out: Path) -> Path:
    """`pip wheel --no-deps` of a copy of `source` (no stale build/ folder of the checkout)."""
    tree = out / "source"
    shutil.copytree(source, tree, ignore=_NOT_SOURCE)
    result = _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), "."], cwd=tree
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("telpa-*.whl")
    return wheel


@dataclass
class Station:
    """A user install's folders in `root`, and a virtualenv for Telpa: a fresh one in
    `root`, or `venv` (another station's, to save installing the same packages twice)."""

    root: Path
    venv: Path | None = None
    checks: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.venv is None:
            self.venv = self.root / "venv"
            result = _run([sys.executable, "-m", "venv", str(self.venv)])
            assert result.returncode == 0, result.stderr
        self.elsewhere = self.root / "elsewhere"
        self.elsewhere.mkdir(parents=True)

    @property
    def bin(self) -> Path:
        assert self.venv is not None
        return self.venv / "bin"

    @property
    def config_dir(self) -> Path:
        return self.root / "xdg-config" / "telpa"

    @property
    def data_dir(self) -> Path:
        return self.root / "xdg-data" / "telpa"

    def pip(self, *args: str) -> None:
        result = _run([str(self.bin / "python"), "-m", "pip", "install", "-q", *args])
        assert result.returncode == 0, result.stdout + result.stderr

    def env(self) -> dict[str, str]:
        return {
            "PATH": f"{self.bin}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(self.root / "home"),
            "XDG_CONFIG_HOME": str(self.root / "xdg-config"),
            "XDG_DATA_HOME": str(self.root / "xdg-data"),
            "KIOSK_SCOPE": "user",
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "LANG": "C.UTF-8",
        }

    def kiosk(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """The installed `kiosk` command, run from a folder that is not the checkout."""
        return _run(
            [str(self.bin / "kiosk"), *args], cwd=self.elsewhere, env=self.env(), input=stdin
        )

    def audited_command(self, *args: str) -> list[str]:
        """`kiosk ARGS` noting every checkout path it opens (`checkout_paths_opened`)."""
        report = self.root / f"audit-{len(self.checks)}.txt"
        self.checks.append(report)
        return [str(self.bin / "python"), "-c", AUDITED, str(CHECKOUT), str(report), *args]

    def audited(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run(self.audited_command(*args), cwd=self.elsewhere, env=self.env())

    def checkout_paths_opened(self) -> list[str]:
        return [line for report in self.checks for line in report.read_text().splitlines()]

    def site_packages(self) -> Path:
        assert self.venv is not None
        (found,) = (self.venv / "lib").glob("python3*/site-packages")
        return found

    def office_libraries(self) -> list[str]:
        probe = _run(
            [
                str(self.bin / "python"),
                "-c",
                "import importlib.util as u; "
                f"print(*[m for m in {OFFICE_MODULES!r} if u.find_spec(m)])",
            ]
        )
        return probe.stdout.split()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(CHECKOUT, tmp_path_factory.mktemp("wheel"))


@dataclass
class KioskOnly:
    """A virtualenv with the plain wheel, as a kiosk PC gets it, and what it showed then."""

    venv: Path
    office_libraries: list[str]
    office_serve: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def kiosk_only(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> KioskOnly:
    # Observed right after the install: the office test adds the extra to this virtualenv.
    station = Station(tmp_path_factory.mktemp("kiosk-only"))
    station.pip("-c", str(CONSTRAINTS), str(wheel))
    assert station.venv is not None
    return KioskOnly(station.venv, station.office_libraries(), station.kiosk("office", "serve"))


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(path): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def _usage(db: Path) -> tuple[int, int, str]:
    """(sessions, activity runs, db_instance_id) of a usage database."""
    with sqlite3.connect(db) as connection:
        sessions = connection.execute("SELECT count(*) FROM sessions").fetchone()[0]
        runs = connection.execute("SELECT count(*) FROM activity_runs").fetchone()[0]
        (instance,) = connection.execute(
            "SELECT value FROM kv WHERE key = 'db_instance_id'"
        ).fetchone()
    return sessions, runs, instance


def test_the_wheel_carries_the_program_data_and_no_office_libraries(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "kiosk/_data/config.yaml",
        "kiosk/_data/assets/fonts/Andika-Regular.ttf",
        "kiosk/_data/content/who-helps/pack.yaml",
        "kiosk/i18n/locale/lv/LC_MESSAGES/kiosk.po",
        "kiosk/usage/migrations/env.py",
        "kiosk/usage/migrations/script.py.mako",
        "kiosk/office/migrations/env.py",
        "kiosk/office/migrations/script.py.mako",
        "kiosk/office/templates/base.html",
        "kiosk/office/static/dashboard.css",
    ):
        assert expected in names
    assert {n for n in names if n.startswith("kiosk/_data/content/")} >= {
        f"kiosk/_data/content/{p.relative_to(CHECKOUT / 'content')}"
        for p in (CHECKOUT / "content").rglob("*")
        if p.is_file()
    }
    (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = zipfile.ZipFile(wheel).read(metadata_name).decode()
    required = re.findall(r"^Requires-Dist: ([A-Za-z0-9_.-]+)[^;\n]*$", metadata, re.M)
    assert {"fastapi", "uvicorn", "Jinja2", "openpyxl", "psycopg", "itsdangerous"}.isdisjoint(
        required
    )


def test_the_kiosk_install_has_no_office_libraries_and_says_how_to_add_them(
    kiosk_only: KioskOnly,
) -> None:
    assert kiosk_only.office_libraries == []
    office = kiosk_only.office_serve
    assert office.returncode == 2
    assert office.stderr == (
        "kiosk: the office needs its extra libraries (fastapi, uvicorn, Jinja2, "
        "python-multipart, openpyxl, psycopg, itsdangerous missing here): "
        "pip install 'telpa[office]'\n"
    )


def test_the_installed_kiosk_runs_from_anywhere_without_the_checkout(
    kiosk_only: KioskOnly, tmp_path: Path
) -> None:
    station = Station(tmp_path, venv=kiosk_only.venv)
    program = station.site_packages() / "kiosk"
    installed = _snapshot(program)

    check = station.audited("content", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.fullmatch(r"\d+ pack\(s\) checked, no problems\n", check.stdout)

    monkey = station.audited("monkey", "--events", "500", "--data-dir", str(station.data_dir))
    assert monkey.returncode == 0, monkey.stdout[-2000:] + monkey.stderr[-2000:]
    assert re.search(
        r"^monkey: 500 events, \d+ sessions, \d+ activity runs, 0 errors$", monkey.stdout, re.M
    )
    sessions, runs, _ = _usage(station.data_dir / "usage.db")
    assert sessions > 0 and runs > 0

    where = station.audited("where")
    assert where.returncode == 0, where.stderr
    assert f"program folder   {program}  (installed; never written)" in where.stdout
    assert f"built-in packs   {program / '_data' / 'content'}\n" in where.stdout
    assert f"config file      {program / '_data' / 'config.yaml'}  <- the embedded" in where.stdout
    assert f"data folder      {station.data_dir}  <- this machine's data folder" in where.stdout

    assert station.checkout_paths_opened() == []
    assert _snapshot(program) == installed, "something was written into the program folder"


@pytest.fixture
def office_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'office.db'}"


@pytest.fixture
def served(
    wheel: Path, kiosk_only: KioskOnly, office_db: str, tmp_path: Path
) -> Iterator[tuple[Station, str, str]]:
    """An installed Telpa with the office extra, serving on loopback: (station, url, token)."""
    station = Station(tmp_path / "pc", venv=kiosk_only.venv)
    station.pip("-c", str(CONSTRAINTS), f"{wheel}[office]")
    with serve_office(station, office_db, station.audited_command) as (url, token):
        yield station, url, token
    # The server's own audit report is complete once it has stopped.
    assert station.checkout_paths_opened() == []


def test_the_installed_office_serves_and_the_installed_kiosk_syncs_to_it(
    served: tuple[Station, str, str],
) -> None:
    station, url, token = served
    station.config_dir.mkdir(parents=True)
    config = station.config_dir / "config.yaml"
    config.write_text(
        "site: {id: ludza, name: Ludza, timezone: Europe/Riga}\nstation: {id: ludza-pc-1}\n",
        encoding="utf-8",
    )
    monkey = station.kiosk("monkey", "--events", "150", "--data-dir", str(station.data_dir))
    assert monkey.returncode == 0, monkey.stderr[-2000:]
    # What the IT person adds once the coordinator has registered the library:
    with config.open("a", encoding="utf-8") as file:
        file.write(f"sync: {{office_url: '{url}', token_file: site-token.txt}}\n")
    (station.config_dir / "site-token.txt").write_text(token + "\n", encoding="utf-8")

    synced = station.audited("sync")  # no --config: this machine's config file
    assert synced.returncode == 0, synced.stdout + synced.stderr
    sent = re.search(r"^Done: (\d+) row\(s\) sent", synced.stdout, re.M)
    assert sent is not None and int(sent.group(1)) > 0, synced.stdout

    stored = httpx.get(
        f"{url}/api/v1/totals",
        params={"station": "ludza-pc-1"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert len(stored["session_totals"]) + len(stored["activity_totals"]) == int(sent.group(1))
    with sqlite3.connect(station.data_dir / "usage.db") as db:
        visits = db.execute("SELECT sum(child_visits) FROM session_totals").fetchone()[0]
    assert sum(row["child_visits"] for row in stored["session_totals"]) == visits

    # The dashboard's templates, catalogs and style sheet came with the wheel.
    login = httpx.get(f"{url}/login", headers={"Accept-Language": "lv"}, timeout=30)
    assert login.status_code == 200 and "<form" in login.text
    style = httpx.get(f"{url}/static/dashboard.css", timeout=30)
    assert style.status_code == 200 and style.text.strip()

    where = station.kiosk("where")
    assert f"config file      {config}  <- this machine's config file" in where.stdout
    assert f"site token       {station.config_dir / 'site-token.txt'}  <- sync" in where.stdout


# ----- upgrading over an older install -------------------------------------------------


def _previous_installable_commit() -> str | None:
    """The newest commit before HEAD whose tree builds a runnable wheel (has setup.py's
    data mapping); None without git history."""
    if shutil.which("git") is None:
        return None
    listed = _run(["git", "rev-list", "--max-count=300", "HEAD"], cwd=CHECKOUT)
    if listed.returncode != 0:
        return None
    for commit in listed.stdout.split()[1:]:
        if _run(["git", "cat-file", "-e", f"{commit}:setup.py"], cwd=CHECKOUT).returncode == 0:
            return commit
    return None


def _export_commit(commit: str, folder: Path) -> Path:
    archive = folder / "previous.zip"
    result = _run(["git", "archive", "--format=zip", "-o", str(archive), commit], cwd=CHECKOUT)
    assert result.returncode == 0, result.stderr
    tree = folder / "previous-source"
    with zipfile.ZipFile(archive) as files:
        files.extractall(tree)
    return tree


def _files(*folders: Path) -> dict[str, bytes]:
    return {
        str(path): path.read_bytes()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith("usage.db")
    }


def test_installing_over_the_previous_version_keeps_every_file_and_the_database(
    wheel: Path, tmp_path: Path
) -> None:
    commit = _previous_installable_commit()
    if commit is None:
        pytest.skip("no git history with an installable earlier commit (a source archive?)")
    old_wheel = build_wheel(_export_commit(commit, tmp_path), tmp_path / "old-wheel")
    station = Station(tmp_path / "pc")
    station.pip("-c", str(CONSTRAINTS), str(old_wheel))

    # The station as the older version left it: config, PIN, usage, the library's files.
    station.config_dir.mkdir(parents=True)
    (station.config_dir / "config.yaml").write_text(
        "site: {id: ludza}\nstation: {id: ludza-pc-1}\n", encoding="utf-8"
    )
    assert station.kiosk("set-pin", "--stdin", stdin="2468\n").returncode == 0
    old_monkey = station.kiosk("monkey", "--events", "100", "--data-dir", str(station.data_dir))
    assert old_monkey.returncode == 0, old_monkey.stderr[-2000:]
    for name, text in {
        "creations/draw-1/creation.json": "{}",
        "exports/draw-1.png": "png",
        "logs/kiosk.log": "old log\n",
        "packs/our-visit/pack.yaml": "pack: our-visit\n",
    }.items():
        (station.data_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (station.data_dir / name).write_text(text, encoding="utf-8")
    before_files = _files(station.config_dir, station.data_dir)
    sessions, runs, instance = _usage(station.data_dir / "usage.db")
    assert (station.config_dir / "secrets.json").is_file()

    station.pip("--force-reinstall", "--no-deps", str(wheel))
    station.pip("-c", str(CONSTRAINTS), str(wheel))  # anything the new version needs more
    assert (station.site_packages() / "kiosk" / "where.py").is_file()

    upgraded = station.kiosk("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    head = _run(
        [
            str(station.bin / "python"),
            "-c",
            "from kiosk.usage.db import head_revision as h; print(h())",
        ],
        cwd=station.elsewhere,
        env=station.env(),
    ).stdout.strip()
    with sqlite3.connect(station.data_dir / "usage.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    assert _usage(station.data_dir / "usage.db") == (sessions, runs, instance)
    assert _files(station.config_dir, station.data_dir) == before_files

    # The new version goes on recording into the same database.
    new_monkey = station.kiosk("monkey", "--events", "100", "--data-dir", str(station.data_dir))
    assert new_monkey.returncode == 0, new_monkey.stderr[-2000:]
    more_sessions, more_runs, same_instance = _usage(station.data_dir / "usage.db")
    assert same_instance == instance and more_sessions > sessions
    where = station.kiosk("where")
    assert f"secrets (PIN)    {station.config_dir / 'secrets.json'}\n" in where.stdout
