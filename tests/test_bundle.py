"""The standalone bundle for PCs without Python (installer/telpa.spec): built once per test
run by `scripts/build-bundle`, exactly as IT staff or CI build it, moved to a folder
outside the checkout and run there with a PATH that holds no Python at all.

Slow-ish (the build takes about a minute here: a virtualenv, the wheel, PyInstaller) but
part of every run. A machine that cannot install PyInstaller fails here with the build's
own output: the bundle is what a library without Python installs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kiosk import __version__
from kiosk.media import ExportJob, probe
from tests.media.conftest import FILM_FPS, FILM_FRAMES, make_film
from tests.served_office import serve_office
from tests.test_bundle_licenses import bundle_licenses, third_party_rows
from tests.test_package import CHECKOUT, Station, _snapshot, _usage

# A long end-to-end run: it builds the standalone bundle with PyInstaller (about three
# minutes of CPU). `pytest -m slow` and CI run it.
pytestmark = pytest.mark.slow

BUILD_TIMEOUT_S = 1200


@dataclass
class BundledStation(Station):
    """A PC with the bundle in `bundle` and no Python: `kiosk()` runs `bundle/kiosk` from
    a folder outside the checkout with PATH set to an empty folder."""

    bundle: Path = Path()

    def __post_init__(self) -> None:
        self.elsewhere = self.root / "elsewhere"
        self.elsewhere.mkdir(parents=True)
        self.empty_path = self.root / "empty-path"
        self.empty_path.mkdir()

    @property
    def bin(self) -> Path:
        return self.bundle

    @property
    def program(self) -> Path:
        return self.bundle / "kiosk"

    def env(self) -> dict[str, str]:
        return {**super().env(), "PATH": str(self.empty_path)}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`scripts/build-bundle OUT` once, its OUT/telpa moved elsewhere: the bundle's folder."""
    out = tmp_path_factory.mktemp("bundle-build")
    try:
        built = subprocess.run(
            [str(CHECKOUT / "scripts" / "build-bundle"), str(out)],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"scripts/build-bundle took more than {BUILD_TIMEOUT_S} s")
    if built.returncode != 0:
        pytest.fail(
            "scripts/build-bundle failed (it installs PyInstaller from the package index into "
            f"its own virtualenv; is the index reachable?):\n{built.stdout[-3000:]}\n"
            f"{built.stderr[-3000:]}"
        )
    # Moved, not built in place: the bundle must not depend on where it was made.
    folder = tmp_path_factory.mktemp("library-pc") / "Telpa"
    shutil.move(out / "telpa", folder)
    shutil.rmtree(out, ignore_errors=True)  # the build virtualenv: nothing may need it
    yield folder
    shutil.rmtree(folder, ignore_errors=True)  # 340 MB; pytest keeps old temporary folders


@pytest.fixture
def station(bundle: Path, tmp_path: Path) -> BundledStation:
    station = BundledStation(tmp_path, bundle=bundle)
    assert shutil.which("python3", path=station.env()["PATH"]) is None
    assert shutil.which("python", path=station.env()["PATH"]) is None
    return station


