"""Memory pairs: turn two cards, keep them when the pictures match."""

from games.memory.game import MemoryPairs

__all__ = ["MemoryPairs"]
