"""Sync protocol v1 (DESIGN §4, docs/protocol.md), written once for both ends.

The kiosk builds its request bodies from these models (`build_batch`, `TotalsBatch.wire`)
and reads the office's answers through them (`TotalsResponse`, `ErrorBody`); the office
validates the same bodies with the same models (`parse_batch`) and answers with the same
codes (`ErrorCode`, `ConflictCode`). Nothing here imports pygame, SQLAlchemy or the
office's libraries: only pydantic, and the kiosk loads this module on its sync thread, never
at start-up.

**Unknown fields.** A *request* (`TotalsBatch` and its rows) forbids them: the office
rejects the whole batch (422 ``INVALID_BODY``) rather than drop a value it does not
understand, so a row never reaches the office half-read and no free text rides along.
A field is added to the protocol as an *optional* field with a default, in the office
first; old kiosks keep sending bodies without it, and a kiosk that sends it to an office
that does not know it yet keeps its rows pending (nothing is lost) until the office is
upgraded. A *response* (`TotalsResponse`, `Counts`, `ConflictEntry`, `ErrorBody`) ignores
unknown fields: the office may add to its answers without breaking a single kiosk.

**Additions.** Optional fields added to v1 come in named *additions* (`ADDITIONS`). An
office lists the additions it stores in the ``accepts`` of every answer 200; a kiosk puts
an addition's fields in a body only after its office has listed it (`build_batch`'s
`additions`), so a new kiosk keeps delivering to an old office. An addition's fields
default to 0, which is also what an absent field means, and are left out of a body when
they are 0 (`TotalsBatch.wire`): a body without them is exactly a v1 body.

These models decide only what rejects a batch whole (422): a missing or unknown field, a
field of the wrong JSON type (``"14"`` or ``14.0`` for an hour, ``true`` for a count), a
date that is not ``YYYY-MM-DD``, a ``sent_at`` without a UTC offset. Values of the right
type that break a rule (hour 25, an unknown age band, negative counts…) pass here and are
judged row by row by the office (`kiosk.office.ingest`), which ignores such a row with a
conflict while the rest of the batch imports.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Collection
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictInt,
    StrictStr,
    ValidationError,
)

SCHEMA_VERSION = 1
TOTALS_PATH = "/api/v1/totals"
HEALTH_PATH = "/api/v1/health"
#: Limits of one request: bytes of the body and rows in its two lists.
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

SESSION_TABLE = "session_totals"
ACTIVITY_TABLE = "activity_totals"
TABLES = (SESSION_TABLE, ACTIVITY_TABLE)

#: How "no age band" is stored (JSON null and "none" on the wire both become this).
NO_AGE_BAND = "none"
AGE_BANDS = ("6-8", "9-11", "12-14", NO_AGE_BAND)
SESSION_KINDS = ("solo", "group")

#: Site and station ids: the kiosk's own config pattern (kiosk.config.SiteConfig).
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
#: Activity ids (the kiosk's entry-point names): lowercase letters, digits, '_' and '-',
#: never starting with a character a spreadsheet reads as a formula (= + - @).
ACTIVITY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
#: The additions to v1 this module knows (docs/protocol.md, "Additions"), each with the
#: row fields it adds. "controllers": a session row's sessions played with game
#: controllers and the sum of their controllers (1-4 each).
CONTROLLERS = "controllers"
ADDITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    CONTROLLERS: {SESSION_TABLE: ("sessions_with_controllers", "controllers")},
}
#: Game controllers one session can have (the group setup's teams).
MAX_CONTROLLERS = 4

#: App versions as kiosks send them (PEP 440 and semantic versions alike: 0.1.0,
#: 1.2.0rc1, 1.0.0+ludza.2); the first character is a letter or digit.
APP_VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}$"


class ErrorCode(StrEnum):
    """The ``error`` of an `ErrorBody`: why the office refused a request. Nothing was
    stored; docs/protocol.md says which status goes with which code."""

    INVALID_JSON = "INVALID_JSON"
    MISSING_TOKEN = "MISSING_TOKEN"
    INVALID_TOKEN = "INVALID_TOKEN"
    SITE_MISMATCH = "SITE_MISMATCH"
    BODY_TOO_LARGE = "BODY_TOO_LARGE"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    UNSUPPORTED_SCHEMA = "UNSUPPORTED_SCHEMA"
    INVALID_BODY = "INVALID_BODY"
    UNKNOWN_SITE = "UNKNOWN_SITE"
    BATCH_ID_REUSED = "BATCH_ID_REUSED"
    INVALID_REQUEST = "INVALID_REQUEST"
    INVALID_QUERY = "INVALID_QUERY"
    BUSY = "BUSY"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    HTTP_ERROR = "HTTP_ERROR"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class ConflictCode(StrEnum):
    """Why the office ignored one row of a batch that otherwise imported."""

    FUTURE_DATE = "FUTURE_DATE"
    DATE_TOO_OLD = "DATE_TOO_OLD"
    BAD_HOUR = "BAD_HOUR"
    UNKNOWN_SESSION_KIND = "UNKNOWN_SESSION_KIND"
    UNKNOWN_AGE_BAND = "UNKNOWN_AGE_BAND"
    BAD_ACTIVITY = "BAD_ACTIVITY"
    NEGATIVE_COUNT = "NEGATIVE_COUNT"
    COMPLETED_OVER_RUNS = "COMPLETED_OVER_RUNS"
    ABSURD_COUNT = "ABSURD_COUNT"
    DUPLICATE_KEY = "DUPLICATE_KEY"
    STALE = "STALE"


# ----- field types ----------------------------------------------------------------------


def _uuid_text(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"not a UUID: {value[:60]!r}") from None


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
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
    if isinstance(value, datetime):
        moment = value
    elif not isinstance(value, str):
        raise ValueError("expected an ISO 8601 time as text")
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 time: {value[:60]!r}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the time needs a UTC offset, e.g. +02:00: {str(value)[:60]!r}")
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
IsoDate = Annotated[date, BeforeValidator(_iso_date), PlainSerializer(date.isoformat)]
#: Written back exactly as the kiosk has always sent it: ``2026-11-26T10:15:02+02:00``
#: (pydantic's own JSON form would turn a +00:00 offset into "Z").
AwareDateTime = Annotated[
    datetime, BeforeValidator(_aware_datetime), PlainSerializer(datetime.isoformat)
]
Identifier = Annotated[StrictStr, Field(pattern=ID_PATTERN)]
ShortText = Annotated[StrictStr, Field(min_length=1, max_length=64), AfterValidator(_printable)]


# ----- the request ----------------------------------------------------------------------


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionTotalRow(_Request):
    """One row of ``session_totals`` as sent (rule checks happen at the office)."""

    date: IsoDate
    hour: StrictInt
    session_kind: StrictStr
    #: None and "none" both mean "no age band"; kiosks send None.
    age_band: StrictStr | None
    sessions: StrictInt
    child_visits: StrictInt
    seconds: StrictInt
    rev: StrictInt
    #: Addition "controllers": sessions of the row played with game controllers, and the
    #: sum of their controllers. Absent means 0 (every kiosk before the addition).
    sessions_with_controllers: StrictInt = 0
    controllers: StrictInt = 0

    def describe(self) -> str:
        """The row's key in plain words, for conflict lines: ``2026-11-25 14:00 9-11 group``."""
        return (
            f"{self.date} {self.hour:02d}:00 {self.age_band or 'no age band'} {self.session_kind}"
        )


