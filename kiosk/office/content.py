"""The content part of the office's API (docs/protocol.md, "Content and settings").

- ``GET /api/v1/manifest?station=ID`` — bearer site token. The station's packs (each
  version with its files by sha256 and size) and settings. ``ETag``; a request whose
  ``If-None-Match`` names it gets ``304`` with no body. ``Cache-Control: no-cache``: a
  proxy must ask again each time, the 304 makes that cheap.
- ``GET /api/v1/files/{sha256}`` — no token: a file is named by its hash, never changes,
  and may be served by any static server, proxy or CDN (``Cache-Control: public,
  max-age=31536000, immutable``). ``Range: bytes=N-`` (and ``N-M``, ``-N``) answers 206,
  so a kiosk resumes a cut download; an unsatisfiable range answers 416.
- ``POST /api/v1/content-report`` — bearer site token. ``{"station", "manifest_etag",
  "running": {pack: version}, "failed": [{"pack", "version", "problem"}]}``; the
  dashboard's station list shows it.
"""

from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, ValidationError
from starlette.concurrency import run_in_threadpool

from kiosk.errors import TelpaError
from kiosk.office.api import SiteFromToken, StationId
from kiosk.office.content_store import manifest, read_file, record_report
from kiosk.protocol import describe_location

#: A report lists a few packs; anything near this is not a report.
MAX_REPORT_BYTES = 64_000
IMMUTABLE = "public, max-age=31536000, immutable"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

router = APIRouter()


class _Refused(TelpaError):
    """A content request refused with a ready answer (`response`)."""

    code = "content_refused"

    def __init__(self, response: JSONResponse) -> None:
        self.response = response


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


#: The site of the bearer token: the sync API's dependency (401 answers as for the totals).
Site = SiteFromToken


class ManifestQuery(BaseModel):
    """The query string of ``GET /api/v1/manifest``: which of the site's stations asks (its
    own settings are in the answer). A bad or missing one is the sync API's 422
    ``INVALID_QUERY``, answered by the office's handler for every query model."""

    model_config = ConfigDict(frozen=True)

    station: StationId


@router.get("/api/v1/manifest")
async def get_manifest(
    request: Request, site: Site, query: Annotated[ManifestQuery, Query()]
) -> Response:
    body, etag = await run_in_threadpool(manifest, request.app.state.engine, site, query.station)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    wanted = request.headers.get("if-none-match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
        return Response(status_code=304, headers=headers)
    return JSONResponse(body, headers=headers)


def _byte_range(header: str, size: int) -> tuple[int, int] | None | str:
    """(first, last) of a single ``bytes=`` range; None: no range asked; "bad": 416."""
    if not header:
        return None
    found = _RANGE.match(header.strip())
    if found is None or found.group(0) == "bytes=-":
        return "bad"
    first_text, last_text = found.groups()
    if not first_text:
        suffix = int(last_text)
        if suffix == 0:
            return "bad"
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        return "bad"
    return first, min(last, size - 1)


@router.get("/api/v1/files/{sha256}")
async def get_file(request: Request, sha256: str) -> Response:
    if not _SHA256.match(sha256):
        return _error(404, "NOT_FOUND", f"files: {sha256[:70]!r} is not a sha256 in hex")
    data = await run_in_threadpool(read_file, request.app.state.engine, sha256)
    if data is None:
        return _error(404, "NOT_FOUND", f"files: no file {sha256} at this office")
    data = bytes(data)
    headers = {
        "Cache-Control": IMMUTABLE,
        "ETag": f'"{sha256}"',
        "Accept-Ranges": "bytes",
    }
    if request.headers.get("if-none-match", "").strip() == f'"{sha256}"':
        return Response(status_code=304, headers=headers)
    wanted = _byte_range(request.headers.get("range", ""), len(data))
    if wanted == "bad":
        return Response(
            status_code=416, headers={**headers, "Content-Range": f"bytes */{len(data)}"}
        )
    if wanted is None:
        return Response(data, media_type="application/octet-stream", headers=headers)
    assert isinstance(wanted, tuple)
    first, last = wanted
    return Response(
        data[first : last + 1],
        status_code=206,
        media_type="application/octet-stream",
        headers={**headers, "Content-Range": f"bytes {first}-{last}/{len(data)}"},
    )


def _cut(length: int) -> AfterValidator:
    return AfterValidator(lambda text: text[:length])


class FailedPack(BaseModel):
    """A pack version the station refused, and why (its words, cut to a table cell)."""

    pack: Annotated[str, _cut(64)]
    version: StrictInt
    problem: Annotated[str, _cut(500)]


class ContentReport(BaseModel):
    """The body of ``POST /api/v1/content-report``: what a station runs after a sync."""

    model_config = ConfigDict(frozen=True)

    station: StationId
    running: dict[Annotated[str, Field(max_length=64)], StrictInt]
    failed: Annotated[list[FailedPack], AfterValidator(lambda items: items[:100])]
    manifest_etag: Annotated[str, _cut(80)] = ""


def _check_report(raw: bytes) -> ContentReport | JSONResponse:
    try:
        json.loads(raw)
    except ValueError:
        return _error(400, "INVALID_JSON", "the body is not JSON")
    try:
        return ContentReport.model_validate_json(raw)
    except ValidationError as exc:
        problems = [
            f"{describe_location(tuple(item['loc']))}: "
            + str(item["msg"]).removeprefix("Value error, ")
            for item in exc.errors()[:5]
        ]
        return _error(422, "INVALID_REPORT", "; ".join(problems))


@router.post("/api/v1/content-report")
async def post_content_report(request: Request, site: Site) -> Response:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_REPORT_BYTES:
            return _error(413, "BODY_TOO_LARGE", f"a report is at most {MAX_REPORT_BYTES} bytes")
    report = _check_report(bytes(raw))
    if isinstance(report, JSONResponse):
        return report
    await run_in_threadpool(
        record_report, request.app.state.engine, site, report.station, report.model_dump()
    )
    return JSONResponse({"status": "OK"})
