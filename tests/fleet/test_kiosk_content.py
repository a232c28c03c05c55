"""The kiosk's side of content distribution through the real `kiosk sync` (a subprocess)
against the real office on loopback: only missing files are fetched, a cut download
resumes with Range, a kiosk killed (SIGKILL) at random points never has a half pack and
finishes at the next sync, a wrong hash is refused, an offline station keeps what it has,
and a USB export carries the same content."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import Engine, text

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.fleet.client import ContentClient
from kiosk.fleet.store import ContentStore, ManifestFile
from kiosk.office.content_store import station_reports
from kiosk.packs import read_pack
from tests.fleet.conftest import kiosk, make_pack, station_config

#: Files of the big pack and their size: enough bytes that a kill lands mid-download.
BIG_FILES, BIG_FILE_BYTES = 12, 600_000
KILLS = 8
#: Waiting for a kiosk process to reach a point (a real process, not the kiosk's clock).
POLL_S = 0.002


def _office(db: str, *args: str) -> None:
    assert main(["office", "--db", db, *args]) == 0


def _station(tmp_path: Path, office: str, token: str, station: str = "ludza-pc-1") -> Path:
    config = station_config(tmp_path, "ludza", station, office, token)
    assert main(["db", "--config", str(config), "upgrade"]) == 0  # set up; `kiosk sync` runs
    return config


def _data(config: Path) -> Path:
    return config.parent / "data"


def _big_pack(root: Path, seed: int, pack_id: str = "fire-station") -> Path:
    folder = make_pack(root, pack_id)
    rng = random.Random(seed)
    for n in range(BIG_FILES):
        (folder / "more" / f"part{n:02d}.bin").parent.mkdir(exist_ok=True)
        (folder / "more" / f"part{n:02d}.bin").write_bytes(rng.randbytes(BIG_FILE_BYTES))
    return folder


def _assert_whole(data: Path) -> dict[str, int]:
    """What current.json names is there in full and passes the pack check; returns
    pack → version."""
    store = ContentStore(data)
    current = store.read_current()
    for pack, entry in current.packs.items():
        folder = store.root / entry["folder"]
        checked, problems = read_pack(folder)
        assert checked is not None and not problems, (pack, problems)
        sizes = {p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*")}
        assert sizes.get("pack.yaml"), folder
        if any(name.startswith("more/") for name in sizes):
            assert sum(1 for n in sizes if n.startswith("more/part")) == BIG_FILES
            assert all(sizes[f"more/part{n:02d}.bin"] == BIG_FILE_BYTES for n in range(BIG_FILES))
    return current.running()


def test_sync_installs_the_sites_pack_and_an_unchanged_manifest_costs_nothing_more(
    tmp_path: Path, office_server: str, office_db: str, site_token: str, office_engine: Engine
) -> None:
    config = _station(tmp_path, office_server, site_token)
    _office(office_db, "publish-pack", str(make_pack(tmp_path / "src", "fire-station")), "--all")
    first = kiosk("sync", "--config", str(config))
    assert first.returncode == 0, first.stderr
    assert "Pack fire-station: version 1 installed" in first.stdout
    assert _assert_whole(_data(config)) == {"fire-station": 1}
    second = kiosk("sync", "--config", str(config))
    assert second.returncode == 0 and "nothing new at the office" in second.stdout
    report = station_reports(office_engine)[("ludza", "ludza-pc-1")]
    assert report["running"] == {"fire-station": 1} and report["failed"] == []


def test_a_cut_download_resumes_where_it_stopped(
    tmp_path: Path, office_server: str, office_db: str, site_token: str
) -> None:
    folder = _big_pack(tmp_path / "src", seed=1)
    _office(office_db, "publish-pack", str(folder), "--site", "ludza")
    asked: list[str] = []
    http = httpx.Client(
        event_hooks={"request": [lambda r: asked.append(r.headers.get("range", ""))]}
    )
    client = ContentClient(office_server, site_token, http)
    manifest, _etag = client.manifest("ludza-pc-1", "")  # type: ignore[misc]
    entry = next(f for f in manifest["packs"][0]["files"] if f["path"] == "more/part03.bin")  # type: ignore[index]
    file = ManifestFile.model_validate(entry)
    whole = (folder / "more" / "part03.bin").read_bytes()
    part = tmp_path / "part03.part"
    part.write_bytes(whole[:250_000])
    client.fetch(file, part)
    assert asked[-1] == "bytes=250000-"
    assert part.read_bytes() == whole
    http.close()


def _bytes_on_disk(data: Path) -> int:
    try:
        return sum(p.stat().st_size for p in (data / "office-content" / "objects").iterdir())
    except OSError:
        return 0


def _staging(data: Path) -> bool:
    try:
        return any(
            p.name.startswith(".staging-") for p in (data / "office-content" / "versions").iterdir()
        )
    except OSError:
        return False


def _kill_when(process: subprocess.Popen[bytes], reached: Callable[[], bool]) -> None:
    """SIGKILL `process` as soon as `reached()` (or let it end by itself first)."""
    while process.poll() is None:
        if reached():
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(POLL_S)
    process.wait(60)


def _sync_process(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "KIOSK_SCOPE": "user"},
    )


def test_a_kiosk_killed_at_random_points_never_shows_a_half_pack_and_finishes_next_sync(
    tmp_path: Path, office_server: str, office_db: str, site_token: str
) -> None:
    config = _station(tmp_path, office_server, site_token)
    data = _data(config)
    rng = random.Random(18)
    total = BIG_FILES * BIG_FILE_BYTES
    killed = 0
    for version in (1, 2):
        _office(office_db, "publish-pack", str(_big_pack(tmp_path / "src", seed=version)), "--all")
        before = _assert_whole(data)
        for kill in range(KILLS):
            process = _sync_process(config)
            if kill % 4 == 3:  # while a version is assembled and checked
                _kill_when(process, lambda: _staging(data))
            else:  # somewhere in the next third of the download
                at = _bytes_on_disk(data) + rng.randrange(1, total // 3)
                _kill_when(process, lambda at=at: _bytes_on_disk(data) >= at)  # type: ignore[misc]
            killed += process.returncode == -signal.SIGKILL
            running = _assert_whole(data)  # the old version or the whole new one
            assert running in (before, {"fire-station": version})
        finished = kiosk("sync", "--config", str(config))
        assert finished.returncode == 0, finished.stderr
        assert _assert_whole(data) == {"fire-station": version}
    assert killed >= KILLS // 2, "kills must land before the sync ends by itself"
    left = {p.name for p in (data / "office-content" / "versions").iterdir()}
    assert left == {"fire-station.v2"}, "old versions and half-made folders are cleaned up"


def test_a_wrong_hash_is_refused_and_the_next_sync_fetches_it_again(
    tmp_path: Path, office_server: str, office_db: str, site_token: str, office_engine: Engine
) -> None:
    config = _station(tmp_path, office_server, site_token)
    folder = make_pack(tmp_path / "src", "fire-station", photo_bytes=50_000)
    _office(office_db, "publish-pack", str(folder), "--site", "ludza")
    good = (folder / "notes.bin").read_bytes()
    with office_engine.begin() as connection:
        connection.execute(
            text("UPDATE content_files SET data = :bad WHERE size = :size"),
            {"bad": b"x" * len(good), "size": len(good)},
        )
    refused = kiosk("sync", "--config", str(config))
    assert refused.returncode == 1
    assert "does not match its sha256" in refused.stderr
    assert _assert_whole(_data(config)) == {}
    assert not list((_data(config) / "office-content" / "objects").glob("*.part"))
    with office_engine.begin() as connection:
        connection.execute(
            text("UPDATE content_files SET data = :good WHERE size = :size"),
            {"good": good, "size": len(good)},
        )
    fixed = kiosk("sync", "--config", str(config))
    assert fixed.returncode == 0, fixed.stderr
    assert _assert_whole(_data(config)) == {"fire-station": 1}


def test_an_offline_station_keeps_what_it_has(
    tmp_path: Path, office_server: str, office_db: str, site_token: str
) -> None:
    config = _station(tmp_path, office_server, site_token)
    _office(office_db, "publish-pack", str(make_pack(tmp_path / "src", "fire-station")), "--all")
    assert kiosk("sync", "--config", str(config)).returncode == 0
    config.write_text(
        config.read_text("utf-8").replace(office_server, "http://127.0.0.1:9"), "utf-8"
    )
    offline = kiosk("sync", "--config", str(config))
    assert offline.returncode == 1
    assert "could not be reached" in offline.stderr
    assert _assert_whole(_data(config)) == {"fire-station": 1}


def test_a_usb_export_carries_the_packs_and_the_stations_settings(
    tmp_path: Path, office_server: str, office_db: str, site_token: str, other_site_token: str
) -> None:
    _office(
        office_db,
        "publish-pack",
        str(make_pack(tmp_path / "src", "fire-station")),
        "--site",
        "ludza",
    )
    settings = tmp_path / "board.yaml"
    settings.write_text("session: {idle_timeout_s: 240}\n", encoding="utf-8")
    _office(office_db, "set-settings", "--site", "ludza", "--station", "ludza-wb-1", str(settings))
    stick = tmp_path / "stick.zip"
    _office(office_db, "export-content", str(stick))
    board = station_config(tmp_path, "ludza", "ludza-wb-1", "", "unused")
    board.write_text(
        board.read_text("utf-8").replace("office_url: ''", "office_url: null"), "utf-8"
    )
    done = kiosk("import-content", str(stick), "--config", str(board))
    assert done.returncode == 0, done.stderr
    assert "fire-station: version 1 installed" in done.stdout
    data = _data(board)
    assert _assert_whole(data) == {"fire-station": 1}
    assert ContentStore(data).read_current().settings == {"session.idle_timeout_s": 240}
    where = kiosk("where", "--config", str(board))
    line = next(x for x in where.stdout.splitlines() if "session.idle_timeout_s" in x)
    assert "240" in line and "office (set for this station)" in line
    assert load_config(board).session.idle_timeout_s == 90  # the file itself is untouched
    json.loads((data / "office-content" / "current.json").read_text("utf-8"))
