"""`kiosk set-pin` refuses PINs that anyone would try first, and says kindly why."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text("{}\n", encoding="utf-8")
    return config


@pytest.mark.parametrize(
    ("pin", "reason"),
    [
        ("0000", "one digit repeated"),
        ("11111111", "one digit repeated"),
        ("1234", "run of digits"),
        ("9876", "run of digits"),
        ("0123", "run of digits"),
        ("7890", "run of digits"),
        ("654321", "run of digits"),
        ("1212", "repeats the same few digits"),
        ("123123", "repeats the same few digits"),
        ("12121", "repeats the same few digits"),
        ("2580", "most common PINs"),
        ("1004", "most common PINs"),
        ("6969", "repeats the same few digits"),
        ("2000", "looks like a year"),
        ("1987", "looks like a year"),
        ("2026", "looks like a year"),
        ("112233", "most common PINs"),
    ],
)
def test_set_pin_refuses_an_easy_guess_and_says_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pin: str,
    reason: str,
) -> None:
    config = _config(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert "Please choose 4 to 8 digits" in err and "Nothing was changed." in err
    assert not (tmp_path / "secrets.json").exists()


@pytest.mark.parametrize("pin", ["5831", "2468", "97531", "402917", "19283746"])
def test_set_pin_accepts_a_pin_without_a_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pin: str
) -> None:
    config = _config(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 0
    assert (tmp_path / "secrets.json").exists()


def test_a_refused_pin_leaves_the_old_one_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("5831\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 0
    before = (tmp_path / "secrets.json").read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 2
    assert (tmp_path / "secrets.json").read_bytes() == before


def test_the_kiosk_command_refuses_1234_with_exit_2_and_one_kind_line(tmp_path: Path) -> None:
    config = _config(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "set-pin", "--stdin", "--config", str(config)],
        input="1234\n",
        capture_output=True,
        text=True,
        env=dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1"),
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kiosk: This PIN is a run of digits counting up or down")
    assert not (tmp_path / "secrets.json").exists()
