"""The jigsaw editor's part: photos the Jigsaw cuts into pieces, under the pack's title.

The Jigsaw offers every photo (`file:` picture) of every pack at least `JIGSAW.min_side`
pixels on its short side (games/jigsaw/rules.py, MIN_PHOTO_SIDE), and puts it on a board
about 5:4 wide (0.64 of the screen's width by its height), so a photo is cut to 4:3 and
kept as large as the kiosk ever shows a picture (2048 px, `PHOTO_MAX_SIDE`). The pack has
nothing but its title and the photos `j1`, `j2` …"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.office.editor_draft import (
    Draft,
    HasPhoto,
    PackWriter,
    count_from,
    photo_from,
)
from kiosk.office.editor_photos import PictureShape
from kiosk.packs.models import Pack
from kiosk.packs.safety import PHOTO_MAX_SIDE

MAX_PHOTOS = 20
NEW_PHOTOS = 3
#: The jigsaw leaves out photos under 300 px on the short side (MIN_PHOTO_SIDE).
JIGSAW = PictureShape(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE * 3 // 4, min_side=300)


@dataclass
class JigsawPhoto:
    photo: str = ""

    def is_empty(self) -> bool:
        return not self.photo


@dataclass
class JigsawDraft(Draft):
    kind = "jigsaw"
    row_prefix = "j"
    rows_attr = "photos"
    photos: list[JigsawPhoto] = field(default_factory=list)

    @classmethod
    def new(cls) -> JigsawDraft:
        return cls(photos=[JigsawPhoto() for _ in range(NEW_PHOTOS)])

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> JigsawDraft:
        draft = cls()
        draft.read_common(form)
        count = count_from(form, "count", MAX_PHOTOS)
        draft.photos = [JigsawPhoto(photo_from(form, f"j{i}")) for i in range(count)]
        return draft

    @classmethod
    def recognises(cls, pack: Pack) -> bool:
        return not (pack.words or pack.questions or pack.pairs or pack.sorting)

    @classmethod
    def from_pack(cls, pack: Pack, files: Mapping[str, str]) -> JigsawDraft:
        photos = [
            JigsawPhoto(files[picture.file])
            for picture in pack.pictures.values()
            if picture.file is not None and picture.file in files
        ]
        draft: JigsawDraft = cls.published(pack, photos=photos)
        return draft

    def photo_slots(self) -> list[tuple[str, HasPhoto]]:
        return [(f"j{i}", photo) for i, photo in enumerate(self.photos)]

    def pictures(self) -> list[tuple[str, str, str]]:
        return [
            (f"j{i + 1}", p.photo, f"j{i}_upload") for i, p in enumerate(self.photos) if p.photo
        ]

    def needs_photo(self) -> list[str]:
        return [] if self.pictures() else ["j0_upload"]

    @classmethod
    def blank_row(cls) -> JigsawPhoto:
        return JigsawPhoto()

    def target(self, index: int) -> str:
        return f"jigsaw:j{index + 1}"

    def write_body(self, out: PackWriter, langs: list[str]) -> None:
        """Nothing but the title and pictures, already written."""
