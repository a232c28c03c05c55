"""The dashboard's pack pages: the packs and their versions (roll back, upload a pack zip)
and the editors — quiz, memory pairs, sorting, spelling words, jigsaw photos — at
/packs/KIND (texts in lv / lt / en side by side, photos, the kiosk's own check and
preview, publish to a library). One set of routes serves every editor: the kinds differ
only in their draft (`kiosk.office.editor_draft` and one module per kind) and template;
`kiosk.office.editor_library` lists them and reads a published pack back.

Included by `kiosk.office.app.create_app` beside the dashboard, whose login, session and
CSRF helpers every route here uses: pages depend on `CurrentUser` (any signed-in account),
every POST on `checked_form`. Publishing and rolling back go through
`kiosk.office.content_store` with the signed-in account as `by`, as ``kiosk office
publish-pack`` does with the command line, so the stations get an editor's pack at their
next sync exactly like an uploaded one, and a librarian's rules (her library's packs, to
her library's stations: `kiosk.office.accounts`) hold whatever form a request comes from.
A librarian sees only her library's packs and the packs her stations run.

Photos are processed when they arrive (`kiosk.office.editor_photos`) and kept in the
content-addressed file store at once, so the form carries only their sha256; previews are
kept in memory for a few minutes (they are cheap to draw again)."""

from __future__ import annotations

import re
import secrets
import tempfile
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from kiosk.office.accounts import Actor, NotAllowed
from kiosk.office.auth import OfficeInputError
from kiosk.office.content_models import PackAssignment, PackVersion
from kiosk.office.content_store import check_may_change_pack, publish_pack, read_file, rollback_pack
from kiosk.office.dashboard import (
    CurrentUser,
    Texts,
    _render,
    checked_form,
    request_language,
)
from kiosk.office.editor_draft import (
    GENERAL,
    LANGS,
    N_,
    SHA256,
    Draft,
    EditorKind,
    FormProblem,
    check_draft,
    with_voices,
)
from kiosk.office.editor_library import (
    KIND_NAMES,
    KINDS,
    kind_of,
    load_pack,
    newest_files,
    store_photo,
)
from kiosk.office.editor_photos import PhotoError, fitted_picture
from kiosk.office.editor_preview import PreviewError, render_preview
from kiosk.office.models import Site
from kiosk.office.pack_list import pack_lines
from kiosk.office.uploads import MAX_TOTAL_BYTES, UploadError
from kiosk.packs.safety import MAX_PICTURE_BYTES

router = APIRouter(include_in_schema=False)

#: A request to the editor (its photos included) or a pack zip may be at most this large.
MAX_FORM_BYTES = MAX_TOTAL_BYTES
#: Previews kept for the page to fetch (the newest; older ones are drawn again).
PREVIEWS_KEPT = 32