def test_the_bundle_checks_its_packs_and_survives_the_monkey_without_python(
    station: BundledStation,
) -> None:
    before = _snapshot(station.bundle)
    version = station.kiosk("--version")
    assert version.stdout.strip() == f"Telpa {__version__}", version.stderr

    check = station.kiosk("content", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.fullmatch(r"\d+ pack\(s\) checked, no problems\n", check.stdout)

    monkey = station.kiosk("monkey", "--events", "500", "--data-dir", str(station.data_dir))
    assert monkey.returncode == 0, monkey.stdout[-2000:] + monkey.stderr[-2000:]
    assert re.search(
        r"^monkey: 500 events, \d+ sessions, \d+ activity runs, 0 errors$", monkey.stdout, re.M
    )
    sessions, runs, _ = _usage(station.data_dir / "usage.db")
    assert sessions > 0 and runs > 0
    # Every built-in activity came through its entry point and ran at least once.
    with sqlite3.connect(station.data_dir / "usage.db") as db:
        ran = {row[0] for row in db.execute("SELECT DISTINCT activity FROM activity_runs")}
    assert len(ran) >= 3, ran

    where = station.kiosk("where")
    assert where.returncode == 0, where.stderr
    program = station.bundle / "_internal" / "kiosk"
    assert f"program folder   {program}  (installed; never written)" in where.stdout
    assert f"built-in packs   {program / '_data' / 'content'}\n" in where.stdout

    refused = station.kiosk("-m", "os")
    assert refused.returncode == 2
    assert "runs only Telpa's own modules" in refused.stderr
    assert _snapshot(station.bundle) == before, "something was written into the bundle"


def test_the_bundle_exports_a_stop_motion_film_as_mp4_with_its_own_ffmpeg(
    station: BundledStation, monkeypatch: pytest.MonkeyPatch
) -> None:
    film = make_film(station.root / "creations" / "film-20261126-060000-aaaaaa")
    out = station.root / "stick" / "film.mp4"
    out.parent.mkdir()
    # The librarian panel's own export job, as the bundled kiosk runs it: its child is
    # `sys.executable -m kiosk.media …`, and in the bundle sys.executable is `kiosk`.
    monkeypatch.setattr(sys, "executable", str(station.program))
    for name, value in station.env().items():
        monkeypatch.setenv(name, value)
    job = ExportJob(film, "mp4", out).start()
    assert job.wait(timeout=300)
    assert job.error is None, f"{job.code}: {job.error}"
    assert job.result == out and job.progress == 1.0
    monkeypatch.undo()

    info = probe(out)
    assert info.video_codec == "h264"
    assert (info.width, info.height) == (1280, 720)
    assert info.frames == FILM_FRAMES and info.fps == pytest.approx(FILM_FPS)
    assert not info.has_audio


def test_the_bundle_carries_the_licences_of_everything_it_ships(bundle: Path) -> None:
    """licenses/ next to the programs (scripts/bundle_licenses.py, run by the spec): what IT
    staff and an auditor find in the installed program folder."""
    licences = bundle / "licenses"
    third_party = (licences / "THIRD-PARTY.md").read_text(encoding="utf-8")
    rows = third_party_rows(third_party)
    for carried in ("pygame-ce", "pillow", "pydantic", "sqlalchemy", "espeakng-loader", "telpa"):
        assert carried in rows, f"THIRD-PARTY.md does not list {carried}"
    for name, (version, _licence, _home, folder) in rows.items():
        if name in bundle_licenses.ALLOWED_WITHOUT_LICENCE:
            assert folder == "none"
            assert f"- {name}: {bundle_licenses.ALLOWED_WITHOUT_LICENCE[name]}." in third_party
        else:
            assert folder == f"{name}-{version}/"
            assert [p for p in (licences / folder).rglob("*") if p.is_file()], name
    # The programs themselves are PyInstaller's bootloader.
    assert "pyinstaller" in rows and rows["pyinstaller"][-1].startswith("pyinstaller-")

    [espeak] = licences.glob("espeak-ng-*")
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3" in (
        espeak / "COPYING"
    ).read_text(encoding="utf-8")
    assert "Written offer" in (espeak / "SOURCE.txt").read_text(encoding="utf-8")

    [ffmpeg_program] = (bundle / "_internal" / "imageio_ffmpeg" / "binaries").glob("ffmpeg*")
    shown = subprocess.run(
        [str(ffmpeg_program), "-hide_banner", "-version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    ffmpeg = licences / f"ffmpeg-{shown.split()[2]}"
    assert "GNU" in (ffmpeg / "COPYING").read_text(encoding="utf-8")
    assert shown.splitlines()[2] in (ffmpeg / "SOURCE.txt").read_text(encoding="utf-8")

    assert espeak.name in (licences / "NOTICE.txt").read_text(encoding="ascii")
    # Telpa's own assets' licences, referenced where the bundle carries them.
    assets = re.findall(r"^- (\.\./_internal/\S+)$", third_party, re.M)
    assert {Path(a).name for a in assets} == {"LICENSES.md", "OFL.txt", "LICENSE-Apache-2.0.txt"}
    assert all((licences / a).is_file() for a in assets), assets


# Telpa's own eSpeak NG code (kiosk/voice/espeak.py), pointed at the bundle's copy of the
# library and data: espeakng-loader looks next to its own __init__, which in the bundle is
# _internal/espeakng_loader/.
SPEAK_WITH_BUNDLED_ESPEAK = """
import sys
from pathlib import Path
import espeakng_loader
folder = Path(sys.argv[1])
library = folder / ("espeak-ng.dll" if sys.platform == "win32" else "libespeak-ng.so")
espeakng_loader.get_library_path = lambda: str(library)
espeakng_loader.get_data_path = lambda: str(folder / "espeak-ng-data")
from kiosk.voice.espeak import Espeak
engine = Espeak()
for lang, text in (("lv", "Labdien, bērni!"), ("lt", "Laba diena, vaikai!"), ("en", "Hello")):
    print(lang, round(engine.synthesise(text, lang).seconds, 2))
"""


def test_the_bundle_carries_espeak_ng_where_espeakng_loader_looks_and_it_speaks(
    station: BundledStation,
) -> None:
    folder = station.bundle / "_internal" / "espeakng_loader"
    spoken = subprocess.run(
        [sys.executable, "-c", SPEAK_WITH_BUNDLED_ESPEAK, str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert spoken.returncode == 0, spoken.stderr[-2000:]
    seconds = dict(line.split() for line in spoken.stdout.splitlines())
    assert set(seconds) == {"lv", "lt", "en"}
    assert all(float(value) > 0.3 for value in seconds.values()), seconds


def _maps(pid: int) -> set[str]:
    """The files mapped into process `pid` (its program and libraries)."""
    text = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    return {line.split(None, 5)[5] for line in text.splitlines() if len(line.split(None, 5)) > 5}


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _catches_sigterm(pid: int) -> bool:
    """Whether process `pid` has a handler of its own for SIGTERM (from /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    caught = re.search(r"^SigCgt:\s*([0-9a-f]+)$", status, re.M)
    return caught is not None and bool(int(caught.group(1), 16) >> (signal.SIGTERM - 1) & 1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_bundled_kiosk_run_supervises_its_shell_and_stops_cleanly(
    station: BundledStation,
) -> None:
    """`kiosk run` starts its shell as `kiosk -m kiosk run --child` (kiosk/cli.py); in the
    bundle that is the bundle's own program, which must load nothing of a Python outside."""
    supervisor = subprocess.Popen(
        [str(station.program), "run"],
        cwd=station.elsewhere,
        env=station.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log = station.data_dir / "logs" / "kiosk.log"
    try:
        deadline = time.monotonic() + 60
        shells: list[int] = []
        # Running: the shell has taken SIGTERM for itself (kiosk/cli.py does so before it
        # even logs, so its display's line in the log is waited for too).
        while not (
            len(shells) == 1
            and _catches_sigterm(shells[0])
            and "display: SDL video driver" in _text(log)
        ):
            assert supervisor.poll() is None, supervisor.communicate()[0][-2000:]
            assert time.monotonic() < deadline, "the supervised shell did not start"
            time.sleep(0.1)  # waiting for another process; no clock to drive
            shells = _children(supervisor.pid)
        assert "display: SDL video driver dummy" in _text(log)
        mapped = _maps(supervisor.pid) | _maps(shells[0])
        outside = {
            path
            for path in mapped
            if path.startswith("/")
            and not path.startswith(str(station.bundle))
            and ("python" in path.lower() or path.startswith(str(CHECKOUT)))
        }
        assert outside == set(), "the bundle loaded files of another Python or the checkout"
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0
    finally:
        if supervisor.poll() is None:  # a failed test leaves no shell holding the pipe
            for pid in _children(supervisor.pid):
                os.kill(pid, signal.SIGKILL)
            supervisor.kill()
        supervisor.communicate(timeout=30)
    supervised = (station.data_dir / "logs" / "supervisor.log").read_text(encoding="utf-8")
    # 143 = 128 + SIGTERM: the shell took the forwarded signal and shut down in order.
    assert "kiosk shell stopped as asked (status 143)" in supervised


@pytest.fixture
def served(station: BundledStation) -> Iterator[tuple[str, str]]:
    """The bundle's own office on loopback: (url, site token)."""
    office_db = f"sqlite:///{station.root / 'office.db'}"
    with serve_office(station, office_db, lambda *args: [str(station.program), *args]) as served:
        yield served


def test_the_bundled_office_serves_and_a_station_set_up_with_the_bundle_syncs_to_it(
    station: BundledStation, served: tuple[str, str]
) -> None:
    url, token = served
    # What IT staff do on a new PC (docs/install-windows.md, section 4).
    setup = station.kiosk(
        *("setup", "--site", "ludza", "--site-name", "Ludza", "--timezone", "Europe/Riga"),
        *("--station", "ludza-pc-1", "--office", url, "--token-stdin", "--pin-stdin"),
        "--non-interactive",
        stdin=f"{token}\n7391\n",
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert (station.config_dir / "config.yaml").is_file()
    doctor = station.kiosk("doctor", "--lang", "en")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    for check in ("Office", "Site token", "Content packs", "Librarian PIN", "Data folder"):
        assert re.search(rf"^OK +{check}:", doctor.stdout, re.M), doctor.stdout

    monkey = station.kiosk("monkey", "--events", "150", "--data-dir", str(station.data_dir))
    assert monkey.returncode == 0, monkey.stderr[-2000:]

    synced = station.kiosk("sync")
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

    # The dashboard's templates, catalogs and style sheet came with the bundle.
    login = httpx.get(f"{url}/login", headers={"Accept-Language": "lv"}, timeout=30)
    assert login.status_code == 200 and "<form" in login.text
    style = httpx.get(f"{url}/static/dashboard.css", timeout=30)
    assert style.status_code == 200 and style.text.strip()
    stats = station.kiosk("stats", "--by", "activity")
    assert stats.returncode == 0, stats.stderr
