"""The sorting editor's part: the question on the table (the prompt), two to four bins and
the things to sort, each bin and thing a photo with its name in lv / lt / en, each thing
going into one bin (Sort it out).

In pack.yaml the bins are `b1` … `b4` (four slots; an empty one is left out), each thing is
a word `i1`, `i2` … with its picture of the same name, and `sorting: items:` says which
bin each goes into (docs/content.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.office.editor_draft import (
    GENERAL,
    Draft,
    HasPhoto,
    PackWriter,
    PhotoCard,
    TextGroup,
    Texts,
    blank_texts,
    card_from_word,
    choice_from,
    copy_texts,
    count_from,
    picture_file,
    texts_from,
)
from kiosk.packs.models import Pack

#: The kiosk's model allows two to four bins and at least four things.
BIN_SLOTS = 4
MAX_ITEMS = 40
#: The easiest round sorts six things into two bins (games/sorting/rules.py, LEVELS).
NEW_ITEMS = 6


@dataclass
class SortingItem:
    card: PhotoCard = field(default_factory=PhotoCard)
    #: The bin slot (0…3) it goes into.
    bin: int = 0

    def is_empty(self) -> bool:
        return self.card.is_empty()

    @property
    def photo(self) -> str:
        return self.card.photo

    @photo.setter
    def photo(self, sha: str) -> None:
        self.card.photo = sha


@dataclass
class SortingDraft(Draft):
    kind = "sorting"
    row_prefix = "i"
    rows_attr = "items"
    prompt: Texts = field(default_factory=blank_texts)
    bins: list[PhotoCard] = field(default_factory=list)
    items: list[SortingItem] = field(default_factory=list)

    @classmethod
    def new(cls) -> SortingDraft:
        bins = [PhotoCard() for _ in range(BIN_SLOTS)]
        return cls(bins=bins, items=[SortingItem(bin=i % 2) for i in range(NEW_ITEMS)])

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> SortingDraft:
        draft = cls(prompt=texts_from(form, "prompt"))
        draft.read_common(form)
        draft.bins = [PhotoCard.from_form(form, f"b{i}") for i in range(BIN_SLOTS)]
        for i in range(count_from(form, "count", MAX_ITEMS)):
            card = PhotoCard.from_form(form, f"i{i}")
            draft.items.append(SortingItem(card, choice_from(form, f"i{i}_bin", BIN_SLOTS)))
        return draft

    @classmethod
    def recognises(cls, pack: Pack) -> bool:
        return pack.sorting is not None and not pack.questions

    @classmethod
    def from_pack(cls, pack: Pack, files: Mapping[str, str]) -> SortingDraft:
        draft: SortingDraft = cls.published(pack)
        assert pack.sorting is not None
        copy_texts(draft.prompt, pack.sorting.prompt)
        slots = {}
        for sort_bin in pack.sorting.bins[:BIN_SLOTS]:
            card = PhotoCard(photo=picture_file(pack, sort_bin.picture, files))
            copy_texts(card.text, sort_bin.text)
            slots[sort_bin.id] = len(draft.bins)
            draft.bins.append(card)
        draft.bins += [PhotoCard() for _ in range(BIN_SLOTS - len(draft.bins))]
        for item in pack.sorting.items:
            card = card_from_word(pack, item.word, files)
            draft.items.append(SortingItem(card, slots.get(item.bin, 0)))
        return draft

    @classmethod
    def blank_row(cls) -> SortingItem:
        return SortingItem()

    def cards(self) -> list[tuple[str, str, PhotoCard]]:
        return [(f"i{i + 1}", f"i{i}", item.card) for i, item in self.used()]

    def bin_cards(self) -> list[tuple[str, str, PhotoCard]]:
        return [(f"b{i + 1}", f"b{i}", b) for i, b in enumerate(self.bins) if not b.is_empty()]

    def row_groups(self) -> list[TextGroup]:
        bins = [(f"{prefix}_text", card.text, True) for _, prefix, card in self.bin_cards()]
        return [("prompt", self.prompt, True), *bins, *super().row_groups()]

    def photo_slots(self) -> list[tuple[str, HasPhoto]]:
        slots: list[tuple[str, HasPhoto]] = [(f"b{i}", b) for i, b in enumerate(self.bins)]
        return slots + [(f"i{i}", item) for i, item in enumerate(self.items)]

    def pictures(self) -> list[tuple[str, str, str]]:
        bins = [(word, c.photo, f"{p}_upload") for word, p, c in self.bin_cards() if c.photo]
        return super().pictures() + bins

    def needs_photo(self) -> list[str]:
        bins = [f"{prefix}_upload" for _, prefix, card in self.bin_cards() if not card.photo]
        return bins + super().needs_photo()

    def target(self, index: int) -> str:
        return f"sorting:i{index + 1}"

    def write_body(self, out: PackWriter, langs: list[str]) -> None:
        items = self.used()
        out.words(self.cards(), langs)
        out.add("sorting:", GENERAL)
        out.texts("  ", "prompt", self.prompt, langs, "prompt")
        bins = self.bin_cards()
        out.add("  bins:" if bins else "  bins: []", "bins")
        for bin_id, prefix, sort_bin in bins:
            out.add(f"    - id: {bin_id}", f"{prefix}_upload")
            out.add(f"      picture: {bin_id}", f"{prefix}_upload")
            out.texts("      ", "text", sort_bin.text, langs, f"{prefix}_text")
        out.add("  items:" if items else "  items: []", "items")
        for i, item in items:
            out.add(f"    - word: i{i + 1}", f"i{i}_text_lv")
            out.add(f"      bin: b{item.bin + 1}", f"i{i}_bin")
