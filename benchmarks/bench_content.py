"""Content-distribution benchmark (not a test): 20 MB of packs to 50 kiosks at once.

Against a real `kiosk office serve` subprocess (uvicorn, SQLite) on 127.0.0.1:

(a) **first sync**: `--kiosks` stations (default 50) of one library, each in its own
    thread with its own data folder, run the kiosk's own content sync
    (`kiosk.fleet.client.sync_content`) at the same moment, with about `--megabytes` (20)
    of packs published for them. Printed: wall time from the first request to the last
    station done, the office process's CPU time over that window (user+system, from
    /proc/<pid>/stat), bytes the stations fetched, and the office's throughput.
(b) **unchanged**: the same stations sync again; the office has nothing new, so each costs
    one manifest request answered 304. Printed: wall time, office CPU per request.

(c) **frames during a download**: one headless kiosk (`kiosk.harness.Harness`, attract
    screen animating) steps frames on the main thread while its station's content sync
    fetches, checks and switches all the packs on another thread, as the background sync
    does; then the same number of frames with nothing running beside them. Printed: the
    longest frame and how many took over 50 ms (DESIGN §9), both ways.

From (b) it prints an estimate for 2,000 stations syncing hourly: the office CPU share of
one core their 304s cost, and from (a) the time one publish of that size takes to reach
them when no cache stands in front of the office.

    python benchmarks/bench_content.py [--kiosks N] [--megabytes M]

Exit status 1 when a station did not finish its sync (printed as an ERROR line), else 0
whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from kiosk.config import Config
from kiosk.fleet.client import sync_content
from kiosk.office.accounts import COMMAND_LINE
from kiosk.office.auth import create_site
from kiosk.office.content_store import publish_pack
from kiosk.office.db import make_engine, upgrade

FIXTURE_PACK = (
    Path(__file__).resolve().parent.parent / "tests" / "packs" / "fixtures" / "good-visit"
)
PACKS = 5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def office(db_url: str) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "office", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the office server did not start")
            time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(20)


def make_packs(root: Path, megabytes: float) -> list[Path]:
    folders = []
    per_pack = int(megabytes * 1_000_000 / PACKS)
    for n in range(PACKS):
        folder = root / f"bench-pack-{n}"
        shutil.copytree(FIXTURE_PACK, folder)
        text = (folder / "pack.yaml").read_text(encoding="utf-8")
        (folder / "pack.yaml").write_text(
            text.replace("pack: good-visit", f"pack: bench-pack-{n}", 1), encoding="utf-8"
        )
        for part in range(4):
            (folder / f"media-{part}.bin").write_bytes(os.urandom(per_pack // 4))
        folders.append(folder)
    return folders


def station_config(root: Path, base: str, token: str, n: int) -> tuple[Config, Path]:
    folder = root / f"station-{n:03d}"
    (folder / "data").mkdir(parents=True)
    token_file = folder / "token.txt"
    token_file.write_text(token, encoding="utf-8")
    config = Config.model_validate(
        {
            "site": {"id": "ludza", "name": "Ludza", "timezone": "Europe/Riga"},
            "station": {"id": f"ludza-pc-{n}"},
            "sync": {"office_url": base, "token_file": str(token_file)},
        }
    )
    return config, folder / "data"


def fleet_round(
    stations: list[tuple[Config, Path]], pid: int
) -> tuple[float, float, int, int, list[str]]:
    """(wall s, office CPU s, bytes fetched, stations answered 304, errors)."""
    results: list[object] = [None] * len(stations)
    start = threading.Barrier(len(stations) + 1)

    def one(i: int) -> None:
        start.wait()
        try:
            results[i] = sync_content(*stations[i])
        except Exception as exc:  # noqa: BLE001 - reported as an ERROR line
            results[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(stations))]
    for thread in threads:
        thread.start()
    cpu_before = cpu_seconds(pid)
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    cpu = cpu_seconds(pid) - cpu_before
    fetched = unchanged = 0
    errors = []
    for result in results:
        if isinstance(result, Exception):
            errors.append(f"{type(result).__name__}: {result}")
            continue
        unchanged += result.unchanged  # type: ignore[attr-defined]
        install = result.install  # type: ignore[attr-defined]
        if install is not None:
            fetched += install.downloaded_bytes
            errors += [f"{f['pack']}: {f['problem']}" for f in install.failed]
    return wall, cpu, fetched, unchanged, errors


def frames_during(work: Callable[[], object] | None, data: Path, config: Config) -> list[float]:
    """Frame times (s) of a harness kiosk while `work` runs on another thread (or for as
    many frames as the last run, when `work` is None)."""
    import pygame

    from kiosk.harness import Harness

    times: list[float] = []
    with Harness(config=config, data_folder=data) as kiosk:
        kiosk.step(10)
        pace = pygame.time.Clock()  # 30 frames a second, as the real main loop
        done = threading.Event()
        if work is not None:
            thread = threading.Thread(target=lambda: (work(), done.set()), daemon=True)
            thread.start()
        else:
            done.set()
        while not done.is_set() or len(times) < FRAMES_ALONE:
            pace.tick(30)
            began = time.perf_counter()
            kiosk.step()
            times.append(time.perf_counter() - began)
            if work is None and len(times) >= FRAMES_ALONE:
                break
    return times


FRAMES_ALONE = 300


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-content-") as work:
        root = Path(work)
        db_url = f"sqlite:///{root / 'office.db'}"
        upgrade(db_url)
        engine = make_engine(db_url)
        token = create_site(engine, "ludza", "Ludza", "Europe/Riga")
        total = 0
        for folder in make_packs(root / "packs", args.megabytes):
            total += publish_pack(engine, folder, ["ludza"], by=COMMAND_LINE).total_bytes
        engine.dispose()
        with office(db_url) as (base, pid):
            stations = [station_config(root, base, token, n) for n in range(args.kiosks)]
            wall, cpu, fetched, _unchanged, errors = fleet_round(stations, pid)
            wall2, cpu2, _f, unchanged, errors2 = fleet_round(stations, pid)
            config, data = station_config(root, base, token, args.kiosks)
            busy = frames_during(lambda: sync_content(config, data), data, config)
            alone = frames_during(None, data, config)
    for error in errors + errors2:
        print(f"ERROR {error}")
    n = args.kiosks
    print(f"packs published: {PACKS}, {total / 1e6:.1f} MB; stations: {n}")
    print(
        f"(a) first sync: {wall:.1f} s wall, office CPU {cpu:.1f} s, "
        f"{fetched / 1e6:.0f} MB fetched ({fetched / 1e6 / wall:.0f} MB/s), "
        f"{fetched / max(1, n * total):.2f}× the packs per station"
    )
    print(
        f"(b) unchanged: {unchanged}/{n} answered 304 in {wall2:.2f} s wall, office CPU "
        f"{cpu2:.2f} s ({cpu2 / n * 1000:.1f} ms per 304)"
    )
    for name, times in (("during the download", busy), ("alone", alone)):
        over = sum(1 for t in times if t > 0.050)
        print(
            f"(c) frames {name}: {len(times)} frames, longest {max(times) * 1000:.1f} ms, "
            f"median {sorted(times)[len(times) // 2] * 1000:.1f} ms, {over} over 50 ms"
        )
    per_hour = 2000 * cpu2 / n
    publish_cpu = 2000 * cpu / n
    print(
        f"estimate, 2,000 stations syncing hourly: {per_hour:.0f} s of office CPU an hour for "
        f"their 304s ({per_hour / 3600 * 100:.1f} % of one core); one {total / 1e6:.0f} MB "
        f"publish reaching all of them from the office alone: {publish_cpu / 60:.1f} min of "
        f"office CPU and {2000 * total / 1e9:.0f} GB sent (a cache in front of "
        "/api/v1/files/ takes both off it)"
    )
    return 1 if errors or errors2 or unchanged != n else 0


if __name__ == "__main__":
    sys.exit(main())
