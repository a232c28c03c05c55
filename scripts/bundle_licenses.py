"""The `licenses/` folder of Telpa's standalone bundle: what the bundle carries, under which
terms, with each licence's text (docs/install-windows.md, "What is inside").

installer/telpa.spec calls `write_licences` at build time with the top-level names of
everything PyInstaller collected; nothing here is a hand-kept list of dependencies. It
writes, into one folder:

- THIRD-PARTY.md: every Python distribution the bundle carries (name, version, licence,
  home page), the native programs and libraries (eSpeak NG, ffmpeg, the wheels' `.libs`),
  the Python interpreter, PyInstaller's bootloader and where Telpa's own assets' licences are;
- `<distribution>-<version>/`: the licence files from each distribution's dist-info
  (`License-File` entries, `licenses/`, `sboms/`, LICENSE/COPYING/NOTICE/AUTHORS files);
- `espeak-ng-<version>/` and `ffmpeg-<version>/`: the GPL text, the exact version, the
  upstream source and the written offer (both are GPL programs: GPL-3.0 sections 4-6);
- `python-<version>/LICENSE.txt` and NOTICE.txt, the short notice the Windows installer
  shows before installing (installer/telpa.iss, InfoBeforeFile).

A distribution with no licence file is a build error (`LicenceError`), so a new dependency
cannot slip into the bundle unnoticed, unless SUPPLEMENTS gives it a licence text from
installer/licence-texts/ or ALLOWED_WITHOUT_LICENCE says why it needs none.

    python scripts/bundle_licenses.py OUT pygame PIL espeakng_loader ...

writes the folder for the given top-level modules from the running environment (a check
without PyInstaller; the bundle's own folder comes from the spec).
"""

from __future__ import annotations

import ctypes
import datetime
import importlib
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

TEXTS = Path(__file__).resolve().parent.parent / "installer" / "licence-texts"

# Distributions whose wheels carry no licence file: the licence text the bundle carries for
# them instead (a file of installer/licence-texts/), their licence, and why.
SUPPLEMENTS: dict[str, tuple[str, str, str]] = {
    # METADATA says "License: LGPL v2.1", but the wheel has no licence file at all.
    "pygame-ce": (
        "LGPL-2.1.txt",
        "LGPL-2.1",
        "the wheel declares LGPL v2.1 but carries no licence file",
    ),
    # The loader's wheel declares no licence; what it carries is eSpeak NG (library and
    # data), GPL-3.0-or-later: see espeak-ng-<version>/ beside this folder.
    "espeakng-loader": (
        "GPL-3.0.txt",
        "GPL-3.0-or-later (eSpeak NG)",
        "the wheel declares no licence; it carries eSpeak NG (GPL-3.0-or-later), whose "
        "text, version and source are in the espeak-ng folder",
    ),
}

# Distributions the bundle may carry with no licence file at all, each with the reason.
ALLOWED_WITHOUT_LICENCE: dict[str, str] = {
    # Telpa itself: the project has not chosen a licence (no LICENSE file, no `license`
    # in pyproject.toml). Its assets' licences are in assets/LICENSES.md.
    "telpa": (
        "Telpa itself; the project has not declared a licence for its code yet. "
        "The licences of its fonts and pictures are in assets/LICENSES.md"
    ),
}

