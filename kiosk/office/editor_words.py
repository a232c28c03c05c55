"""The spelling editor's part: words, each a photo with the word in lv / lt / en, for Word
builder (the child builds the word for the photo from letter tiles).

In pack.yaml each row is a word `w1`, `w2` … with its picture of the same name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.office.editor_draft import (
    Draft,
    PackWriter,
    PhotoCard,
    card_from_word,
    count_from,
)
from kiosk.packs.models import Pack

MAX_WORDS = 40
#: A round of Word builder spells five words.
NEW_WORDS = 5


@dataclass
class WordsDraft(Draft):
    kind = "words"
    row_prefix = "w"
    rows_attr = "words"
    words: list[PhotoCard] = field(default_factory=list)

    @classmethod
    def new(cls) -> WordsDraft:
        return cls(words=[PhotoCard() for _ in range(NEW_WORDS)])

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> WordsDraft:
        draft = cls()
        draft.read_common(form)
        count = count_from(form, "count", MAX_WORDS)
        draft.words = [PhotoCard.from_form(form, f"w{i}") for i in range(count)]
        return draft

    @classmethod
    def recognises(cls, pack: Pack) -> bool:
        return bool(pack.words) and not (
            pack.questions or pack.pairs or pack.memory or pack.sorting
        )

    @classmethod
    def from_pack(cls, pack: Pack, files: Mapping[str, str]) -> WordsDraft:
        words = [card_from_word(pack, word.id, files) for word in pack.words]
        draft: WordsDraft = cls.published(pack, words=words)
        return draft

    @classmethod
    def blank_row(cls) -> PhotoCard:
        return PhotoCard()

    def cards(self) -> list[tuple[str, str, PhotoCard]]:
        return [(f"w{i + 1}", f"w{i}", word) for i, word in self.used()]

    def photo_slots(self) -> list[tuple[str, PhotoCard]]:
        return [(f"w{i}", word) for i, word in enumerate(self.words)]

    def target(self, index: int) -> str:
        return f"words:w{index + 1}"

    def write_body(self, out: PackWriter, langs: list[str]) -> None:
        out.words(self.cards(), langs)
