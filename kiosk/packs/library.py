"""The content packs a running kiosk offers, read off the render thread.

`PackLibrary.start()` reads every pack on a worker thread right after the first frame, so
start-up does not wait for content. A pack with problems is left out and listed in
`broken` for the librarian panel; the others work. Whatever goes wrong while one pack is
read (of any kind) becomes that pack's entry in `broken`, never the loss of the others.
Games reach packs through their `ActivityContext` and pictures through `PackPictures`,
which opens them only through `kiosk.packs.safety` (inside the pack, within the pixel
limits), honours a photo's EXIF rotation, scales it down once and keeps it."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from kiosk.packs.check import PACK_FILE, Problem, pack_folders, read_pack
from kiosk.packs.models import Pack
from kiosk.packs.safety import PHOTO_MAX_SIDE, PackFileError, decode_picture, open_picture
from kiosk.ui.cache import SurfaceCache
from kiosk.ui.images import ImageCache

log = logging.getLogger(__name__)

__all__ = ["PHOTO_MAX_SIDE", "BrokenPack", "PackLibrary", "PackPictures", "load_photo"]


@dataclass(frozen=True)
class BrokenPack:
    folder: Path
    problems: list[Problem]


@dataclass
class PackLibrary:
    roots: list[Path]
    packs: list[Pack] = field(default_factory=list)
    folders: dict[str, Path] = field(default_factory=dict)
    broken: list[BrokenPack] = field(default_factory=list)
    _thread: threading.Thread | None = None
    _done: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Read the packs on a worker thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._load, name="packs", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the packs are read (starting the reading if nobody has)."""
        self.start()
        return self._done.wait(timeout)

    def finish(self, timeout: float) -> None:
        """Let a reading already under way end (never starts one)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _load(self) -> None:
        try:
            try:
                folders = pack_folders([r for r in self.roots if r.exists()])
            except Exception:
                log.exception("listing the content folders %s failed", self.roots)
                folders = []
            for folder in folders:
                self._load_one(folder)
        finally:
            self._done.set()

    def _load_one(self, folder: Path) -> None:
        try:
            pack, problems = read_pack(folder)
        except Exception as exc:  # a bug meeting odd input: this pack only, never the rest
            log.exception("content pack %s could not be read", folder)
            pack, problems = (
                None,
                [
                    Problem(
                        folder / PACK_FILE,
                        None,
                        f"the pack could not be read ({type(exc).__name__}: {exc}); "
                        "run “kiosk content check” on its folder",
                    )
                ],
            )
        if pack is None:
            self.broken.append(BrokenPack(folder, problems))
            log.warning(
                "content pack %s is left out: %s",
                folder,
                "; ".join(str(p) for p in problems[:5]),
            )
            return
        if pack.pack in self.folders:
            problem = Problem(folder / PACK_FILE, 1, f"pack {pack.pack!r} exists twice")
            self.broken.append(BrokenPack(folder, [problem]))
            return
        self.packs.append(pack)
        self.folders[pack.pack] = folder

    def ready(self) -> list[Pack]:
        """The usable packs (waiting for the reading to finish)."""
        self.wait()
        return list(self.packs)


class PackPictures:
    """Pictures of packs by (pack, picture id), fitted into a square, cached."""

    def __init__(
        self, library: PackLibrary, images: ImageCache, budget_bytes: int = 16 << 20
    ) -> None:
        self.library = library
        self.images = images
        #: Photos at their stored size; a few at most (one is up to 16 MB).
        self._photos = SurfaceCache(4 * budget_bytes)
        self._unreadable: set[Path] = set()
        self._sizes: dict[Path, tuple[int, int] | None] = {}
        self._scaled = SurfaceCache(budget_bytes)

    def original(self, pack: Pack, picture_id: str) -> pygame.Surface | None:
        """The picture at its stored size (photos: at most PHOTO_MAX_SIDE)."""
        picture = pack.pictures.get(picture_id)
        if picture is None:
            return None
        if picture.emoji is not None:
            return self.images.emoji(picture.emoji, 256)
        folder = self.library.folders.get(pack.pack)
        if folder is None or picture.file is None:
            return None
        return self._photo(folder, picture.file)

    def _photo(self, folder: Path, relative: str) -> pygame.Surface | None:
        path = folder / relative
        if path in self._unreadable:
            return None
        photo = self._photos.get(path)
        if photo is None:
            photo = load_photo(folder, relative)
            if photo is None:
                self._unreadable.add(path)
                return None
            self._photos.put(path, photo)
        return photo

    def size_of(self, pack: Pack, picture_id: str) -> tuple[int, int] | None:
        """A photo's size as stored (upright), read from its header only; None for
        pictograms and unreadable files."""
        picture = pack.pictures.get(picture_id)
        folder = self.library.folders.get(pack.pack)
        if picture is None or picture.file is None or folder is None:
            return None
        path = folder / picture.file
        if path not in self._sizes:
            try:
                with open_picture(folder, picture.file) as image:
                    w, h = image.size
                    if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):
                        w, h = h, w  # stored sideways, shown upright
                    self._sizes[path] = (w, h)
            except (PackFileError, OSError, ValueError) as exc:
                log.warning("photo %s cannot be shown: %s", path, exc)
                self._sizes[path] = None
        return self._sizes[path]

    def get(self, pack: Pack, picture_id: str, size: int) -> pygame.Surface:
        """The picture fitted into size×size (aspect kept); a soft placeholder if missing."""
        picture = pack.pictures.get(picture_id)
        if picture is not None and picture.emoji is not None:
            return self.images.emoji(picture.emoji, size)  # cached there
        key = (pack.pack, picture_id, size)
        cached = self._scaled.get(key)
        if cached is not None:
            return cached
        original = self.original(pack, picture_id)
        if original is None:
            return self.images.placeholder(size)
        w, h = original.get_size()
        scale = size / max(w, h)
        surface = pygame.transform.smoothscale(
            original, (max(1, round(w * scale)), max(1, round(h * scale)))
        )
        return self._scaled.put(key, surface)


def load_photo(
    folder: Path, relative: str, max_side: int = PHOTO_MAX_SIDE
) -> pygame.Surface | None:
    """A librarian's photo `folder/relative`, upright (EXIF orientation honoured) and at
    most `max_side`; None (logged) when it cannot be shown safely (see kiosk.packs.safety)."""
    try:
        upright = decode_picture(folder, relative, max_side)
        return pygame.image.frombytes(upright.tobytes(), upright.size, "RGBA")
    except (PackFileError, pygame.error, MemoryError) as exc:
        log.warning("photo %s cannot be shown: %s", folder / relative, exc)
        return None