# Native libraries that the pygame-ce wheel carries in pygame_ce.libs (Linux) or pygame/
# (Windows) without their licence texts: their upstream licences, for the listing only.
# A library not named here is listed as "not recorded in the wheel".
PYGAME_NATIVE_LICENCES: dict[str, str] = {
    "SDL2": "Zlib (https://libsdl.org)",
    "SDL2_image": "Zlib (https://github.com/libsdl-org/SDL_image)",
    "SDL2_mixer": "Zlib (https://github.com/libsdl-org/SDL_mixer)",
    "SDL2_ttf": "Zlib (https://github.com/libsdl-org/SDL_ttf)",
    "FLAC": "BSD-3-Clause (https://xiph.org/flac)",
    "asound": "LGPL-2.1-or-later (https://www.alsa-project.org)",
    "brotlicommon": "MIT (https://github.com/google/brotli)",
    "brotlidec": "MIT (https://github.com/google/brotli)",
    "fluidsynth": "LGPL-2.1-or-later (https://www.fluidsynth.org)",
    "freetype": "FTL OR GPL-2.0-or-later (https://freetype.org)",
    "harfbuzz": "MIT-Modern-Variant (https://harfbuzz.github.io)",
    "jpeg": "IJG AND BSD-3-Clause AND Zlib (https://libjpeg-turbo.org)",
    "mpg123": "LGPL-2.1-only (https://www.mpg123.de)",
    "ogg": "BSD-3-Clause (https://xiph.org/ogg)",
    "opus": "BSD-3-Clause (https://opus-codec.org)",
    "opusfile": "BSD-3-Clause (https://opus-codec.org)",
    "png16": "Libpng (http://www.libpng.org)",
    "portmidi": "MIT (https://github.com/PortMidi/portmidi)",
    "sharpyuv": "BSD-3-Clause (https://chromium.googlesource.com/webm/libwebp)",
    "sndfile": "LGPL-2.1-or-later (https://libsndfile.github.io/libsndfile)",
    "tiff": "libtiff (https://libtiff.gitlab.io/libtiff)",
    "vorbis": "BSD-3-Clause (https://xiph.org/vorbis)",
    "vorbisenc": "BSD-3-Clause (https://xiph.org/vorbis)",
    "vorbisfile": "BSD-3-Clause (https://xiph.org/vorbis)",
    "wavpack": "BSD-3-Clause (https://www.wavpack.com)",
    "webp": "BSD-3-Clause (https://chromium.googlesource.com/webm/libwebp)",
    "webpdemux": "BSD-3-Clause (https://chromium.googlesource.com/webm/libwebp)",
    "xmp": "MIT (https://github.com/libxmp/libxmp)",
}

LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS|COPYRIGHT)", re.IGNORECASE)
# The version in a bundled library's file name: libSDL2-2-50d19f93.0.so.0.3200.10 → SDL2.
LIBRARY_STEM = re.compile(r"^(?:lib)?(?P<stem>[A-Za-z0-9_+]+?)(?:-[0-9a-f]{8})?(?:[-.]|$)")

ESPEAK_SOURCE = "https://github.com/espeak-ng/espeak-ng"
FFMPEG_SOURCE = "https://git.ffmpeg.org/ffmpeg.git (mirror: https://github.com/FFmpeg/FFmpeg)"
IMAGEIO_FFMPEG_SOURCE = "https://github.com/imageio/imageio-ffmpeg"
BTBN_BUILDS = "https://github.com/BtbN/FFmpeg-Builds"

# Section 6 of the GPL-3.0: the bundle is object code; whoever receives it may ask for
# the Corresponding Source of the GPL programs in it.
WRITTEN_OFFER = (
    "Written offer (GNU GPL version 3, section 6): for at least three years from the date of "
    "this build ({date}), and for as long as the Telpa project distributes this bundle, the "
    "Telpa project (the libraries of Ludza, Jēkabpils and Rokiškis and their project "
    "office; ask the library that installed it) gives anyone who received "
    "this bundle, on request and for no more than the cost of copying, the complete "
    "Corresponding Source of {what}. The same unmodified source is published by its authors "
    "at the address above."
)


def _offer(date: str, what: str) -> str:
    return textwrap.fill(WRITTEN_OFFER.format(date=date, what=what), width=88)


class LicenceError(Exception):
    """The bundle would carry something whose licence cannot be shown; the message says
    what and what to do."""


@dataclass
class BundledDistribution:
    name: str
    version: str
    licence: str
    home_page: str
    modules: list[str]
    files: list[str] = field(default_factory=list)  # relative to the licences folder
    note: str = ""

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


