"""The kiosk side of sync protocol v1 (DESIGN §4): request bodies, one POST, the retry rule.

Bodies are built and answers read through the protocol's own models (`kiosk.protocol`,
shared with the office), so the kiosk and the office cannot disagree on the wire.

`push_pending(outbox, office, config)` sends every pending totals row in batches of
`BATCH_ROWS` and marks what the office stored; `kiosk sync` and the background
`SyncService` both use it. The body is also what `kiosk sync --export` writes to a file.
Additions to v1 (docs/protocol.md, "Additions") go only to an office that announced them
in its answers; `push_pending` keeps that handshake in step with the rows it marks.

The site token is read from its file for every push (the librarian may replace the file
at any time) and goes only into the ``Authorization`` header: never into a URL, a log
line, an exception message or the panel.

Errors, one branch of Telpa's error tree (`kiosk.errors.TelpaError`, docs/errors.md); each
has a stable `code` (kept in the usage database and translated by the panel) and an English
message that says what to do::

    SyncError                   sync_failed
    ├── NotSetUp                not_set_up, bad_address: no office address or token file
    │                           in the config, or an address holding a name or password
    ├── TokenFileError          token_file: the file is missing, empty, unreadable, no token
    ├── TokenRejected           token_rejected: the office answered 401 or 403
    ├── BatchRejected           rejected: any other 4xx (except 408, 429)
    ├── OfficeUnavailable       unreachable, tls, busy, server_error: no connection, a TLS
    │                           failure, a timeout, 5xx, 408, 429, an answer not of v1
    └── LocalDatabaseError      database: the usage database could not be read or written

Only `OfficeUnavailable` is retried soon (backoff with full jitter, `Backoff`); the others
wait for the normal interval, because trying again at once cannot help.

Over 500 lines because the push loop, the additions handshake and the 422 fallback must
see the exact errors raised by the POST and the exact bodies built here; split apart, each
half would need the other's internals.
"""

from __future__ import annotations

import json
import logging
import random
import re
import ssl
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
from pydantic import ValidationError

from kiosk import __version__
from kiosk.config import Config
from kiosk.errors import TelpaError
from kiosk.protocol import (
    ADDITIONS,
    SCHEMA_VERSION,
    TOTALS_PATH,
    ErrorBody,
    ErrorCode,
    TotalsBatch,
    TotalsResponse,
    build_batch,
    describe_validation_error,
)
from kiosk.usage import Outbox, PendingBatch, UsageStoreError

log = logging.getLogger(__name__)

SCHEMA = SCHEMA_VERSION
#: Rows per request: well under the office's 20,000 rows / 5 MB limit, and small enough
#: that an old PC on a slow line finishes a request in seconds.
BATCH_ROWS = 5_000
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
#: Characters a token may have (the office makes URL-safe base64 tokens).
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{8,512}")


# ----- errors ---------------------------------------------------------------------------


class SyncError(TelpaError):
    """Base of every sync failure; `code` is stable, the message is plain English."""

    code = "sync_failed"
    #: The HTTP status the office answered, when it answered.
    status: int | None = None


class NotSetUp(SyncError):
    code = "not_set_up"
    codes = ("not_set_up", "bad_address")

    def __init__(self, reason: str) -> None:
        #: "office_url" or "token_file": which setting is missing; "office_url_userinfo":
        #: the address holds a user name or password (a token would leak into logs).
        self.reason = reason
        if reason == "office_url_userinfo":
            self.code = "bad_address"
        super().__init__(
            "online sync is not set up: "
            + {
                "office_url": "sync.office_url is empty in the config",
                "token_file": "sync.token_file is empty in the config",
            }.get(reason, "sync.office_url must not hold a user name, password or token")
        )


class TokenFileError(SyncError):
    code = "token_file"

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(
            f"token file {path}: {problem}; put the site token the coordinator gave you "
            "in it (one line)"
        )


class TokenRejected(SyncError):
    code = "token_rejected"

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(
            f"the office refused the site token (HTTP {status}); ask the coordinator for a "
            "new token and put it in the token file"
        )


class BatchRejected(SyncError):
    code = "rejected"

    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        #: The office's error code (``INVALID_BODY`` …), or the HTTP reason without one.
        self.detail = detail
        super().__init__(
            f"the office refused the totals (HTTP {status}: {detail}); tell the coordinator"
        )


