"""The rules of Sort it out, apart from the screen: which bins and items a round has,
what a drop does, when a hint shows and how many stars a round earns."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from kiosk.api import Bin, Pack, SortItem, Word

#: (bins, items) for levels 1..3; a pack with fewer bins or items plays with what it has.
LEVELS = ((2, 6), (3, 10), (4, 14))

#: From this level on, a hint points at the right bin after the second wrong try.
HINT_FROM_LEVEL = 2
HINT_AFTER_WRONG = 2

Verdict = Literal["right", "wrong"]


def level_bins(pack: Pack, level: int) -> list[Bin]:
    """The bins of a round at `level`: bins that have items first, in the pack's order."""
    assert pack.sorting is not None
    wanted = LEVELS[level - 1][0]
    used = {item.bin for item in pack.sorting.items}
    bins = sorted(pack.sorting.bins, key=lambda b: b.id not in used)  # stable: keeps order
    return bins[:wanted]


def level_item_count(pack: Pack, level: int) -> int:
    """How many items a round at `level` has (fewer when the pack has fewer)."""
    assert pack.sorting is not None
    ids = {b.id for b in level_bins(pack, level)}
    pool = [item for item in pack.sorting.items if item.bin in ids and _has_word(pack, item)]
    return min(LEVELS[level - 1][1], len(pool))


def _has_word(pack: Pack, item: SortItem) -> bool:
    return any(word.id == item.word for word in pack.words)


def deal(pack: Pack, level: int, rng: random.Random) -> tuple[list[Bin], list[SortItem]]:
    """Draw a round's items at random from those of its bins, each bin getting its share,
    then shuffle them into the order the child sees them."""
    assert pack.sorting is not None
    bins = level_bins(pack, level)
    by_bin: dict[str, list[SortItem]] = {b.id: [] for b in bins}
    for item in pack.sorting.items:
        if item.bin in by_bin and _has_word(pack, item):
            by_bin[item.bin].append(item)
    for items in by_bin.values():
        rng.shuffle(items)
    wanted = level_item_count(pack, level)
    order = list(by_bin)
    rng.shuffle(order)  # which bin gets the odd extra item varies
    dealt: list[SortItem] = []
    while len(dealt) < wanted:
        for bin_id in order:
            if by_bin[bin_id] and len(dealt) < wanted:
                dealt.append(by_bin[bin_id].pop())
    rng.shuffle(dealt)
    return bins, dealt


def stars_for(first_try: int, total: int) -> int:
    """3 stars for (nearly) no mistakes, 2 for a few, 1 for finishing at all."""
    mistakes = total - first_try
    if mistakes <= total // 7:
        return 3
    if mistakes * 3 <= total:
        return 2
    return 1


@dataclass
class SortingRound:
    """One round: the bins, the items still to sort and how the child has done."""

    pack: Pack
    level: int
    bins: list[Bin]
    items: list[SortItem]
    index: int = 0
    #: Wrong tries on the current item.
    wrong: int = 0
    #: Items sorted right at the first try: the score.
    first_try: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = {b.id: 0 for b in self.bins}

    @property
    def done(self) -> bool:
        return self.index >= len(self.items)

    @property
    def current(self) -> SortItem | None:
        return None if self.done else self.items[self.index]

    @property
    def current_word(self) -> Word | None:
        item = self.current
        return None if item is None else self.pack.word(item.word)

    @property
    def remaining(self) -> int:
        return len(self.items) - self.index

    def bin_index(self, bin_id: str) -> int:
        return [b.id for b in self.bins].index(bin_id)

    def drop(self, bin_id: str) -> Verdict:
        """The child puts the current item into `bin_id`."""
        item = self.current
        assert item is not None
        if item.bin != bin_id:
            self.wrong += 1
            return "wrong"
        if self.wrong == 0:
            self.first_try += 1
        self.counts[bin_id] += 1
        self.index += 1
        self.wrong = 0
        return "right"

    @property
    def hint(self) -> str | None:
        """The right bin's id when a hint should show for the current item."""
        item = self.current
        if item is None or self.level < HINT_FROM_LEVEL or self.wrong < HINT_AFTER_WRONG:
            return None
        return item.bin

    @property
    def stars(self) -> int:
        return stars_for(self.first_try, len(self.items))
