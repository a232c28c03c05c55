"""A pack folder or zip brought to the office, unpacked and checked before anything is kept.

Uploads are hostile until checked. A zip is read entry by entry into a fresh temporary
folder with every limit counted on the bytes actually written, not on what the zip's
headers claim (a zip bomb lies there): at most `MAX_FILES` files and `MAX_TOTAL_BYTES` in
all, every name a plain path inside the folder (`kiosk.packs.safety.path_problem`), no
links, devices or other non-files (a zip can carry Unix modes). A folder is walked the same
way, links refused. Then the pack is checked with exactly `kiosk content check`'s
`read_pack(decode_clips=True)`: YAML aliases, pictures over the pixel budget, missing
texts… — the same messages, one per line. A pack whose id is one that comes with Telpa is
refused too: every station would leave it out as a duplicate.

`UploadError`'s message says what is wrong and what to do; nothing has been stored when it
is raised (the caller stores only a `CheckedPack`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kiosk.errors import TelpaError
from kiosk.packs.check import PACK_FILE, Problem, read_pack
from kiosk.packs.safety import path_problem
from kiosk.paths import CONTENT

#: Files one pack may have (pictures and clips are each capped lower by the pack check).
MAX_FILES = 1_000
#: All files of one pack together, unpacked.
MAX_TOTAL_BYTES = 300_000_000
#: A zip whose entries would unpack to this many times its own size is a bomb.
MAX_RATIO = 200
_CHUNK = 1 << 16


def N_(message: str) -> str:
    """Marks a message for translation; the dashboard translates it when it shows it."""
    return message


class UploadError(TelpaError):
    """An upload that cannot be published. `str()` is the English message (the CLI's);
    `lines(gettext)` the same in the dashboard's language: `template` (a msgid with
    ``%(name)s`` places for `values`) translated, then the pack check's own problem lines
    (`details`, as `kiosk content check` writes them)."""

    code = "pack_upload"

    def __init__(self, template: str, /, *, details: Sequence[str] = (), **values: object):
        self.template = template
        self.values = values
        self.details = tuple(details)
        super().__init__("\n".join([template % values, *(f"  {line}" for line in details)]))

    def lines(self, gettext: Callable[[str], str]) -> list[str]:
        return [gettext(self.template) % self.values, *self.details]


@dataclass(frozen=True)
class PackFile:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class CheckedPack:
    """A pack that passed every check, unpacked in `folder` (a temporary folder the caller
    removes), with its files listed by sha256."""

    pack_id: str
    folder: Path
    files: tuple[PackFile, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def content_sha256(self) -> str:
        lines = "".join(f"{f.path} {f.sha256}\n" for f in sorted(self.files, key=lambda f: f.path))
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _zip_entry_is_link(info: zipfile.ZipInfo) -> bool:
    # Zips made on Windows (and Python's writestr) carry no file type: those are files.
    kind = stat.S_IFMT(info.external_attr >> 16)
    return kind not in (0, stat.S_IFREG, stat.S_IFDIR)


def _unzip(source: Path, into: Path) -> Path:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadError(
            N_("%(source)s: not a zip file that can be read (%(why)s)"), source=source, why=exc
        ) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_FILES:
            raise UploadError(
                N_(
                    "%(source)s: the zip has %(entries)d entries; a pack may have at most "
                    "%(most)d files"
                ),
                source=source,
                entries=len(entries),
                most=MAX_FILES,
            )
        budget = min(MAX_TOTAL_BYTES, max(1, source.stat().st_size) * MAX_RATIO)
        written = 0
        for info in entries:
            name = info.filename
            problem = path_problem(name.rstrip("/"))
            if problem is not None:
                raise UploadError(
                    N_("%(source)s: %(name)r: %(problem)s; nothing was published"),
                    source=source,
                    name=name,
                    problem=problem,
                )
            if _zip_entry_is_link(info):
                raise UploadError(
                    N_(
                        "%(source)s: %(name)r is a link or a special file; a pack holds only "
                        "ordinary files (put the file itself in the zip); nothing was published"
                    ),
                    source=source,
                    name=name,
                )
            target = into / PurePosixPath(name)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(info) as src, open(target, "xb") as dst:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > budget:
                            raise UploadError(
                                N_(
                                    "%(source)s: the zip unpacks to more than %(budget)s bytes "
                                    "(a zip bomb, or a pack over %(most)s bytes); "
                                    "nothing was published"
                                ),
                                source=source,
                                budget=f"{budget:,}",
                                most=f"{MAX_TOTAL_BYTES:,}",
                            )
                        dst.write(chunk)
            except FileExistsError:
                raise UploadError(
                    N_("%(source)s: %(name)r is in the zip twice; nothing was published"),
                    source=source,
                    name=name,
                ) from None
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                if isinstance(exc, UploadError):
                    raise
                raise UploadError(
                    N_("%(source)s: %(name)r cannot be unpacked (%(why)s); nothing was published"),
                    source=source,
                    name=name,
                    why=exc,
                ) from None
    return into


def _pack_root(unpacked: Path, fallback_name: str) -> Path:
    """The folder holding pack.yaml: the zip's top, or its single top folder."""
    if (unpacked / PACK_FILE).exists():
        named = unpacked.parent / fallback_name
        unpacked.rename(named)
        return named
    children = [p for p in unpacked.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / PACK_FILE).exists():
        return children[0]
    raise UploadError(
        N_(
            "there is no pack.yaml at the top of the zip or in its one folder; zip the pack's "
            "folder itself; nothing was published"
        )
    )


