"""The packs at the office as the editors see them: the editors there are (`KINDS`), which
kind a published pack is and which games it has something for, its newest version read
back as the kiosk reads it, and the photos the editors keep in the content store."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select

from kiosk.office.content_models import PackVersion, PackVersionFile
from kiosk.office.content_store import read_file, store_unpublished_file
from kiosk.office.editor_draft import N_, EditorKind
from kiosk.office.editor_jigsaw import JIGSAW, MAX_PHOTOS, JigsawDraft
from kiosk.office.editor_memory import MAX_PAIRS, MemoryDraft
from kiosk.office.editor_photos import SQUARE
from kiosk.office.editor_sorting import MAX_ITEMS, SortingDraft
from kiosk.office.editor_words import MAX_WORDS, WordsDraft
from kiosk.office.quiz_draft import MAX_QUESTIONS, QuizDraft
from kiosk.packs.check import PACK_FILE, read_pack
from kiosk.packs.models import Pack
from kiosk.packs.safety import PACK_YAML_LIMITS
from kiosk.yamltools import parse_with_nodes

#: Every editor, in the packs page's order; /packs/NAME each.
KINDS = (
    EditorKind("quiz", N_("Quiz editor"), N_("New quiz"), QuizDraft, SQUARE, MAX_QUESTIONS),
    EditorKind(
        "memory", N_("Memory pairs editor"), N_("New memory pack"), MemoryDraft, SQUARE, MAX_PAIRS
    ),
    EditorKind(
        "sorting", N_("Sorting editor"), N_("New sorting pack"), SortingDraft, SQUARE, MAX_ITEMS
    ),
    EditorKind(
        "words", N_("Spelling words editor"), N_("New spelling pack"), WordsDraft, SQUARE, MAX_WORDS
    ),
    EditorKind(
        "jigsaw", N_("Jigsaw photos editor"), N_("New jigsaw pack"), JigsawDraft, JIGSAW, MAX_PHOTOS
    ),
)
KIND_NAMES = {
    "quiz": N_("Quiz"),
    "memory": N_("Memory pairs"),
    "sorting": N_("Sort it out!"),
    "words": N_("Word builder"),
    "jigsaw": N_("Jigsaw"),
}


def kind_of(pack: Pack) -> EditorKind:
    """The editor a published pack opens in (the first whose kind it is)."""
    return next((k for k in KINDS if k.draft.recognises(pack)), KINDS[-1])


def store_photo(engine: Engine, data: bytes, now: datetime) -> str:
    """Keep a processed photo in the content store; returns its sha256. Photos never
    published are forgotten after a while (`store_unpublished_file`)."""
    return store_unpublished_file(engine, data, now)


def newest_files(engine: Engine, pack_id: str, editor_only: bool) -> dict[str, str] | None:
    """path → sha256 of the newest version of the pack (None: no such pack, or not one
    the editor made when `editor_only`)."""
    with engine.connect() as conn:
        version = conn.execute(
            select(PackVersion.id, PackVersion.made_with)
            .where(PackVersion.pack_id == pack_id)
            .order_by(PackVersion.version.desc())
            .limit(1)
        ).first()
        if version is None or (editor_only and version.made_with != "editor"):
            return None
        return {
            row.path: row.sha256
            for row in conn.execute(
                select(PackVersionFile.path, PackVersionFile.sha256).where(
                    PackVersionFile.version_id == version.id
                )
            )
        }


def load_pack(
    engine: Engine, pack_id: str, editor_only: bool = True
) -> tuple[Pack, dict[str, str]] | None:
    """The newest version of a pack read as the kiosk reads it, with its files' sha256."""
    files = newest_files(engine, pack_id, editor_only)
    if files is None:
        return None
    with tempfile.TemporaryDirectory(prefix="telpa-edit-") as work:
        folder = Path(work) / pack_id
        for path, sha in files.items():
            data = read_file(engine, sha)
            if data is None:
                return None
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        pack, _problems = read_pack(folder)
    return None if pack is None else (pack, files)


def published_model(engine: Engine, version_id: int) -> Pack | None:
    """The pack.yaml of a stored version as the model (no picture read: for the list)."""
    with engine.connect() as conn:
        sha = conn.execute(
            select(PackVersionFile.sha256).where(
                PackVersionFile.version_id == version_id, PackVersionFile.path == PACK_FILE
            )
        ).scalar()
    data = read_file(engine, sha) if sha else None
    try:
        _root, raw = parse_with_nodes(bytes(data or b"").decode("utf-8"), PACK_YAML_LIMITS)
        return Pack.model_validate(raw)
    except Exception:  # a stored version passed the check; this is only a label
        return None


def games_of(pack: Pack | None) -> tuple[str, ...]:
    """The games a pack has something for, as `KIND_NAMES` keys."""
    if pack is None:
        return ()
    has = {
        "quiz": bool(pack.questions),
        "memory": bool(pack.pairs or pack.memory),
        "sorting": pack.sorting is not None,
        "words": any(word.spell for word in pack.words),
        "jigsaw": any(picture.file for picture in pack.pictures.values()),
    }
    return tuple(name for name, present in has.items() if present)
