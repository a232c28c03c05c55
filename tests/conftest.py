"""Shared fixtures: every test that needs a kiosk gets a fresh headless one."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from kiosk.config import Config, parse_config  # noqa: E402
from kiosk.harness import Harness  # noqa: E402


def make_config(text: str = "") -> Config:
    return parse_config(text or "{}")


@pytest.fixture
def kiosk(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """A headless kiosk at 1366×768 on the default config; parametrise with
    `@pytest.mark.parametrize("kiosk", [{...Harness kwargs}], indirect=True)`."""
    options = dict(getattr(request, "param", {}) or {})
    harness = Harness(**options)
    try:
        yield harness
    finally:
        harness.close()