def _walk(folder: Path) -> list[tuple[str, Path]]:
    """Every ordinary file under `folder` by its relative POSIX path; links refused."""
    found: list[tuple[str, Path]] = []
    total = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                raise UploadError(
                    N_(
                        "%(path)s: is a link; a pack holds only ordinary files and folders; "
                        "nothing was published"
                    ),
                    path=base / name,
                )
        for name in sorted(files):
            path = base / name
            info = os.lstat(path)
            relative = path.relative_to(folder).as_posix()
            if not stat.S_ISREG(info.st_mode):
                raise UploadError(
                    N_(
                        "%(name)r is a link or a special file; a pack holds only ordinary "
                        "files (copy the file itself into the pack); nothing was published"
                    ),
                    name=relative,
                )
            problem = path_problem(relative)
            if problem is not None:
                raise UploadError(
                    N_("%(name)r: %(problem)s; nothing was published"),
                    name=relative,
                    problem=problem,
                )
            total += info.st_size
            found.append((relative, path))
            if len(found) > MAX_FILES or total > MAX_TOTAL_BYTES:
                raise UploadError(
                    N_(
                        "the pack has more than %(files)d files or %(most)s bytes; "
                        "nothing was published"
                    ),
                    files=MAX_FILES,
                    most=f"{MAX_TOTAL_BYTES:,}",
                )
    return found


def _hash(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _shown(problem: Problem, folder: Path) -> str:
    """The problem with its file named inside the pack (the temporary folder left out)."""
    try:
        where = problem.path.relative_to(folder.parent).as_posix()
    except ValueError:
        where = problem.path.name
    return (
        f"{where}:{problem.line}: {problem.message}"
        if problem.line
        else f"{where}: {problem.message}"
    )


def comes_with_telpa(pack_id: str) -> bool:
    """True when a pack of this id ships with Telpa (content/). Stations read those first and
    leave a second pack of the same id out, so the office refuses to publish one: an
    upload here, the web editors in `kiosk.office.editor_draft`."""
    return (CONTENT / pack_id / PACK_FILE).is_file()


def check_upload(source: Path, workdir: Path) -> CheckedPack:
    """Unpack (a zip) or copy (a folder) `source` into `workdir` and check it.

    Raises UploadError, whose message lists every problem `kiosk content check` finds."""
    if not source.exists():
        raise UploadError(N_("%(source)s: there is no such file or folder"), source=source)
    if source.is_dir() and not source.is_symlink():
        _walk(source)  # links and special files refused before anything is copied
        folder = workdir / source.resolve().name
        shutil.copytree(source, folder, symlinks=True)
    elif source.is_file() and zipfile.is_zipfile(source):
        unpacked = _unzip(source, workdir / ".unzipped")
        stem = source.name[: -len(source.suffix)] if source.suffix else source.name
        folder = _pack_root(unpacked, stem)
    else:
        raise UploadError(N_("%(source)s: give a pack's folder or a .zip of it"), source=source)
    files = _walk(folder)
    pack, problems = read_pack(folder, decode_clips=True)
    if pack is None or problems:
        raise UploadError(
            N_(
                "the pack has problems (%(count)d); fix them (`kiosk content check` shows the "
                "same) and publish again; nothing was published:"
            ),
            details=[_shown(problem, folder) for problem in problems],
            count=len(problems),
        )
    if comes_with_telpa(pack.pack):
        raise UploadError(
            N_(
                "the pack's id %(pack)r comes with Telpa: every station already has a pack "
                "of that name and would leave this one out. Give yours another id (`pack:` in "
                "pack.yaml, and its folder the same name) and publish again; nothing was published."
            ),
            pack=pack.pack,
        )
    checked = []
    for relative, path in files:
        sha, size = _hash(path)
        checked.append(PackFile(relative, sha, size))
    return CheckedPack(pack.pack, folder, tuple(checked))