class OfficeUnavailable(SyncError):
    code = "unreachable"
    codes = ("unreachable", "tls", "busy", "server_error")

    def __init__(self, message: str, *, code: str = "unreachable", status: int | None = None):
        self.code = code
        self.status = status
        super().__init__(message)


class LocalDatabaseError(SyncError):
    code = "database"


# ----- the retry rule -------------------------------------------------------------------


def is_retryable(status: int) -> bool:
    """Whether an HTTP status is worth retrying soon: 5xx, 408 and 429; no other 4xx."""
    return status >= 500 or status in (408, 429)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: after the n-th failure in a row, wait a random
    time between 0 and min(cap, base × 2^(n−1)) — 30 s, 60 s, 2 min … up to an hour."""

    base_s: float = 30.0
    cap_s: float = 3600.0

    def ceiling(self, failures: int) -> float:
        if failures < 1:
            return 0.0
        # 2**(n-1) overflows nothing here: the exponent stops growing past the cap.
        return min(self.cap_s, self.base_s * 2 ** min(failures - 1, 32))

    def delay(self, failures: int, rng: random.Random) -> float:
        return rng.uniform(0.0, self.ceiling(failures))


# ----- the token and the body -----------------------------------------------------------


def token_path(config: Config) -> Path:
    """The token file of the config (relative paths are next to the config file).

    Raises NotSetUp when the office address or the token file is not configured."""
    if not config.sync.office_url:
        raise NotSetUp("office_url")
    if not config.sync.token_file:
        raise NotSetUp("token_file")
    path = Path(config.sync.token_file).expanduser()
    if not path.is_absolute() and config.source is not None:
        path = Path(config.source).parent / path
    return path


def read_token(path: Path) -> str:
    """The site token in `path` (surrounding whitespace dropped). Raises TokenFileError,
    whose message names the file but never shows what is in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TokenFileError(path, "the file does not exist") from None
    except UnicodeDecodeError:
        raise TokenFileError(path, "the file is not a text file") from None
    except OSError as exc:
        raise TokenFileError(
            path, f"cannot read it ({exc.strerror or type(exc).__name__})"
        ) from None
    token = text.strip()
    if not token:
        raise TokenFileError(path, "the file is empty")
    if not _TOKEN.fullmatch(token):
        raise TokenFileError(path, "the file does not hold a site token")
    return token


def build_batch_body(
    config: Config,
    db_instance_id: str,
    batch: PendingBatch,
    now: datetime,
    additions: Collection[str] = tuple(ADDITIONS),
) -> TotalsBatch:
    """The protocol v1 body for `batch`, with a fresh batch_id, as the protocol's model,
    carrying the fields of `additions` only (default: every addition, as in a USB file).

    Raises pydantic.ValidationError when the config or the database holds something v1
    cannot carry (`push_pending` reports it as `LocalDatabaseError`)."""
    zone = config.site.timezone
    return build_batch(
        additions=additions,
        batch_id=str(uuid.uuid4()),
        site=config.site.id,
        station=config.station.id,
        db_instance_id=db_instance_id,
        app_version=__version__,
        sent_at=now.astimezone(ZoneInfo(zone)),
        timezone=zone,
        session_totals=batch.session_totals(),
        activity_totals=batch.activity_totals(),
    )


def build_body(
    config: Config,
    db_instance_id: str,
    batch: PendingBatch,
    now: datetime,
    additions: Collection[str] = tuple(ADDITIONS),
) -> dict[str, Any]:
    """The protocol v1 body for `batch` as JSON-ready values (see `build_batch_body`)."""
    return build_batch_body(config, db_instance_id, batch, now, additions).wire()


def encode_body(body: TotalsBatch | dict[str, Any]) -> bytes:
    values = body.wire() if isinstance(body, TotalsBatch) else body
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ----- talking to the office ------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    table: str
    index: int
    code: str
    message: str
    #: The row's key in plain words, when the conflict could be matched to a sent row.
    row: str = ""

    def describe(self) -> str:
        where = f"{self.table} row {self.index}" + (f" ({self.row})" if self.row else "")
        return f"{where}: {self.code} {self.message}".rstrip()