@dataclass
class Inventory:
    """What `write_licences` wrote: the distributions, and the native programs' folders."""

    distributions: list[BundledDistribution]
    espeak: str = ""
    ffmpeg: str = ""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distributions_by_module(
    path: list[str] | None = None,
) -> dict[str, list[metadata.Distribution]]:
    """Every top-level name (package, module, `<name>.libs` folder) → the distributions
    whose RECORD installs it. Wider than `importlib.metadata.packages_distributions()`,
    which reads only top_level.txt or the `.py` files and so misses `pillow.libs`,
    `pygame_ce.libs` and top-level extension modules."""
    found: dict[str, list[metadata.Distribution]] = {}
    seen: set[str] = set()
    for dist in metadata.distributions(path=path) if path else metadata.distributions():
        name = canonical(dist.metadata["Name"] or "")
        if not name or name in seen:  # a shadowed second copy on the path is not imported
            continue
        seen.add(name)
        for top in _top_level_names(dist):
            found.setdefault(top, []).append(dist)
    return found


def _top_level_names(dist: metadata.Distribution) -> set[str]:
    names = set()
    for file in dist.files or ():
        first = file.parts[0]
        if first in ("..", "__pycache__") or first.endswith((".dist-info", ".data", ".pth")):
            continue
        names.add(first.split(".")[0] if len(file.parts) == 1 else first)
    declared = dist.read_text("top_level.txt") or ""
    names.update(line.strip() for line in declared.splitlines() if line.strip())
    return names


def top_level_of(names: Iterable[str]) -> set[str]:
    """Top-level names from PyInstaller TOC names: `pygame.base` (a module) and
    `pillow.libs/libjpeg.so` (a collected file) → `pygame`, `pillow.libs`."""
    tops = set()
    for name in names:
        first = name.replace("\\", "/").split("/")[0]
        tops.add(first if "/" in name.replace("\\", "/") else first.split(".")[0])
    return tops


