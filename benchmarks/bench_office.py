"""Office-service benchmark (not a test): prints figures measured side by side in one run.

For each backend (SQLite, and PostgreSQL when a server is given), against a real
`kiosk office serve` subprocess (uvicorn) on 127.0.0.1 and a fresh database:

(a) one station sends its full year alone, in batches of 5,000 rows as the kiosk does;
    median of 3 rounds, the backends alternating round by round (both servers stay up).
    Goal (issue #6): under 5 s.
(b) 50 kiosks send their full years at once, each from its own thread with its own httpx
    client: rows ingested per second (wall clock, first request to last response) and
    request latency (p50, p95, max).

A year of totals is what a busy station produces: open 10:00-19:00 (hours 10-18) six days a
week, every hour with a row for each session kind x age band (8) and each of 8 activities x
session kind (16), about 67,600 rows.

    python benchmarks/bench_office.py [--quick] [--kiosks N] [--days N] [--backend B ...]

The exit status is 1 when a batch was not answered 200 (printed as ERROR lines, with the
server's first logged error), else 0 whatever the figures.

PostgreSQL: the server named by --postgres-url or $TELPA_TEST_POSTGRES_URL (a role that may
create databases); a database is created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

from kiosk.office.auth import create_site
from kiosk.office.db import make_engine, upgrade

BATCH_ROWS = 5_000
AGE_BANDS = ["6-8", "9-11", "12-14", None]
KINDS = ["solo", "group"]
ACTIVITIES = ["memory", "quiz", "jigsaw", "sorting", "words", "numbers", "drawing", "stories"]
HOURS = range(10, 19)
SITES = [("ludza", "Europe/Riga"), ("jekabpils", "Europe/Riga"), ("rokiskis", "Europe/Vilnius")]
YEAR_START = date(2025, 1, 1)
#: Different stations send different figures, from a few prepared variants of the year.
VARIANTS = 3


def year_rows(days: int, seed: int) -> list[tuple[str, dict[str, object]]]:
    """(table, row) pairs of one station's `days` days, in date order as the kiosk sends."""
    import random

    rng = random.Random(seed)
    rows: list[tuple[str, dict[str, object]]] = []
    for n in range(days):
        day = YEAR_START + timedelta(days=n)
        if day.weekday() == 6:  # closed on Sundays
            continue
        for hour in HOURS:
            for kind in KINDS:
                for band in AGE_BANDS:
                    sessions = rng.randrange(1, 6) if kind == "solo" else rng.randrange(0, 2)
                    visits = sessions if kind == "solo" else sessions * rng.randrange(5, 25)
                    rows.append(
                        ("session_totals", {
                            "date": day.isoformat(), "hour": hour, "session_kind": kind,
                            "age_band": band, "sessions": sessions, "child_visits": visits,
                            "seconds": sessions * rng.randrange(60, 1800),
                            "rev": rng.randrange(1, 40),
                        })
                    )  # fmt: skip
                for activity in ACTIVITIES:
                    runs = rng.randrange(0, 12)
                    rows.append(
                        ("activity_totals", {
                            "date": day.isoformat(), "hour": hour, "activity": activity,
                            "session_kind": kind, "runs": runs,
                            "completed_runs": rng.randrange(0, runs + 1),
                            "seconds": runs * rng.randrange(30, 600),
                            "rev": rng.randrange(1, 60),
                        })
                    )  # fmt: skip
    return rows


def batch_tails(rows: list[tuple[str, dict[str, object]]]) -> list[bytes]:
    """Each batch's two row lists, serialised once: the JSON after the body's header fields.

    The 50 clients share these, so building bodies costs the client side (which competes
    with the server for the same cores) almost nothing.
    """
    tails = []
    for start in range(0, len(rows), BATCH_ROWS):
        chunk = rows[start : start + BATCH_ROWS]
        sessions = [row for table, row in chunk if table == "session_totals"]
        activities = [row for table, row in chunk if table == "activity_totals"]
        tail = json.dumps(
            {"session_totals": sessions, "activity_totals": activities}, separators=(",", ":")
        )
        tails.append(tail[1:].encode())  # without the opening brace
    return tails


def body(site: str, station: str, db_instance_id: str, timezone: str, tail: bytes) -> bytes:
    head = {
        "schema": 1,
        "batch_id": str(uuid.uuid4()),
        "site": site,
        "station": station,
        "db_instance_id": db_instance_id,
        "app_version": "0.1.0",
        "sent_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "timezone": timezone,
    }
    return json.dumps(head, separators=(",", ":"))[:-1].encode() + b"," + tail


