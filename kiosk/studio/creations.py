"""Children's creations on disk: one self-contained folder per drawing, film or story.

    <data_dir>/creations/<id>/creation.json   what it is, its state, the editable project
                             thumb.png        ≈ 320 px wide, for the librarian's review
                             render/…, audio/… the tool's pictures and sounds

The id is ``<kind>-<YYYYMMDD-HHMMSS>-<6 hex>``. Every path inside `creation.json` is
relative to the folder, so a folder copied anywhere still works, and every file is written
atomically (temporary file, fsync, rename): a power cut leaves the previous version, never
half a file. A folder that cannot be read is skipped with a log line, never a crash.

Which child made what is never stored. The store only remembers, in memory, which
creations were made during the current session, so a tool can offer "my pictures" to the
child who drew them and to nobody after them."""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import pygame

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


def _iso(moment: datetime) -> str:
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
    retention clock) alone."""

    def __init__(self, folder: Path, meta: dict[str, Any], clock: Callable[[], datetime]) -> None:
        self.folder = folder
        self._clock = clock
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
    def load(cls, folder: Path, clock: Callable[[], datetime]) -> Creation:
        """Read a folder; CreationError says what is wrong with it."""
        meta_path = folder / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CreationError(f"{meta_path}: missing") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CreationError(f"{meta_path}: unreadable: {exc}") from None
        _check_meta(meta, folder.name, meta_path)
        return cls(folder, meta, clock)

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

    def load_png(self, rel: str) -> pygame.Surface | None:
        """A picture of this creation, or None (logged) when it cannot be read."""
        try:
            return pygame.image.load(str(self.path(rel)))
        except (OSError, pygame.error, CreationError) as exc:
            log.warning("creation %s: picture %s cannot be read: %s", self.id, rel, exc)
            return None

    # ----- writing -------------------------------------------------------------------

    def write_bytes(self, rel: str, data: bytes) -> str:
        """Write a file inside the creation atomically; returns `rel`."""
        atomic_write(self.path(rel), data)
        return rel

    def write_png(self, rel: str, surface: pygame.Surface) -> str:
        """Write `surface` as a PNG inside the creation atomically; returns `rel`."""
        if not rel.lower().endswith(".png"):
            raise CreationError(f"a picture's name must end in .png: {rel!r}")
        return self.write_bytes(rel, png_bytes(surface))

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
        self.updated_at = _iso(self._clock())
        self._write_meta()

    def record_consent(self, at: datetime | None) -> None:
        """The librarian confirmed (or withdrew, with None) the family's consent."""
        self.consent_at = _iso(at) if at is not None else None
        self._write_meta()

    def record_export(self, fmt: str, at: datetime) -> None:
        self.exports.append({"format": fmt, "at": _iso(at)})
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
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1)
        atomic_write(self.folder / META_FILE, text.encode("utf-8"))


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


#: A list of creations (spelt so inside CreationStore, whose `list` method shadows it).
Creations = list[Creation]