def _licence_of(meta: metadata.PackageMetadata) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    declared = (meta.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) <= 200:
        return declared
    classifiers = [
        c.rsplit("::", 1)[1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    if classifiers:
        return "; ".join(classifiers)
    return "see the licence file" if declared else "not declared"


def _home_page_of(meta: metadata.PackageMetadata) -> str:
    if meta.get("Home-page"):
        return meta["Home-page"]
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[canonical(label.strip())] = url.strip()
    for label in ("homepage", "home", "source", "source-code", "repository", "documentation"):
        if label in urls:
            return urls[label]
    return next(iter(urls.values()), "")


def _copy_licence_files(dist: metadata.Distribution, into: Path) -> list[Path]:
    """The dist-info's licence files and SBOMs, copied into `into`; their new paths."""
    copied = []
    for file in dist.files or ():
        if len(file.parts) < 2 or not file.parts[0].endswith(".dist-info"):
            continue
        inside = file.parts[1:]
        if inside[0] in ("licenses", "sboms"):
            relative = Path(*inside[1:]) if inside[0] == "licenses" else Path(*inside)
        elif len(inside) == 1 and LICENCE_FILE.match(inside[0]):
            relative = Path(inside[0])
        else:
            continue
        source = Path(str(file.locate()))
        if not source.is_file():
            continue
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


def write_licences(
    out: Path,
    modules: Iterable[str],
    *,
    native_files: Iterable[tuple[str, str]] = (),
    assets_licences: Iterable[str] = (),
    path: list[str] | None = None,
) -> Inventory:
    """Write the licences folder `out` for a bundle carrying the top-level `modules`.

    `native_files` are the bundle's native libraries (path inside the bundle, path on the
    build machine), `assets_licences` the paths of Telpa's own licence files relative to `out`,
    `path` where to look for distributions (default: sys.path). Raises LicenceError when a
    carried distribution has no licence file and neither SUPPLEMENTS nor
    ALLOWED_WITHOUT_LICENCE names it; `out` is then left incomplete."""
    by_module = distributions_by_module(path)
    tops = top_level_of(modules)
    owners: dict[str, tuple[metadata.Distribution, list[str]]] = {}
    for top in sorted(tops):
        for dist in by_module.get(top, []):
            name = canonical(dist.metadata["Name"])
            owners.setdefault(name, (dist, []))[1].append(top)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    listed: list[BundledDistribution] = []
    missing: list[str] = []
    for name in sorted(owners):
        dist, tops_of_dist = owners[name]
        meta = dist.metadata
        entry = BundledDistribution(
            name=name,
            version=dist.version,
            licence=_licence_of(meta),
            home_page=_home_page_of(meta),
            modules=tops_of_dist,
        )
        folder = out / entry.folder
        copied = _copy_licence_files(dist, folder)
        if name in SUPPLEMENTS:
            text, licence, why = SUPPLEMENTS[name]
            if entry.licence == "not declared":
                entry.licence = licence
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(TEXTS / text, folder / text)
            copied.append(folder / text)
            entry.note = f"licence text added by Telpa's build: {why}"
        # A software bill of materials lists components; it is not a licence text.
        if not [p for p in copied if "sboms" not in p.relative_to(folder).parts]:
            if name in ALLOWED_WITHOUT_LICENCE:
                entry.note = ALLOWED_WITHOUT_LICENCE[name]
            else:
                missing.append(
                    f"{meta['Name']} {dist.version} (carried for {', '.join(tops_of_dist)}; "
                    f"declared licence: {entry.licence})"
                )
        entry.files = sorted(p.relative_to(out).as_posix() for p in copied)
        listed.append(entry)
    if missing:
        raise LicenceError(
            "the bundle would carry distributions with no licence file in their dist-info:\n  "
            + "\n  ".join(missing)
            + f"\nFind each one's licence text and add it to SUPPLEMENTS in {Path(__file__).name} "
            f"(the text under {TEXTS.parent.name}/{TEXTS.name}/), or, if it really needs "
            "none, add it to ALLOWED_WITHOUT_LICENCE with the reason; or keep it out of the "
            "bundle (installer/telpa.spec, excludes)."
        )

    inventory = Inventory(listed)
    today = datetime.date.today().isoformat()
    if "espeakng_loader" in tops:
        inventory.espeak = _write_espeak(out, today)
    if "imageio_ffmpeg" in tops:
        inventory.ffmpeg = _write_ffmpeg(out, today)
    python = _write_python(out)
    bootloader = _pyinstaller_entry(out, by_module)
    natives = _native_listing(out, native_files, by_module)
    (out / "THIRD-PARTY.md").write_text(
        _third_party_md(inventory, python, bootloader, natives, list(assets_licences)),
        encoding="utf-8",
    )
    # ASCII, because Inno Setup reads a .txt without a byte-order mark as the ANSI code page.
    (out / "NOTICE.txt").write_text(
        _notice(inventory), encoding="ascii", newline="\r\n" if sys.platform == "win32" else None
    )
    return inventory


def _espeak_version(library: Path) -> str:
    """eSpeak NG's own version (espeak_Info), read from the library the bundle carries."""
    try:
        espeak = ctypes.CDLL(str(library))
        espeak.espeak_Info.restype = ctypes.c_char_p
        espeak.espeak_Info.argtypes = [ctypes.c_void_p]
        return (espeak.espeak_Info(None) or b"").decode("ascii")
    except (OSError, AttributeError, UnicodeDecodeError) as error:
        raise LicenceError(
            f"cannot read eSpeak NG's version from {library} ({error}); the licences folder "
            "must name the exact version it carries: check the espeakng-loader install"
        ) from error


def _write_espeak(out: Path, today: str) -> str:
    loader = importlib.import_module("espeakng_loader")
    library = Path(loader.get_library_path())
    version = _espeak_version(library)
    folder = out / f"espeak-ng-{version}"
    folder.mkdir()
    shutil.copyfile(TEXTS / "GPL-3.0.txt", folder / "COPYING")
    source = f"{ESPEAK_SOURCE}/releases/tag/{version}"
    (folder / "SOURCE.txt").write_text(
        f"eSpeak NG {version}: the speech synthesiser library ({library.name}) and its data\n"
        "(espeak-ng-data), carried unmodified as the espeakng-loader package ships them.\n\n"
        "Licence: GNU General Public License version 3 or later (GPL-3.0-or-later); the\n"
        "full text is COPYING in this folder.\n\n"
        f"Source: {ESPEAK_SOURCE}, release {version}:\n  {source}\n"
        f"Built for the wheel by espeakng-loader: https://github.com/thewh1teagle/espeakng-loader\n\n"
        + _offer(today, f"eSpeak NG {version}")
        + "\n",
        encoding="utf-8",
    )
    return folder.name


def _ffmpeg_licence(configuration: str) -> str:
    if "--enable-nonfree" in configuration:
        raise LicenceError(
            "the bundled ffmpeg was configured with --enable-nonfree: it may not be "
            "redistributed at all. Pin an imageio-ffmpeg whose binary is not nonfree "
            "(constraints.txt)"
        )
    gpl = "--enable-gpl" in configuration
    three = "--enable-version3" in configuration
    if gpl:
        return "GPL-3.0-or-later" if three else "GPL-2.0-or-later"
    return "LGPL-3.0-or-later" if three else "LGPL-2.1-or-later"


def _write_ffmpeg(out: Path, today: str) -> str:
    imageio_ffmpeg = importlib.import_module("imageio_ffmpeg")
    program = Path(imageio_ffmpeg.get_ffmpeg_exe())
    try:
        shown = subprocess.run(
            [str(program), "-hide_banner", "-version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise LicenceError(
            f"cannot run the bundled ffmpeg ({program}) to read its version and licence: "
            f"{error}. The build machine must be able to run it (same OS and CPU)"
        ) from error
    first = shown.splitlines()[0] if shown else ""
    version_match = re.match(r"ffmpeg version (\S+)", first)
    configuration = next((line for line in shown.splitlines() if "configuration:" in line), "")
    if not version_match:
        raise LicenceError(f"{program} -version printed no version line: {first!r}")
    version = version_match.group(1)
    licence = _ffmpeg_licence(configuration)
    texts = {"GPL-3.0-or-later": "GPL-3.0.txt", "LGPL-2.1-or-later": "LGPL-2.1.txt"}
    if licence not in texts:
        raise LicenceError(
            f"the bundled ffmpeg {version} is {licence}, whose text is not in "
            f"installer/licence-texts/: add it there and to _write_ffmpeg"
        )
    folder = out / f"ffmpeg-{version}"
    folder.mkdir()
    shutil.copyfile(TEXTS / texts[licence], folder / "COPYING")
    commit = re.search(r"-g([0-9a-f]{7,40})", version)
    built_by = (
        f"BtbN's FFmpeg-Builds ({BTBN_BUILDS}), whose scripts pin the sources of ffmpeg and "
        "of every library linked into it"
        if "/ffbuild/" in configuration
        else "the builder imageio-ffmpeg names in its tools/ffmpeg-sources.json"
    )
    flags = " ".join(f for f in ("--enable-gpl", "--enable-version3") if f in configuration)
    flags = flags or "neither --enable-gpl nor --enable-version3"
    paragraphs = [
        f"ffmpeg {version}: the program {program.name}, carried unmodified as the "
        f"imageio-ffmpeg {imageio_ffmpeg.__version__} wheel ships it (Telpa runs it to export "
        "films).",
        f"Licence: {licence} (configured with {flags}); the full text is COPYING in this "
        "folder. The libraries built into it (the --enable-lib... options below) keep their "
        "own licences.",
        f"Source: FFmpeg {FFMPEG_SOURCE}"
        + (f", commit {commit.group(1)}" if commit else "")
        + f". Built by {built_by}. imageio-ffmpeg documents where each of its binaries comes "
        f"from in {IMAGEIO_FFMPEG_SOURCE}/blob/v{imageio_ffmpeg.__version__}"
        "/tools/ffmpeg-sources.json",
        "What the program itself says (ffmpeg -version):",
    ]
    (folder / "SOURCE.txt").write_text(
        "\n\n".join(textwrap.fill(p, width=88, break_long_words=False) for p in paragraphs)
        + "\n\n"
        + shown
        + "\n"
        + _offer(today, f"this ffmpeg {version} build")
        + "\n",
        encoding="utf-8",
    )
    return folder.name


def _write_python(out: Path) -> str:
    version = ".".join(str(part) for part in sys.version_info[:3])
    for candidate in (
        Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",
        Path(sys.base_prefix) / "LICENSE.txt",
    ):
        if candidate.is_file():
            folder = out / f"python-{version}"
            folder.mkdir()
            shutil.copyfile(candidate, folder / "LICENSE.txt")
            return folder.name
    raise LicenceError(
        f"the Python that builds the bundle ({sys.base_prefix}) has no LICENSE.txt; the "
        "bundle carries that Python and its licence: build with a full Python install"
    )


def _pyinstaller_entry(
    out: Path, by_module: dict[str, list[metadata.Distribution]]
) -> BundledDistribution | None:
    """PyInstaller's bootloader is the bundle's kiosk/telpa program itself."""
    for dist in by_module.get("PyInstaller", []):
        entry = BundledDistribution(
            name="pyinstaller",
            version=dist.version,
            licence=_licence_of(dist.metadata),
            home_page=_home_page_of(dist.metadata),
            modules=["bootloader"],
        )
        copied = _copy_licence_files(dist, out / entry.folder)
        entry.files = sorted(p.relative_to(out).as_posix() for p in copied)
        return entry
    return None


def _native_listing(
    out: Path,
    native_files: Iterable[tuple[str, str]],
    by_module: dict[str, list[metadata.Distribution]],
) -> list[tuple[str, str, str]]:
    """(file, where from, licence) of each native library in the bundle; the licences of
    those taken from the build machine's system are copied into `system/` when dpkg knows
    their package."""
    rows = []
    python_home = Path(sys.base_prefix).resolve()
    for dest, source in sorted({(d.replace("\\", "/"), s) for d, s in native_files}):
        top = dest.split("/")[0] if "/" in dest else ""
        dists = by_module.get(top, [])
        owner = canonical(dists[0].metadata["Name"]) if dists else ""
        name = dest.rsplit("/", 1)[-1]
        if owner == "pygame-ce":
            match = LIBRARY_STEM.match(name)
            stem = match.group("stem") if match else name
            licence = PYGAME_NATIVE_LICENCES.get(stem, "not recorded in the pygame-ce wheel")
        elif owner:
            licence = f"see {owner}'s licence files"
        elif Path(source).resolve().is_relative_to(python_home):
            owner, licence = "Python", "see the Python licence"
        else:
            owner, licence = "the build machine's system", _system_licence(out, Path(source))
        rows.append((dest, owner, licence))
    return rows


def _dpkg_query(*args: str) -> str:
    try:
        return subprocess.run(
            ["dpkg-query", *args], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _system_licence(out: Path, library: Path) -> str:
    """Copy the Debian copyright file of the package that installed `library` into
    `out/system/<package>-<version>/`; the folder's name, or why there is none."""
    resolved = library.resolve()
    candidates = [str(library), str(resolved)]
    for path in (library, resolved):  # /lib and /usr/lib are one folder on merged-/usr systems
        text = str(path)
        if text.startswith("/usr/lib/"):
            candidates.append(text.removeprefix("/usr"))
        elif text.startswith("/lib/"):
            candidates.append("/usr" + text)
    for candidate in candidates:
        found = _dpkg_query("-S", candidate)
        if found:
            package = found.split(":", 1)[0].strip()
            version = _dpkg_query("-W", "-f=${Version}", package).strip()
            copyright_file = Path("/usr/share/doc") / package / "copyright"
            if copyright_file.is_file():
                folder = out / "system" / f"{package}-{version}".replace(":", "_")
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(copyright_file, folder / "copyright")
                return f"Debian package {package} {version}: {folder.relative_to(out).as_posix()}/"
    return "licence not found on the build machine: look it up by the file's name"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def _third_party_md(
    inventory: Inventory,
    python: str,
    bootloader: BundledDistribution | None,
    natives: list[tuple[str, str, str]],
    assets_licences: list[str],
) -> str:
    lines = [
        "# What this Telpa bundle carries, and under which licences",
        "",
        "Generated when the bundle was built (scripts/bundle_licenses.py) from the build",
        "environment: every Python distribution whose modules the bundle carries, with its",
        "licence files in the folder named in the last column.",
        "",
        "## Python distributions",
        "",
        "| distribution | version | licence | home page | licence files |",
        "| --- | --- | --- | --- | --- |",
    ]
    for dist in [*inventory.distributions, *([bootloader] if bootloader else [])]:
        files = f"{dist.folder}/" if dist.files else "none"
        lines.append(
            f"| {dist.name} | {dist.version} | {_cell(dist.licence)} | "
            f"{_cell(dist.home_page)} | {files} |"
        )
    notes = [d for d in inventory.distributions if d.note]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {d.name}: {d.note}." for d in notes]
    if bootloader:
        lines += [
            "",
            "The programs kiosk and telpa are PyInstaller's bootloader, distributed under "
            "its GPL-2.0-or-later licence with the bootloader exception (in "
            f"{bootloader.folder}/), which lets it carry programs under any licence.",
        ]
    lines += ["", "## Programs under the GNU GPL", ""]
    if inventory.espeak:
        lines.append(
            f"- eSpeak NG (speech), GPL-3.0-or-later: {inventory.espeak}/COPYING; version, "
            f"source and the written offer: {inventory.espeak}/SOURCE.txt"
        )
    if inventory.ffmpeg:
        lines.append(
            f"- ffmpeg (film export): {inventory.ffmpeg}/COPYING; exact build, source and "
            f"the written offer: {inventory.ffmpeg}/SOURCE.txt"
        )
    lines += [
        "",
        "## Python",
        "",
        f"The Python interpreter and its standard library: {python}/LICENSE.txt (PSF-2.0, "
        "with the licences of the libraries Python carries).",
    ]
    if natives:
        lines += [
            "",
            "## Native libraries",
            "",
            "| file in the bundle | from | licence |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {_cell(f)} | {_cell(o)} | {_cell(licence)} |" for f, o, licence in natives]
    if assets_licences:
        lines += [
            "",
            "## Telpa's own fonts, pictures and sounds",
            "",
            "Their licences and sources are listed in these files of the bundle:",
            "",
        ]
        lines += [f"- {path}" for path in assets_licences]
    return "\n".join(lines) + "\n"


def _notice(inventory: Inventory) -> str:
    gpl = []
    if inventory.espeak:
        gpl.append(f"eSpeak NG ({inventory.espeak}), the speech synthesiser")
    if inventory.ffmpeg:
        gpl.append(f"ffmpeg ({inventory.ffmpeg}), which exports films")
    lines = [
        "Telpa - what this program carries",
        "",
        "Telpa includes free and open-source software by others. The list of everything",
        "inside, with each licence's text, is in the folder 'licenses' of the program",
        "folder (THIRD-PARTY.md; on Windows C:\\Program Files\\Telpa\\licenses).",
        "",
    ]
    if gpl:
        lines += [
            "It includes these programs under the GNU General Public License, unmodified:",
            "",
            *(f"  - {item}" for item in gpl),
            "",
            "You may copy and share them under that licence; its full text, the exact",
            "versions and where to get their source code (with a written offer to send it)",
            "are in the folders named above, inside 'licenses'.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python scripts/bundle_licenses.py OUT MODULE...", file=sys.stderr)
        return 2
    try:
        inventory = write_licences(Path(argv[0]), argv[1:])
    except LicenceError as error:
        print(f"bundle_licenses: {error}", file=sys.stderr)
        return 1
    print(f"bundle_licenses: {len(inventory.distributions)} distribution(s) in {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