@dataclass
class Kiosk:
    site: str
    timezone: str
    token: str
    station: str
    tails: list[bytes]
    db_instance_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    latencies: list[float] = field(default_factory=list)
    rows: int = 0
    error: str | None = None

    def sync(self, base_url: str, start: threading.Event | None = None) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=base_url, timeout=300) as client:
            if start is not None:
                start.wait()
            for tail in self.tails:
                content = body(self.site, self.station, self.db_instance_id, self.timezone, tail)
                began = time.perf_counter()
                response = client.post("/api/v1/totals", content=content, headers=headers)
                self.latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    self.error = f"{response.status_code} {response.text[:300]}"
                    return
                counts = response.json()["counts"]
                self.rows += sum(counts.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def office_server(db_url: str) -> Iterator[str]:
    """`kiosk office serve` in a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "office", "serve", "--db", db_url, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"the office server stopped:\n{log.read().decode()}")
            try:
                if httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the office server did not answer within 60 s")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        report_server_errors(db_url, log.read().decode(errors="replace"))
        log.close()


def report_server_errors(db_url: str, log: str) -> None:
    """Print how many errors the server logged, and the first one with its traceback."""
    lines = log.splitlines()
    errors = [n for n, line in enumerate(lines) if " ERROR " in line]
    if not errors:
        return
    backend = make_url(db_url).get_backend_name()
    first = errors[0]
    end = next((n for n in range(first + 1, len(lines)) if " INFO " in lines[n]), len(lines))
    print(f"\n{backend} server logged {len(errors)} error(s); the first:", file=sys.stderr)
    print("\n".join(lines[first : min(end, first + 60)]), file=sys.stderr)


@contextmanager
def database(backend: str, postgres_url: str | None) -> Iterator[str]:
    """A fresh, migrated office database of this backend; yields its URL."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-office-") as folder:
            url = f"sqlite:///{Path(folder) / 'office.db'}"
            upgrade(url)
            yield url
        return
    assert postgres_url is not None
    name = f"telpa_bench_{secrets.token_hex(4)}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tokens(db_url: str) -> dict[str, str]:
    engine = make_engine(db_url)
    try:
        return {
            site: create_site(engine, site, name=site.title(), timezone=zone)
            for site, zone in SITES
        }
    finally:
        engine.dispose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Figures:
    backend: str
    one_station_rows: int = 0
    one_station_s: list[float] = field(default_factory=list)
    kiosks: int = 0
    rows: int = 0
    wall_s: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def alone_s(self) -> float:
        return statistics.median(self.one_station_s)


def one_station(figures: Figures, base_url: str, token: str, tails: list[bytes], n: int) -> None:
    """One timed round: a new station sends its whole year, alone on the server."""
    kiosk = Kiosk("ludza", dict(SITES)["ludza"], token, f"ludza-alone-{n + 1}", tails)
    began = time.perf_counter()
    kiosk.sync(base_url)
    figures.one_station_s.append(time.perf_counter() - began)
    figures.one_station_rows = kiosk.rows
    if kiosk.error:
        figures.errors.append(f"{kiosk.station}: {kiosk.error}")


def fleet(
    figures: Figures, base_url: str, site_tokens: dict[str, str], variants: list[list[bytes]],
    kiosks: int,
) -> None:  # fmt: skip
    """`kiosks` stations of the three sites send their years at once, a thread each."""
    zones = dict(SITES)
    stations = []
    for n in range(kiosks):
        site = SITES[n % len(SITES)][0]
        tails = variants[n % len(variants)]
        stations.append(Kiosk(site, zones[site], site_tokens[site], f"{site}-{n + 1}", tails))
    start = threading.Event()
    threads = [threading.Thread(target=k.sync, args=(base_url, start)) for k in stations]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    start.set()
    for thread in threads:
        thread.join()
    figures.wall_s = time.perf_counter() - began
    figures.kiosks = kiosks
    figures.rows = sum(k.rows for k in stations)
    figures.latencies = [t for k in stations for t in k.latencies]
    figures.errors += [f"{k.station}: {k.error}" for k in stations if k.error]


