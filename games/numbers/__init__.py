"""Number garden: counting, plus and minus, and times tables among garden pictures."""

from games.numbers.game import NumberGarden

__all__ = ["NumberGarden"]
