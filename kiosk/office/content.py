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
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.errors import TelpaError
from kiosk.office.api import SiteFromToken
from kiosk.office.content_store import manifest, read_file, record_report
from kiosk.office.models import ID_PATTERN

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


def _station(value: Any) -> str | JSONResponse:
    if not isinstance(value, str) or not re.fullmatch(ID_PATTERN, value):
        return _error(
            422, "INVALID_QUERY", f"station: {str(value)[:60]!r} is not a station id (ludza-wb-1)"
        )
    return value


@router.get("/api/v1/manifest")
async def get_manifest(request: Request, site: Site) -> Response:
    station = _station(request.query_params.get("station"))
    if isinstance(station, JSONResponse):
        return station
    body, etag = await run_in_threadpool(manifest, request.app.state.engine, site, station)
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


def _check_report(raw: bytes) -> dict[str, Any] | JSONResponse:
    try:
        report = json.loads(raw)
    except ValueError:
        return _error(400, "INVALID_JSON", "the body is not JSON")
    if not isinstance(report, dict):
        return _error(422, "INVALID_REPORT", "the body must be a JSON object")
    running = report.get("running")
    failed = report.get("failed")
    if not isinstance(running, dict) or not all(
        isinstance(k, str) and len(k) <= 64 and isinstance(v, int) for k, v in running.items()
    ):
        return _error(422, "INVALID_REPORT", "running: give {pack id: version number}")
    if not isinstance(failed, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("pack"), str)
        and isinstance(item.get("version"), int)
        and isinstance(item.get("problem"), str)
        for item in failed
    ):
        return _error(
            422, "INVALID_REPORT", "failed: give a list of {pack, version, problem} objects"
        )
    report["failed"] = [
        {"pack": i["pack"][:64], "version": i["version"], "problem": i["problem"][:500]}
        for i in failed[:100]
    ]
    return report


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
    station = _station(report.get("station"))
    if isinstance(station, JSONResponse):
        return station
    await run_in_threadpool(record_report, request.app.state.engine, site, station, report)
    return JSONResponse({"status": "OK"})