@dataclass(frozen=True)
class ImportSummary:
    """The office's answer to one batch (DESIGN §4 "Response 200")."""

    status: str
    batch_id: str
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    conflicts: tuple[Conflict, ...] = ()
    clock_skew_s: int | None = None
    #: The additions to protocol v1 the office stores (its answer's ``accepts``).
    accepts: frozenset[str] = frozenset()

    @classmethod
    def from_response(cls, data: Any, batch: PendingBatch | None = None) -> ImportSummary:
        """Read the office's answer 200 (fields it adds later are ignored); raises
        ValueError when it is not one."""
        try:
            answer = TotalsResponse.model_validate(data)
        except ValidationError as exc:
            raise ValueError(describe_validation_error(exc, limit=2)) from None
        conflicts = []
        for item in answer.conflicts:
            row = ""
            if batch is not None and item.table in ("session_totals", "activity_totals"):
                rows = batch.rows(item.table)
                if 0 <= item.index < len(rows):
                    row = rows[item.index].describe()
            conflicts.append(Conflict(item.table, item.index, item.code, item.message, row))
        counts = answer.counts
        return cls(
            status=answer.status,
            batch_id=answer.batch_id,
            imported=counts.imported,
            updated=counts.updated,
            unchanged=counts.unchanged,
            ignored=counts.ignored,
            conflicts=tuple(conflicts),
            clock_skew_s=answer.clock_skew_s,
            accepts=frozenset(answer.accepts),
        )

    def describe(self) -> str:
        return (
            f"{self.imported} imported, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.ignored} ignored"
        )


