"""The office's web application: sync API v1 (DESIGN §4) and, when present, the dashboard.

`create_app(db_url)` migrates the database and builds an independent app (nothing happens at
import time); the routes come from routers, each included on one line: the sync API
(`kiosk.office.api`), then the dashboard (`kiosk.office.dashboard`) when it is installed.

A database that stays locked past its busy timeout (SQLite with many kiosks at once) or a
PostgreSQL server that went away answers 503 ``BUSY`` with ``Retry-After``: nothing was
stored and the kiosk simply tries again later.

Every response carries the security headers of `kiosk.office.security`.

Errors under ``/api/`` are JSON ``{"error": CODE, "message": "…"}`` (`kiosk.protocol.ErrorBody`):
what the routes' dependencies raise (`ApiRefused`), a query string that does not fit its
model (422 ``INVALID_QUERY``), unknown paths and methods. The Authorization header is never
logged: uvicorn's access log shows only the request line, and the office logs site and
station ids, never tokens.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk import __version__
from kiosk.office import api, content
from kiosk.office.api import ApiRefused, error_response, read_totals, site_from_token
from kiosk.office.content_store import forget_unpublished_files
from kiosk.office.db import make_engine, upgrade_engine, write_transaction
from kiosk.office.security import SECURITY_HEADERS, SecurityHeaders
from kiosk.protocol import ErrorCode, describe_location

__all__ = ["create_app", "error", "read_totals", "site_from_token"]

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
#: Seconds a kiosk is asked to wait when the database is busy (503).
BUSY_RETRY_AFTER_S = 60


#: The JSON answer of a refusal under ``/api/`` (kept under its old name).
error = error_response


def create_app(db_url: str, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """A new office app on the database at `db_url`, migrated to the newest schema first.

    The engine is at ``app.state.engine``; it is disposed of when the app shuts down.
    `clock` (aware UTC "now"; default the system clock) lets tests stand near midnight."""
    engine = make_engine(db_url)
    upgrade_engine(engine)
    with write_transaction(engine) as connection:
        forget_unpublished_files(connection, (clock or _system_clock)())

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
    app.include_router(api.router)
    app.include_router(content.router)
    if importlib.util.find_spec("kiosk.office.dashboard") is not None:
        from kiosk.office import dashboard

        dashboard.install(app)
        app.include_router(importlib.import_module("kiosk.office.editor_pages").router)
        app.include_router(importlib.import_module("kiosk.office.editor_voice_pages").router)
        app.include_router(importlib.import_module("kiosk.office.accounts_page").router)
        app.include_router(importlib.import_module("kiosk.office.settings_page").router)
        app.include_router(importlib.import_module("kiosk.office.password_page").router)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiRefused)
    async def _refused(_request: Request, exc: ApiRefused) -> Response:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _bad_query(request: Request, exc: RequestValidationError) -> Response:
        if not request.url.path.startswith(API_PREFIX):
            return await request_validation_exception_handler(request, exc)
        problems = [
            f"{describe_location(tuple(item['loc'][1:]))}: "
            + str(item["msg"]).removeprefix("Value error, ")
            for item in exc.errors()[:5]
        ]
        return error(422, ErrorCode.INVALID_QUERY, "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith(API_PREFIX):
            return await http_exception_handler(request, exc)
        code = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}.get(
            exc.status_code, ErrorCode.HTTP_ERROR
        )
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
                ErrorCode.BUSY,
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
                ErrorCode.INTERNAL_ERROR,
                "the office hit an unexpected error; see its log",
                headers,
            )
        return Response(
            "Internal Server Error", status_code=500, media_type="text/plain", headers=headers
        )


def _system_clock() -> datetime:
    return datetime.now(UTC)
