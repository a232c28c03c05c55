"""The memory editor's part: pairs of cards, each card a photo with its word in lv / lt /
en. The two cards of a pair belong together (a profession ↔ its tool); with "photo ↔ word"
ticked the game also deals each card's photo against its word (`memory: [picture-word]`).

In pack.yaml each card is a word (`p1a`, `p1b` …, its picture of the same name) and each
pair a `pairs:` item (docs/content.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.office.editor_draft import (
    GENERAL,
    Draft,
    PackWriter,
    PhotoCard,
    card_from_word,
    count_from,
)
from kiosk.packs.models import Pack

MAX_PAIRS = 20
#: The easiest round deals three pairs (games/memory/rules.py, LEVELS).
NEW_PAIRS = 3
SIDES = ("a", "b")


@dataclass
class MemoryPair:
    cards: tuple[PhotoCard, PhotoCard] = field(default_factory=lambda: (PhotoCard(), PhotoCard()))

    def is_empty(self) -> bool:
        return all(card.is_empty() for card in self.cards)


@dataclass
class MemoryDraft(Draft):
    kind = "memory"
    row_prefix = "p"
    rows_attr = "pairs"
    pairs: list[MemoryPair] = field(default_factory=list)
    #: Also deal each card's photo against its word.
    picture_word: bool = True

    @classmethod
    def new(cls) -> MemoryDraft:
        return cls(pairs=[MemoryPair() for _ in range(NEW_PAIRS)])

    @classmethod
    def from_form(cls, form: Mapping[str, object]) -> MemoryDraft:
        draft = cls(picture_word=form.get("picture_word") == "on")
        draft.read_common(form)
        for i in range(count_from(form, "count", MAX_PAIRS)):
            cards = [PhotoCard.from_form(form, f"p{i}{side}") for side in SIDES]
            draft.pairs.append(MemoryPair((cards[0], cards[1])))
        return draft

    @classmethod
    def recognises(cls, pack: Pack) -> bool:
        return bool(pack.pairs or pack.memory) and not pack.questions and pack.sorting is None

    @classmethod
    def from_pack(cls, pack: Pack, files: Mapping[str, str]) -> MemoryDraft:
        draft: MemoryDraft = cls.published(pack, picture_word="picture-word" in pack.memory)
        for first, second in pack.pairs:
            cards = (card_from_word(pack, first, files), card_from_word(pack, second, files))
            draft.pairs.append(MemoryPair(cards))
        return draft

    @classmethod
    def blank_row(cls) -> MemoryPair:
        return MemoryPair()

    def cards(self) -> list[tuple[str, str, PhotoCard]]:
        return [
            (f"p{i + 1}{side}", f"p{i}{side}", pair.cards[j])
            for i, pair in self.used()
            for j, side in enumerate(SIDES)
        ]

    def photo_slots(self) -> list[tuple[str, PhotoCard]]:
        return [
            (f"p{i}{s}", pair.cards[j])
            for i, pair in enumerate(self.pairs)
            for j, s in enumerate(SIDES)
        ]

    def target(self, index: int) -> str:
        return f"memory:p{index + 1}a+p{index + 1}b"

    def write_body(self, out: PackWriter, langs: list[str]) -> None:
        out.words(self.cards(), langs)
        used = self.used()
        out.add("pairs:" if used else "pairs: []", GENERAL)
        for i, _pair in used:
            out.add(f"  - [p{i + 1}a, p{i + 1}b]", f"p{i}_pair")
        out.add("memory: [picture-word]" if self.picture_word else "memory: []", "picture_word")
