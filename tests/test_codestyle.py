"""ruff and mypy run with the tests, so style and types cannot drift (STYLE habit 6)."""

from __future__ import annotations

import subprocess
import sys

from kiosk.paths import APP_ROOT

TREES = ["kiosk", "games", "tests", "benchmarks", "scripts"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=APP_ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_ruff_formatted() -> None:
    result = _run("ruff", "format", "--check", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing_in_kiosk_and_games() -> None:
    """Every function typed (disallow_untyped_defs), pydantic models checked by its plugin."""
    result = _run("mypy", "-p", "kiosk", "-p", "games")
    assert result.returncode == 0, result.stdout + result.stderr
