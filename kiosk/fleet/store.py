"""The station's copy of what the office sends: packs in versioned folders, and settings.

Layout, under ``DATA/office-content/``::

    objects/<sha256>          files whose hash matched (a download in progress: .part)
    versions/<pack>.v<N>/<pack>/pack.yaml …   a checked version, never changed once there
    current.json              what the kiosk runs: pack → version folder, the settings
    in-use.json               the folders the running kiosk has loaded (written by it)

A new version is assembled in a ``.staging-*`` folder, checked with the kiosk's own
`read_pack`, and only then renamed into ``versions/``; ``current.json`` is replaced
atomically after every pack of the manifest is done. So a kiosk killed at any moment has
either the old ``current.json`` (with its folders intact) or the new one: never a half
pack. A version that fails its check is reported and the pack's last good version stays.
Folders that are neither in ``current.json`` nor in ``in-use.json`` are removed at the end
of a sync: the version a running kiosk still shows stays until it has moved on.

`install(store, manifest, fetch)` does all of this; `fetch(file, part_path)` brings one
file's bytes (from the office, `kiosk.fleet.client`, or a USB export,
`kiosk.fleet.usb`)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.errors import TelpaError
from kiosk.fileio import atomic_write
from kiosk.packs.check import read_pack
from kiosk.packs.safety import path_problem

log = logging.getLogger(__name__)

STORE_DIR = "office-content"
CURRENT = "current.json"
IN_USE = "in-use.json"
#: All files of one manifest together: far above 50 packs of photos, far below a full disk.
MAX_MANIFEST_BYTES = 2_000_000_000
_CHUNK = 1 << 16


class ContentError(TelpaError):
    """Content from the office that cannot be used; `str()` says why and what to do."""

    code = "office_content"


class ManifestFile(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    path: str = Field(max_length=400)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=MAX_MANIFEST_BYTES)

    @field_validator("path")
    @classmethod
    def _inside(cls, value: str) -> str:
        problem = path_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class ManifestPack(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    pack: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    version: int = Field(ge=1)
    files: list[ManifestFile] = Field(max_length=2_000)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    schema_: int = Field(alias="schema")
    site: str
    station: str
    packs: list[ManifestPack] = Field(max_length=500)
    settings: dict[str, Any] = Field(default_factory=dict)
    settings_from: dict[str, str] = Field(default_factory=dict)


def parse_manifest(data: Any) -> Manifest:
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ContentError(
            f"the office sent a manifest that is not usable ({where}: "
            f"{first['msg']}); tell the coordinator"
        ) from None
    if sum(f.size for p in manifest.packs for f in p.files) > MAX_MANIFEST_BYTES:
        raise ContentError("the office's manifest lists more than 2 GB of files")
    return manifest


@dataclass(frozen=True)
class Current:
    """What ``current.json`` says the kiosk runs."""

    etag: str = ""
    #: pack → {"version": N, "folder": "versions/…/<pack>"}
    packs: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    settings_from: dict[str, str] = field(default_factory=dict)
    #: The office has this state's report.
    reported: bool = False
    #: Where the state came from: "office" or "usb".
    source: str = "office"

    def running(self) -> dict[str, int]:
        return {pack: int(entry["version"]) for pack, entry in self.packs.items()}


FileFetcher = Callable[[ManifestFile, Path], None]


class ContentStore:
    """The folder ``DATA/office-content``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / STORE_DIR
        self.objects = self.root / "objects"
        self.versions = self.root / "versions"

    def read_current(self) -> Current:
        try:
            data = json.loads((self.root / CURRENT).read_text(encoding="utf-8"))
            return Current(
                etag=str(data.get("etag", "")),
                packs=dict(data.get("packs", {})),
                failed=list(data.get("failed", [])),
                settings=dict(data.get("settings", {})),
                settings_from=dict(data.get("settings_from", {})),
                reported=bool(data.get("reported", False)),
                source=str(data.get("source", "office")),
            )
        except FileNotFoundError:
            return Current()
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("office content: %s is unreadable (%s); starting afresh", CURRENT, exc)
            return Current()

    def write_current(self, current: Current) -> None:
        data = {
            "etag": current.etag,
            "packs": current.packs,
            "failed": current.failed,
            "settings": current.settings,
            "settings_from": current.settings_from,
            "reported": current.reported,
            "source": current.source,
        }
        atomic_write(self.root / CURRENT, json.dumps(data, indent=1, sort_keys=True).encode())

    def pack_folders(self) -> list[Path]:
        """The folders of the packs ``current.json`` names that are there."""
        folders = []
        for entry in self.read_current().packs.values():
            folder = self.root / str(entry.get("folder", ""))
            if folder.is_dir() and folder.resolve().is_relative_to(self.versions.resolve()):
                folders.append(folder)
        return folders

    def mark_in_use(self, folders: list[Path]) -> None:
        """Note the folders the running kiosk reads (called at the attract screen, so no
        fsync: after a crash nothing runs them any more, and the sync may remove them)."""
        names = sorted(
            str(f.relative_to(self.root)) for f in folders if f.is_relative_to(self.root)
        )
        temp = self.root / f".{IN_USE}.{os.getpid()}.tmp"
        temp.write_text(json.dumps(names), encoding="utf-8")
        os.replace(temp, self.root / IN_USE)

    def _in_use(self) -> set[str]:
        try:
            return {str(name) for name in json.loads((self.root / IN_USE).read_text("utf-8"))}
        except (OSError, ValueError, TypeError):
            return set()

    # ----- files ------------------------------------------------------------------------

    def has_object(self, file: ManifestFile) -> bool:
        path = self.objects / file.sha256
        try:
            return path.stat().st_size == file.size
        except OSError:
            return False

    def bring(self, file: ManifestFile, fetch: FileFetcher) -> None:
        """Make sure ``objects/<sha256>`` exists and matches; fetch it (resuming its
        ``.part``) if not. Raises ContentError for a wrong hash (the part is dropped)."""
        if self.has_object(file):
            return
        self.objects.mkdir(parents=True, exist_ok=True)
        part = self.objects / f"{file.sha256}.part"
        fetch(file, part)
        size = part.stat().st_size
        digest = hashlib.sha256()
        with open(part, "rb") as data:
            while chunk := data.read(_CHUNK):
                digest.update(chunk)
        if size != file.size or digest.hexdigest() != file.sha256:
            part.unlink(missing_ok=True)
            raise ContentError(
                f"{file.path}: the file that arrived does not match its sha256 ({size} bytes); "
                "it was refused and will be fetched again at the next sync"
            )
        with open(part, "rb+") as done:
            os.fsync(done.fileno())
        os.replace(part, self.objects / file.sha256)

    # ----- versions ---------------------------------------------------------------------

    def version_folder(self, pack: ManifestPack) -> Path:
        return self.versions / f"{pack.pack}.v{pack.version}" / pack.pack

    def assemble(self, pack: ManifestPack) -> Path:
        """Put the version's files (all in objects/) into its folder, checked; returns it.
        Raises ContentError when the pack check finds problems."""
        final = self.version_folder(pack)
        if final.is_dir() and _matches(final, pack):
            return final
        self.versions.mkdir(parents=True, exist_ok=True)
        staging = self.versions / f".staging-{uuid.uuid4().hex}"
        folder = staging / pack.pack
        try:
            for file in pack.files:
                target = folder / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.objects / file.sha256, target)
            checked, problems = read_pack(folder)
            if checked is None or problems:
                shown = "; ".join(str(p).replace(str(staging), "") for p in problems[:3])
                raise ContentError(f"the pack check failed: {shown}")
            if final.parent.exists():
                shutil.rmtree(final.parent)
            os.replace(staging, final.parent)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return final

    def collect_garbage(self, keep_objects: set[str]) -> None:
        """Remove version folders nobody runs and objects no manifest file needs."""
        current = self.read_current()
        keep = {str(Path(entry["folder"]).parent) for entry in current.packs.values()}
        keep |= {str(Path(name).parent) for name in self._in_use()}
        if self.versions.is_dir():
            for child in self.versions.iterdir():
                name = str(child.relative_to(self.root))
                if name not in keep:
                    shutil.rmtree(child, ignore_errors=True)
        if self.objects.is_dir():
            for child in self.objects.iterdir():
                if child.name.removesuffix(".part") not in keep_objects:
                    child.unlink(missing_ok=True)


