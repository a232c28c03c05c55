"""The office's web application: sync API v1 (DESIGN §4) and, when present, the dashboard.

`create_app(db_url)` migrates the database and builds an independent app (nothing happens at
import time). Routes:

- ``POST /api/v1/totals`` — a kiosk's batch; ``Authorization: Bearer <site token>``.
  Answers as `kiosk.office.ingest` describes, plus 401 (no or unknown token, with
  ``WWW-Authenticate``) and 413 for a body over 5 MB, judged on the Content-Length header
  *and* on the bytes actually read (a chunked upload has no header to trust).
- ``GET /api/v1/totals?site=&station=&from=&to=`` — the stored rows of the token's own site
  (403 for another site), each with its ``db_instance_id``; ``from``/``to`` are inclusive
  dates, every parameter optional.
- ``GET /api/v1/health`` — ``{"status": "ok", "version": …}``, no token; 503 when the
  database does not answer.

A database that stays locked past its busy timeout (SQLite with many kiosks at once) or a
PostgreSQL server that went away answers 503 ``BUSY`` with ``Retry-After``: nothing was
stored and the kiosk simply tries again later.

Every response carries the security headers of `kiosk.office.security`.

Errors under ``/api/`` are JSON ``{"error": CODE, "message": "…"}``. The Authorization
header is never logged: uvicorn's access log shows only the request line, and this module
logs site and station ids, never tokens.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk import __version__
from kiosk.office import content
from kiosk.office.auth import site_for_token
from kiosk.office.db import make_engine, upgrade_engine
from kiosk.office.ingest import MAX_BODY_BYTES, ingest
from kiosk.office.models import ID_PATTERN, ActivityTotal, SessionTotal
from kiosk.office.security import SECURITY_HEADERS, SecurityHeaders

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
#: Seconds a kiosk is asked to wait when the database is busy (503).
BUSY_RETRY_AFTER_S = 60
_REALM = 'Bearer realm="telpa-office"'


def error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def create_app(db_url: str, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """A new office app on the database at `db_url`, migrated to the newest schema first.

    The engine is at ``app.state.engine``; it is disposed of when the app shuts down.
    `clock` (aware UTC "now"; default the system clock) lets tests stand near midnight."""
    engine = make_engine(db_url)
    upgrade_engine(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Telpa project office",
        version=__version__,
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN; the office must work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.db_url = db_url
    app.state.clock = clock or _system_clock
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    _add_api_routes(app, engine, app.state.clock)
    app.include_router(content.router)
    if importlib.util.find_spec("kiosk.office.dashboard") is not None:
        from kiosk.office import dashboard

        dashboard.install(app)
        app.include_router(importlib.import_module("kiosk.office.editor_pages").router)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith(API_PREFIX):
            return await http_exception_handler(request, exc)
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        return error(exc.status_code, code, f"{request.url.path}: {exc.detail}", exc.headers)

    @app.exception_handler(OperationalError)
    async def _database_busy(request: Request, exc: OperationalError) -> Response:
        # SQLite's write lock held past the busy timeout (many kiosks at once), or the
        # PostgreSQL server gone: nothing was stored, and the kiosk tries again later.
        log.warning(
            "database busy or unreachable in %s %s: %s", request.method, request.url.path, exc.orig
        )
        if request.url.path.startswith(API_PREFIX):
            return error(
                503,
                "BUSY",
                "the office's database is busy or unreachable; nothing was stored, try again later",
                {"Retry-After": str(BUSY_RETRY_AFTER_S)},
            )
        return Response(
            "The office's database is busy; try again in a minute.",
            status_code=503,
            media_type="text/plain",
            headers={"Retry-After": str(BUSY_RETRY_AFTER_S)},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
        # This answer comes from outside the middleware stack: it carries its headers itself.
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
        if request.url.path.startswith(API_PREFIX):
            return error(
                500,
                "INTERNAL_ERROR",
                "the office hit an unexpected error; see its log",
                headers,
            )
        return Response(
            "Internal Server Error", status_code=500, media_type="text/plain", headers=headers
        )


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def _authenticate(request: Request, engine: Engine) -> str | JSONResponse:
    token = _bearer_token(request)
    if token is None:
        return error(
            401,
            "MISSING_TOKEN",
            "Authorization: send the site token as 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": _REALM},
        )
    site = await run_in_threadpool(site_for_token, engine, token)
    if site is None:
        return error(
            401,
            "INVALID_TOKEN",
            "Authorization: this token is not valid at this office (check sync.token_file)",
            {"WWW-Authenticate": f'{_REALM}, error="invalid_token"'},
        )
    return site


async def _read_body(request: Request) -> bytes | JSONResponse:
    too_large = error(
        413,
        "BODY_TOO_LARGE",
        f"the body is over {MAX_BODY_BYTES:,} bytes (send fewer rows per batch)",
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > MAX_BODY_BYTES:
                return too_large
        except ValueError:
            return error(400, "INVALID_REQUEST", "Content-Length: not a number")
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > MAX_BODY_BYTES:
            return too_large
    return bytes(received)


def _system_clock() -> datetime:
    return datetime.now(UTC)


def _add_api_routes(app: FastAPI, engine: Engine, clock: Callable[[], datetime]) -> None:
    @app.get("/api/v1/health")
    def health() -> Response:
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

    @app.post("/api/v1/totals")
    async def post_totals(request: Request) -> Response:
        site = await _authenticate(request, engine)
        if isinstance(site, JSONResponse):
            return site
        body = await _read_body(request)
        if isinstance(body, JSONResponse):
            return body
        status, answer = await run_in_threadpool(ingest, engine, site, body, now=clock())
        return JSONResponse(answer, status_code=status)

    @app.get("/api/v1/totals")
    async def get_totals(request: Request) -> Response:
        site = await _authenticate(request, engine)
        if isinstance(site, JSONResponse):
            return site
        query = request.query_params
        wanted_site = query.get("site") or site
        if wanted_site != site:
            return error(
                403,
                "SITE_MISMATCH",
                f"site: the token belongs to site {site!r}, not {wanted_site[:60]!r}",
            )
        bounds: dict[str, date | None] = {}
        for name in ("from", "to"):
            value = query.get(name) or ""
            try:
                bounds[name] = date.fromisoformat(value) if value else None
            except ValueError:
                return error(
                    422, "INVALID_QUERY", f"{name}: {value[:40]!r} is not a date (YYYY-MM-DD)"
                )
        station = query.get("station") or None
        if station is not None and not re.fullmatch(ID_PATTERN, station):
            return error(422, "INVALID_QUERY", f"station: {station[:60]!r} is not a station id")
        rows = await run_in_threadpool(
            read_totals, engine, site, station, bounds["from"], bounds["to"]
        )
        return JSONResponse({"site": site, "station": station, **rows})


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
            ("session_kind", "age_band", "sessions", "child_visits", "seconds", "rev"),
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
