"""What a content pack may not do to the kiosk: the limits, and the one way to open its files.

A pack is a folder from a librarian's PC or a USB stick, so anything can be in it: a YAML
file of aliases that expands to a billion values, a PNG that is 445 KB on disk and 1.9 GB
in memory, a "picture" that is a link to /etc/passwd or a pipe that never ends. Everything
here refuses such input with a message a librarian can act on, and costs bounded time and
memory before it does. `kiosk content check` and the running kiosk use the same functions
and the same limits, so what the check passes the kiosk can show. No pygame here: the
office will check uploads with the same code.

Exceptions: `PackFileError` (a file of the pack that cannot be used; `str()` says why and
what to do, `line` where in the file if known)."""

from __future__ import annotations

import codecs
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from PIL import Image, ImageOps

from kiosk.errors import TelpaError
from kiosk.yamltools import YamlLimits

#: pack.yaml's size on disk. The largest bundled pack is 40 KB; a pack of 500 words in
#: three languages stays far below this.
MAX_PACK_FILE_BYTES = 1_000_000

#: How pack.yaml is read: no aliases (a pack has no use for them, and they are how a small
#: file becomes a billion values), a bounded number of values and nesting (a pack is five
#: levels deep), and no value longer than a long paragraph.
PACK_YAML_LIMITS = YamlLimits(
    max_chars=MAX_PACK_FILE_BYTES,
    max_nodes=50_000,
    max_depth=20,
    max_scalar_chars=2_000,
    aliases=False,
    kind="a pack",
)

#: A picture file's size on disk: a 64-megapixel phone's JPEG is about 25 MB.
MAX_PICTURE_BYTES = 40_000_000
#: Pixels a picture may have as stored (width × height, read from its header before
#: anything is decoded): any phone or camera photo, and below Pillow's own "decompression
#: bomb" warning (89 million).
MAX_PICTURE_PIXELS = 80_000_000
#: Pixels the kiosk may decode to show one picture (about 100 MB of memory at 4 bytes a
#: pixel). JPEG photos are decoded already scaled down (an 80-megapixel photo to at most
#: 20 million); a PNG, WebP or BMP has to be decoded whole, so it may have at most this many.
MAX_DECODED_PIXELS = 24_000_000
#: Picture files in one pack: checking decodes each, so this bounds a pack's reading time.
MAX_PICTURE_FILES = 200
#: Photos are kept at most this large (pixels on the long side): enough for a 4K screen's
#: jigsaw, small enough for old PCs.
PHOTO_MAX_SIDE = 2048
#: The size at which the check decodes a picture: the same decoder reads the whole file
#: (a truncated or corrupt picture fails as it would on screen), at a fraction of the cost.
CHECK_SIDE = 256

#: What Pillow may take a picture for. Its other formats (EPS runs Ghostscript, TIFF has
#: exotic compressions) are not for packs.
PICTURE_FORMATS = ("PNG", "JPEG", "WEBP", "BMP")
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp"}

#: Opening a FIFO for reading waits for a writer; with O_NONBLOCK it returns at once (and
#: the stat checks refuse it). O_BINARY: no newline translation on Windows.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class PackFileError(TelpaError):
    """A file of a pack that cannot be used. `str()` is the message for the librarian."""

    code = "pack_file"

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def path_problem(relative: str) -> str | None:
    """Why `relative` is not a plain path inside a pack (None when it is). The same answer
    on Windows and Linux, so a pack checked on one works on the other."""
    if not relative.strip():
        return "the path is empty; write one like images/photo.jpg"
    if any(ord(ch) < 32 for ch in relative):
        return "the path has a control character in it; write one like images/photo.jpg"
    if "\\" in relative:
        return "use / between folders, like images/photo.jpg"
    windows = PureWindowsPath(relative)
    posix = PurePosixPath(relative)
    if posix.is_absolute() or windows.drive or windows.root or ".." in posix.parts:
        return "use a path inside the pack's folder, like images/photo.jpg"
    return None


