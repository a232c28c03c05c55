"""Photos brought to the pack editor from a phone or PC, made into what the kiosk shows.

An upload is hostile until checked: it is opened with the kiosk's own picture rules
(`kiosk.packs.safety.decode_picture`: at most `MAX_PICTURE_BYTES` on disk, the pixel
budget read from the header before anything is decoded, only PNG/JPEG/WebP/BMP), turned
upright by its EXIF orientation, centre-cropped to the shape the game shows it in (a
`PictureShape`: a square card, or the jigsaw's landscape board) and resized to its size,
then re-encoded as a fresh JPEG. Nothing of the original file is kept: no EXIF, so no GPS
position, camera serial or time of the photo leaves the office."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk.errors import TelpaError
from kiosk.packs.safety import MAX_PICTURE_BYTES, PHOTO_MAX_SIDE, PackFileError, decode_picture

#: The side of a question's picture. The quiz shows it in a square card whose side is at
#: most 0.3 of the screen's width (games/quiz/game.py, `_layout_question`), the picture
#: filling 0.86 of it: about 990 px on a 3840×2160 whiteboard, 350 px on a 1366×768 PC.
#: 1024 is sharp on the largest screen and well inside the kiosk's `PHOTO_MAX_SIDE`.
QUIZ_PICTURE_SIDE = 1024
JPEG_QUALITY = 85


class PhotoError(TelpaError):
    """A photo that cannot be used; `str()` is the message for the librarian."""

    code = "editor_photo"


@dataclass(frozen=True)
class PictureShape:
    """What a game shows a photo in: `width`×`height` pixels at most (the photo is cropped
    to that ratio, never enlarged), and refused when its short side is under `min_side`."""

    width: int
    height: int
    min_side: int = 1


#: A quiz question's, a memory card's, a sorting item's or a word's picture: a square.
SQUARE = PictureShape(QUIZ_PICTURE_SIDE, QUIZ_PICTURE_SIDE)


def fitted_picture(data: bytes, filename: str, shape: PictureShape) -> bytes:
    """The JPEG the kiosk gets for the uploaded photo `data`: upright, the largest centred
    part of `shape`'s ratio, scaled down to `shape`'s size, no metadata.
    Raises PhotoError saying what is wrong and what to do."""
    shown = Path(filename).name[:80] or "the photo"
    if not data:
        raise PhotoError(f"{shown}: the file is empty; choose the photo again")
    if len(data) > MAX_PICTURE_BYTES:
        raise PhotoError(
            f"{shown}: the file is {len(data) / 1e6:.0f} MB; a photo may have at most "
            f"{MAX_PICTURE_BYTES / 1e6:.0f} MB — send a smaller copy"
        )
    with tempfile.TemporaryDirectory(prefix="telpa-photo-") as work:
        (Path(work) / "upload").write_bytes(data)
        try:
            image = decode_picture(Path(work), "upload", PHOTO_MAX_SIDE)
        except PackFileError as exc:
            raise PhotoError(f"{shown}: {str(exc).replace(repr('upload'), 'the photo')}") from None
    with image:
        if min(image.size) < shape.min_side:
            raise PhotoError(
                f"{shown}: the photo is {image.width}×{image.height} pixels; this game needs "
                f"at least {shape.min_side} on the short side — send a larger copy"
            )
        # The largest centred part of the shape's ratio.
        width = min(image.width, image.height * shape.width // shape.height)
        height = min(image.height, image.width * shape.height // shape.width)
        left = (image.width - width) // 2
        top = (image.height - height) // 2
        part = image.crop((left, top, left + width, top + height))
    if width > shape.width:
        part = part.resize((shape.width, shape.height), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", part.size, (255, 255, 255))
    flat.paste(part, mask=part.getchannel("A"))
    out = io.BytesIO()
    # A new image saved without `exif=`: Pillow writes no metadata at all.
    flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
