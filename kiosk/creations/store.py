"""All creations of a station: making, finding, reviewing and removing them.

The whole store is for the shell and the librarian's review. A visit to a creative tool
gets only `VisitCreations` (`for_visit()`): make new creations, list and open the ones made
in this session.

Which child made what is never stored. The store only remembers, in memory, which
creations were made during the current session, so a tool can offer "my pictures" to the
child who drew them and to nobody after them."""

from __future__ import annotations

import logging
import secrets
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.creations.folder import (
    ID_PATTERN,
    KINDS,
    SCHEMA,
    STATES,
    Creation,
    CreationError,
    Kind,
    iso_time,
)
from kiosk.creations.writer import CreationWriter

log = logging.getLogger(__name__)

#: A list of creations (spelt so inside CreationStore, whose `list` method shadows it).
Creations = list[Creation]


class CreationStore:
    """All creations of this station, under `root` (``data_dir/creations``).

    `clock` gives the UTC wall time (the shell's clock in tests). `session` is set by the
    shell to an opaque key of the current session; `new()` remembers, in memory only, which
    creations each session made (see `in_session`).

    With a `writer` (the kiosk's), creations write on its thread and every reading method
    first waits for the writes queued before it, so the review sees what the tools saved;
    `close()` writes what is left."""

    def __init__(
        self,
        root: Path,
        station: str = "",
        clock: Callable[[], datetime] | None = None,
        writer: CreationWriter | None = None,
    ) -> None:
        self.root = Path(root)
        self.station = station
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.writer = writer
        self.session: str | None = None
        #: The creations each session made, as the tools hold them (in memory only).
        self._made: dict[str, list[Creation]] = {}

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued write is on disk (False when `timeout` ran out)."""
        return self.writer.flush(timeout) if self.writer is not None else True

    def close(self) -> None:
        """Write what is queued; the store stays usable (a later write restarts the thread)."""
        if self.writer is not None:
            self.writer.close()

    def for_visit(self, session: str | None) -> VisitCreations:
        """What one visit to a tool may do, for the session `session` (an opaque key):
        the next session's visits see none of this one's creations."""
        self.session = session
        return VisitCreations(self)

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
            "created_at": iso_time(now),
            "updated_at": iso_time(now),
            "language": language,
            "station": self.station,
            "closed_by": None,
            "consent_at": None,
            "exports": [],
            "data": {},
            "timeline": [],
            "pages": [],
        }
        creation = Creation(folder, meta, self._clock, self.writer)
        creation._write_meta()
        if self.session is not None:
            # Only the current session's list is kept: the next child starts with none.
            self._made = {self.session: [*self._made.get(self.session, []), creation]}
        return creation

    # ----- finding -----------------------------------------------------------------------

    def get(self, creation_id: str) -> Creation | None:
        """The creation with this id; None when there is none or it cannot be read."""
        self.flush()
        if not isinstance(creation_id, str) or not ID_PATTERN.match(creation_id):
            return None
        folder = self.root / creation_id
        if not folder.is_dir():
            return None
        try:
            return Creation.load(folder, self._clock, self.writer)
        except CreationError as exc:
            log.warning("creation skipped: %s", exc)
            return None

    def _all(self) -> Iterable[Creation]:
        self.flush()
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
                found.append(Creation.load(folder, self._clock, self.writer))
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
        # The tools' own objects: nothing is read from disk on the render thread.
        found = reversed(self._made.get(self.session, []))
        return [
            c
            for c in found
            if (kind is None or c.kind == kind) and c.state in states and c.closed_by is None
        ]

    def drawings_in_session(self) -> Creations:
        """The current session's drawings (saved or autosaved), newest first."""
        return self.in_session("drawing")

    # ----- removing ----------------------------------------------------------------------

    def delete(self, creation_id: str) -> bool:
        """Remove a creation's folder; False when there was no such creation."""
        if not isinstance(creation_id, str) or not ID_PATTERN.match(creation_id):
            return False
        self.flush()
        folder = self.root / creation_id
        if not folder.is_dir():
            return False
        shutil.rmtree(folder)
        for made in self._made.values():
            made[:] = [c for c in made if c.id != creation_id]
        return True

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete creations (drafts and saved) last changed more than `retention_days` ago;
        an unreadable folder counts by its modification time. Returns how many went."""
        now = now or self._clock()
        self.flush()
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


class VisitCreations:
    """What a visit to a creative tool gets as `ctx.creations`: make new creations, and list
    and open the ones made in this session — never another child's, never the review's
    delete or purge."""

    def __init__(self, store: CreationStore) -> None:
        self._store = store
        self._session = store.session

    def new(self, kind: Kind, language: str) -> Creation:
        """A new, empty draft of this session."""
        return self._store.new(kind, language)

    def mine(self, kind: Kind | None = None) -> Creations:
        """This session's creations (saved or autosaved) of `kind`, newest first."""
        if self._store.session != self._session:
            return []
        return self._store.in_session(kind)

    def drawings_in_session(self) -> Creations:
        """This session's drawings, newest first (the film's and story's pictures)."""
        return self.mine("drawing")

    def open(self, creation_id: str) -> Creation | None:
        """One of this session's creations by id; None for any other."""
        return next((c for c in self.mine() if c.id == creation_id), None)
