"""The rules of Sort it out's race, apart from the screen: 2–4 teams sort the same things
in the same order into the same bins, each team in its own lane with its own pad.

- A wrong bin is a gentle "try again": the thing stays in the lane's hands, the team only
  loses that thing's first-try point (and from level 2 a hint shows after two misses, as
  when a child plays alone).
- Points: one for each thing sorted right at the first try, and one bonus point for each
  team a team beats to the finish. Careful sorting counts most; speed counts too, so
  pressing A on every bin in turn does not pay.
- The race ends when every team has finished, or `CATCH_UP_S` seconds after the first team
  finished (the others keep the points they have, without a finishing bonus).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from games.sorting.rules import SortingRound, Verdict
from kiosk.api import Bin, Pack, SortItem

#: Seconds the other teams still have once the first team has sorted everything.
CATCH_UP_S = 30.0


@dataclass
class Lane:
    """One team's lane: its own copy of the round and the bin its pad points at."""

    round: SortingRound
    #: The bin the team's pad has chosen (its index in the round's bins).
    cursor: int = 0
    #: 1 for the first team to finish, 2 for the next…; None while it is still sorting.
    place: int | None = None

    @property
    def finished(self) -> bool:
        return self.place is not None


@dataclass
class SortingRace:
    """The race: one lane per team, in the teams' joining order."""

    lanes: list[Lane]
    #: When (on the game's clock) the first team finished; None before.
    first_finish: float | None = None
    finished: list[int] = field(default_factory=list)

    @classmethod
    def deal(
        cls, pack: Pack, level: int, bins: list[Bin], items: list[SortItem], teams: int
    ) -> SortingRace:
        """A race of `teams` lanes over the same dealt bins and items, in the same order."""
        if not 2 <= teams <= 4:
            raise ValueError(f"a sorting race has 2 to 4 teams, not {teams}")
        return cls([Lane(SortingRound(pack, level, list(bins), list(items))) for _ in range(teams)])

    def __len__(self) -> int:
        return len(self.lanes)

    def point_at(self, lane: int, index: int) -> bool:
        """The team of `lane` chooses bin `index`; False when nothing changed."""
        chosen = self.lanes[lane]
        if chosen.finished or chosen.cursor == index:
            return False
        chosen.cursor = index
        return True

    def drop(self, lane: int, now: float) -> Verdict | None:
        """The team of `lane` puts its thing into the bin it points at; None when that lane
        has nothing left to sort or the race is over."""
        chosen = self.lanes[lane]
        if chosen.finished or self.over(now):
            return None
        verdict = chosen.round.drop(chosen.round.bins[chosen.cursor].id)
        if chosen.round.done:
            self.finished.append(lane)
            chosen.place = len(self.finished)
            if self.first_finish is None:
                self.first_finish = now
        return verdict

    def catch_up_left(self, now: float) -> float | None:
        """Seconds left for the teams still sorting once one has finished; None before."""
        if self.first_finish is None:
            return None
        return max(0.0, self.first_finish + CATCH_UP_S - now)

    def over(self, now: float) -> bool:
        """Every team finished, or the catch-up time after the first one ran out."""
        left = self.catch_up_left(now)
        return len(self.finished) == len(self.lanes) or (left is not None and left <= 0)

    def bonus(self, lane: int) -> int:
        """One point for each team this lane's team finished ahead of."""
        place = self.lanes[lane].place
        return 0 if place is None else len(self.lanes) - place

    def points(self, lane: int) -> int:
        return self.lanes[lane].round.first_try + self.bonus(lane)
