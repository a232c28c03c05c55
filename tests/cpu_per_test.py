"""The CPU each test costs, which a busy machine does not change (docs/testing.md):

    TELPA_TEST_CPU=/tmp/cpu pytest -p tests.cpu_per_test
    python -m tests.cpu_per_test /tmp/cpu

Each worker appends one JSON line per test to ``$TELPA_TEST_CPU/<worker>.jsonl``: its
process's CPU over the test's setup, call and teardown (`self`), that of the processes it
started and waited for (`child`), the wall time, and when and on which worker it started
(`start`, `worker`: which worker finishes last, and with what). Run as a module, it prints
the sum and the costliest files and tests."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

_out: list[IO[str]] = []


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    folder = os.environ.get("TELPA_TEST_CPU")
    if not folder:
        yield
        return
    if not _out:
        Path(folder).mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _out.append(open(Path(folder) / f"{worker}.jsonl", "a", encoding="utf-8"))  # noqa: SIM115
    own, children = _cpu()
    began = time.time()
    start = time.perf_counter()
    yield
    own_after, children_after = _cpu()
    row = {
        "id": item.nodeid,
        "self": own_after - own,
        "child": children_after - children,
        "wall": time.perf_counter() - start,
        "start": began,
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
    }
    _out[0].write(json.dumps(row) + "\n")
    _out[0].flush()


def main(folder: str, top: int = 25) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            row["id"] = row["id"].split("@tests/")[0]  # without xdist's group (loadgroup)
            rows[row["id"]] = row  # a test run again (--lf) replaces its earlier row

    def cpu(row: dict[str, Any]) -> float:
        return float(row["self"] + row["child"])

    total = sum(cpu(row) for row in rows.values())
    print(f"{len(rows)} tests, {total:.0f} s of CPU ({total / 60:.1f} min)")
    files: dict[str, float] = {}
    for test_id, row in rows.items():
        name = test_id.split("::")[0]
        files[name] = files.get(name, 0.0) + cpu(row)
    for name, seconds in sorted(files.items(), key=lambda item: -item[1])[:top]:
        print(f"{seconds:7.1f} s  {name}")
    print()
    for row in sorted(rows.values(), key=cpu, reverse=True)[:top]:
        print(f"{cpu(row):7.2f} s  {row['id']}")


if __name__ == "__main__":
    main(sys.argv[1])
