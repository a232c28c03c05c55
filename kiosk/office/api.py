"""Sync API v1 of the office (DESIGN §4, docs/protocol.md): the routes and what they depend on.

- ``POST /api/v1/totals`` — a kiosk's batch; ``Authorization: Bearer <site token>``.
  Answers as `kiosk.office.ingest` describes, plus 401 (no or unknown token, with
  ``WWW-Authenticate``) and 413 for a body over 5 MB, judged on the Content-Length header
  *and* on the bytes actually read (a chunked upload has no header to trust).
- ``GET /api/v1/totals?site=&station=&from=&to=`` — the stored rows of the token's own site
  (403 for another site), each with its ``db_instance_id``; ``from``/``to`` are inclusive
  dates, every parameter optional (`TotalsQuery`).
- ``GET /api/v1/health`` — ``{"status": "ok", "version": …}``, no token; 503 when the
  database does not answer.

Authentication is a dependency (`site_from_token`, or `SiteFromToken` as a parameter
type); a refusal is an `ApiRefused` that `kiosk.office.app` turns into the JSON
``{"error": CODE, "message": "…"}`` of `kiosk.protocol.ErrorBody`. The engine and the
clock come from ``request.app.state`` (`create_app` puts them there).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import Engine, select, text
from starlette.concurrency import run_in_threadpool

from kiosk import __version__
from kiosk.errors import TelpaError
from kiosk.office.auth import site_for_token
from kiosk.office.ingest import ingest
from kiosk.office.models import ActivityTotal, SessionTotal
from kiosk.protocol import (
    HEALTH_PATH,
    ID_PATTERN,
    MAX_BODY_BYTES,
    TOTALS_PATH,
    ErrorBody,
    ErrorCode,
    IsoDate,
)

log = logging.getLogger(__name__)

router = APIRouter()

_REALM = 'Bearer realm="telpa-office"'


class ApiRefused(TelpaError):
    """A request under ``/api/`` is refused; answered as `ErrorBody` with `status`."""

    code = "api_refused"

    def __init__(
        self,
        status: int,
        error: ErrorCode,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        body = ErrorBody(error=self.error, message=self.message)
        return JSONResponse(body.model_dump(), status_code=self.status, headers=self.headers)


def error_response(
    status: int, code: ErrorCode, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The JSON answer of a refusal under ``/api/`` (for handlers that cannot raise)."""
    return ApiRefused(status, code, message, headers).response()


# ----- dependencies ---------------------------------------------------------------------


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def clock_of(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def site_from_token(request: Request) -> str:
    """Dependency of every route a kiosk calls: the site whose token the request carries in
    ``Authorization: Bearer …``, or 401. The token is never logged."""
    token = _bearer_token(request)
    if token is None:
        raise ApiRefused(
            401,
            ErrorCode.MISSING_TOKEN,
            "Authorization: send the site token as 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": _REALM},
        )
    site = await run_in_threadpool(site_for_token, engine_of(request), token)
    if site is None:
        raise ApiRefused(
            401,
            ErrorCode.INVALID_TOKEN,
            "Authorization: this token is not valid at this office (check sync.token_file)",
            {"WWW-Authenticate": f'{_REALM}, error="invalid_token"'},
        )
    return site


#: A route parameter for the site of the request's token.
SiteFromToken = Annotated[str, Depends(site_from_token)]


def own_site(site: SiteFromToken, asked: Annotated[str | None, Query(alias="site")] = None) -> str:
    """Dependency of the reading routes: the token's site, or 403 when the query string
    asks for another (checked before the rest of the query is read)."""
    if asked and asked != site:
        raise ApiRefused(
            403,
            ErrorCode.SITE_MISMATCH,
            f"site: the token belongs to site {site!r}, not {asked[:60]!r}",
        )
    return site


