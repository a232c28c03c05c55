"""`kiosk monkey` with four game controllers: buttons, held directions, sticks, pads pulled
out and plugged in again — no errors, never out of the kiosk, never into the librarian's."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kiosk.cli import main
from kiosk.config import Config
from kiosk.monkey import run_monkey


@pytest.fixture(autouse=True)
def _ignore_earlier_tests_objects() -> Iterator[None]:
    """As in tests/test_monkey.py: the shell's full collections walk only its own heap."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def test_monkey_with_four_pads_plays_without_errors() -> None:
    result = run_monkey(Config(), events=2500, seed=11, pads=4)
    assert result.pads == 4, result.pads_unavailable
    assert result.errors == 0
    assert not result.opened_librarian
    assert not result.left_kiosk
    assert result.pad_unplugs > 0 and result.pad_waits > 0  # hot-plug mid-game happened
    assert result.sessions > 5 and result.runs > 5


def test_monkey_says_how_many_pads_it_plays_with(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["monkey", "--events", "200", "--seed", "4", "--pads", "2"]) == 0
    out, err = capsys.readouterr()
    assert "monkey: 2 game controllers plugged in" in err
    assert out.strip().splitlines()[-1].endswith(" 0 errors")


@pytest.mark.slow
def test_monkey_20000_events_with_four_pads() -> None:
    result = run_monkey(Config(), events=20000, seed=17, pads=4)
    assert result.pads == 4, result.pads_unavailable
    assert result.errors == 0
    assert not result.opened_librarian
    assert not result.left_kiosk


def test_without_virtual_pads_the_monkey_says_so_and_plays_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk import virtual_pads

    def no_sdl() -> None:
        raise virtual_pads.VirtualPadsUnavailable("no SDL library found beside pygame in X")

    monkeypatch.setattr(virtual_pads, "load_sdl", no_sdl)
    assert main(["monkey", "--events", "100", "--seed", "2"]) == 0
    out, err = capsys.readouterr()
    assert "monkey: playing without game controllers: no SDL library found" in err
    assert out.strip().splitlines()[-1].endswith(" 0 errors")
