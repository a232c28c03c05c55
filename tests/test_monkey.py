from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import Config
from kiosk.monkey import run_monkey


@pytest.fixture(autouse=True)
def _ignore_earlier_tests_objects() -> Iterator[None]:
    """The shell runs a full garbage collection whenever an activity closes. In a test
    process that has already run hundreds of tests, each one would walk every object those
    left behind (the kiosk itself has a small heap); freezing them keeps the monkey's cost
    its own."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.mark.slow  # a soak: run by `pytest -m slow` (CI), not by the default run
def test_monkey_reaches_sessions_and_runs_without_errors() -> None:
    result = run_monkey(Config(), events=3000, seed=7)
    assert result.errors == 0
    assert not result.left_kiosk
    assert result.sessions > 10 and result.runs > 10


def test_monkey_prints_one_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["monkey", "--events", "300", "--seed", "3"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("monkey: 300 events, ")
    assert out[-1].endswith(" 0 errors")


@pytest.mark.slow
def test_monkey_20000_events_keeps_memory_flat_over_the_last_10000() -> None:
    """DESIGN §9: no growth beyond 10 % over 10,000 monkey events (the caches, bounded in
    bytes, fill during the first half)."""
    result = run_monkey(Config(), events=20000, seed=1)
    assert result.errors == 0
    growth = (result.rss_end_kib - result.rss_half_kib) / result.rss_half_kib
    assert growth <= 0.10, f"{result.rss_half_kib} KiB -> {result.rss_end_kib} KiB"


@pytest.mark.slow
def test_monkey_50000_events_never_opens_the_librarian_panel_nor_quits() -> None:
    result = run_monkey(Config(), events=50000, seed=5)
    assert result.errors == 0
    assert not result.opened_librarian
    assert not result.left_kiosk


@pytest.mark.fresh_databases  # the full disk must stop the database being created
def test_usage_records_lost_on_a_full_disk_count_as_monkey_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk is full all along and memory holds only 20 waiting events: the oldest are
    dropped, the rest are lost when the monkey stops — each one an error, not `0 errors`."""
    from tests.usage.usage_helpers import FullDisk

    monkeypatch.setattr("kiosk.usage.store.MAX_PENDING", 20)
    disk = FullDisk()
    disk.fill()
    try:
        status = main(
            ["monkey", "--events", "300", "--seed", "3", "--data-dir", str(tmp_path / "data")]
        )
    finally:
        disk.remove()
    out, err = capsys.readouterr()
    summary = out.strip().splitlines()[-1]
    errors = int(summary.rsplit(" ", 2)[-2])
    assert status == 1
    assert errors > 20  # at least the 20 still waiting at the end, plus the dropped ones
    assert f"monkey: {errors} usage records could not be saved" in err
