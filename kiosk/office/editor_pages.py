"""The dashboard's pack pages: the packs and their versions (roll back, upload a pack zip)
and the quiz editor (texts in lv / lt / en side by side, photos, the kiosk's own check and
preview, publish to a library).

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
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from kiosk.office.accounts import Actor, NotAllowed
from kiosk.office.auth import OfficeInputError
from kiosk.office.content_models import PackAssignment, PackVersion, PackVersionFile
from kiosk.office.content_store import (
    check_may_change_pack,
    publish_pack,
    read_file,
    rollback_pack,
    store_unpublished_file,
)
from kiosk.office.dashboard import (
    CurrentUser,
    Texts,
    _render,
    checked_form,
    request_language,
)
from kiosk.office.editor_photos import PhotoError, quiz_picture
from kiosk.office.editor_preview import PreviewError, render_question
from kiosk.office.models import Site
from kiosk.office.quiz_draft import (
    GENERAL,
    LANGS,
    MAX_QUESTIONS,
    SHA256,
    QuizDraft,
    blank_question,
    check_draft,
    draft_from_pack,
)
from kiosk.office.uploads import MAX_TOTAL_BYTES, UploadError
from kiosk.packs.safety import MAX_PICTURE_BYTES

router = APIRouter(include_in_schema=False)

#: A request to the editor (its photos included) or a pack zip may be at most this large.
MAX_FORM_BYTES = MAX_TOTAL_BYTES
#: Previews kept for the page to fetch (the newest; older ones are drawn again).
PREVIEWS_KEPT = 32


def N_(message: str) -> str:
    return message


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
        return [
            (r.id, r.name)
            for r in conn.execute(select(Site.id, Site.name).order_by(Site.id))
            if who is None or who.may_publish_to(r.id)
        ]


# --- the packs page -----------------------------------------------------------------------


@dataclass(frozen=True)
class VersionLine:
    version: int
    made_with: str
    created_at: str
    total_bytes: int
    sites: tuple[str, ...]
    #: The login that published it; "" from the command line.
    published_by: str = ""


@dataclass(frozen=True)
class PackLine:
    pack_id: str
    versions: tuple[VersionLine, ...]
    #: The newest version was made in the editor, so the editor can open it.
    editable: bool
    #: The signed-in account may publish and roll back this pack.
    changeable: bool = True


def pack_lines(engine: Engine, texts: Texts, who: Actor) -> list[PackLine]:
    """The packs `who` may see (a librarian: her library's and those her stations run),
    each version with the libraries `who` may see that run it."""
    with engine.connect() as conn:
        running: dict[int, list[str]] = {}
        for row in conn.execute(select(PackAssignment.version_id, PackAssignment.site_id)):
            running.setdefault(row.version_id, []).append(row.site_id)
        by_pack: dict[str, list[Any]] = {}
        for v in conn.execute(
            select(PackVersion).order_by(PackVersion.pack_id, PackVersion.version.desc())
        ):
            by_pack.setdefault(v.pack_id, []).append(v)
    lines = []
    for pack_id, versions in by_pack.items():
        owner = versions[-1].owner_site_id  # the first version's
        runs_here = any(who.may_see(site) for v in versions for site in running.get(v.id, []))
        if not (who.is_coordinator or owner == who.site or runs_here):
            continue
        lines.append(
            PackLine(
                pack_id,
                tuple(
                    VersionLine(
                        v.version,
                        v.made_with,
                        texts.moment(_aware(v.created_at), "UTC"),
                        v.total_bytes,
                        tuple(sorted(s for s in running.get(v.id, []) if who.may_see(s))),
                        v.published_by or "",
                    )
                    for v in versions
                ),
                editable=versions[0].made_with == "editor" and who.may_change_pack(owner, True),
                changeable=who.may_change_pack(owner, True),
            )
        )
    return lines


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


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
        **context,
    )


def _published_message(engine: Engine, texts: Texts, pack_id: str, version: int, who: Actor) -> str:
    """The "fire-station version 3 is published to ludza…" line, from the database (only
    the libraries `who` may see)."""
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


@router.get("/packs", response_class=HTMLResponse)
def packs_page(request: Request, who: CurrentUser) -> Response:
    texts = Texts(request_language(request))
    done = ""
    pack_id = request.query_params.get("published", "")
    version = request.query_params.get("version", "")
    if pack_id and version.isdigit():
        done = _published_message(_engine(request), texts, pack_id, int(version), who)
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
            # Name the file as the coordinator chose it, not the office's temporary copy.
            shown = str(exc).replace(str(target), Path(file.filename).name)
            lines = [line.strip() for line in shown.splitlines() if line.strip()]
            return _packs_page(request, who, 422, upload_problems=lines)
    message = _published_message(_engine(request), texts, published.pack_id, published.version, who)
    return _packs_page(request, who, done=message)


# --- photos and previews ------------------------------------------------------------------


def store_photo(engine: Engine, data: bytes, now: datetime) -> str:
    """Keep a processed photo in the content store; returns its sha256."""
    return store_unpublished_file(engine, data, now)


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


# --- the quiz editor ----------------------------------------------------------------------


def _editor(
    request: Request,
    who: Any,
    draft: QuizDraft,
    status_code: int = 200,
    problems: dict[str, list[str]] | None = None,
    **context: Any,
) -> HTMLResponse:
    languages = draft.languages()
    return _render(
        request,
        "quiz_editor.html",
        status_code,
        who=who,
        draft=draft,
        langs=LANGS,
        language_names=LANGUAGE_NAMES,
        missing=draft.missing(),
        offered=languages,
        left_out=[lang for lang in LANGS if lang not in languages],
        problems=problems or {},
        general=GENERAL,
        sites=_sites(_engine(request), who),
        max_questions=MAX_QUESTIONS,
        **context,
    )


def load_draft(engine: Engine, pack_id: str) -> QuizDraft | None:
    """The newest version of an editor-made pack, back in the form (None: not one)."""
    from kiosk.packs.check import read_pack

    with engine.connect() as conn:
        version = conn.execute(
            select(PackVersion.id, PackVersion.made_with)
            .where(PackVersion.pack_id == pack_id)
            .order_by(PackVersion.version.desc())
            .limit(1)
        ).first()
        if version is None or version.made_with != "editor":
            return None
        files = {
            row.path: row.sha256
            for row in conn.execute(
                select(PackVersionFile.path, PackVersionFile.sha256).where(
                    PackVersionFile.version_id == version.id
                )
            )
        }
    with tempfile.TemporaryDirectory(prefix="telpa-edit-") as work:
        folder = Path(work) / pack_id
        for path, sha in files.items():
            data = read_file(engine, sha)
            if data is None:
                return None
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        pack, _problems = read_pack(folder)
    return None if pack is None else draft_from_pack(pack, files)


@router.get("/packs/quiz", response_class=HTMLResponse)
def quiz_editor(request: Request, who: CurrentUser) -> Response:
    pack_id = request.query_params.get("pack", "")
    if pack_id:
        check_may_change_pack(_engine(request), who, pack_id)
    draft = load_draft(_engine(request), pack_id) if pack_id else None
    if draft is None:
        draft = QuizDraft.new()
    return _editor(request, who, draft)


@router.post("/packs/quiz", response_class=HTMLResponse, dependencies=[Depends(limit_body)])
async def quiz_submit(
    request: Request, who: CurrentUser, form: Annotated[FormData, Depends(checked_form)]
) -> Response:
    engine = _engine(request)
    texts = Texts(request_language(request))
    draft = QuizDraft.from_form(form)
    problems: dict[str, list[str]] = {}
    for i, question in enumerate(draft.questions):
        upload = form.get(f"q{i}_upload")
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        # One byte over the limit is enough for quiz_picture to say the file is too large.
        data = await upload.read(MAX_PICTURE_BYTES + 1)
        try:
            processed = await run_in_threadpool(quiz_picture, data, upload.filename)
        except PhotoError as exc:
            problems.setdefault(f"q{i}_upload", []).append(str(exc))
            continue
        question.photo = await run_in_threadpool(store_photo, engine, processed, _now(request))
    action = str(form.get("action", "check"))
    if action == "add" and len(draft.questions) < MAX_QUESTIONS:
        draft.questions.append(blank_question())
        return _editor(request, who, draft, problems=problems)
    if problems:
        return _editor(request, who, draft, 422, problems)
    return await run_in_threadpool(_check_and_act, request, who, draft, action, texts)


def _check_and_act(
    request: Request, who: Any, draft: QuizDraft, action: str, texts: Texts
) -> Response:
    engine = _engine(request)
    with tempfile.TemporaryDirectory(prefix="telpa-editor-") as work:
        written, problems = check_draft(draft, Path(work), lambda sha: read_file(engine, sha))
        if problems:
            return _editor(request, who, draft, 422, problems)
        if action.startswith("preview-"):
            return _preview(request, who, draft, action.removeprefix("preview-"), written.folder)
        if action == "publish":
            return _publish(request, who, draft, written.folder, texts)
    return _editor(request, who, draft, checked=True)


def _preview(request: Request, who: Any, draft: QuizDraft, wanted: str, folder: Path) -> Response:
    index, _, lang = wanted.partition("-")
    used = dict(draft.used_questions())
    if not index.isdigit() or int(index) not in used:
        message = Texts(request_language(request)).gettext(
            "Write this question first: an empty question has nothing to preview."
        )
        return _editor(request, who, draft, 422, {f"q{index[:3]}_preview": [message]})
    shown_lang = lang if lang in draft.languages() else (draft.languages() or ["lv"])[0]
    try:
        png = render_question(folder, f"q{int(index) + 1}", shown_lang)
    except PreviewError as exc:
        return _editor(request, who, draft, 500, {f"q{index}_preview": [str(exc)]})
    key = secrets.token_urlsafe(12)
    kept = _previews(request)
    kept[key] = png
    while len(kept) > PREVIEWS_KEPT:
        kept.popitem(last=False)
    return _editor(
        request, who, draft, preview=(int(index), f"/packs/preview/{key}.png", shown_lang)
    )


def _made_with(engine: Engine, pack_id: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(
            select(PackVersion.made_with)
            .where(PackVersion.pack_id == pack_id)
            .order_by(PackVersion.version.desc())
            .limit(1)
        ).scalar()


def _publish(request: Request, who: Any, draft: QuizDraft, folder: Path, texts: Texts) -> Response:
    if _made_with(_engine(request), draft.pack_id) not in (None, "editor"):
        # Publishing the quiz would replace a pack made by hand (its words, pairs…).
        message = texts.gettext(
            "A pack with this name was uploaded as a zip; the editor would replace it. "
            "Choose another name."
        )
        return _editor(request, who, draft, 422, {"pack_id": [message]})
    if draft.site not in {site for site, _ in _sites(_engine(request), who)}:
        return _editor(
            request, who, draft, 422, {"site": [texts.gettext("Choose the library to publish to.")]}
        )
    try:
        published = publish_pack(
            _engine(request), folder, [draft.site], by=who, made_with="editor", now=_now(request)
        )
    except (UploadError, OfficeInputError) as exc:
        return _editor(request, who, draft, 422, {GENERAL: str(exc).splitlines()})
    except NotAllowed as refusal:
        # Shown at the pack's name, the form kept: choosing another name is the way out.
        message = texts.gettext(refusal.message) % refusal.values
        return _editor(request, who, draft, 403, {"pack_id": [message]})
    query = urlencode({"published": published.pack_id, "version": published.version})
    return RedirectResponse("/packs?" + query, status_code=303)
