"""Children's creations on disk: one self-contained folder per drawing, film or story.

    <data_dir>/creations/<id>/creation.json   what it is, its state, the editable project
                             thumb.png        ≈ 320 px wide, for the librarian's review
                             render/…, audio/… the tool's pictures and sounds

The id is ``<kind>-<YYYYMMDD-HHMMSS>-<6 hex>``. Every path inside `creation.json` is
relative to the folder, so a folder copied anywhere still works, and every file is written
atomically (temporary file, fsync, rename): a power cut leaves the previous version, never
half a file. A folder that cannot be read is skipped with a log line, never a crash.

In the kiosk the writes run on the store's writer thread (`kiosk.creations.writer`): a
creation remembers the pictures it has queued, so the tool reads them back before they
reach the disk."""

from __future__ import annotations

import io
import itertools
import json
import logging
import re
import threading
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import pygame

from kiosk.creations.writer import CreationWriter
from kiosk.errors import TelpaError
from kiosk.fileio import atomic_write

log = logging.getLogger(__name__)

SCHEMA = 1
KINDS = ("drawing", "film", "story")
STATES = ("draft", "saved")
META_FILE = "creation.json"
THUMB_FILE = "thumb.png"
THUMB_WIDTH = 320
ID_PATTERN = re.compile(r"^(drawing|film|story)-\d{8}-\d{6}-[0-9a-f]{6}$")

Kind = Literal["drawing", "film", "story"]
State = Literal["draft", "saved"]


class CreationError(TelpaError, ValueError):
    """A creation's folder or file cannot be used; the message says which and why."""

    code = "creation"


def iso_time(moment: datetime) -> str:
    """`moment` as creation.json writes it: ISO, UTC, whole seconds."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_time(text: str) -> datetime:
    """An ISO time from creation.json as an aware UTC datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def safe_relative(rel: str) -> PurePosixPath:
    """`rel` as a path inside a creation folder; CreationError for anything that could
    leave it (absolute paths, drive letters, '..', backslashes)."""
    if not isinstance(rel, str) or not rel or "\\" in rel or ":" in rel or "\x00" in rel:
        raise CreationError(f"not a relative path inside a creation: {rel!r}")
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("..", "") for part in path.parts):
        raise CreationError(f"not a relative path inside a creation: {rel!r}")
    if not path.parts or path.parts[0] == ".":
        raise CreationError(f"not a relative path inside a creation: {rel!r}")
    return path


def png_bytes(surface: pygame.Surface) -> bytes:
    """`surface` encoded as PNG."""
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "png")
    return buffer.getvalue()


def thumbnail_of(surface: pygame.Surface, width: int = THUMB_WIDTH) -> pygame.Surface:
    """`surface` scaled to `width` pixels wide, aspect kept."""
    w, h = surface.get_size()
    height = max(1, round(h * width / max(1, w)))
    if surface.get_bitsize() < 24:
        deeper = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        deeper.blit(surface, (0, 0))
        surface = deeper
    return pygame.transform.smoothscale(surface, (width, height))