def _require_file(info: os.stat_result, relative: str, max_bytes: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise PackFileError(f"{relative!r} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise PackFileError(
            f"{relative!r} is not an ordinary file (a device, pipe or socket); "
            "put the file itself in the pack's folder"
        )
    if info.st_size > max_bytes:
        raise PackFileError(
            f"{relative!r} is too large ({_megabytes(info.st_size)}; at most "
            f"{_megabytes(max_bytes)}); save it smaller"
        )


def open_inside(folder: Path, relative: str, max_bytes: int) -> BinaryIO:
    """Open `folder/relative` for reading, only if it is an ordinary file of at most
    `max_bytes` whose real place (links followed) is inside `folder`. Never waits on a
    pipe or device. Raises PackFileError."""
    problem = path_problem(relative)
    if problem is not None:
        raise PackFileError(problem)
    try:
        base = folder.resolve(strict=True)
        target = (folder / relative).resolve(strict=True)
    except FileNotFoundError:
        raise PackFileError(f"the file {relative!r} is not in the pack's folder") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Python 3.11)
        raise PackFileError(f"{relative!r} cannot be opened ({_reason(exc)})") from None
    if not target.is_relative_to(base):
        raise PackFileError(
            f"{relative!r} is a link to a file outside the pack's folder; "
            "copy the file itself into the pack"
        )
    try:
        before = os.stat(target)
        _require_file(before, relative, max_bytes)
        fd = os.open(target, _OPEN_FLAGS)
    except OSError as exc:
        raise PackFileError(f"{relative!r} cannot be opened ({_reason(exc)})") from None
    try:
        after = os.fstat(fd)
        if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise PackFileError(f"{relative!r} was replaced while it was opened; check again")
        _require_file(after, relative, max_bytes)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_text_inside(folder: Path, relative: str, max_bytes: int) -> str:
    """A UTF-8 text file of the pack (see `open_inside`). Raises PackFileError, with the
    line of the first byte that is not UTF-8."""
    with open_inside(folder, relative, max_bytes) as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PackFileError(f"{relative!r} is too large (more than {_megabytes(max_bytes)})")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PackFileError(
            "the file is saved as UTF-16 (“Unicode”); save it again choosing UTF-8", 1
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackFileError(
            "the file is not UTF-8 text; save it again choosing the UTF-8 encoding",
            data.count(b"\n", 0, exc.start) + 1,
        ) from None


@contextmanager
def open_picture(
    folder: Path, relative: str, max_side: int = PHOTO_MAX_SIDE
) -> Iterator[Image.Image]:
    """A pack's picture with only its header read, within the pixel limits for showing it
    at most `max_side` large (a JPEG set to decode already scaled down). Raises
    PackFileError; nothing has been decoded when it does."""
    # Pillow warns of images over its own limit before we can refuse them with a clear
    # message under our lower one; that warning would only be noise on stderr.
    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
    with open_inside(folder, relative, MAX_PICTURE_BYTES) as file:
        try:
            image = Image.open(file, formats=PICTURE_FORMATS)
        except Image.DecompressionBombError:
            raise PackFileError(
                f"{relative!r} has far too many pixels (at most {MAX_PICTURE_PIXELS:,}); "
                "save it smaller"
            ) from None
        except Image.UnidentifiedImageError:
            raise PackFileError(f"{relative!r} is not a PNG, JPEG, WebP or BMP picture") from None
        except Exception as exc:  # Pillow raises many kinds on a corrupt header
            raise PackFileError(
                f"{relative!r} cannot be read as a picture ({_reason(exc)})"
            ) from None
        with image:
            width, height = image.size
            if width * height > MAX_PICTURE_PIXELS:
                raise PackFileError(
                    f"{relative!r} is {width}×{height} pixels, over {MAX_PICTURE_PIXELS:,} "
                    "in all; save it smaller"
                )
            try:
                image.draft("RGB", (max_side, max_side))  # JPEG only; a no-op for others
            except Exception as exc:
                raise PackFileError(f"{relative!r} cannot be read ({_reason(exc)})") from None
            decoded_w, decoded_h = image.size
            if decoded_w * decoded_h > MAX_DECODED_PIXELS:
                raise PackFileError(
                    f"{relative!r} is {width}×{height} pixels; a {image.format} picture may "
                    f"have at most {MAX_DECODED_PIXELS:,}; save it smaller"
                )
            yield image


def decode_picture(folder: Path, relative: str, max_side: int = PHOTO_MAX_SIDE) -> Image.Image:
    """A pack's picture as the kiosk shows it: upright (EXIF orientation honoured), RGBA,
    at most `max_side` on its long side. Raises PackFileError."""
    with open_picture(folder, relative, max_side) as image:
        try:
            upright = ImageOps.exif_transpose(image)
            upright = upright.convert("RGBA")
            upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        except Exception as exc:  # truncated or corrupt data: OSError, SyntaxError, …
            raise PackFileError(
                f"{relative!r} cannot be shown, the file is damaged ({_reason(exc)}); copy it again"
            ) from None
    return upright


def check_picture(folder: Path, relative: str) -> None:
    """Everything the kiosk meets when it shows the picture: the file, the pixel limits at
    the size it is shown, and a decode of the whole file. Raises PackFileError."""
    with open_picture(folder, relative, PHOTO_MAX_SIDE):
        pass
    decode_picture(folder, relative, CHECK_SIDE)