def run(
    backends: list[str], postgres_url: str | None, variants: list[list[bytes]], kiosks: int,
    rounds: int,
) -> list[Figures]:  # fmt: skip
    """Both servers stay up for the whole run. The one-station rounds alternate between them
    (the machine's load drifts during a run); then each backend takes the fleet in turn."""
    results = [Figures(backend) for backend in backends]
    with ExitStack() as stack:
        servers = []
        for backend in backends:
            url = stack.enter_context(database(backend, postgres_url))
            servers.append((stack.enter_context(office_server(url)), tokens(url)))
        for n in range(rounds):
            order = list(range(len(backends)))
            if n % 2:
                order.reverse()
            for i in order:
                base_url, site_tokens = servers[i]
                print(f"  round {n + 1}: one station alone on {backends[i]}", flush=True)
                one_station(results[i], base_url, site_tokens["ludza"], variants[0], n)
        for figures, (base_url, site_tokens) in zip(results, servers, strict=True):
            print(f"  {kiosks} kiosks at once on {figures.backend}", flush=True)
            fleet(figures, base_url, site_tokens, variants, kiosks)
    return results


def report(results: list[Figures], rows_per_station: int) -> None:
    print()
    print(f"{'measure':<46}" + "".join(f"{f.backend:>16}" for f in results))

    def line(label: str, values: list[str]) -> None:
        print(f"{label:<46}" + "".join(f"{v:>16}" for v in values))

    line(f"one station alone, {rows_per_station:,} rows: s", [f"{f.alone_s:.2f}" for f in results])
    line("  each round (s)", ["/".join(f"{t:.2f}" for t in f.one_station_s) for f in results])
    line("  rows per second", [f"{f.one_station_rows / f.alone_s:,.0f}" for f in results])
    line("  goal < 5 s", ["OK" if f.alone_s < 5 else "OVER" for f in results])
    line(f"{results[0].kiosks} kiosks at once: rows ingested", [f"{f.rows:,}" for f in results])
    line("  wall seconds", [f"{f.wall_s:.1f}" for f in results])
    line("  rows per second", [f"{f.rows / f.wall_s:,.0f}" for f in results])
    line("  requests", [f"{len(f.latencies):,}" for f in results])
    for label, q in (("p50", 0.5), ("p95", 0.95), ("max", 1.0)):
        line(f"  request latency {label} (s)", [
            f"{percentile(f.latencies, q):.2f}" for f in results])  # fmt: skip
    if len(results) == 2:
        base, other = results
        print()
        print(f"{other.backend} / {base.backend}, measured in this run:")
        print(f"  one station alone, time:         {other.alone_s / base.alone_s:.2f}x")
        rate = (other.rows / other.wall_s) / (base.rows / base.wall_s)
        print(f"  {base.kiosks} kiosks, rows per second:    {rate:.2f}x")
        p95 = percentile(other.latencies, 0.95) / percentile(base.latencies, 0.95)
        print(f"  {base.kiosks} kiosks, p95 request latency: {p95:.2f}x")
    for f in results:
        for error in f.errors:
            print(f"ERROR ({f.backend}) {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 kiosks, 60 days each")
    parser.add_argument("--kiosks", type=int, help="kiosks syncing at once (default 50)")
    parser.add_argument("--days", type=int, help="days of totals per kiosk (default 365)")
    parser.add_argument(
        "--backend", action="append", choices=["sqlite", "postgresql"],
        help="default: sqlite, and postgresql when a server is given",
    )  # fmt: skip
    parser.add_argument(
        "--postgres-url", default=os.environ.get("TELPA_TEST_POSTGRES_URL"),
        help="a PostgreSQL server where the run may create a database "
        "(default: $TELPA_TEST_POSTGRES_URL)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    kiosks = args.kiosks or (10 if args.quick else 50)
    days = args.days or (60 if args.quick else 365)
    rounds = 2 if args.quick else 3
    backends = args.backend or (["sqlite", "postgresql"] if args.postgres_url else ["sqlite"])
    if "postgresql" in backends and not args.postgres_url:
        parser.error("postgresql needs --postgres-url or $TELPA_TEST_POSTGRES_URL")

    rows = [year_rows(days, seed) for seed in range(VARIANTS)]
    variants = [batch_tails(r) for r in rows]
    print(
        f"{kiosks} kiosks x {days} days = {len(rows[0]):,} rows each ({len(variants[0])} "
        f"batches of up to {BATCH_ROWS:,}), {kiosks * len(rows[0]):,} rows in all; "
        f"backends: {', '.join(backends)}",
        flush=True,
    )
    results = run(backends, args.postgres_url, variants, kiosks, rounds)
    report(results, len(rows[0]))
    return 1 if any(f.errors for f in results) else 0


if __name__ == "__main__":
    sys.exit(main())
