"""Station settings the office may set: what they are, how a file of them is checked, and
how they are laid over a station's own config.

A settings file (``kiosk office set-settings --site ID [--station ID] FILE.yaml``) uses the
config file's own keys, for the few a library decides rather than IT::

    activities: {order: [quiz, memory], hidden: [drawing]}
    session: {age_picker: false, idle_timeout_s: 120}
    languages: {available: [lv, lt], default: lv}
    group: {headcount: 20, minutes: 45}
    opening_hours: {mon: "10:00-18:00", sat: "10:00-14:00"}

What IT set on the station itself (the office address and token, data folders, the
display, the site and station ids, content folders) cannot come from the office: such a
key is refused with a message that says so. A station's own file is overridden key by key,
and a station override is laid over its library's settings key by key (`merge_layers`).

No pygame and no database here: the office checks uploads with the same model the kiosk
applies, and the kiosk imports it on its sync thread and at the attract screen."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.config import Config, Language
from kiosk.errors import TelpaError
from kiosk.yamltools import YamlLimits, describe_error, duplicate_keys, key_line, parse_with_nodes

#: Sections of config.yaml only IT sets on the station (never from the office).
IT_LOCAL_SECTIONS = ("site", "station", "storage", "sync", "display", "content", "usage")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])-([01]?[0-9]|2[0-4]):([0-5][0-9])$")
SETTINGS_LIMITS = YamlLimits(
    max_chars=20_000,
    max_nodes=2_000,
    max_depth=6,
    max_scalar_chars=200,
    aliases=False,
    kind="a settings file",
)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActivitySettings(_Part):
    order: list[str] | None = Field(None, description="Activity ids shown first, in this order.")
    hidden: list[str] | None = Field(None, description="Activity ids not shown.")


class SessionSettings(_Part):
    age_picker: bool | None = Field(None, description="Ask for the child's age band.")
    idle_timeout_s: int | None = Field(
        None, ge=20, le=3600, description="Seconds without input before 'Are you still there?'."
    )


class LanguageSettings(_Part):
    available: list[Language] | None = Field(None, min_length=1)
    default: Language | None = None


class GroupSettings(_Part):
    headcount: int | None = Field(None, ge=1, le=60, description="Headcount the group form shows.")
    minutes: Literal[1, 2, 5, 10, 15, 20, 30, 45, 60] | None = Field(
        None, description="Timer the group form proposes (one of its choices)."
    )
    age_band: Literal["6-8", "9-11", "12-14"] | None = None


class OfficeSettings(_Part):
    """Settings from the office; every key may be left out (the station's own then holds)."""

    activities: ActivitySettings | None = None
    session: SessionSettings | None = None
    languages: LanguageSettings | None = None
    group: GroupSettings | None = None
    #: Day → "HH:MM-HH:MM" (several with commas), or "closed". A day left out is closed;
    #: no opening_hours at all means always open.
    opening_hours: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], str] | None = None

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        for day, text in value.items():
            if text.strip().lower() == "closed":
                continue
            for part in text.split(","):
                found = _HOURS.match(part.strip())
                start = end = (0, 0)
                if found is not None:
                    numbers = [int(n) for n in found.groups()]
                    start, end = (numbers[0], numbers[1]), (numbers[2], numbers[3])
                if found is None or start >= end or end > (24, 0):
                    raise ValueError(
                        f"{day}: {text!r} is not opening hours; write e.g. "
                        "'10:00-18:00', '9:00-13:00, 14:00-18:00' or 'closed'"
                    )
        return value


class SettingsError(TelpaError, ValueError):
    """A settings file that cannot be used; `str()` is one line naming the file and key."""

    code = "office_settings"


def flatten(settings: OfficeSettings) -> dict[str, Any]:
    """``{"session.idle_timeout_s": 120, "opening_hours": {...}, …}``: the keys set."""
    flat: dict[str, Any] = {}
    data = settings.model_dump(exclude_none=True)
    for section, value in data.items():
        if section == "opening_hours":
            flat[section] = value
            continue
        for key, item in value.items():
            flat[f"{section}.{key}"] = item
    return flat


