"""The settings the office may set: the file's rules, opening hours in the library's own
time zone, and how they lie over a station's config (kiosk.fleet.settings)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.config import Config
from kiosk.fleet.settings import SettingsError, apply_to_config, flatten, is_open, parse_settings

HOURS = {"mon": "9:00-13:00, 14:00-18:00", "sat": "10:00-24:00", "sun": "closed"}


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        (datetime(2026, 11, 30, 8, 30, tzinfo=UTC), True),  # Monday 10:30 in Riga
        (datetime(2026, 11, 30, 11, 30, tzinfo=UTC), False),  # 13:30: lunch
        (datetime(2026, 11, 30, 16, 0, tzinfo=UTC), False),  # 18:00: closed from then
        (datetime(2026, 12, 5, 21, 59, tzinfo=UTC), True),  # Saturday 23:59
        (datetime(2026, 12, 6, 10, 0, tzinfo=UTC), False),  # Sunday: closed
        (datetime(2026, 12, 1, 10, 0, tzinfo=UTC), False),  # Tuesday: not listed
    ],
)
def test_opening_hours_are_judged_in_the_librarys_zone(utc: datetime, open_: bool) -> None:
    assert is_open(HOURS, utc, "Europe/Riga") is open_


def test_no_opening_hours_means_always_open() -> None:
    assert is_open(None, datetime(2026, 12, 6, 3, 0, tzinfo=UTC), "Europe/Vilnius")


def test_office_keys_lie_over_the_config_and_the_default_language_follows() -> None:
    settings = parse_settings("languages: {available: [lt, en]}\nsession: {idle_timeout_s: 60}\n")
    config = apply_to_config(Config.model_validate({}), flatten(settings))
    assert config.languages.available == ["lt", "en"] and config.languages.default == "lt"
    assert config.session.idle_timeout_s == 60 and config.site.id == "demo"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("display: {size: 800x600}\n", "x.yaml:1: display: is set by IT on each station"),
        ("storage: {data_dir: /tmp}\n", "storage: is set by IT"),
        ("session: {idle_timeout_s: 5}\n", "x.yaml:1: session.idle_timeout_s:"),
        ("languages: {available: [lv], default: en}\n", "languages.default"),
        ("group: {minutes: 7}\n", "group.minutes"),
        ("a: &x 1\nb: *x\n", "alias"),
        ("session: {colour: red}\n", "session.colour"),
    ],
)
def test_a_bad_settings_file_says_where_and_what(text: str, says: str) -> None:
    with pytest.raises(SettingsError) as refused:
        parse_settings(text, "x.yaml")
    assert says in str(refused.value)
