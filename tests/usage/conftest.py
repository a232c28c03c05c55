"""Fixtures for the usage-store tests: a data folder per test and stores that are always
closed, so a failing test never leaves a writer thread behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from usage_helpers import NOW, FullDisk, OpenStore, fixed_clock, riga_config

from kiosk.config import Config
from kiosk.usage import UsageStore


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def open_store(data_dir: Path) -> Iterator[OpenStore]:
    """`open_store(config=None, now=NOW, folder=data_dir)` opens a store closed at teardown."""
    opened: list[UsageStore] = []

    def _open(
        config: Config | None = None, now: datetime = NOW, folder: Path | None = None
    ) -> UsageStore:
        store = UsageStore.open(folder or data_dir, config or riga_config(), clock=fixed_clock(now))
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def full_disk() -> Iterator[FullDisk]:
    """`full_disk.fill()` / `.free()`: the usage database as on a full disk, and back."""
    disk = FullDisk()
    yield disk
    disk.remove()