def unflatten(flat: dict[str, Any]) -> OfficeSettings:
    data: dict[str, Any] = {}
    for key, value in flat.items():
        if "." in key:
            section, name = key.split(".", 1)
            data.setdefault(section, {})[name] = value
        else:
            data[key] = value
    return OfficeSettings.model_validate(data)


def parse_settings(text: str, path: str = "settings.yaml") -> OfficeSettings:
    """Check a settings file. Raises SettingsError (``FILE:LINE: key: message``)."""
    try:
        root, data = parse_with_nodes(text, SETTINGS_LIMITS)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SettingsError(
            f"{path}:{mark.line + 1 if mark else '?'}: not valid YAML: {exc.problem}"
        ) from None
    for loc, key, line in duplicate_keys(root):
        name = ".".join(str(p) for p in (*loc, key))
        raise SettingsError(f"{path}:{line}: {name}: this key is given twice")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(f"{path}:1: the file must be a mapping (session:, languages:, …)")
    for section in data:
        if section in IT_LOCAL_SECTIONS:
            raise SettingsError(
                f"{path}:{key_line(root, (section,))}: {section}: is set by IT on each station "
                "(its config.yaml), never from the office; take it out of this file"
            )
    try:
        settings = OfficeSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        name = ".".join(str(p) for p in loc)
        raise SettingsError(
            f"{path}:{key_line(root, loc)}: {name}: {describe_error(first)}"
        ) from None
    return _consistent(settings, path)


def _consistent(settings: OfficeSettings, path: str) -> OfficeSettings:
    languages = settings.languages
    if (
        languages is not None
        and languages.available
        and languages.default
        and languages.default not in languages.available
    ):
        raise SettingsError(
            f"{path}: languages.default: {languages.default!r} is not in languages.available"
        )
    return settings


def merge_layers(site: dict[str, Any], station: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    """(merged flat settings, key → "site" | "station"): the station's keys win."""
    merged = dict(site)
    merged.update(station)
    sources = {key: "station" if key in station else "site" for key in merged}
    return merged, sources


def apply_to_config(config: Config, flat: dict[str, Any]) -> Config:
    """`config` with the office's config keys laid over it. Keys that would make the config
    invalid together (a default language the station does not offer) are left out."""
    sections: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        if "." not in key:
            continue
        section, name = key.split(".", 1)
        if section in ("activities", "session", "languages"):
            sections.setdefault(section, {})[name] = value
    if not sections:
        return config
    data = config.model_dump(exclude={"source"})
    for section, values in sections.items():
        data[section].update(values)
    languages = data["languages"]
    if languages["default"] not in languages["available"]:
        languages["default"] = languages["available"][0]
    return Config.model_validate(data).model_copy(update={"source": config.source})


def _spans(text: str) -> list[tuple[time, time | None]]:
    if text.strip().lower() == "closed":
        return []
    spans: list[tuple[time, time | None]] = []
    for part in text.split(","):
        found = _HOURS.match(part.strip())
        if found is None:
            continue
        start = time(int(found.group(1)), int(found.group(2)))
        end_h, end_m = int(found.group(3)), int(found.group(4))
        spans.append((start, None if end_h == 24 else time(end_h, end_m)))
    return spans


def is_open(hours: dict[str, str] | None, now: datetime, timezone: str) -> bool:
    """Whether the room is open at `now` (aware) in the library's `timezone`."""
    if not hours:
        return True
    local = now.astimezone(ZoneInfo(timezone))
    text = hours.get(DAYS[local.weekday()])
    if text is None:
        return False
    moment = local.time().replace(tzinfo=None)
    return any(start <= moment and (end is None or moment < end) for start, end in _spans(text))


def next_change(
    hours: dict[str, str] | None, now: datetime, timezone: str, within_days: int = 8
) -> datetime | None:
    """The first minute after `now` at which `is_open` changes (the room opens or closes),
    or None when it never changes (no hours, or the same all week)."""
    if not hours:
        return None
    start = now.replace(second=0, microsecond=0)
    was_open = is_open(hours, now, timezone)
    for minute in range(1, within_days * 24 * 60 + 1):
        moment = start + timedelta(minutes=minute)
        if is_open(hours, moment, timezone) != was_open:
            return moment
    return None
