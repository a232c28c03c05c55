"""Activity discovery refuses ids the office could never store."""

from __future__ import annotations

import dataclasses
import re
from importlib.metadata import EntryPoint

import pytest

from games.memory import MemoryPairs
from kiosk.activities import ACTIVITY_ID_PATTERN, discover
from kiosk.office.models import ACTIVITY_PATTERN


class FormulaIdGame(MemoryPairs):
    info = dataclasses.replace(MemoryPairs.info, id='=HYPERLINK("http://x","Click")')


class CapitalIdGame(MemoryPairs):
    info = dataclasses.replace(MemoryPairs.info, id="MyGame")


def test_an_activity_whose_id_the_office_would_refuse_is_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    eps = [
        EntryPoint("memory", "games.memory:MemoryPairs", "kiosk.activities"),
        EntryPoint("formula", "tests.test_activities:FormulaIdGame", "kiosk.activities"),
        EntryPoint("capital", "tests.test_activities:CapitalIdGame", "kiosk.activities"),
    ]
    assert [a.id for a in discover(eps)] == ["memory"]
    assert "HYPERLINK" in caplog.text and "'MyGame'" in caplog.text


def test_the_kiosk_and_the_office_share_one_activity_id_rule() -> None:
    assert ACTIVITY_ID_PATTERN == ACTIVITY_PATTERN
    assert all(re.fullmatch(ACTIVITY_ID_PATTERN, a.id) for a in discover())
