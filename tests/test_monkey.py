from __future__ import annotations

import pytest

from kiosk.cli import main
from kiosk.config import Config
from kiosk.monkey import run_monkey


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
def test_monkey_20000_events_keeps_memory_flat() -> None:
    result = run_monkey(Config(), events=20000, seed=1)
    assert result.errors == 0
    growth = (result.rss_end_kib - result.rss_early_kib) / result.rss_early_kib
    assert growth <= 0.10, f"{result.rss_early_kib} KiB -> {result.rss_end_kib} KiB"
