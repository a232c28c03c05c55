"""The editor's voice recorder on the office side: the page's script, the upload of a
recording, and the clip played back to the librarian.

- ``GET /static/voice.js``: the recorder (static/voice.js): Record / Stop / Listen / Keep /
  Redo next to each text of the editor, with the browser's MediaRecorder.
- ``POST /packs/voice``: a recording (form field ``recording``, with the session's
  ``csrf_token``), made into the kiosk's Ogg Vorbis by `kiosk.office.editor_voice` and kept
  in the content store. Answers JSON: ``{"clip": sha256, "seconds": 1.5, "url": …}``, or
  ``{"detail": "…"}`` in the librarian's language with 413 (too large) or 422.
- ``GET /packs/voice/{sha256}.ogg``: a kept clip, so Listen plays exactly what the kiosks
  will play.

Same login and CSRF rules as the rest of the editor (`kiosk.office.dashboard`): every
route depends on the signed-in account, the POST on `checked_form`, after
`limit_recording` has refused a body declared too large without reading it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from kiosk.office.content_store import read_file, store_unpublished_file
from kiosk.office.dashboard import Coordinator, Texts, checked_form, request_language
from kiosk.office.editor_voice import (
    MAX_RECORDING_BYTES,
    N_,
    SHA256,
    RecordingError,
    too_large,
    voice_clip,
)

router = APIRouter(include_in_schema=False)
SCRIPT = Path(__file__).parent / "static" / "voice.js"
#: A whole upload request: the recording and the few form fields beside it.
MAX_REQUEST_BYTES = MAX_RECORDING_BYTES + 64_000


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _message(request: Request, error: RecordingError) -> str:
    return Texts(request_language(request)).gettext(error.message_id) % error.params


def _problem(request: Request, error: RecordingError) -> JSONResponse:
    return JSONResponse({"detail": _message(request, error)}, status_code=error.status)


def limit_recording(request: Request) -> None:
    """Dependency run before the form is read: a body declared over the limit is refused
    unread (413, its message in the librarian's language)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        raise HTTPException(413, _message(request, too_large()))


@router.post("/packs/voice", dependencies=[Depends(limit_recording)])
async def upload_recording(
    request: Request, _who: Coordinator, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    upload = form.get("recording")
    if not isinstance(upload, UploadFile):
        return _problem(request, RecordingError(N_("The recording is empty; record it again.")))
    # One byte over the limit is enough for voice_clip to say it is too large.
    data = await upload.read(MAX_RECORDING_BYTES + 1)
    try:
        clip = await run_in_threadpool(voice_clip, data)
    except RecordingError as exc:
        return _problem(request, exc)
    now: datetime = request.app.state.clock()
    # Kept like an editor's photo: forgotten after a while unless a published pack uses it.
    sha = await run_in_threadpool(store_unpublished_file, _engine(request), clip.data, now)
    return JSONResponse(
        {"clip": sha, "seconds": round(clip.seconds, 2), "url": f"/packs/voice/{sha}.ogg"}
    )


@router.get("/packs/voice/{sha}.ogg")
def kept_clip(request: Request, sha: str, _who: Coordinator) -> Response:
    data = read_file(_engine(request), sha) if SHA256.match(sha) else None
    if data is None or not data.startswith(b"OggS"):
        return Response("No such recording.\n", status_code=404, media_type="text/plain")
    return Response(data, media_type="audio/ogg", headers={"Cache-Control": "private"})


@router.get("/static/voice.js")
def script(_who: Coordinator) -> Response:
    # Only the editors use it, and they are behind the login.
    return Response(
        SCRIPT.read_bytes(),
        media_type="text/javascript",
        headers={"Cache-Control": "private, max-age=3600"},
    )