LANGUAGE_NAMES = {"lv": N_("Latvian"), "lt": N_("Lithuanian"), "en": N_("English")}


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def limit_body(request: Request) -> None:
    """Dependency run before the form is read: refuse a body declared over the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise HTTPException(
            413, f"The upload is over {MAX_FORM_BYTES:,} bytes; nothing was changed."
        )


def _sites(engine: Engine, who: Actor | None = None) -> list[tuple[str, str]]:
    """The libraries (id, name); with `who`, those it may publish to."""
    with engine.connect() as conn:
        rows = conn.execute(select(Site.id, Site.name).order_by(Site.id))
        return [(r.id, r.name) for r in rows if who is None or who.may_publish_to(r.id)]


# --- the packs page -----------------------------------------------------------------------


def _packs_page(request: Request, who: Any, status_code: int = 200, **context: Any) -> HTMLResponse:
    texts = Texts(request_language(request))
    engine = _engine(request)
    return _render(
        request,
        "packs.html",
        status_code,
        who=who,
        packs=pack_lines(engine, texts, who),
        sites=_sites(engine, who),
        kinds=KINDS,
        kind_names=KIND_NAMES,
        **context,
    )


def _published_message(engine: Engine, texts: Texts, pack_id: str, version: int, who: Actor) -> str:
    """The "fire-station version 3 is published to ludza…" line, from the database (the
    libraries `who` may see)."""
    with engine.connect() as conn:
        sites = list(
            conn.execute(
                select(PackAssignment.site_id)
                .join(PackVersion, PackVersion.id == PackAssignment.version_id)
                .where(PackVersion.pack_id == pack_id, PackVersion.version == version)
                .order_by(PackAssignment.site_id)
            ).scalars()
        )
    sites = [site for site in sites if who.may_see(site)]
    if not sites:
        return ""
    return texts.gettext(
        "%(pack)s version %(version)d is published to %(sites)s; the stations take it at "
        "their next sync."
    ) % {"pack": pack_id, "version": version, "sites": ", ".join(sites)}


def _number_or_none(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else None


class PublishedQuery(BaseModel):
    """``/packs?published=ID&version=N``: where an editor's Publish lands, to say what was
    published where. Anything else in them only leaves the message out."""

    model_config = ConfigDict(frozen=True)

    published: str = ""
    version: Annotated[int | None, BeforeValidator(_number_or_none)] = None


class PackQuery(BaseModel):
    """``?pack=ID``: the pack an editor opens (none: a new one)."""

    model_config = ConfigDict(frozen=True)

    pack: str = ""


@router.get("/packs", response_class=HTMLResponse)
def packs_page(
    request: Request, who: CurrentUser, query: Annotated[PublishedQuery, Query()]
) -> Response:
    texts = Texts(request_language(request))
    done = ""
    if query.published and query.version is not None:
        done = _published_message(_engine(request), texts, query.published, query.version, who)
    return _packs_page(request, who, done=done)


@router.post("/packs/rollback")
def rollback(
    request: Request, who: CurrentUser, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    texts = Texts(request_language(request))
    pack_id = str(form.get("pack", ""))
    try:
        version = int(str(form.get("version", "")))
        sites = rollback_pack(_engine(request), pack_id, version, None, by=who)
    except (ValueError, OfficeInputError) as exc:
        return _packs_page(request, who, 422, upload_problems=[str(exc)])
    message = texts.gettext(
        "%(pack)s is back at version %(version)d for %(sites)s; the stations take it at "
        "their next sync."
    ) % {"pack": pack_id, "version": version, "sites": ", ".join(sites) or "–"}
    return _packs_page(request, who, done=message)


def _safe_stem(filename: str) -> str:
    stem = Path(filename.replace("\\", "/")).name.lower()
    stem = stem[:-4] if stem.endswith(".zip") else stem
    return re.sub(r"[^a-z0-9-]", "-", stem).strip("-")[:60] or "upload"


@router.post("/packs/upload", dependencies=[Depends(limit_body)])
async def upload(
    request: Request, who: CurrentUser, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    texts = Texts(request_language(request))
    file = form.get("zip")
    site = str(form.get("site", ""))
    if not isinstance(file, UploadFile) or not file.filename:
        return _packs_page(
            request, who, 422, upload_problems=[texts.gettext("Choose a .zip file first.")]
        )
    with tempfile.TemporaryDirectory(prefix="telpa-web-upload-") as work:
        target = Path(work) / (_safe_stem(file.filename) + ".zip")
        with open(target, "wb") as out:
            while chunk := await file.read(1 << 16):
                out.write(chunk)
        try:
            published = await run_in_threadpool(
                partial(publish_pack, by=who, made_with="upload"), _engine(request), target, [site]
            )
        except (UploadError, OfficeInputError) as exc:
            said = exc.lines(texts.gettext) if isinstance(exc, UploadError) else [str(exc)]
            # Name the file as the coordinator chose it, not the office's temporary copy.
            shown = [line.replace(str(target), Path(file.filename).name) for line in said]
            lines = [line.strip() for line in shown if line.strip()]
            return _packs_page(request, who, 422, upload_problems=lines)
    message = _published_message(_engine(request), texts, published.pack_id, published.version, who)
    return _packs_page(request, who, done=message)


# --- photos and previews ------------------------------------------------------------------


@router.get("/packs/photo/{sha}.jpg")
def photo(request: Request, sha: str, _who: CurrentUser) -> Response:
    data = read_file(_engine(request), sha) if SHA256.match(sha) else None
    if data is None:
        return Response("No such photo.\n", status_code=404, media_type="text/plain")
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private"})


def _previews(request: Request) -> OrderedDict[str, bytes]:
    kept: OrderedDict[str, bytes] | None = getattr(request.app.state, "editor_previews", None)
    if kept is None:
        kept = OrderedDict()
        request.app.state.editor_previews = kept
    return kept


@router.get("/packs/preview/{key}.png")
def preview_png(request: Request, key: str, _who: CurrentUser) -> Response:
    data = _previews(request).get(key)
    if data is None:
        return Response(
            "This preview is gone; press Preview again.\n", status_code=404, media_type="text/plain"
        )
    return Response(data, media_type="image/png", headers={"Cache-Control": "private"})


# --- the editors ---------------------------------------------------------------------------


def _editor(
    request: Request,
    who: Any,
    kind: EditorKind,
    draft: Draft,
    status_code: int = 200,
    problems: dict[str, list[str]] | None = None,
    **context: Any,
) -> HTMLResponse:
    languages = draft.languages()
    return _render(
        request,
        kind.template,
        status_code,
        who=who,
        kind=kind,
        draft=draft,
        langs=LANGS,
        language_names=LANGUAGE_NAMES,
        missing=draft.missing(),
        offered=languages,
        left_out=[lang for lang in LANGS if lang not in languages],
        problems=problems or {},
        general=GENERAL,
        sites=_sites(_engine(request), who),
        max_rows=kind.max_rows,
        **context,
    )


@router.get("/packs/edit")
def edit_pack(request: Request, who: CurrentUser, query: Annotated[PackQuery, Query()]) -> Response:
    """The packs page's "Edit": the editor of the pack's kind, with the pack in it."""
    pack_id = query.pack
    check_may_change_pack(_engine(request), who, pack_id)
    found = load_pack(_engine(request), pack_id) if pack_id else None
    if found is None:
        return RedirectResponse("/packs", status_code=303)
    kind = kind_of(found[0])
    return RedirectResponse(f"/packs/{kind.name}?" + urlencode({"pack": pack_id}), status_code=303)


def _editor_page(kind: EditorKind) -> Callable[..., Response]:
    def page(request: Request, who: CurrentUser, query: Annotated[PackQuery, Query()]) -> Response:
        pack_id = query.pack
        if pack_id:
            check_may_change_pack(_engine(request), who, pack_id)
        found = load_pack(_engine(request), pack_id) if pack_id else None
        if found is None:
            return _editor(request, who, kind, kind.draft.new())
        if kind_of(found[0]) is not kind:
            found_query = urlencode({"pack": pack_id})
            return RedirectResponse(
                f"/packs/{kind_of(found[0]).name}?{found_query}", status_code=303
            )
        return _editor(request, who, kind, with_voices(kind.draft.from_pack(*found), *found))

    return page


def _editor_submit(kind: EditorKind) -> Callable[..., Awaitable[Response]]:
    async def submit(
        request: Request, who: CurrentUser, form: Annotated[FormData, Depends(checked_form)]
    ) -> Response:
        texts = Texts(request_language(request))
        try:
            draft = kind.draft.from_form(form)
        except FormProblem as problem:
            message = (
                texts.gettext(problem.message) % problem.values
                if problem.values
                else texts.gettext(problem.message)
            )
            return _editor(request, who, kind, kind.draft.new(), 422, {problem.field: [message]})
        problems = await _take_photos(request, kind, draft, form)
        action = str(form.get("action", "check"))
        if action == "add":
            if draft.row_count() < kind.max_rows:
                draft.add_row()
            return _editor(request, who, kind, draft, problems=problems)
        if problems:
            return _editor(request, who, kind, draft, 422, problems)
        return await run_in_threadpool(_check_and_act, request, who, kind, draft, action, texts)

    return submit


async def _take_photos(
    request: Request, kind: EditorKind, draft: Draft, form: FormData
) -> dict[str, list[str]]:
    """Process and store each photo uploaded with the form; their problems by field."""
    problems: dict[str, list[str]] = {}
    for prefix, row in draft.photo_slots():
        upload = form.get(f"{prefix}_upload")
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        # One byte over the limit is enough for fitted_picture to say the file is too large.
        data = await upload.read(MAX_PICTURE_BYTES + 1)
        try:
            processed = await run_in_threadpool(fitted_picture, data, upload.filename, kind.shape)
        except PhotoError as exc:
            problems.setdefault(f"{prefix}_upload", []).append(str(exc))
            continue
        row.photo = await run_in_threadpool(store_photo, _engine(request), processed, _now(request))
    return problems


for _kind in KINDS:
    router.add_api_route(
        f"/packs/{_kind.name}", _editor_page(_kind), methods=["GET"], response_class=HTMLResponse
    )
    router.add_api_route(
        f"/packs/{_kind.name}",
        _editor_submit(_kind),
        methods=["POST"],
        response_class=HTMLResponse,
        dependencies=[Depends(limit_body)],
    )


def _check_and_act(
    request: Request, who: Any, kind: EditorKind, draft: Draft, action: str, texts: Texts
) -> Response:
    engine = _engine(request)
    with tempfile.TemporaryDirectory(prefix="telpa-editor-") as work:
        written, problems = check_draft(
            draft, Path(work), lambda sha: read_file(engine, sha), texts.gettext
        )
        if problems:
            return _editor(request, who, kind, draft, 422, problems)
        if action.startswith("preview-"):
            wanted = action.removeprefix("preview-")
            return _preview(request, who, kind, draft, wanted, written.folder)
        if action == "publish":
            return _publish(request, who, kind, draft, written.folder, texts)
    return _editor(request, who, kind, draft, checked=True)


def _preview(
    request: Request, who: Any, kind: EditorKind, draft: Draft, wanted: str, folder: Path
) -> Response:
    index, _, lang = wanted.partition("-")
    target = draft.preview_target(int(index)) if index.isdigit() else None
    field = f"{draft.row_prefix}{index[:3]}_preview"
    if target is None:
        message = Texts(request_language(request)).gettext(
            "Write this row first: an empty row has nothing to preview."
        )
        return _editor(request, who, kind, draft, 422, {field: [message]})
    shown_lang = lang if lang in draft.languages() else (draft.languages() or ["lv"])[0]
    try:
        png = render_preview(folder, target, shown_lang)
    except PreviewError as exc:
        return _editor(request, who, kind, draft, 500, {field: [str(exc)]})
    key = secrets.token_urlsafe(12)
    kept = _previews(request)
    kept[key] = png
    while len(kept) > PREVIEWS_KEPT:
        kept.popitem(last=False)
    return _editor(
        request, who, kind, draft, preview=(int(index), f"/packs/preview/{key}.png", shown_lang)
    )


def _publish(
    request: Request, who: Any, kind: EditorKind, draft: Draft, folder: Path, texts: Texts
) -> Response:
    engine = _engine(request)
    if newest_files(engine, draft.pack_id, editor_only=False) is not None:
        existing = load_pack(engine, draft.pack_id)
        if existing is None:
            # Publishing would replace a pack made by hand (its words, pairs…).
            message = texts.gettext(
                "A pack with this name was uploaded as a zip; the editor would replace it. "
                "Choose another name."
            )
            return _editor(request, who, kind, draft, 422, {"pack_id": [message]})
        if kind_of(existing[0]) is not kind:
            message = texts.gettext(
                "A pack with this name is a %(kind)s pack; this one would replace it. "
                "Choose another name."
            ) % {"kind": texts.gettext(KIND_NAMES[kind_of(existing[0]).name])}
            return _editor(request, who, kind, draft, 422, {"pack_id": [message]})
    if draft.site not in {site for site, _ in _sites(engine, who)}:
        return _editor(
            request,
            who,
            kind,
            draft,
            422,
            {"site": [texts.gettext("Choose the library to publish to.")]},
        )
    try:
        published = publish_pack(
            engine, folder, [draft.site], by=who, made_with="editor", now=_now(request)
        )
    except (UploadError, OfficeInputError) as exc:
        said = exc.lines(texts.gettext) if isinstance(exc, UploadError) else str(exc).splitlines()
        return _editor(request, who, kind, draft, 422, {GENERAL: said})
    except NotAllowed as refusal:
        # Shown at the pack's name, the form kept: choosing another name is the way out.
        message = texts.gettext(refusal.message) % refusal.values
        return _editor(request, who, kind, draft, 403, {"pack_id": [message]})
    query = urlencode({"published": published.pack_id, "version": published.version})
    return RedirectResponse("/packs?" + query, status_code=303)
