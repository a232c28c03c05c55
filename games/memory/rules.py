"""Memory pairs' rules, with no pygame in them: the levels, the cards of a round, what
turning a card does, and the stars a round earns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from games.memory.decks import Face

#: (pairs, columns, rows) for levels 1..3
LEVELS = ((3, 3, 2), (6, 4, 3), (10, 5, 4))

#: What turning a card did: nothing (not allowed now), showed an open card again, turned
#: one (the first of two, or a mismatch), found a pair, or found the last pair.
Turned = Literal["ignored", "again", "turned", "miss", "pair", "won"]


@dataclass(eq=False)
class Card:
    #: Cards with the same key make a pair.
    key: str
    face: Face
    face_up: bool = False
    matched: bool = False


def stars_for(turns: int, pairs: int) -> int:
    """3 stars for a near-perfect memory, 1 for finishing at all."""
    if turns <= math.ceil(pairs * 1.5):
        return 3
    if turns <= pairs * 2.5:
        return 2
    return 1


@dataclass(eq=False)
class MemoryRound:
    """One round: the cards on the table (row by row), the open ones and the turns taken."""

    level: int
    cards: list[Card]
    open_cards: list[Card] = field(default_factory=list)
    turns: int = 0

    @property
    def pairs(self) -> int:
        return LEVELS[self.level - 1][0]

    @property
    def columns(self) -> int:
        return LEVELS[self.level - 1][1]

    @property
    def stars(self) -> int:
        return stars_for(self.turns, self.pairs)

    def turn(self, index: int) -> tuple[Turned, list[Card]]:
        """Turn card `index` face up, if the rules allow it; answers what it did and the
        mismatched cards it turned back first (a quick child need not wait for them)."""
        card = self.cards[index]
        if card.face_up or card.matched:
            return "again", []
        hidden = self.hide_open() if len(self.open_cards) == 2 else []
        card.face_up = True
        self.open_cards.append(card)
        if len(self.open_cards) < 2:
            return "turned", hidden
        self.turns += 1
        first, second = self.open_cards
        if first.key != second.key:
            return "miss", hidden
        first.matched = second.matched = True
        self.open_cards = []
        return ("won" if all(c.matched for c in self.cards) else "pair"), hidden

    def hide_open(self) -> list[Card]:
        """Turn the open (mismatched) cards back; answers them."""
        hidden, self.open_cards = self.open_cards, []
        for card in hidden:
            card.face_up = False
        return hidden
