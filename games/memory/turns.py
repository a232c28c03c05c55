"""Memory in turns, the team rules, with no pygame in them: whose turn it is, the pairs
each team has found, and who won.

The classic rule: a team that finds a pair plays again; a miss passes the turn to the
next team in joining order (after the last, the first again)."""

from __future__ import annotations

from dataclasses import dataclass, field

from games.memory.rules import Turned


@dataclass
class TurnOrder:
    """The turns of `teams` teams (numbered 0.. in joining order) over one round."""

    teams: int
    #: The team whose turn it is.
    turn: int = 0
    #: The pairs each team has found.
    pairs: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 2 <= self.teams <= 4:
            raise ValueError(f"2 to 4 teams play in turns, not {self.teams}")
        if not self.pairs:
            self.pairs = [0] * self.teams

    def played(self, turned: Turned) -> bool:
        """The playing team turned a card and it did `turned`: a pair counts for the team,
        which plays on; a miss passes the turn. Answers whether the turn passed."""
        if turned in ("pair", "won"):
            self.pairs[self.turn] += 1
            return False
        if turned == "miss":
            self.turn = (self.turn + 1) % self.teams
            return True
        return False