async def limited_body(request: Request) -> bytes:
    """Dependency: the request's body, or 413 past `MAX_BODY_BYTES` (declared or read)."""
    too_large = ApiRefused(
        413,
        ErrorCode.BODY_TOO_LARGE,
        f"the body is over {MAX_BODY_BYTES:,} bytes (send fewer rows per batch)",
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > MAX_BODY_BYTES:
                raise too_large
        except ValueError:
            raise ApiRefused(
                400, ErrorCode.INVALID_REQUEST, "Content-Length: not a number"
            ) from None
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > MAX_BODY_BYTES:
            raise too_large
    return bytes(received)


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _station_id(value: str) -> str:
    if len(value) > 40 or not re.fullmatch(ID_PATTERN, value):
        raise ValueError(f"{value[:60]!r} is not a station id (ludza-wb-1)")
    return value


#: A station id in a query string, with the same words as the kiosk's own `--station` check.
StationId = Annotated[str, AfterValidator(_station_id)]


class TotalsQuery(BaseModel):
    """The query string of ``GET /api/v1/totals`` after ``site`` (`own_site`); an empty
    parameter means "not given", others are ignored."""

    model_config = ConfigDict(frozen=True)

    station: Annotated[StationId | None, BeforeValidator(_blank_is_none)] = None
    date_from: Annotated[IsoDate | None, BeforeValidator(_blank_is_none)] = Field(
        None, alias="from"
    )
    date_to: Annotated[IsoDate | None, BeforeValidator(_blank_is_none)] = Field(None, alias="to")


# ----- routes ---------------------------------------------------------------------------


@router.get(HEALTH_PATH)
def health(engine: Annotated[Engine, Depends(engine_of)]) -> Response:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure means "not healthy"
        log.warning("health check: database does not answer: %s", exc)
        return JSONResponse(
            {"status": "error", "version": __version__, "message": "database unreachable"},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "version": __version__})


@router.post(TOTALS_PATH)
async def post_totals(
    site: SiteFromToken,
    body: Annotated[bytes, Depends(limited_body)],
    engine: Annotated[Engine, Depends(engine_of)],
    clock: Annotated[Callable[[], datetime], Depends(clock_of)],
) -> Response:
    status, answer = await run_in_threadpool(ingest, engine, site, body, now=clock())
    return JSONResponse(answer, status_code=status)


@router.get(TOTALS_PATH)
async def get_totals(
    site: Annotated[str, Depends(own_site)],
    query: Annotated[TotalsQuery, Query()],
    engine: Annotated[Engine, Depends(engine_of)],
) -> Response:
    rows = await run_in_threadpool(
        read_totals, engine, site, query.station, query.date_from, query.date_to
    )
    return JSONResponse({"site": site, "station": query.station, **rows})


def read_totals(
    engine: Engine, site: str, station: str | None, date_from: date | None, date_to: date | None
) -> dict[str, list[dict[str, Any]]]:
    """The stored rows of `site` (optionally one station, inclusive date range), as sent in
    ``GET /api/v1/totals``: JSON-ready dicts with ``station`` and ``db_instance_id``."""
    result: dict[str, list[dict[str, Any]]] = {}
    specs: list[tuple[str, Any, tuple[str, ...]]] = [
        (
            "session_totals",
            SessionTotal.__table__,
            (
                "session_kind",
                "age_band",
                "sessions",
                "child_visits",
                "seconds",
                "sessions_with_controllers",
                "controllers",
                "rev",
            ),
        ),
        (
            "activity_totals",
            ActivityTotal.__table__,
            ("activity", "session_kind", "runs", "completed_runs", "seconds", "rev"),
        ),
    ]
    with engine.connect() as connection:
        for name, table, fields in specs:
            columns = table.c
            query = select(
                columns.station,
                columns.db_instance_id,
                columns.date,
                columns.hour,
                *(columns[field] for field in fields),
            ).where(columns.site_id == site)
            if station is not None:
                query = query.where(columns.station == station)
            if date_from is not None:
                query = query.where(columns.date >= date_from)
            if date_to is not None:
                query = query.where(columns.date <= date_to)
            query = query.order_by(
                columns.station,
                columns.db_instance_id,
                columns.date,
                columns.hour,
                *(columns[field] for field in fields[:2]),
            )
            result[name] = [
                {**row._asdict(), "date": row.date.isoformat()} for row in connection.execute(query)
            ]
    return result