class CreationStore:
    """All creations of this station, under `root` (``data_dir/creations``).

    `clock` gives the UTC wall time (the shell's clock in tests). `session` is set by the
    shell to an opaque key of the current session; `new()` remembers, in memory only, which
    creations each session made (see `in_session`)."""

    def __init__(
        self,
        root: Path,
        station: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.root = Path(root)
        self.station = station
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.session: str | None = None
        self._made: dict[str, list[str]] = {}

    def now(self) -> datetime:
        return self._clock()

    # ----- making ------------------------------------------------------------------------

    def new(self, kind: Kind, language: str) -> Creation:
        """A new, empty draft (its folder and creation.json are written at once)."""
        if kind not in KINDS:
            raise CreationError(f"unknown kind {kind!r}")
        now = self._clock()
        stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        self.root.mkdir(parents=True, exist_ok=True)
        while True:
            creation_id = f"{kind}-{stamp}-{secrets.token_hex(3)}"
            folder = self.root / creation_id
            try:
                folder.mkdir()
                break
            except FileExistsError:
                continue
        meta = {
            "schema": SCHEMA,
            "id": creation_id,
            "kind": kind,
            "state": "draft",
            "created_at": _iso(now),
            "updated_at": _iso(now),
            "language": language,
            "station": self.station,
            "closed_by": None,
            "consent_at": None,
            "exports": [],
            "data": {},
            "timeline": [],
            "pages": [],
        }
        creation = Creation(folder, meta, self._clock)
        creation._write_meta()
        if self.session is not None:
            # Only the current session's list is kept: the next child starts with none.
            self._made = {self.session: [*self._made.get(self.session, []), creation_id]}
        return creation

    # ----- finding -----------------------------------------------------------------------

    def get(self, creation_id: str) -> Creation | None:
        """The creation with this id; None when there is none or it cannot be read."""
        if not isinstance(creation_id, str) or not ID_PATTERN.match(creation_id):
            return None
        folder = self.root / creation_id
        if not folder.is_dir():
            return None
        try:
            return Creation.load(folder, self._clock)
        except CreationError as exc:
            log.warning("creation skipped: %s", exc)
            return None

    def _all(self) -> Iterable[Creation]:
        try:
            folders = sorted(self.root.iterdir())
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.warning("creations folder %s cannot be read: %s", self.root, exc)
            return []
        found = []
        for folder in folders:
            if not folder.is_dir() or not ID_PATTERN.match(folder.name):
                continue
            try:
                found.append(Creation.load(folder, self._clock))
            except CreationError as exc:
                log.warning("creation skipped: %s", exc)
        return found

    def list(self, kind: Kind | None = None, states: tuple[str, ...] = ("saved",)) -> Creations:
        """Creations of `kind` (all kinds when None) in `states`, newest first."""
        chosen = [c for c in self._all() if (kind is None or c.kind == kind) and c.state in states]
        return sorted(chosen, key=lambda c: (c.created, c.id), reverse=True)

    def drafts_for_librarian(self) -> Creations:
        """Drafts left open when a session ended (e.g. by idle), newest first."""
        return [c for c in self.list(states=("draft",)) if c.closed_by is not None]

    def for_review(self) -> Creations:
        """What the librarian's review shows: saved creations and kept drafts, newest first."""
        return [
            c for c in self.list(states=STATES) if c.state == "saved" or c.closed_by is not None
        ]

    def in_session(self, kind: Kind | None = None, states: tuple[str, ...] = STATES) -> Creations:
        """The creations made during the current session (newest first): a child sees
        their own work and never the work of the child before them."""
        if self.session is None:
            return []
        ids = self._made.get(self.session, [])
        found = [self.get(i) for i in reversed(ids)]
        return [
            c
            for c in found
            if c is not None
            and (kind is None or c.kind == kind)
            and c.state in states
            and c.closed_by is None
        ]

    def drawings_in_session(self) -> Creations:
        """The current session's drawings (saved or autosaved), newest first."""
        return self.in_session("drawing")

    # ----- removing ----------------------------------------------------------------------

    def delete(self, creation_id: str) -> bool:
        """Remove a creation's folder; False when there was no such creation."""
        if not isinstance(creation_id, str) or not ID_PATTERN.match(creation_id):
            return False
        folder = self.root / creation_id
        if not folder.is_dir():
            return False
        shutil.rmtree(folder)
        for ids in self._made.values():
            if creation_id in ids:
                ids.remove(creation_id)
        return True

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete creations (drafts and saved) last changed more than `retention_days` ago;
        an unreadable folder counts by its modification time. Returns how many went."""
        now = now or self._clock()
        limit = now - timedelta(days=retention_days)
        try:
            folders = list(self.root.iterdir())
        except OSError:
            return 0
        removed = 0
        for folder in folders:
            if not folder.is_dir() or not ID_PATTERN.match(folder.name):
                continue
            try:
                changed = Creation.load(folder, self._clock).updated
            except CreationError:
                try:
                    changed = datetime.fromtimestamp(folder.stat().st_mtime, UTC)
                except OSError:
                    continue
            if changed < limit:
                try:
                    shutil.rmtree(folder)
                    removed += 1
                except OSError as exc:
                    log.warning("creation %s could not be purged: %s", folder, exc)
        if removed:
            log.info("purged %d creations older than %d days", removed, retention_days)
        return removed