class ActivityTotalRow(_Request):
    """One row of ``activity_totals`` as sent (rule checks happen at the office)."""

    date: IsoDate
    hour: StrictInt
    activity: StrictStr
    session_kind: StrictStr
    runs: StrictInt
    completed_runs: StrictInt
    seconds: StrictInt
    rev: StrictInt

    def describe(self) -> str:
        """The row's key in plain words, for conflict lines: ``2026-11-25 14:00 quiz group``."""
        return f"{self.date} {self.hour:02d}:00 {self.activity} {self.session_kind}"


TotalRow = SessionTotalRow | ActivityTotalRow


class TotalsBatch(_Request):
    """The whole ``POST /api/v1/totals`` body (also the USB file of `kiosk sync --export`)."""

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

    def wire(self) -> dict[str, Any]:
        """The body as JSON-ready values, field names as on the wire. Addition fields
        that are 0 are left out (the only fields with a default): the same body then
        reaches an office that does not know them."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def carries(self, addition: str) -> bool:
        """Whether a row of this body holds a (non-zero) field of `addition`."""
        for table, names in ADDITIONS[addition].items():
            rows: list[SessionTotalRow] | list[ActivityTotalRow] = getattr(self, table)
            if any(getattr(row, name) for row in rows for name in names):
                return True
        return False


_Row = TypeVar("_Row", SessionTotalRow, ActivityTotalRow)


def without_additions(row: _Row, keep: Collection[str]) -> _Row:
    """`row` with the fields of every addition not in `keep` set to 0 (left out on the
    wire)."""
    table = SESSION_TABLE if isinstance(row, SessionTotalRow) else ACTIVITY_TABLE
    cleared = {
        name: 0
        for addition, fields in ADDITIONS.items()
        if addition not in keep
        for name in fields.get(table, ())
        if getattr(row, name)
    }
    return row.model_copy(update=cleared) if cleared else row


def build_batch(
    *,
    site: str,
    station: str,
    db_instance_id: str,
    app_version: str,
    sent_at: datetime,
    timezone: str,
    session_totals: list[SessionTotalRow],
    activity_totals: list[ActivityTotalRow],
    batch_id: str | None = None,
    additions: Collection[str] = tuple(ADDITIONS),
) -> TotalsBatch:
    """A batch with a fresh ``batch_id`` (unless given); the header is validated, the rows
    are the models the caller already built. Only the fields of `additions` (the ones the
    office listed in ``accepts``; default: all) stay in the rows. Raises
    pydantic.ValidationError."""
    if set(additions) != set(ADDITIONS):
        session_totals = [without_additions(r, additions) for r in session_totals]
        activity_totals = [without_additions(r, additions) for r in activity_totals]
    return TotalsBatch.model_validate(
        {
            "schema": SCHEMA_VERSION,
            "batch_id": batch_id or str(uuid.uuid4()),
            "site": site,
            "station": station,
            "db_instance_id": db_instance_id,
            "app_version": app_version,
            "sent_at": sent_at.isoformat(timespec="seconds"),
            "timezone": timezone,
            "session_totals": session_totals,
            "activity_totals": activity_totals,
        }
    )


def parse_batch(data: dict[str, Any]) -> TotalsBatch:
    """Validate a decoded body; raises pydantic.ValidationError."""
    return TotalsBatch.model_validate(data)


# ----- the answers ----------------------------------------------------------------------


class _Response(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Counts(_Response):
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0


class ConflictEntry(_Response):
    """One ignored row: where it was in the batch, which rule (`ConflictCode`) and why.
    The code is read as text: an office may know rules this kiosk does not."""

    table: str = ""
    index: int = -1
    code: str = ""
    message: str = ""


class TotalsResponse(_Response):
    """The office's answer 200 to a batch (DESIGN §4 "Response 200")."""

    status: Literal["OK", "WARNING"]
    batch_id: str
    counts: Counts
    conflicts: list[ConflictEntry] = []
    server_time: str = ""
    clock_skew_s: int | None = None
    #: The additions to v1 this office stores (`ADDITIONS`); an office from before
    #: additions existed sends none.
    accepts: list[str] = []


class ErrorBody(_Response):
    """Any refusal under ``/api/``: ``{"error": CODE, "message": "where: what"}``."""

    error: str
    message: str = ""


# ----- describing what is wrong with a body ---------------------------------------------


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
            what = (
                "unknown field (protocol v1 has no such field here; "
                "a newer kiosk? upgrade the office first)"
            )
        parts.append(f"{where}: {what}")
    if len(errors) > limit:
        parts.append(f"… and {len(errors) - limit} more")
    return "; ".join(parts)
