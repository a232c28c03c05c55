"""The body of sync protocol v1 (DESIGN §4) as pydantic models: the *shape* of a batch.

These models decide only what rejects a batch whole (422): a missing or unknown field, a
field of the wrong JSON type (``"14"`` or ``14.0`` for an hour, ``true`` for a count), a
date that is not ``YYYY-MM-DD``, a ``sent_at`` without a UTC offset. Values of the right
type that break a rule (hour 25, an unknown age band, negative counts…) pass here and are
judged row by row in `kiosk.office.ingest`, where such a row is ignored with a conflict
while the rest of the batch imports.
"""

from __future__ import annotations

import functools
import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
)

from kiosk.office.models import APP_VERSION_PATTERN, ID_PATTERN

SCHEMA_VERSION = 1


def _uuid_text(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"not a UUID: {value[:60]!r}") from None


def _iso_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("expected a date as text, YYYY-MM-DD")
    return _parse_date(value)


@functools.lru_cache(maxsize=4096)
def _parse_date(value: str) -> date:
    # Cached: a year of hourly rows repeats each date dozens of times.
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError(f"not a date in the form YYYY-MM-DD: {value[:40]!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date in the form YYYY-MM-DD: {value[:40]!r}") from None


def _aware_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 time as text")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {value[:60]!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the time needs a UTC offset, e.g. +02:00: {value[:60]!r}")
    return moment


def _printable(value: str) -> str:
    if not value.isprintable():
        raise ValueError("contains control or unprintable characters")
    return value


def _app_version(value: str) -> str:
    if not re.fullmatch(APP_VERSION_PATTERN, value):
        raise ValueError(
            f"{value[:40]!r} is not a version: 1-32 letters, digits and . + _ -, "
            "starting with a letter or digit (e.g. 0.1.0)"
        )
    return value


UuidText = Annotated[StrictStr, AfterValidator(_uuid_text)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
AwareDateTime = Annotated[datetime, BeforeValidator(_aware_datetime)]
Identifier = Annotated[StrictStr, Field(pattern=ID_PATTERN)]
ShortText = Annotated[StrictStr, Field(min_length=1, max_length=64), AfterValidator(_printable)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionTotalRow(_Strict):
    """One row of ``session_totals`` as sent (rule checks happen in ingest)."""

    date: IsoDate
    hour: StrictInt
    session_kind: StrictStr
    #: None and "none" both mean "no age band".
    age_band: StrictStr | None
    sessions: StrictInt
    child_visits: StrictInt
    seconds: StrictInt
    rev: StrictInt


class ActivityTotalRow(_Strict):
    """One row of ``activity_totals`` as sent (rule checks happen in ingest)."""

    date: IsoDate
    hour: StrictInt
    activity: StrictStr
    session_kind: StrictStr
    runs: StrictInt
    completed_runs: StrictInt
    seconds: StrictInt
    rev: StrictInt


class TotalsBatch(_Strict):
    """The whole POST /api/v1/totals body (also the USB file of `kiosk sync --export`)."""

    schema_version: StrictInt = Field(alias="schema")
    batch_id: UuidText
    site: Identifier
    station: Identifier
    db_instance_id: UuidText
    #: Shown on the dashboard and nowhere else, but strict all the same: a version is
    #: never free text (see `APP_VERSION_PATTERN`).
    app_version: Annotated[StrictStr, AfterValidator(_app_version)]
    sent_at: AwareDateTime
    timezone: ShortText
    session_totals: list[SessionTotalRow]
    activity_totals: list[ActivityTotalRow]


def describe_location(loc: tuple[int | str, ...]) -> str:
    """("session_totals", 3, "hour") → "session_totals[3].hour"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def describe_validation_error(exc: ValidationError, limit: int = 5) -> str:
    """The first `limit` problems, each as "where: what", joined by "; "."""
    parts = []
    errors = exc.errors(include_url=False)
    for error in errors[:limit]:
        where = describe_location(tuple(error["loc"]))
        what = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            what = "required field is missing"
        elif error["type"] == "extra_forbidden":
            what = "unknown field (protocol v1 has no such field)"
        parts.append(f"{where}: {what}")
    if len(errors) > limit:
        parts.append(f"… and {len(errors) - limit} more")
    return "; ".join(parts)


def parse_batch(data: dict[str, Any]) -> TotalsBatch:
    """Validate a decoded body; raises pydantic.ValidationError."""
    return TotalsBatch.model_validate(data)