def _check_office_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.username or parts.password or "@" in parts.netloc:
        # A token pasted into the address would end up in logs and error messages.
        raise NotSetUp("office_url_userinfo")
    return url.rstrip("/")


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class OfficeClient:
    """POSTs bodies to one office. TLS certificates are always verified (httpx's default);
    tests may pass their own `httpx.Client` (e.g. with event hooks), never one that skips
    verification."""

    def __init__(self, office_url: str, *, http: httpx.Client | None = None) -> None:
        self.base_url = _check_office_url(office_url)
        self._own_http = http is None
        self.http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)

    def close(self) -> None:
        if self._own_http:
            self.http.close()

    def __enter__(self) -> OfficeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def post_totals(
        self,
        token: str,
        body: TotalsBatch | dict[str, Any] | bytes,
        batch: PendingBatch | None = None,
    ) -> ImportSummary:
        """Send one body; the office's summary, or a SyncError (never one naming the token)."""
        content = body if isinstance(body, bytes) else encode_body(body)
        url = self.base_url + TOTALS_PATH
        try:
            response = self.http.post(
                url,
                content=content,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        except httpx.TimeoutException:
            raise OfficeUnavailable(
                f"the office at {self.base_url} did not answer in time"
            ) from None
        except httpx.HTTPError as exc:
            if _is_tls_failure(exc):
                raise OfficeUnavailable(
                    f"the office at {self.base_url} did not show a valid TLS certificate "
                    f"({type(exc).__name__})",
                    code="tls",
                ) from None
            raise OfficeUnavailable(
                f"the office at {self.base_url} could not be reached ({type(exc).__name__})"
            ) from None
        status = response.status_code
        if status in (401, 403):
            raise TokenRejected(status)
        if is_retryable(status):
            raise OfficeUnavailable(
                f"the office at {self.base_url} answered HTTP {status}; will try again",
                code="busy" if status in (408, 429) else "server_error",
                status=status,
            )
        if status != 200:
            raise BatchRejected(status, _error_detail(response))
        try:
            return ImportSummary.from_response(response.json(), batch)
        except ValueError as exc:
            raise OfficeUnavailable(
                f"the office at {self.base_url} sent an answer that is not a sync summary ({exc})",
                code="server_error",
                status=status,
            ) from None


def _error_detail(response: httpx.Response) -> str:
    try:
        return ErrorBody.model_validate(response.json()).error[:200]
    except ValueError:  # not JSON, or JSON without an error code
        return response.reason_phrase or "no details"


# ----- pushing everything ---------------------------------------------------------------


@dataclass
class PushResult:
    """What one push did: the batches the office stored, and the error that stopped it."""

    batches: list[tuple[PendingBatch, ImportSummary]] = field(default_factory=list)
    error: SyncError | None = None
    #: Rows queued again because the office started storing an addition to v1 (they were
    #: sent again in the same push unless an error stopped it).
    requeued: int = 0

    @property
    def rows_sent(self) -> int:
        return sum(len(batch) for batch, _summary in self.batches)

    @property
    def conflicts(self) -> int:
        return sum(len(summary.conflicts) for _batch, summary in self.batches)


BatchCallback = Callable[[int, PendingBatch, ImportSummary], None]


def push_pending(
    outbox: Outbox,
    office: OfficeClient,
    config: Config,
    *,
    now: Callable[[], datetime],
    on_batch: BatchCallback | None = None,
    max_rows: int = BATCH_ROWS,
) -> PushResult:
    """Send every pending row, batch after batch; after each 200 mark the rows that were
    sent (rows the office ignored with a conflict count as sent: resending them cannot
    change the answer). Stops at the first failure, keeping what was done.

    Additions to v1 (docs/protocol.md, "Additions") go only to an office that listed them
    in ``accepts``. Before the first batch with numbers of an addition the office has not
    listed, the kiosk checks in with an empty body (its answer says what the office
    stores), so a row never goes out without numbers the office would have taken. When an
    answer lists an addition for the first time, the rows that went out without its
    numbers are queued again and sent once more in this push. When an office refuses
    (422) a body that carried an addition — an office put back to an older version — the
    kiosk forgets it and sends the batch again at once without it."""
    result = PushResult()
    try:
        token = read_token(token_path(config))
        instance = outbox.db_instance_id()
        number = 0
        checked_in = False
        for _pass in range(2):
            requeued = 0
            for batch in outbox.batches(max_rows):
                if not checked_in and _additions_in(batch) - outbox.office_accepts():
                    checked_in = True
                    empty = _body(config, instance, PendingBatch(), now(), ())
                    answer = office.post_totals(token, empty)
                    requeued += outbox.set_office_accepts(answer.accepts)
                number += 1
                summary = _send(outbox, office, config, token, instance, batch, now)
                outbox.mark_synced(batch)
                requeued += outbox.set_office_accepts(summary.accepts)
                result.batches.append((batch, summary))
                if summary.conflicts:
                    log.warning(
                        "sync: the office ignored %d row(s) of batch %s: %s",
                        len(summary.conflicts),
                        summary.batch_id,
                        "; ".join(c.describe() for c in summary.conflicts[:20]),
                    )
                if on_batch is not None:
                    on_batch(number, batch, summary)
            result.requeued += requeued
            if not requeued or not outbox.rows_waiting():
                break
            log.info(
                "sync: the office now stores %s; %d row(s) go again with those numbers",
                ", ".join(sorted(outbox.office_accepts())),
                requeued,
            )
    except SyncError as exc:
        result.error = exc
    except UsageStoreError as exc:
        log.warning("sync: %s", exc)
        result.error = LocalDatabaseError(str(exc))
    return result


def _additions_in(batch: PendingBatch) -> frozenset[str]:
    """The additions to v1 whose numbers some row of `batch` holds."""
    return frozenset(
        name
        for name, tables in ADDITIONS.items()
        for table, fields in tables.items()
        if any(getattr(row.row, f) for row in batch.rows(table) for f in fields)
    )


def _send(
    outbox: Outbox,
    office: OfficeClient,
    config: Config,
    token: str,
    instance: str,
    batch: PendingBatch,
    now: Callable[[], datetime],
) -> ImportSummary:
    """POST one batch with the additions the office stores; see `push_pending`."""
    accepts = outbox.office_accepts()
    body = _body(config, instance, batch, now(), accepts)
    try:
        return office.post_totals(token, body, batch)
    except BatchRejected as exc:
        carried = [name for name in sorted(accepts) if body.carries(name)]
        if exc.detail != ErrorCode.INVALID_BODY or not carried:
            raise
        log.warning(
            "sync: the office refused a body with %s (%s); it no longer stores them, so "
            "the totals go without",
            ", ".join(carried),
            exc,
        )
        outbox.set_office_accepts(())
        plain = _body(config, instance, batch, now(), ())
        return office.post_totals(token, plain, batch)


def _body(
    config: Config,
    instance: str,
    batch: PendingBatch,
    moment: datetime,
    additions: Collection[str],
) -> TotalsBatch:
    try:
        return build_batch_body(config, instance, batch, moment, additions)
    except ValidationError as exc:
        raise LocalDatabaseError(
            f"the totals cannot be put in a sync body ({describe_validation_error(exc)}); "
            "see the log and tell the coordinator"
        ) from None