class Creation:
    """One creation folder and its creation.json, held in memory.

    Tools change `data`, `timeline` and `pages`, write their pictures with `write_png` and
    call `save()`. The librarian's review records consent and exports with
    `record_consent()` and `record_export()`, which leave `updated_at` (and so the
    retention clock) alone.

    With a `writer`, every write is queued on its thread and these calls return at once;
    without one (scripts, the review's own records) they write before returning."""

    def __init__(
        self,
        folder: Path,
        meta: dict[str, Any],
        clock: Callable[[], datetime],
        writer: CreationWriter | None = None,
    ) -> None:
        self.folder = folder
        self._clock = clock
        self._writer = writer
        #: Pictures queued but maybe not on disk yet: rel -> (ticket, picture).
        self._queued: dict[str, tuple[int, pygame.Surface]] = {}
        self._queued_lock = threading.Lock()
        self._tickets = itertools.count(1)
        #: A queued write failed (full disk, a USB folder gone): the folder keeps its
        #: previous version, and the tool can say so. Reset by the next write that works.
        self.write_failed = False
        self.id: str = meta["id"]
        self.kind: Kind = meta["kind"]
        self.state: State = meta["state"]
        self.created_at: str = meta["created_at"]
        self.updated_at: str = meta["updated_at"]
        self.language: str = meta.get("language") or ""
        self.station: str = meta.get("station") or ""
        self.closed_by: str | None = meta.get("closed_by")
        self.consent_at: str | None = meta.get("consent_at")
        self.exports: list[dict[str, Any]] = list(meta.get("exports") or [])
        self.data: dict[str, Any] = dict(meta.get("data") or {})
        self.timeline: list[dict[str, Any]] = list(meta.get("timeline") or [])
        self.pages: list[str] = list(meta.get("pages") or [])

    # ----- reading -------------------------------------------------------------------

    @classmethod
    def load(
        cls, folder: Path, clock: Callable[[], datetime], writer: CreationWriter | None = None
    ) -> Creation:
        """Read a folder; CreationError says what is wrong with it."""
        meta_path = folder / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CreationError(f"{meta_path}: missing") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CreationError(f"{meta_path}: unreadable: {exc}") from None
        _check_meta(meta, folder.name, meta_path)
        return cls(folder, meta, clock, writer)

    @property
    def created(self) -> datetime:
        return parse_time(self.created_at)

    @property
    def updated(self) -> datetime:
        return parse_time(self.updated_at)

    @property
    def thumb(self) -> Path:
        return self.folder / THUMB_FILE

    @property
    def seconds(self) -> float:
        """How long the timeline plays."""
        return float(sum(float(shot.get("seconds") or 0) for shot in self.timeline))

    def path(self, rel: str) -> Path:
        """The file `rel` inside this creation; CreationError for paths that would leave it."""
        return self.folder.joinpath(*safe_relative(rel).parts)

    def has(self, rel: str) -> bool:
        """Whether the file `rel` is on disk or queued to be written."""
        with self._queued_lock:
            if rel in self._queued:
                return True
        return self.path(rel).exists()

    def load_png(self, rel: str) -> pygame.Surface | None:
        """A picture of this creation (the queued one when it is not written yet), or None
        (logged) when it cannot be read."""
        with self._queued_lock:
            queued = self._queued.get(rel)
        if queued is not None:
            return queued[1].copy()
        try:
            return pygame.image.load(str(self.path(rel)))
        except (OSError, pygame.error, CreationError) as exc:
            log.warning("creation %s: picture %s cannot be read: %s", self.id, rel, exc)
            return None

    # ----- writing -------------------------------------------------------------------

    def write_bytes(self, rel: str, data: bytes) -> str:
        """Write a file inside the creation atomically; returns `rel`."""
        self._write(partial(atomic_write, self.path(rel), data))
        return rel

    def write_png(self, rel: str, surface: pygame.Surface) -> str:
        """Write `surface` as a PNG inside the creation atomically; returns `rel`. The tool
        may go on drawing on `surface`: what is written is the picture as it is now."""
        if not rel.lower().endswith(".png"):
            raise CreationError(f"a picture's name must end in .png: {rel!r}")
        target = self.path(rel)
        if self._writer is None:
            atomic_write(target, png_bytes(surface))
            return rel
        picture = surface.copy()
        ticket = next(self._tickets)
        with self._queued_lock:
            self._queued[rel] = (ticket, picture)
        self._writer.submit(partial(self._write_queued_png, rel, ticket, target, picture))
        return rel

    def _write_queued_png(
        self, rel: str, ticket: int, target: Path, picture: pygame.Surface
    ) -> None:
        try:
            self._noting_failure(lambda: atomic_write(target, png_bytes(picture)))
        finally:
            with self._queued_lock:
                if self._queued.get(rel, (0,))[0] == ticket:
                    del self._queued[rel]

    def forget_files(self, folder: str, keep: Collection[str], pattern: str = "*.png") -> None:
        """Remove the files matching `pattern` (PNGs unless told) in the subfolder `folder`
        that `keep` (relative paths) does not name, after everything queued before is
        written."""
        root = self.path(folder)

        def forget() -> None:
            if root.is_dir():
                for path in root.glob(pattern):
                    if f"{folder}/{path.name}" not in keep:
                        path.unlink(missing_ok=True)

        self._write(forget)

    def _noting_failure(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:
            self.write_failed = True
            raise
        self.write_failed = False

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until this creation's queued writes (and any queued before) are on disk."""
        return self._writer.flush(timeout) if self._writer is not None else True

    def _write(self, job: Callable[[], None]) -> None:
        if self._writer is None:
            job()
        else:
            self._writer.submit(partial(self._noting_failure, job))

    def save(self, state: State = "draft", thumbnail: pygame.Surface | None = None) -> None:
        """Write creation.json (and thumb.png from `thumbnail`, scaled to 320 px wide).

        A creation once saved stays saved: a later autosave as "draft" updates the saved
        creation rather than turning it back into a draft."""
        if state not in STATES:
            raise CreationError(f"unknown state {state!r} (draft or saved)")
        for shot in self.timeline:
            safe_relative(shot["image"])
            if shot.get("audio") is not None:
                safe_relative(shot["audio"])
        for page in self.pages:
            safe_relative(page)
        if state == "saved":
            self.state = "saved"
        if thumbnail is not None:
            self.write_png(THUMB_FILE, thumbnail_of(thumbnail))
        self.updated_at = iso_time(self._clock())
        self._write_meta()

    def record_consent(self, at: datetime | None) -> None:
        """The librarian confirmed (or withdrew, with None) the family's consent."""
        self.consent_at = iso_time(at) if at is not None else None
        self._write_meta()

    def record_export(self, fmt: str, at: datetime) -> None:
        self.exports.append({"format": fmt, "at": iso_time(at)})
        self._write_meta()

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "language": self.language,
            "station": self.station,
            "closed_by": self.closed_by,
            "consent_at": self.consent_at,
            "exports": self.exports,
            "data": self.data,
            "timeline": self.timeline,
            "pages": self.pages,
        }

    def _write_meta(self) -> None:
        # The text is taken now, so what is written is this moment's creation.
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        self._write(partial(atomic_write, self.folder / META_FILE, text.encode("utf-8")))