def _matches(folder: Path, pack: ManifestPack) -> bool:
    for file in pack.files:
        try:
            if (folder / file.path).stat().st_size != file.size:
                return False
        except OSError:
            return False
    return True


@dataclass
class InstallResult:
    """What one `install` did."""

    changed: bool = False
    installed: list[tuple[str, int]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    #: A file could not be fetched (network): the state is not final, ask again next time.
    incomplete: bool = False
    downloaded_bytes: int = 0


_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def install(
    store: ContentStore,
    manifest: Manifest,
    fetch: FileFetcher,
    etag: str,
    *,
    source: str = "office",
    network_errors: tuple[type[BaseException], ...] = (),
) -> InstallResult:
    """Bring the station to `manifest`: fetch what is missing, check and switch packs.

    A pack whose files cannot be fetched (one of `network_errors`) or whose version fails
    its check keeps its last good version; the new ``current.json`` is written once, at
    the end. The first of `network_errors` raised is re-raised after that write."""
    from kiosk.fleet.settings import unflatten

    before = store.read_current()
    result = InstallResult()
    packs: dict[str, dict[str, Any]] = {}
    pending_error: BaseException | None = None
    for pack in manifest.packs:
        entry = before.packs.get(pack.pack)
        if (
            entry is not None
            and int(entry["version"]) == pack.version
            and (store.root / entry["folder"]).is_dir()
        ):
            packs[pack.pack] = entry
            continue
        try:
            for file in pack.files:
                had = store.has_object(file)
                try:
                    store.bring(file, fetch)
                except ContentError:
                    result.incomplete = True  # a wrong hash: fetched again next time
                    raise
                if not had:
                    result.downloaded_bytes += file.size
            folder = store.assemble(pack)
        except ContentError as exc:
            log.warning("office content: %s version %d: %s", pack.pack, pack.version, exc)
            result.failed.append({"pack": pack.pack, "version": pack.version, "problem": str(exc)})
            if entry is not None:
                packs[pack.pack] = entry  # the last good version stays
            continue
        except network_errors as exc:
            log.warning("office content: %s version %d: %s", pack.pack, pack.version, exc)
            pending_error = pending_error or exc
            result.incomplete = True
            if entry is not None:
                packs[pack.pack] = entry
            continue
        packs[pack.pack] = {
            "version": pack.version,
            "folder": str(folder.relative_to(store.root)),
        }
        result.installed.append((pack.pack, pack.version))
    settings = manifest.settings
    try:
        unflatten(settings)
    except (ValidationError, ValueError) as exc:
        log.warning("office content: the settings from the office are not usable: %s", exc)
        result.failed.append({"pack": "(settings)", "version": 0, "problem": str(exc)[:300]})
        settings = before.settings
    current = Current(
        etag="" if result.incomplete else etag,
        packs=packs,
        failed=result.failed,
        settings=settings,
        settings_from=manifest.settings_from if settings is manifest.settings else {},
        reported=False,
        source=source,
    )
    result.changed = (current.packs, current.settings) != (before.packs, before.settings)
    store.write_current(current)
    wanted = {f.sha256 for p in manifest.packs for f in p.files}
    if not result.incomplete:
        store.collect_garbage(wanted)
    if pending_error is not None:
        raise pending_error
    return result