def _check_meta(meta: object, folder_name: str, where: Path) -> None:
    def bad(why: str) -> CreationError:
        return CreationError(f"{where}: {why}")

    if not isinstance(meta, dict):
        raise bad("not a JSON object")
    if meta.get("schema") != SCHEMA:
        raise bad(f"unknown schema {meta.get('schema')!r} (expected {SCHEMA})")
    if meta.get("id") != folder_name:
        raise bad(f"id {meta.get('id')!r} does not match its folder {folder_name!r}")
    if meta.get("kind") not in KINDS:
        raise bad(f"unknown kind {meta.get('kind')!r}")
    if meta.get("state") not in STATES:
        raise bad(f"unknown state {meta.get('state')!r}")
    for key in ("created_at", "updated_at"):
        try:
            parse_time(meta[key])
        except (KeyError, TypeError, ValueError):
            raise bad(f"{key} is not a time: {meta.get(key)!r}") from None
    if not isinstance(meta.get("data", {}), dict):
        raise bad("data is not an object")
    timeline = meta.get("timeline") or []
    pages = meta.get("pages") or []
    if not isinstance(timeline, list) or not isinstance(pages, list):
        raise bad("timeline and pages must be lists")
    try:
        for shot in timeline:
            if not isinstance(shot, dict):
                raise bad("a timeline entry is not an object")
            safe_relative(shot.get("image"))  # type: ignore[arg-type]
            float(shot.get("seconds") or 0)
            if shot.get("audio") is not None:
                safe_relative(shot["audio"])
        for page in pages:
            safe_relative(page)
    except (CreationError, TypeError, ValueError) as exc:
        raise bad(str(exc)) from None
